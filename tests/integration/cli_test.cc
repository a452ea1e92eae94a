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
#include <fstream>
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

  // This one renders every read (no read memo); the next one memoises them.
  Child server({"serve", "--db", db_, "--port", "0", "--threads", "2", "--read-memo-mb", "0"});
  auto port = server.WaitFor(kListening, std::chrono::seconds(30));
  ASSERT_TRUE(port) << server.output();
  Client c(static_cast<std::uint16_t>(std::stoi(*port)));
  c.UseBearer(token);
  auto me = c.Get("/api/me");
  ASSERT_EQ(me.status, 200) << me.body;
  EXPECT_EQ(me.json.at("timezone").as_string(), "America/Denver");
  EXPECT_EQ(me.json.at("team").at("name").as_string(), "Blue");
  EXPECT_EQ(c.Post("/api/contacts", json::object{{"name", "Before Shutdown"}}).status, 201);
  for (int i = 0; i < 2; ++i) EXPECT_EQ(c.Get("/api/contacts").json.at("items").as_array().size(), 1u);
  // Demo logins are published by `chosen demo` only.
  auto demo_info = c.Get("/api/demo");
  EXPECT_EQ(demo_info.status, 404) << demo_info.body;
  EXPECT_EQ(demo_info.ErrorCode(), "NOT_FOUND");
  // Without --web-root there is no web app: "/" is the API's JSON index.
  auto index = c.Get("/");
  EXPECT_EQ(index.status, 200);
  EXPECT_EQ(index.headers["content-type"], "application/json");
  EXPECT_EQ(c.Get("/contacts").status, 404);

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
  ASSERT_EQ(c2.Get("/api/contacts").body, list.body);  // from the read memo
  // Another process writes to the served database: the next read shows it.
  const auto file = dir_ / "while-serving.jsonl";
  std::ofstream(file) << R"({"type":"user","external_id":"lee","email":"lee@test.example","name":"Lee Officer"})" "\n"
                      << R"({"type":"contact","external_id":"c1","owner":"lee","name":"Imported While Serving"})" "\n";
  ASSERT_EQ(RunChosen({"import", file.string(), "--org", "Test Org", "--db", db_}, &out), 0) << out;
  list = c2.Get("/api/contacts");
  ASSERT_EQ(list.status, 200);
  EXPECT_EQ(list.json.at("items").as_array().size(), 2u) << list.body;
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
  // The hub and the game are alive: goals, the history's points, a store
  // and this month's competition.
  EXPECT_EQ(officer.Get("/api/goals").json.at("items").as_array().size(), 4u);
  auto profile = officer.Get("/api/game/profile");
  EXPECT_GT(profile.json.at("points").at("lifetime").as_int64(), 100) << profile.body;
  EXPECT_EQ(officer.Get("/api/game/rewards").json.at("items").as_array().size(), 3u);
  EXPECT_EQ(officer.Get("/api/game/competitions").json.at("items").as_array().size(), 1u);

  // The login page's demo logins: public, on the demo server only.
  Client anonymous(static_cast<std::uint16_t>(std::stoi(*port)));
  auto info = anonymous.Get("/api/demo");
  ASSERT_EQ(info.status, 200) << info.body;
  EXPECT_EQ(info.json.at("demo").as_bool(), true);
  EXPECT_EQ(info.json.at("password").as_string(), "chosen-demo");
  const auto& logins = info.json.at("logins").as_array();
  EXPECT_EQ(logins.size(), 9u);
  bool found_officer = false;
  for (const auto& l : logins) {
    if (l.at("email").as_string() == "jordan.kim@summit.demo") {
      found_officer = true;
      EXPECT_EQ(l.at("role").as_string(), "officer");
      EXPECT_EQ(l.at("name").as_string(), "Jordan Kim");
      EXPECT_EQ(l.at("team").as_string(), "North");
    }
  }
  EXPECT_TRUE(found_officer) << info.body;

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

TEST_F(CliTest, DemoOnADatabaseWithoutDemoUsersListsNoLogins) {
  std::string out;
  ASSERT_EQ(RunChosen({"user", "add", "--db", db_, "--email", "solo@test.example", "--name", "Solo", "--password",
                       "secret-pass", "--org", "Solo Org"},
                      &out),
            0)
      << out;
  Child demo({"demo", "--db", db_, "--port", "0"});
  auto port = demo.WaitFor(kListening, std::chrono::seconds(60));
  ASSERT_TRUE(port) << demo.output();
  Client c(static_cast<std::uint16_t>(std::stoi(*port)));
  auto info = c.Get("/api/demo");
  ASSERT_EQ(info.status, 200) << info.body;
  EXPECT_TRUE(info.json.at("logins").as_array().empty()) << info.body;
  demo.Signal(SIGTERM);
  EXPECT_EQ(demo.Wait(std::chrono::seconds(20)), 0);
}

