// The `chosen` binary as a user runs it: migrate, user add, token create,
// serve (with graceful shutdown on SIGTERM) and demo.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <set>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "integration/child_process.h"
#include "integration/harness.h"


namespace chosen::testing {
namespace {

constexpr const char* kListening = "listening on http://localhost:";


class CliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::random_device rd;
    dir_ = std::filesystem::temp_directory_path() / ("chosen-cli-" + std::to_string(rd()));
    db_ = "sqlite:" + (dir_ / "sub" / "crm.db").string();
  }
  void TearDown() override {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  std::filesystem::path dir_;
  std::string db_;
};

TEST_F(CliTest, MigrateCreatesTheDatabaseFolderAndIsIdempotent) {
  std::string out;
  ASSERT_EQ(RunChosen({"migrate", "--db", db_}, &out), 0) << out;
  EXPECT_NE(out.find("schema version"), std::string::npos);
  EXPECT_EQ(RunChosen({"migrate", "--db", db_}, &out), 0) << out;
}

TEST_F(CliTest, UnknownDatabaseSchemeFailsClearly) {
  std::string out;
  EXPECT_NE(RunChosen({"migrate", "--db", "mysql://x"}, &out), 0);
  EXPECT_NE(out.find("unknown database URL"), std::string::npos) << out;
}

TEST_F(CliTest, UserAddTokenCreateAndServeWithGracefulShutdown) {
  std::string out;
  ASSERT_EQ(RunChosen({"user", "add", "--db", db_, "--email", "Lee@Test.Example", "--name", "Lee Officer", "--password",
                 "secret-pass", "--role", "officer", "--org", "Test Org", "--team", "Blue", "--timezone",
                 "America/Denver"},
                &out),
            0)
      << out;
  EXPECT_NE(out.find("lee@test.example"), std::string::npos) << out;
  // Same email again: refused, nothing changes.
  EXPECT_NE(RunChosen({"user", "add", "--db", db_, "--email", "lee@test.example", "--name", "Dup", "--password",
                 "secret-pass", "--org", "Test Org"},
                &out),
            0);
  EXPECT_NE(out.find("exists"), std::string::npos) << out;
  EXPECT_NE(RunChosen({"user", "add", "--db", db_, "--email", "x@test.example", "--name", "X", "--password", "secret-pass",
                 "--org", "Test Org", "--timezone", "Not/AZone"},
                &out),
            0);
  EXPECT_NE(RunChosen({"user", "add", "--db", db_, "--email", "y@test.example", "--name", "Y", "--password", "secret-pass",
                 "--org", "Test Org", "--role", "superuser"},
                &out),
            0);

  ASSERT_EQ(RunChosen({"token", "create", "--db", db_, "--email", "lee@test.example"}, &out), 0) << out;
  std::string token = out.substr(0, out.find_last_not_of("\n") + 1);
  token = token.substr(token.find_last_of('\n') + 1);
  ASSERT_EQ(token.rfind("chs_", 0), 0u) << out;
  EXPECT_NE(RunChosen({"token", "create", "--db", db_, "--email", "nobody@test.example"}, &out), 0);

  Child server({"serve", "--db", db_, "--port", "0", "--threads", "2"});
  auto port = server.WaitFor(kListening, std::chrono::seconds(30));
  ASSERT_TRUE(port) << server.output();
  Client c(static_cast<std::uint16_t>(std::stoi(*port)));
  c.UseBearer(token);
  auto me = c.Get("/api/me");
  ASSERT_EQ(me.status, 200) << me.body;
  EXPECT_EQ(me.json.at("timezone").as_string(), "America/Denver");
  EXPECT_EQ(me.json.at("team").at("name").as_string(), "Blue");
  EXPECT_EQ(c.Post("/api/contacts", json::object{{"name", "Before Shutdown"}}).status, 201);

  server.Signal(SIGTERM);
  EXPECT_EQ(server.Wait(std::chrono::seconds(20)), 0) << server.output();
  EXPECT_NE(server.output().find("stopped"), std::string::npos);

  // The write before shutdown is durable.
  Child again({"serve", "--db", db_, "--port", "0"});
  port = again.WaitFor(kListening, std::chrono::seconds(30));
  ASSERT_TRUE(port) << again.output();
  Client c2(static_cast<std::uint16_t>(std::stoi(*port)));
  c2.UseBearer(token);
  auto list = c2.Get("/api/contacts");
  ASSERT_EQ(list.status, 200);
  ASSERT_EQ(list.json.at("items").as_array().size(), 1u);
  again.Signal(SIGINT);
  EXPECT_EQ(again.Wait(std::chrono::seconds(20)), 0);
}

TEST_F(CliTest, DemoSeedsARealisticOrgOnceAndServesIt) {
  Child demo({"demo", "--db", db_, "--port", "0"});
  auto port = demo.WaitFor(kListening, std::chrono::seconds(240));
  ASSERT_TRUE(port) << demo.output();
  EXPECT_NE(demo.output().find("maria.lopez@summit.demo"), std::string::npos);
  Client officer(static_cast<std::uint16_t>(std::stoi(*port)));
  officer.Login("jordan.kim@summit.demo", "chosen-demo");
  auto me = officer.Get("/api/me");
  ASSERT_EQ(me.status, 200);
  std::int64_t my_id = me.json.at("id").as_int64();

  // Contacts in every status, deals across the pipeline, overdue tasks, and
  // activities of several kinds: all the officer's own.
  for (const char* status : {"LEAD", "PROSPECT", "APPLICANT", "CLIENT", "PAST_CLIENT", "REFERRAL_PARTNER"}) {
    auto r = officer.Get(std::string("/api/contacts?limit=1&status=") + status);
    ASSERT_EQ(r.status, 200);
    EXPECT_EQ(r.json.at("items").as_array().size(), 1u) << status;
  }
  auto deals = officer.Get("/api/deals?limit=200");
  std::set<std::string> stages;
  for (const auto& d : deals.json.at("items").as_array()) {
    stages.insert(std::string(d.at("stage").as_string()));
    EXPECT_EQ(d.at("owner_id").as_int64(), my_id);
  }
  EXPECT_GE(stages.size(), 5u);
  EXPECT_FALSE(officer.Get("/api/tasks?overdue=true").json.at("items").as_array().empty());
  for (const char* type : {"call", "text", "email", "meeting"})
    EXPECT_FALSE(officer.Get(std::string("/api/activities?limit=1&type=") + type).json.at("items").as_array().empty())
        << type;
  auto events = officer.Get("/api/events?action=deal_closed&limit=5");
  EXPECT_FALSE(events.json.at("items").as_array().empty());

  Client manager(static_cast<std::uint16_t>(std::stoi(*port)));
  manager.Login("maria.lopez@summit.demo", "chosen-demo");
  auto team_deals = manager.Get("/api/deals?limit=200");
  std::set<std::int64_t> owners;
  for (const auto& d : team_deals.json.at("items").as_array()) owners.insert(d.at("owner_id").as_int64());
  EXPECT_GE(owners.size(), 2u) << "a manager sees the team's pipeline";

  demo.Signal(SIGTERM);
  EXPECT_EQ(demo.Wait(std::chrono::seconds(20)), 0);

  // A second run does not seed again.
  Child again({"demo", "--db", db_, "--port", "0"});
  ASSERT_TRUE(again.WaitFor(kListening, std::chrono::seconds(60))) << again.output();
  EXPECT_NE(again.output().find("not seeding"), std::string::npos) << again.output();
  again.Signal(SIGTERM);
  EXPECT_EQ(again.Wait(std::chrono::seconds(20)), 0);
}

}  // namespace
}  // namespace chosen::testing
