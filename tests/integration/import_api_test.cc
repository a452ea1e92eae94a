// POST /api/import over real HTTP: admins only, JSON lines in, a report out;
// a bad line is a 400 naming its line and field, and nothing is written.
#include <string>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "common/time_util.h"
#include "integration/harness.h"

namespace chosen::testing {
namespace {

constexpr const char* kExample =
    R"({"type":"user","external_id":"u1","email":"ana@example.com","name":"Ana Ruiz","team":"North","timezone":"America/Chicago","created_at":"2025-01-02T15:00:00Z"}
{"type":"contact","external_id":"c1","owner":"u1","name":"Jennifer Park","status":"LEAD","source":"Zillow","tags":["VA loan"],"created_at":"2025-03-01T16:00:00Z"}
{"type":"deal","external_id":"d1","owner":"u1","contact":"c1","title":"VA purchase","value":325000,"loan_type":"VA","stage":"Closed Won","closed_at":"2025-04-20T15:00:00Z","created_at":"2025-03-05T15:00:00Z"}
{"type":"task","external_id":"t1","owner":"u1","title":"Ask Jennifer for a referral","priority":"high","status":"completed","contact":"c1","deal":"d1","completed_at":"2025-04-22T15:00:00Z","created_at":"2025-04-20T15:05:00Z"}
{"type":"activity","external_id":"a1","owner":"u1","activity_type":"call","outcome":"answered","occurred_at":"2025-03-04T17:30:00Z","duration_seconds":540,"contact":"c1"}
)";

const std::map<std::string, std::string> kNdjson = {{"Content-Type", "application/x-ndjson"}};

class ImportApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_.AddUser("admin@ruiz.test", "admin", "Ruiz Lending");
    server_.AddUser("officer@ruiz.test", "officer", "Ruiz Lending");
    admin_.Login("admin@ruiz.test");
  }

  HttpResult Import(Client& c, const std::string& body, const std::string& query = "",
                    const std::map<std::string, std::string>& headers = kNdjson) {
    return c.Send("POST", "/api/import" + query, body, headers);
  }

  std::int64_t Count(const std::string& table) {
    std::int64_t n = -1;
    auto st = server_.db().Read([&](store::Connection& c) -> Status {
      auto rows = c.Query("SELECT COUNT(*) FROM " + table);
      if (!rows) return rows.error();
      n = rows->front().Int(0);
      return {};
    });
    EXPECT_TRUE(st);
    return n;
  }

  TestServer server_;
  Client admin_{server_.port()};
};

TEST_F(ImportApiTest, AnAdminImportsHistoryIntoTheirOrg) {
  auto r = Import(admin_, kExample);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json.at("org"), json::value("Ruiz Lending"));
  EXPECT_EQ(r.json.at("committed"), json::value(true));
  EXPECT_EQ(r.json.at("counts").at("activity").at("imported"), json::value(1));
  EXPECT_EQ(r.json.at("events"), json::value(7));
  EXPECT_EQ(r.json.at("errors"), json::value(json::array()));

  // The admin sees the records with their historical timestamps.
  auto contacts = admin_.Get("/api/contacts");
  ASSERT_EQ(contacts.status, 200);
  ASSERT_EQ(contacts.json.at("items").as_array().size(), 1u);
  const auto& jen = contacts.json.at("items").at(0);
  EXPECT_EQ(jen.at("created_at"), json::value("2025-03-01T16:00:00.000Z"));
  EXPECT_EQ(jen.at("last_contacted_at"), json::value("2025-03-04T17:30:00.000Z")) << "derived from the call";
  auto events = admin_.Get("/api/events?action=deal_closed");
  ASSERT_EQ(events.json.at("items").as_array().size(), 1u);
  EXPECT_EQ(events.json.at("items").at(0).at("created_at"), json::value("2025-04-20T15:00:00.000Z"));
  EXPECT_EQ(events.json.at("items").at(0).at("metadata").at("imported"), json::value(true));

  // No nudges for last year's lead or last year's win.
  EXPECT_EQ(Count("coach_insights"), 0);
  // The imported officer has no password yet.
  Client ana(server_.port());
  auto login = ana.Post("/api/auth/login", json::object{{"email", "ana@example.com"}, {"password", "password123"}});
  EXPECT_EQ(login.status, 401);

  // Again: nothing changes. application/jsonl is accepted too.
  auto again = Import(admin_, kExample, "", {{"Content-Type", "application/jsonl; charset=utf-8"}});
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(again.json.at("counts").at("contact").at("already_present"), json::value(1));
  EXPECT_EQ(again.json.at("events"), json::value(0));
  EXPECT_EQ(Count("contacts"), 1);
}