TEST_F(CliTest, ServeWithWebRootServesTheAppBesideTheApi) {
  auto web = dir_ / "dist";
  std::filesystem::create_directories(web / "assets");
  std::ofstream(web / "index.html") << "<!doctype html><title>ChosenCRM</title>";
  std::ofstream(web / "assets" / "app-1a2b.js") << "console.log('app')";
  std::string out;
  ASSERT_EQ(RunChosen({"migrate", "--db", db_}, &out), 0) << out;

  Child server({"serve", "--db", db_, "--port", "0", "--web-root", web.string()});
  auto port = server.WaitFor(kListening, std::chrono::seconds(30));
  ASSERT_TRUE(port) << server.output();
  Client c(static_cast<std::uint16_t>(std::stoi(*port)));

  for (const char* path : {"/", "/contacts/12", "/settings"}) {
    auto page = c.Get(path);
    EXPECT_EQ(page.status, 200) << path;
    EXPECT_EQ(page.body, "<!doctype html><title>ChosenCRM</title>") << path;
    EXPECT_EQ(page.headers["content-type"], "text/html; charset=utf-8") << path;
    EXPECT_EQ(page.headers["cache-control"], "no-cache") << path;
    EXPECT_NE(page.headers["content-security-policy"].find("default-src 'self'"), std::string::npos) << path;
    EXPECT_EQ(page.headers["x-frame-options"], "DENY") << path;
  }
  auto js = c.Get("/assets/app-1a2b.js");
  EXPECT_EQ(js.status, 200);
  EXPECT_EQ(js.headers["content-type"], "text/javascript; charset=utf-8");
  EXPECT_EQ(js.headers["cache-control"], "public, max-age=31536000, immutable");
  ASSERT_FALSE(js.headers["etag"].empty());
  auto again = c.Send("GET", "/assets/app-1a2b.js", "", {{"If-None-Match", js.headers["etag"]}});
  EXPECT_EQ(again.status, 304);
  EXPECT_TRUE(again.body.empty());
  std::string head = RawExchange(static_cast<std::uint16_t>(std::stoi(*port)),
                                 "HEAD /assets/app-1a2b.js HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_TRUE(head.starts_with("HTTP/1.1 200")) << head;
  EXPECT_NE(head.find("Content-Length: 18\r\n"), std::string::npos) << head;
  EXPECT_TRUE(head.ends_with("\r\n\r\n")) << head;  // headers only

  // The API is untouched: its routes, its JSON 404s, its 405s.
  EXPECT_EQ(c.Get("/healthz").status, 200);
  auto missing = c.Get("/api/nothing/here");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.ErrorCode(), "NOT_FOUND");
  EXPECT_EQ(c.Get("/api/contacts").status, 401);
  EXPECT_EQ(c.Get("/api/demo").status, 404);
  EXPECT_EQ(c.Get("/assets/missing.js").status, 404);
  EXPECT_EQ(c.Send("POST", "/contacts", "{}", {{"Content-Type", "application/json"}}).status, 405);
  // Hostile paths are refused, never answered with a file from elsewhere.
  for (const char* bad : {"/../secret", "/assets/..%2f..%2fsecret", "/%2e%2e/secret", "/a%00b"})
    EXPECT_EQ(c.Get(bad).status, 400) << bad;

  server.Signal(SIGTERM);
  EXPECT_EQ(server.Wait(std::chrono::seconds(20)), 0);
}

TEST_F(CliTest, ServeRefusesAWebRootWithoutTheBuiltApp) {
  auto web = dir_ / "empty";
  std::filesystem::create_directories(web);
  std::string out;
  EXPECT_EQ(RunChosen({"serve", "--db", db_, "--port", "0", "--web-root", web.string()}, &out), 2) << out;
  EXPECT_NE(out.find("index.html"), std::string::npos) << out;
  EXPECT_NE(RunChosen({"serve", "--db", db_, "--port", "0", "--web-root", (dir_ / "nope").string()}, &out), 0);
}

}  // namespace
}  // namespace chosen::testing
