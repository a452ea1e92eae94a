// `chosen import` and `chosen export` as a user runs them: reports, exit
// codes, idempotency, --partial, --json, and a round trip through a second
// database.
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "common/json_util.h"
#include "integration/child_process.h"
#include "integration/harness.h"


namespace chosen::testing {
namespace {


constexpr const char* kExample =
    R"({"type":"user","external_id":"u1","email":"ana@example.com","name":"Ana Ruiz","team":"North","timezone":"America/Chicago","created_at":"2025-01-02T15:00:00Z"}
{"type":"contact","external_id":"c1","owner":"u1","name":"Jennifer Park","status":"PROSPECT","source":"Zillow","tags":["VA loan"],"created_at":"2025-03-01T16:00:00Z","last_contacted_at":"2025-03-04T17:30:00Z"}
{"type":"deal","external_id":"d1","owner":"u1","contact":"c1","title":"VA purchase","value":325000,"loan_type":"VA","stage":"Closed Won","stage_changed_at":"2025-04-20T15:00:00Z","closed_at":"2025-04-20T15:00:00Z","created_at":"2025-03-05T15:00:00Z"}
{"type":"task","external_id":"t1","owner":"u1","title":"Ask Jennifer for a referral","priority":"high","status":"completed","contact":"c1","deal":"d1","completed_at":"2025-04-22T15:00:00Z","created_at":"2025-04-20T15:05:00Z"}
{"type":"activity","external_id":"a1","owner":"u1","activity_type":"call","outcome":"answered","occurred_at":"2025-03-04T17:30:00Z","duration_seconds":540,"contact":"c1"}
)";

class ImportCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::random_device rd;
    dir_ = std::filesystem::temp_directory_path() / ("chosen-import-cli-" + std::to_string(rd()));
    std::filesystem::create_directories(dir_);
    db_ = "sqlite:" + (dir_ / "crm.db").string();
  }
  void TearDown() override {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  std::string Write(const std::string& name, const std::string& text) {
    std::string path = (dir_ / name).string();
    std::ofstream(path, std::ios::binary) << text;
    return path;
  }
  static std::string Read(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }

  std::filesystem::path dir_;
  std::string db_;
};

TEST_F(ImportCliTest, ImportsOnceThenReportsEverythingAsPresent) {
  std::string file = Write("example.jsonl", kExample);
  std::string out;
  ASSERT_EQ(RunChosen({"import", file, "--org", "Ruiz Lending", "--db", db_}, &out), 0) << out;
  EXPECT_NE(out.find("imported into 'Ruiz Lending': 5 lines"), std::string::npos) << out;
  EXPECT_NE(out.find("activity          1 imported         0 already present       0 rejected"), std::string::npos)
      << out;
  EXPECT_NE(out.find("7 events derived"), std::string::npos) << out;

  ASSERT_EQ(RunChosen({"import", file, "--org", "Ruiz Lending", "--db", db_, "--json"}, &out), 0) << out;
  auto report = ParseJson(out);
  ASSERT_TRUE(report) << out;
  EXPECT_EQ(report->at("committed"), json::value(true));
  EXPECT_EQ(report->at("events"), json::value(0));
  for (const char* type : {"user", "contact", "deal", "task", "activity"}) {
    EXPECT_EQ(report->at("counts").at(type).at("imported"), json::value(0)) << type;
    EXPECT_EQ(report->at("counts").at(type).at("already_present"), json::value(1)) << type;
  }
}

TEST_F(ImportCliTest, AnInvalidLineFailsAndWritesNothing) {
  std::string file = Write("bad.jsonl", std::string(kExample) +
                                            R"({"type":"activity","external_id":"a2","owner":"u9","activity_type":"call","occurred_at":"2025-03-04T17:30:00Z"}
{"type":"contact","external_id":"c2","owner":"u1"}
)");
  std::string out;
  EXPECT_EQ(RunChosen({"import", file, "--org", "Ruiz Lending", "--db", db_}, &out), 1) << out;
  EXPECT_NE(out.find("nothing imported into 'Ruiz Lending': 2 of 7 lines are invalid"), std::string::npos) << out;
  EXPECT_NE(out.find("line 6: owner: no user with external_id 'u9'\n"), std::string::npos) << out;
  EXPECT_NE(out.find("line 7: name: name is required\n"), std::string::npos) << out;
  // Not even the org was created.
  EXPECT_EQ(RunChosen({"export", "--org", "Ruiz Lending", "--db", db_}, &out), 1) << out;
  EXPECT_NE(out.find("no org named 'Ruiz Lending'"), std::string::npos) << out;

  // --partial writes the valid lines and still reports the others.
  EXPECT_EQ(RunChosen({"import", file, "--org", "Ruiz Lending", "--db", db_, "--partial", "--json"}, &out), 0) << out;
  auto report = ParseJson(out);
  ASSERT_TRUE(report) << out;
  EXPECT_EQ(report->at("committed"), json::value(true));
  EXPECT_EQ(report->at("counts").at("activity").at("imported"), json::value(1));
  EXPECT_EQ(report->at("counts").at("activity").at("rejected"), json::value(1));
  EXPECT_EQ(report->at("error_count"), json::value(2));
  EXPECT_EQ(report->at("errors").at(0),
            json::value(json::object{{"line", 6}, {"field", "owner"}, {"message", "no user with external_id 'u9'"}}));
}