// Imported calls carry a streak on (points wait for an admin's recompute).
TEST_F(ImportApiTest, ImportedCallsCountForTheCallStreak) {
  server_.clock().Set(ParseIso("2026-11-19T20:00:00Z", "now").value());  // Thursday, 14:00 in Chicago
  std::string file = R"({"type":"user","external_id":"me","email":"admin@ruiz.test","name":"Admin"})" "\n";
  // Monday to Thursday at 9:00 in Chicago, twice on Tuesday, and one on the
  // Sunday evening before (Monday in UTC: the day is the officer's local one;
  // a call on a day off extends the streak).
  for (const char* at : {"2026-11-16T15:00:00Z", "2026-11-17T15:00:00Z", "2026-11-17T16:00:00Z",
                         "2026-11-18T15:00:00Z", "2026-11-19T15:00:00Z", "2026-11-16T02:00:00Z"})
    file += fmt::format(R"({{"type":"activity","external_id":"{}","owner":"me","activity_type":"call","occurred_at":"{}"}})"
                        "\n",
                        at, at);
  auto r = Import(admin_, file);
  ASSERT_EQ(r.status, 200) << r.body;
  auto profile = admin_.Get("/api/game/profile");
  ASSERT_EQ(profile.status, 200) << profile.body;
  const auto& streak = profile.json.at("streak");
  EXPECT_EQ(streak.at("current"), json::value(5)) << profile.body;
  EXPECT_EQ(streak.at("today_done"), json::value(true)) << profile.body;
  EXPECT_EQ(streak.at("since"), json::value("2026-11-15")) << profile.body;
  EXPECT_EQ(Count("points_ledger"), 0);
  // Importing again adds nothing.
  ASSERT_EQ(Import(admin_, file).status, 200);
  EXPECT_EQ(Count("streak_days"), 5);
}

TEST_F(ImportApiTest, OnlyAdminsMayImport) {
  Client officer(server_.port());
  officer.Login("officer@ruiz.test");
  auto r = Import(officer, kExample);
  EXPECT_EQ(r.status, 403) << r.body;
  EXPECT_EQ(r.ErrorCode(), "PERMISSION_DENIED");
  EXPECT_EQ(Count("contacts"), 0);
  Client anonymous(server_.port());
  EXPECT_EQ(Import(anonymous, kExample).status, 401);
}

TEST_F(ImportApiTest, ABadLineIsA400NamingItsLineAndFieldAndNothingIsWritten) {
  std::string body = std::string(kExample) +
                     R"({"type":"activity","external_id":"a2","owner":"u9","activity_type":"call","occurred_at":"2025-03-04T17:30:00Z"}
)";
  auto r = Import(admin_, body);
  ASSERT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(r.ErrorCode(), "INVALID_ARGUMENT");
  EXPECT_EQ(r.ErrorField(), "line 6.owner");
  EXPECT_EQ(r.json.at("error").at("message"),
            json::value("line 6: owner: no user with external_id 'u9'; nothing was imported"));
  EXPECT_EQ(r.json.at("report").at("committed"), json::value(false));
  EXPECT_EQ(r.json.at("report").at("error_count"), json::value(1));
  EXPECT_EQ(r.json.at("report").at("counts").at("contact").at("imported"), json::value(0));
  for (const char* table : {"contacts", "deals", "tasks", "activities", "external_ids"})
    EXPECT_EQ(Count(table), 0) << table;
  EXPECT_EQ(Count("users"), 2) << "only the two test users";

  // ?partial=true imports the rest and reports the bad line.
  auto partial = Import(admin_, body, "?partial=true");
  ASSERT_EQ(partial.status, 200) << partial.body;
  EXPECT_EQ(partial.json.at("committed"), json::value(true));
  EXPECT_EQ(partial.json.at("counts").at("activity").at("imported"), json::value(1));
  EXPECT_EQ(partial.json.at("counts").at("activity").at("rejected"), json::value(1));
  EXPECT_EQ(partial.json.at("errors").at(0).at("line"), json::value(6));
  EXPECT_EQ(Count("activities"), 1);
}

TEST_F(ImportApiTest, RequestRules) {
  auto json_body = Import(admin_, kExample, "", {{"Content-Type", "application/json"}});
  EXPECT_EQ(json_body.status, 415) << json_body.body;
  auto empty = Import(admin_, "");
  EXPECT_EQ(empty.status, 400) << empty.body;
  auto unknown = Import(admin_, kExample, "?dry_run=true");
  EXPECT_EQ(unknown.status, 400);
  EXPECT_EQ(unknown.ErrorField(), "dry_run");
  auto bad_flag = Import(admin_, kExample, "?partial=maybe");
  EXPECT_EQ(bad_flag.status, 400);
  EXPECT_EQ(bad_flag.ErrorField(), "partial");
  auto malformed = Import(admin_, "{\"type\":\n");
  EXPECT_EQ(malformed.status, 400);
  EXPECT_EQ(malformed.ErrorField(), "line 1");
  EXPECT_EQ(Count("external_ids"), 0);
}

}  // namespace
}  // namespace chosen::testing