TEST_F(ImportCliTest, MissingFileOrOrgIsAClearError) {
  std::string out;
  EXPECT_EQ(RunChosen({"import", (dir_ / "nope.jsonl").string(), "--org", "X", "--db", db_}, &out), 1);
  EXPECT_NE(out.find("cannot open"), std::string::npos) << out;
  EXPECT_NE(RunChosen({"import", Write("x.jsonl", kExample), "--db", db_}, &out), 0) << "--org is required";
  EXPECT_NE(RunChosen({"export", "--db", db_}, &out), 0) << "--org is required";
}

TEST_F(ImportCliTest, AnImportedUserLogsInOnceAPasswordIsSet) {
  std::string out;
  ASSERT_EQ(RunChosen({"import", Write("people.jsonl", kExample), "--org", "Ruiz Lending", "--db", db_}, &out), 0)
      << out;
  auto login = [&](std::uint16_t port, const std::string& password) {
    Client c(port);
    return c.Post("/api/auth/login", json::object{{"email", "ana@example.com"}, {"password", password}}).status;
  };
  {
    Child server({"serve", "--db", db_, "--port", "0"});
    auto port = server.WaitFor("listening on http://localhost:", std::chrono::seconds(30));
    ASSERT_TRUE(port) << server.output();
    EXPECT_EQ(login(static_cast<std::uint16_t>(std::stoi(*port)), "anything-at-all"), 401)
        << "an imported user has no password until one is set";
  }
  EXPECT_EQ(RunChosen({"user", "set-password", "--db", db_, "--email", "ana@example.com", "--password", "short"}, &out),
            1);
  EXPECT_NE(out.find("8 to 256"), std::string::npos) << out;
  EXPECT_EQ(RunChosen({"user", "set-password", "--db", db_, "--email", "nobody@example.com", "--password",
                       "long-enough-1"},
                      &out),
            1);
  ASSERT_EQ(RunChosen({"user", "set-password", "--db", db_, "--email", "ANA@example.com", "--password",
                       "long-enough-1"},
                      &out),
            0)
      << out;
  Child server({"serve", "--db", db_, "--port", "0"});
  auto port = server.WaitFor("listening on http://localhost:", std::chrono::seconds(30));
  ASSERT_TRUE(port) << server.output();
  EXPECT_EQ(login(static_cast<std::uint16_t>(std::stoi(*port)), "long-enough-1"), 200);
  EXPECT_EQ(login(static_cast<std::uint16_t>(std::stoi(*port)), "short"), 401);
}

TEST_F(ImportCliTest, ExportImportExportIsExact) {
  std::string file = Write("example.jsonl", kExample);
  std::string out;
  ASSERT_EQ(RunChosen({"import", file, "--org", "Ruiz Lending", "--db", db_}, &out), 0) << out;
  // A user added by hand (no external id) is exported with a generated one.
  ASSERT_EQ(RunChosen({"user", "add", "--db", db_, "--email", "boss@example.com", "--name", "Boss", "--password",
                       "secret-pass", "--role", "admin", "--org", "Ruiz Lending"},
                      &out),
            0)
      << out;

  std::string first = (dir_ / "first.jsonl").string();
  ASSERT_EQ(RunChosen({"export", "--org", "Ruiz Lending", "--db", db_, "--out", first}, &out), 0) << out;
  EXPECT_NE(out.find("exported 6 records of 'Ruiz Lending' to"), std::string::npos) << out;
  std::string text = Read(first);
  EXPECT_NE(text.find(R"({"type":"user","external_id":"user-2","email":"boss@example.com","name":"Boss","role":"admin")"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find(R"({"type":"activity","external_id":"a1","owner":"u1","activity_type":"call")"),
            std::string::npos)
      << text;

  // Standard output is the default and carries nothing but the records.
  ASSERT_EQ(RunChosen({"export", "--org", "Ruiz Lending", "--db", db_}, &out), 0) << out;
  EXPECT_EQ(out, text);

  std::string other = "sqlite:" + (dir_ / "other.db").string();
  ASSERT_EQ(RunChosen({"import", first, "--org", "Ruiz Lending", "--db", other}, &out), 0) << out;
  std::string second = (dir_ / "second.jsonl").string();
  ASSERT_EQ(RunChosen({"export", "--org", "Ruiz Lending", "--db", other, "--out", second}, &out), 0) << out;
  EXPECT_EQ(Read(second), text);
}

}  // namespace
}  // namespace chosen::testing
