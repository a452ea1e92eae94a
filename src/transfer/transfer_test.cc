#include "transfer/transfer.h"

#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "auth/accounts.h"
#include "coach/coach.h"
#include "common/time_util.h"
#include "crm/resources.h"
#include "store/db.h"
#include "store/test_database.h"

namespace chosen::transfer {
namespace {

constexpr TimestampMs kNow = 1'795'186'800'000;  // 2026-11-20T15:00:00Z

// The example of docs/import-format.md.
constexpr const char* kExample =
    R"({"type":"user","external_id":"u1","email":"ana@example.com","name":"Ana Ruiz","team":"North","timezone":"America/Chicago","created_at":"2025-01-02T15:00:00Z"}
{"type":"contact","external_id":"c1","owner":"u1","name":"Jennifer Park","status":"PROSPECT","source":"Zillow","tags":["VA loan"],"created_at":"2025-03-01T16:00:00Z","last_contacted_at":"2025-03-04T17:30:00Z"}
{"type":"deal","external_id":"d1","owner":"u1","contact":"c1","title":"VA purchase","value":325000,"loan_type":"VA","stage":"Closed Won","stage_changed_at":"2025-04-20T15:00:00Z","closed_at":"2025-04-20T15:00:00Z","created_at":"2025-03-05T15:00:00Z"}
{"type":"task","external_id":"t1","owner":"u1","title":"Ask Jennifer for a referral","priority":"high","status":"completed","contact":"c1","deal":"d1","completed_at":"2025-04-22T15:00:00Z","created_at":"2025-04-20T15:05:00Z"}
{"type":"activity","external_id":"a1","owner":"u1","activity_type":"call","outcome":"answered","occurred_at":"2025-03-04T17:30:00Z","duration_seconds":540,"contact":"c1"}
)";

TimestampMs Ms(std::string_view iso) { return ParseIso(iso, "t").value(); }

class TransferTest : public ::testing::Test {
 protected:
  void SetUp() override { db_ = Open(); }

  // A fresh database: a SQLite file, or a PostgreSQL database when
  // CHOSEN_TEST_POSTGRES_URL is set.
  std::unique_ptr<store::Database> Open() {
    databases_.push_back(std::make_unique<store::TestDatabase>(
        store::TestPostgresUrl().empty() ? store::Dialect::kSqlite : store::Dialect::kPostgres));
    auto db = store::OpenDatabase(databases_.back()->url(), 2);
    EXPECT_TRUE(db) << db.error().message;
    EXPECT_TRUE(store::Migrate(**db));
    return std::move(*db);
  }

  ImportReport Import(std::string_view text, bool partial = false, store::Database* db = nullptr,
                      const std::string& org = "Ruiz Lending") {
    auto r = transfer::Import(db ? *db : *db_, clock_, text, {.org = org, .partial = partial});
    EXPECT_TRUE(r) << r.error().message;
    return r ? *r : ImportReport{};
  }

  std::string Export(store::Database* db = nullptr, const std::string& org = "Ruiz Lending") {
    std::ostringstream out;
    auto r = transfer::Export(db ? *db : *db_, org, out);
    EXPECT_TRUE(r) << r.error().message;
    return out.str();
  }

  store::Rows Rows(const std::string& sql, std::vector<store::Value> params = {}, store::Database* db = nullptr) {
    store::Rows out;
    auto st = (db ? *db : *db_).Read([&](store::Connection& c) -> Status {
      auto rows = c.Query(sql, params);
      if (!rows) return rows.error();
      out = std::move(*rows);
      return {};
    });
    EXPECT_TRUE(st) << sql << ": " << st.error().message;
    return out;
  }

  std::int64_t Count(const std::string& table, store::Database* db = nullptr) {
    auto rows = Rows("SELECT COUNT(*) FROM " + table, {}, db);
    return rows.empty() ? -1 : rows.front().Int(0);
  }

  // Rows in every table an import writes.
  std::map<std::string, std::int64_t> Counts(store::Database* db = nullptr) {
    std::map<std::string, std::int64_t> out;
    for (const char* t : {"orgs", "teams", "users", "contacts", "contact_tags", "deals", "tasks", "activities", "events",
                          "external_ids", "coach_insights"})
      out[t] = Count(t, db);
    return out;
  }

  // Errors as "line N: field: message" strings.
  static std::vector<std::string> Errors(const ImportReport& r) {
    std::vector<std::string> out;
    for (const auto& e : r.errors) out.push_back(e.ToString());
    return out;
  }

  std::vector<std::unique_ptr<store::TestDatabase>> databases_;  // outlive the handles below
  FakeClock clock_{kNow};
  std::unique_ptr<store::Database> db_;
};

TEST_F(TransferTest, ImportsTheDocumentedExampleWithItsHistory) {
  ImportReport r = Import(kExample);
  EXPECT_TRUE(r.committed);
  EXPECT_EQ(r.lines, 5);
  for (Kind k : kAllKinds) {
    EXPECT_EQ(r.Of(k).imported, 1) << KindName(k);
    EXPECT_EQ(r.Of(k).already_present, 0) << KindName(k);
    EXPECT_EQ(r.Of(k).rejected, 0) << KindName(k);
  }
  EXPECT_EQ(r.error_count, 0);
  EXPECT_TRUE(r.errors.empty());
  EXPECT_EQ(r.events, 7);  // user, contact, deal + closed, task + completed, call

  auto user = Rows(
      "SELECT u.email, u.name, u.role, t.name, u.timezone, u.created_at, u.updated_at, o.name FROM users u "
      "JOIN orgs o ON o.id = u.org_id LEFT JOIN teams t ON t.id = u.team_id");
  ASSERT_EQ(user.size(), 1u);
  EXPECT_EQ(user[0].Str(0), "ana@example.com");
  EXPECT_EQ(user[0].Str(1), "Ana Ruiz");
  EXPECT_EQ(user[0].Str(2), "officer");
  EXPECT_EQ(user[0].Str(3), "North");
  EXPECT_EQ(user[0].Str(4), "America/Chicago");
  EXPECT_EQ(user[0].Int(5), Ms("2025-01-02T15:00:00Z"));
  EXPECT_EQ(user[0].Int(6), Ms("2025-01-02T15:00:00Z"));
  EXPECT_EQ(user[0].Str(7), "Ruiz Lending");

  auto contact = Rows("SELECT name, status, source, tags, created_at, updated_at, last_contacted_at FROM contacts");
  ASSERT_EQ(contact.size(), 1u);
  EXPECT_EQ(contact[0].Str(0), "Jennifer Park");
  EXPECT_EQ(contact[0].Str(1), "PROSPECT");
  EXPECT_EQ(contact[0].Str(2), "Zillow");
  EXPECT_EQ(contact[0].Str(3), R"(["VA loan"])");
  EXPECT_EQ(contact[0].Int(4), Ms("2025-03-01T16:00:00Z"));
  EXPECT_EQ(contact[0].Int(5), Ms("2025-03-01T16:00:00Z")) << "updated_at defaults to created_at";
  EXPECT_EQ(contact[0].Int(6), Ms("2025-03-04T17:30:00Z"));
  EXPECT_EQ(Rows("SELECT tag FROM contact_tags")[0].Str(0), "va loan") << "the tag index is filled";

  auto deal = Rows(
      "SELECT title, value_cents, loan_type, stage, stage_changed_at, closed_at, created_at, updated_at, contact_id "
      "FROM deals");
  ASSERT_EQ(deal.size(), 1u);
  EXPECT_EQ(deal[0].Int(1), 32500000);
  EXPECT_EQ(deal[0].Str(3), "Closed Won");
  EXPECT_EQ(deal[0].Int(4), Ms("2025-04-20T15:00:00Z"));
  EXPECT_EQ(deal[0].Int(5), Ms("2025-04-20T15:00:00Z"));
  EXPECT_EQ(deal[0].Int(6), Ms("2025-03-05T15:00:00Z"));
  EXPECT_EQ(deal[0].Int(7), Ms("2025-03-05T15:00:00Z"));
  EXPECT_EQ(deal[0].Int(8), contact.empty() ? 0 : 1);

  auto task = Rows("SELECT status, priority, completed_at, created_at, contact_id, deal_id FROM tasks");
  ASSERT_EQ(task.size(), 1u);
  EXPECT_EQ(task[0].Str(0), "completed");
  EXPECT_EQ(task[0].Int(2), Ms("2025-04-22T15:00:00Z"));
  EXPECT_EQ(task[0].Int(3), Ms("2025-04-20T15:05:00Z"));

  auto act = Rows("SELECT type, outcome, occurred_at, duration_seconds, contact_id, created_at, tags FROM activities");
  ASSERT_EQ(act.size(), 1u);
  EXPECT_EQ(act[0].Str(0), "call");
  EXPECT_EQ(act[0].Str(1), "answered");
  EXPECT_EQ(act[0].Int(2), Ms("2025-03-04T17:30:00Z"));
  EXPECT_EQ(act[0].Int(3), 540);
  EXPECT_EQ(act[0].Int(5), Ms("2025-03-04T17:30:00Z")) << "an imported activity was logged when it happened";
  EXPECT_EQ(act[0].Str(6), "[]");

  auto map = Rows("SELECT type, external_id, local_id FROM external_ids ORDER BY type");
  ASSERT_EQ(map.size(), 5u);
  EXPECT_EQ(map[0].Str(0), "activity");
  EXPECT_EQ(map[0].Str(1), "a1");
}

TEST_F(TransferTest, ImportedUsersCannotLogInUntilAPasswordIsSet) {
  Import(kExample);
  auth::Accounts accounts(*db_, clock_);
  std::int64_t retry = 0;
  for (const char* pw : {"", "!no-password", "password123"})
    EXPECT_EQ(accounts.Login("ana@example.com", pw, "10.0.0.1", &retry).error().code, ErrorCode::kUnauthenticated)
        << pw;
  auto u = accounts.GetUser(1);
  ASSERT_TRUE(u);
  EXPECT_EQ(u->role, auth::Role::kOfficer);
  EXPECT_EQ(u->team_name, "North");
}

TEST_F(TransferTest, RolesTeamsAndTimeZonesAsGivenInTheNamedOrg) {
  auto r = Import(
      R"({"type":"user","external_id":"m","email":"Max@Example.com","name":"Max","role":"manager","team":"South","timezone":"America/Denver"}
{"type":"user","external_id":"a","email":"root@example.com","name":"Root","role":"admin"}
)",
      false, nullptr, "  Other Org  ");
  EXPECT_TRUE(r.committed);
  EXPECT_EQ(r.org, "Other Org");
  auto rows = Rows(
      "SELECT u.email, u.role, COALESCE(t.name, ''), u.timezone, u.created_at, o.name FROM users u "
      "JOIN orgs o ON o.id = u.org_id LEFT JOIN teams t ON t.id = u.team_id ORDER BY u.id");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].Str(0), "max@example.com");
  EXPECT_EQ(rows[0].Str(1), "manager");
  EXPECT_EQ(rows[0].Str(2), "South");
  EXPECT_EQ(rows[0].Str(3), "America/Denver");
  EXPECT_EQ(rows[0].Int(4), kNow) << "created_at defaults to the time of the import";
  EXPECT_EQ(rows[0].Str(5), "Other Org");
  EXPECT_EQ(rows[1].Str(1), "admin");
  EXPECT_EQ(rows[1].Str(2), "");
  EXPECT_EQ(rows[1].Str(3), "UTC");
}

TEST_F(TransferTest, ReimportingTheSameFileChangesNothing) {
  ImportReport first = Import(kExample);
  ASSERT_TRUE(first.committed);
  auto before = Counts();
  ImportReport again = Import(kExample);
  EXPECT_TRUE(again.committed);
  for (Kind k : kAllKinds) {
    EXPECT_EQ(again.Of(k).imported, 0) << KindName(k);
    EXPECT_EQ(again.Of(k).already_present, 1) << KindName(k);
  }
  EXPECT_EQ(again.events, 0);
  EXPECT_EQ(Counts(), before);

  // A file extending the first: only the new records are written, and they
  // may refer to the ones imported before.
  ImportReport more = Import(std::string(kExample) +
                             R"({"type":"activity","external_id":"a2","owner":"u1","activity_type":"email","occurred_at":"2025-05-01T10:00:00Z","contact":"c1","deal":"d1"}
)");
  EXPECT_EQ(more.Of(Kind::kActivity).imported, 1);
  EXPECT_EQ(more.Of(Kind::kActivity).already_present, 1);
  EXPECT_EQ(more.Of(Kind::kContact).already_present, 1);
  EXPECT_EQ(Count("activities"), 2);
  EXPECT_EQ(Rows("SELECT last_contacted_at FROM contacts")[0].Int(0), Ms("2025-05-01T10:00:00Z"))
      << "a later imported email moves last contact forward";
}

TEST_F(TransferTest, AUserAlreadyInTheOrgIsLinkedByEmail) {
  auth::Accounts accounts(*db_, clock_);
  auto ana = accounts.AddUser({"ana@example.com", "Ana", "password123", auth::Role::kAdmin, "Ruiz Lending", "", "UTC"});
  ASSERT_TRUE(ana);
  ImportReport r = Import(kExample);
  ASSERT_TRUE(r.committed) << ::testing::PrintToString(Errors(r));
  EXPECT_EQ(r.Of(Kind::kUser).imported, 0);
  EXPECT_EQ(r.Of(Kind::kUser).already_present, 1);
  EXPECT_EQ(Count("users"), 1);
  EXPECT_EQ(Rows("SELECT owner_id FROM contacts")[0].Int(0), ana->id);
  EXPECT_EQ(Rows("SELECT local_id FROM external_ids WHERE type = 'user'")[0].Int(0), ana->id);
  std::int64_t retry = 0;
  EXPECT_TRUE(accounts.Login("ana@example.com", "password123", "10.0.0.1", &retry)) << "the password is kept";

  // The same email in another org is an error.
  ImportReport other = Import(kExample, false, nullptr, "Other Org");
  EXPECT_FALSE(other.committed);
  EXPECT_EQ(Errors(other).at(0), "line 1: email: a user with email ana@example.com exists in another org");
}

TEST_F(TransferTest, AnInvalidLineMeansNothingIsWritten) {
  auto before = Counts();
  ImportReport r = Import(std::string(kExample) +
                          R"({"type":"activity","external_id":"a9","owner":"u9","activity_type":"call","occurred_at":"2025-03-04T17:30:00Z"}
)");
  EXPECT_FALSE(r.committed);
  EXPECT_EQ(Errors(r), std::vector<std::string>{"line 6: owner: no user with external_id 'u9'"});
  EXPECT_EQ(r.error_count, 1);
  EXPECT_EQ(r.rejected_lines, 1);
  EXPECT_EQ(r.Of(Kind::kActivity).rejected, 1);
  for (Kind k : kAllKinds) EXPECT_EQ(r.Of(k).imported, 0) << KindName(k) << ": nothing was written";
  EXPECT_EQ(r.events, 0);
  EXPECT_EQ(Counts(), before) << "not even the org";
}

TEST_F(TransferTest, ErrorsNameTheLineAndTheFieldWithTheApisMessages) {
  std::string file = std::string(kExample) + R"(
not json
[1, 2]
{"external_id":"x"}
{"type":"lead","external_id":"x"}
{"type":"contact","owner":"u1","name":"No Id"}
{"type":"contact","external_id":"","owner":"u1","name":"Empty Id"}
{"type":"contact","external_id":"c1","owner":"u1","name":"Twice"}
{"type":"contact","external_id":"c2","owner":"u1"}
{"type":"contact","external_id":"c3","owner":"u1","name":"Bad","status":"HOT"}
{"type":"contact","external_id":"c4","owner":"u1","name":"Bad","emial":"x@y.z"}
{"type":"contact","external_id":"c5","owner":"u1","name":"Bad","email":"nope"}
{"type":"contact","external_id":"c6","owner":"u1","name":"Bad","referred_by":"c99"}
{"type":"contact","external_id":"c7","owner":1,"name":"Bad"}
{"type":"contact","external_id":"c8","owner":"u1","name":"Bad","created_at":"yesterday"}
{"type":"deal","external_id":"d2","owner":"u1","title":"Open","stage":"Processing","closed_at":"2025-04-20T15:00:00Z"}
{"type":"deal","external_id":"d3","owner":"u1","title":"Neg","value":-5}
{"type":"task","external_id":"t2","owner":"u1","title":"Late","due_time":"10:00"}
{"type":"task","external_id":"t3","owner":"u1","title":"Open","completed_at":"2025-04-22T15:00:00Z"}
{"type":"activity","external_id":"a2","owner":"u1","activity_type":"text","outcome":"voicemail","occurred_at":"2025-03-04T17:30:00Z"}
{"type":"activity","external_id":"a3","owner":"u1","activity_type":"call","occurred_at":"2027-01-01T00:00:00Z"}
{"type":"activity","external_id":"a4","owner":"u1","activity_type":"call"}
{"type":"activity","external_id":"a5","owner":"u1","activity_type":"fax","occurred_at":"2025-03-04T17:30:00Z"}
{"type":"activity","external_id":"a6","owner":"u1","activity_type":"call","occurred_at":"2025-03-04T17:30:00Z","duration_seconds":100000}
{"type":"activity","external_id":"a7","owner":"u1","activity_type":"call","occurred_at":"2025-03-04T17:30:00Z","deal":"d2"}
{"type":"user","external_id":"u2","email":"ANA@example.com","name":"Ana Again"}
{"type":"contact","external_id":"c9","owner":"u1","name":"Self","status":"REFERRAL_PARTNER","referred_by":"c9"}
{"type":"user","external_id":"u3","email":"x@example.com","name":"X","timezone":"Mars/Olympus"}
)";
  ImportReport r = Import(file);
  EXPECT_FALSE(r.committed);
  std::vector<std::string> expected = {
      "line 7: malformed JSON: syntax error",
      "line 8: a line must be a JSON object",
      "line 9: type: type is required",
      "line 10: type: type must be one of: user, contact, deal, task, activity",
      "line 11: external_id: external_id is required",
      "line 12: external_id: external_id must be a string of 1 to 128 characters",
      "line 13: external_id: duplicate external_id 'c1' (first on line 2)",
      "line 14: name: name is required",
      "line 15: status: status must be one of: LEAD, PROSPECT, APPLICANT, CLIENT, PAST_CLIENT, REFERRAL_PARTNER",
      "line 16: emial: unknown field 'emial'",
      "line 17: email: email must look like name@example.com",
      "line 18: referred_by: no contact with external_id 'c99'",
      "line 19: owner: owner must be the external_id of a user",
      "line 20: created_at: created_at must be an RFC 3339 timestamp like 2026-11-21T14:30:00Z",
      "line 21: closed_at: closed_at is only for a Closed Won or Closed Lost deal",
      "line 22: value: value must be between 0 and 100000000000",
      "line 23: due_time: due_time needs a due_date",
      "line 24: completed_at: completed_at is only for a completed task",
      "line 25: outcome: outcome 'voicemail' applies only to calls",
      "line 26: occurred_at: occurred_at cannot be in the future",
      "line 27: occurred_at: occurred_at is required",
      "line 28: activity_type: activity_type must be one of: call, text, email, meeting, video_post, social_post, note",
      "line 29: duration_seconds: duration_seconds must be between 0 and 86400",
      "line 30: deal: deal 'd2' (line 21) was rejected",
      "line 31: email: email ana@example.com is also on line 1",
      "line 32: referred_by: a contact cannot refer to itself",
      "line 33: timezone: unknown time zone 'Mars/Olympus': use an IANA name like America/New_York",
  };
  EXPECT_EQ(Errors(r), expected);
  EXPECT_EQ(r.error_count, static_cast<std::int64_t>(expected.size()));
  EXPECT_EQ(r.lines, 32) << "the blank line is not counted";
  EXPECT_EQ(r.Of(Kind::kContact).rejected, 11);
  EXPECT_EQ(r.rejected_lines, r.error_count);
  EXPECT_EQ(Count("orgs"), 0);
}

TEST_F(TransferTest, PartialSkipsInvalidLinesAndWritesTheRest) {
  ImportReport r = Import(R"({"type":"user","external_id":"u1","email":"ana@example.com","name":"Ana"}
{"type":"contact","external_id":"c1","owner":"u1","name":"Good"}
{"type":"contact","external_id":"c2","owner":"u1","name":"Bad","status":"HOT"}
{"type":"deal","external_id":"d1","owner":"u1","contact":"c2","title":"On a rejected contact"}
{"type":"deal","external_id":"d2","owner":"u1","contact":"c1","title":"Fine"}
{"type":"activity","external_id":"a1","owner":"u1","activity_type":"call","occurred_at":"2025-03-04T17:30:00Z","deal":"d2"}
)",
                          true);
  EXPECT_TRUE(r.committed);
  EXPECT_EQ(Errors(r),
            (std::vector<std::string>{
                "line 3: status: status must be one of: LEAD, PROSPECT, APPLICANT, CLIENT, PAST_CLIENT, REFERRAL_PARTNER",
                "line 4: contact: contact 'c2' (line 3) was rejected"}));
  EXPECT_EQ(r.Of(Kind::kContact).imported, 1);
  EXPECT_EQ(r.Of(Kind::kContact).rejected, 1);
  EXPECT_EQ(r.Of(Kind::kDeal).imported, 1);
  EXPECT_EQ(r.Of(Kind::kDeal).rejected, 1);
  EXPECT_EQ(r.Of(Kind::kActivity).imported, 1);
  EXPECT_EQ(Count("contacts"), 1);
  EXPECT_EQ(Count("deals"), 1);
  EXPECT_EQ(Rows("SELECT contact_id FROM activities")[0].Int(0), Rows("SELECT id FROM contacts")[0].Int(0))
      << "an activity on a deal is also one with the deal's contact";

  // Fixing the bad line and importing again adds just what was missing.
  ImportReport fixed = Import(R"({"type":"user","external_id":"u1","email":"ana@example.com","name":"Ana"}
{"type":"contact","external_id":"c2","owner":"u1","name":"Fixed","status":"LEAD"}
{"type":"deal","external_id":"d1","owner":"u1","contact":"c2","title":"On a fixed contact"}
)");
  EXPECT_TRUE(fixed.committed) << ::testing::PrintToString(Errors(fixed));
  EXPECT_EQ(fixed.Of(Kind::kContact).imported, 1);
  EXPECT_EQ(fixed.Of(Kind::kDeal).imported, 1);
  EXPECT_EQ(fixed.Of(Kind::kUser).already_present, 1);
  EXPECT_EQ(Count("deals"), 2);
}

TEST_F(TransferTest, TheErrorListIsCappedButEveryErrorIsCounted) {
  std::string file;
  for (int i = 0; i < 150; ++i) file += "{\"type\":\"contact\"}\n";
  ImportReport r = Import(file, true);
  EXPECT_EQ(r.errors.size(), kMaxReportedErrors);
  EXPECT_EQ(r.error_count, 150);
  EXPECT_EQ(r.errors.back().line, 100);
  EXPECT_NE(r.Summary().find("... and 50 more invalid lines"), std::string::npos);
  json::object j = r.ToJson();
  EXPECT_EQ(j.at("errors").as_array().size(), kMaxReportedErrors);
  EXPECT_EQ(j.at("error_count").as_int64(), 150);
}

TEST_F(TransferTest, BlankLinesAndCrLfAreFine) {
  std::string file = "\n  \n";
  for (char c : std::string(kExample)) {
    if (c == '\n') file += "\r\n\r\n";
    else file += c;
  }
  ImportReport r = Import(file);
  EXPECT_TRUE(r.committed) << ::testing::PrintToString(Errors(r));
  EXPECT_EQ(r.lines, 5);
  EXPECT_EQ(Import("").lines, 0);
}

TEST_F(TransferTest, DerivedEventsHappenAtTheHistoricalInstants) {
  Import(kExample);
  auto events = Rows("SELECT user_id, action, entity_type, entity_id, metadata, created_at FROM events ORDER BY id");
  std::vector<std::pair<std::string, TimestampMs>> got;
  for (const auto& e : events) {
    got.emplace_back(e.Str(1), e.Int(5));
    EXPECT_EQ(e.Int(0), 1) << "the owner's events";
    auto meta = ParseJson(e.Str(4));
    ASSERT_TRUE(meta);
    EXPECT_EQ(meta->at("imported"), json::value(true)) << e.Str(1);
    EXPECT_FALSE(meta->as_object().contains("actor_id"));
  }
  std::vector<std::pair<std::string, TimestampMs>> expected = {
      {"user_created", Ms("2025-01-02T15:00:00Z")},   {"contact_created", Ms("2025-03-01T16:00:00Z")},
      {"deal_created", Ms("2025-03-05T15:00:00Z")},   {"deal_closed", Ms("2025-04-20T15:00:00Z")},
      {"task_created", Ms("2025-04-20T15:05:00Z")},   {"task_completed", Ms("2025-04-22T15:00:00Z")},
      {"call_logged", Ms("2025-03-04T17:30:00Z")},
  };
  EXPECT_EQ(got, expected);
  auto closed = ParseJson(events.at(3).Str(4)).value();
  EXPECT_EQ(closed.at("won"), json::value(true));
  EXPECT_EQ(closed.at("value"), json::value(325000));
  EXPECT_EQ(closed.at("days_to_close"), json::value(46));
  EXPECT_EQ(closed.at("contact_id"), json::value(1));
  auto completed = ParseJson(events.at(5).Str(4)).value();
  EXPECT_EQ(completed.at("days_to_complete"), json::value(1));
  EXPECT_EQ(completed.at("was_overdue"), json::value(false));

  // The event log reader serves them like any other.
  auth::Actor actor{1, 1, 0, auth::Role::kOfficer, "UTC"};
  auto page = crm::ListEvents(*db_, actor, {{"action", "call_logged"}});
  ASSERT_TRUE(page);
  auto items = ParseJson(page->Body()).value().at("items").as_array();
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].at("created_at"), json::value("2025-03-04T17:30:00.000Z"));
}

TEST_F(TransferTest, EventMetadataIsWhatTheApiWrites) {
  // The same history through the API's resources (the clock set to each
  // instant) and through an import must log the same events.
  auto api_db = Open();
  crm::EventLog log;
  auth::Accounts accounts(*api_db, clock_);
  auto contacts = crm::MakeContacts(*api_db, clock_, log);
  auto deals = crm::MakeDeals(*api_db, clock_, log);
  auto tasks = crm::MakeTasks(*api_db, clock_, log);
  auto activities = crm::MakeActivities(*api_db, clock_, log);
  clock_.Set(Ms("2025-01-02T15:00:00Z"));
  auto user = accounts.AddUser({"ana@example.com", "Ana", "password123", auth::Role::kOfficer, "Ruiz Lending", "North",
                                "America/Chicago"});
  ASSERT_TRUE(user);
  auth::Actor ana = user->ToActor();
  auto at = [&](const char* iso) { clock_.Set(Ms(iso)); };
  at("2025-02-01T10:00:00Z");
  ASSERT_TRUE(contacts->Create(ana, {{"name", "Pat Partner"}, {"status", "REFERRAL_PARTNER"}, {"tags", {"Realtor"}}}));
  at("2025-03-01T16:00:00Z");
  ASSERT_TRUE(contacts->Create(
      ana, {{"name", "Jen"}, {"source", "Zillow"}, {"tags", {"VA loan", "FHA"}}, {"referred_by", 1}}));
  at("2025-03-05T15:00:00Z");
  ASSERT_TRUE(deals->Create(ana, {{"title", "Won"}, {"contact_id", 2}, {"value", 1234.56}, {"loan_type", "VA"},
                                  {"stage", "Closed Won"}}));
  ASSERT_TRUE(deals->Create(ana, {{"title", "Open"}, {"value", 200000}, {"stage", "Processing"}}));
  at("2025-04-20T15:05:00Z");
  ASSERT_TRUE(tasks->Create(ana, {{"title", "Late"}, {"status", "completed"}, {"priority", "high"},
                                  {"due_date", "2025-04-01"}, {"deal_id", 1}, {"contact_id", 2}}));
  ASSERT_TRUE(tasks->Create(ana, {{"title", "Later"}, {"due_date", "2025-05-01"}, {"due_time", "09:30"}}));
  at("2025-03-04T17:30:00Z");
  ASSERT_TRUE(activities->Create(ana, {{"type", "call"}, {"outcome", "answered"}, {"occurred_at", "2025-03-04T17:30:00Z"},
                                       {"duration_seconds", 540}, {"deal_id", 1}, {"tags", {"rates"}}}));
  at("2025-03-06T09:00:00Z");
  ASSERT_TRUE(activities->Create(
      ana, {{"type", "video_post"}, {"occurred_at", "2025-03-06T09:00:00Z"}, {"topic", "VA loans"}, {"notes", "a\nb"}}));
  clock_.Set(kNow);

  ImportReport r = Import(
      R"({"type":"user","external_id":"u1","email":"ana@example.com","name":"Ana","team":"North","timezone":"America/Chicago","created_at":"2025-01-02T15:00:00Z"}
{"type":"contact","external_id":"p1","owner":"u1","name":"Pat Partner","status":"REFERRAL_PARTNER","tags":["Realtor"],"created_at":"2025-02-01T10:00:00Z"}
{"type":"contact","external_id":"c1","owner":"u1","name":"Jen","source":"Zillow","tags":["VA loan","FHA"],"referred_by":"p1","created_at":"2025-03-01T16:00:00Z"}
{"type":"deal","external_id":"d1","owner":"u1","title":"Won","contact":"c1","value":1234.56,"loan_type":"VA","stage":"Closed Won","created_at":"2025-03-05T15:00:00Z"}
{"type":"deal","external_id":"d2","owner":"u1","title":"Open","value":200000,"stage":"Processing","created_at":"2025-03-05T15:00:00Z"}
{"type":"task","external_id":"t1","owner":"u1","title":"Late","status":"completed","priority":"high","due_date":"2025-04-01","deal":"d1","contact":"c1","created_at":"2025-04-20T15:05:00Z"}
{"type":"task","external_id":"t2","owner":"u1","title":"Later","due_date":"2025-05-01","due_time":"09:30","created_at":"2025-04-20T15:05:00Z"}
{"type":"activity","external_id":"a1","owner":"u1","activity_type":"call","outcome":"answered","occurred_at":"2025-03-04T17:30:00Z","duration_seconds":540,"deal":"d1","tags":["rates"]}
{"type":"activity","external_id":"a2","owner":"u1","activity_type":"video_post","occurred_at":"2025-03-06T09:00:00Z","topic":"VA loans","notes":"a\nb"}
)");
  ASSERT_TRUE(r.committed) << ::testing::PrintToString(Errors(r));
  const std::string sql =
      "SELECT user_id, action, entity_type, entity_id, metadata, created_at FROM events ORDER BY action, entity_id";
  auto from_api = Rows(sql, {}, api_db.get());
  auto imported = Rows(sql);
  ASSERT_EQ(from_api.size(), imported.size());
  for (std::size_t i = 0; i < from_api.size(); ++i) {
    SCOPED_TRACE(from_api[i].Str(1));
    EXPECT_EQ(imported[i].Str(1), from_api[i].Str(1));
    EXPECT_EQ(imported[i].Int(0), from_api[i].Int(0));
    EXPECT_EQ(imported[i].Int(3), from_api[i].Int(3));
    EXPECT_EQ(imported[i].Int(5), from_api[i].Int(5));
    std::string with_flag = imported[i].Str(4);
    std::string api = from_api[i].Str(4);
    api.insert(api.size() - 1, ",\"imported\":true");
    EXPECT_EQ(with_flag, api) << "same keys, same order, same values";
  }
  // And the same records: every column but ids and bookkeeping.
  for (const char* q : {"SELECT name, status, source, tags, referred_by, last_contacted_at, created_at FROM contacts",
                        "SELECT title, value_cents, stage, stage_changed_at, closed_at, contact_id FROM deals",
                        "SELECT title, status, priority, due_date, due_time, completed_at, contact_id, deal_id FROM tasks",
                        "SELECT type, outcome, occurred_at, duration_seconds, contact_id, deal_id, topic, tags, notes "
                        "FROM activities",
                        "SELECT tag, contact_id FROM contact_tags ORDER BY contact_id, tag"}) {
    auto a = Rows(q, {}, api_db.get());
    auto b = Rows(q);
    ASSERT_EQ(a.size(), b.size()) << q;
    for (std::size_t i = 0; i < a.size(); ++i) EXPECT_EQ(a[i].values, b[i].values) << q << " row " << i;
  }
}

TEST_F(TransferTest, ImportedHistoryTriggersNoCoachInsights) {
  // Wired as the server wires it: the coach observes the resources' log.
  crm::EventLog log;
  coach::Coach coach(*db_, clock_, log);
  auto contacts = crm::MakeContacts(*db_, clock_, log);
  ImportReport r = Import(std::string(kExample) +
                          R"({"type":"contact","external_id":"c2","owner":"u1","name":"New Lead","status":"LEAD","source":"Zillow","created_at":"2026-11-20T14:30:00Z"}
{"type":"task","external_id":"t2","owner":"u1","title":"Urgent","priority":"urgent"}
{"type":"deal","external_id":"d2","owner":"u1","title":"Fresh","created_at":"2026-11-20T14:00:00Z"}
)");
  ASSERT_TRUE(r.committed);
  EXPECT_EQ(Count("coach_insights"), 0) << "no speed-to-lead, referral or follow-up nudges for imported history";

  // A lead created through the API right after does get its nudge.
  auth::Actor ana{1, 1, 0, auth::Role::kOfficer, "America/Chicago"};
  ASSERT_TRUE(contacts->Create(ana, {{"name", "Live Lead"}, {"status", "LEAD"}}));
  auto rules = Rows("SELECT rule, entity_id FROM coach_insights WHERE rule = 'new_lead_speed'");
  ASSERT_EQ(rules.size(), 1u);
  EXPECT_EQ(rules[0].Int(1), 3) << "for the live lead only";
}

TEST_F(TransferTest, LastContactedAtComesFromTheFileOrTheImportedActivities) {
  ImportReport r = Import(R"({"type":"user","external_id":"u1","email":"ana@example.com","name":"Ana"}
{"type":"contact","external_id":"given","owner":"u1","name":"Given","last_contacted_at":"2025-01-01T00:00:00Z"}
{"type":"contact","external_id":"derived","owner":"u1","name":"Derived"}
{"type":"contact","external_id":"posts","owner":"u1","name":"Only Notes"}
{"type":"contact","external_id":"never","owner":"u1","name":"Never"}
{"type":"deal","external_id":"d1","owner":"u1","title":"Loan","contact":"derived"}
{"type":"activity","external_id":"a1","owner":"u1","activity_type":"call","occurred_at":"2025-03-01T10:00:00Z","contact":"derived"}
{"type":"activity","external_id":"a2","owner":"u1","activity_type":"meeting","occurred_at":"2025-04-01T10:00:00Z","deal":"d1"}
{"type":"activity","external_id":"a3","owner":"u1","activity_type":"text","occurred_at":"2025-02-01T10:00:00Z","contact":"derived"}
{"type":"activity","external_id":"a4","owner":"u1","activity_type":"note","occurred_at":"2025-06-01T10:00:00Z","contact":"derived"}
{"type":"activity","external_id":"a5","owner":"u1","activity_type":"note","occurred_at":"2025-06-01T10:00:00Z","contact":"posts"}
{"type":"activity","external_id":"a6","owner":"u1","activity_type":"email","occurred_at":"2025-09-01T10:00:00Z","contact":"given"}
)");
  ASSERT_TRUE(r.committed) << ::testing::PrintToString(Errors(r));
  auto rows = Rows("SELECT name, last_contacted_at FROM contacts ORDER BY id");
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[0].Int(1), Ms("2025-01-01T00:00:00Z")) << "the file's value is kept as given";
  EXPECT_EQ(rows[1].Int(1), Ms("2025-04-01T10:00:00Z")) << "the latest call/text/email/meeting (via the deal too)";
  EXPECT_TRUE(rows[2].IsNull(1)) << "notes are not contact";
  EXPECT_TRUE(rows[3].IsNull(1));
}

TEST_F(TransferTest, ADeletedRecordIsImportedAgain) {
  Import(kExample);
  auto del = db_->Write([](store::Connection& c) -> Status {
    for (const char* sql : {"DELETE FROM tasks", "DELETE FROM activities"})
      if (auto r = c.Exec(sql); !r) return r.error();
    return {};
  });
  ASSERT_TRUE(del);
  ImportReport r = Import(kExample);
  EXPECT_EQ(r.Of(Kind::kTask).imported, 1);
  EXPECT_EQ(r.Of(Kind::kActivity).imported, 1);
  EXPECT_EQ(r.Of(Kind::kDeal).already_present, 1);
  EXPECT_EQ(Count("tasks"), 1);
  EXPECT_EQ(Count("external_ids"), 5) << "the stale mappings were replaced";
}

TEST_F(TransferTest, ExportRoundTripsThroughAnEmptyDatabase) {
  // A history made through the API's resources (no external ids yet) plus
  // an import (with them).
  crm::EventLog log;
  auth::Accounts accounts(*db_, clock_);
  auto contacts = crm::MakeContacts(*db_, clock_, log);
  auto deals = crm::MakeDeals(*db_, clock_, log);
  auto tasks = crm::MakeTasks(*db_, clock_, log);
  auto activities = crm::MakeActivities(*db_, clock_, log);
  ASSERT_TRUE(Import(kExample).committed);
  clock_.Set(Ms("2026-01-05T12:00:00Z"));
  auto boss = accounts.AddUser({"boss@example.com", "Boss Ü", "password123", auth::Role::kManager, "Ruiz Lending",
                                "North", "America/New_York"});
  ASSERT_TRUE(boss);
  auth::Actor b = boss->ToActor();
  auto lead = contacts->Create(b, {{"name", "Lee \"Quoted\" Lead"},
                                   {"email", "lee@example.com"},
                                   {"phone", "+1 (555) 010-9999"},
                                   {"timezone", "America/Denver"},
                                   {"tags", {"first-time buyer", "Jumbo"}},
                                   {"notes", "line one\nline two\ttabbed"}});
  ASSERT_TRUE(lead);
  clock_.Advance(kMsPerHour);
  auto partner = contacts->Create(b, {{"name", "Later Partner"}, {"status", "REFERRAL_PARTNER"}});
  ASSERT_TRUE(partner);
  // The lead refers to a contact created after it: export must list the
  // partner first.
  ASSERT_TRUE(contacts->Update(b, lead->at("id").as_int64(), {{"referred_by", partner->at("id")}}, false));
  auto deal = deals->Create(b, {{"title", "Jumbo refi"},
                                {"contact_id", lead->at("id")},
                                {"value", 987654.32},
                                {"loan_type", "Jumbo"},
                                {"purpose", "Rate/Term Refinance"},
                                {"expected_close_date", "2026-03-01"}});
  ASSERT_TRUE(deal);
  clock_.Advance(kMsPerDay);
  ASSERT_TRUE(deals->Update(b, deal->at("id").as_int64(), {{"stage", "Closed Lost"}}, false));
  ASSERT_TRUE(tasks->Create(b, {{"title", "Call back"}, {"due_date", "2026-01-09"}, {"due_time", "08:15"},
                                {"deal_id", deal->at("id")}, {"priority", "urgent"}, {"status", "in_progress"}}));
  ASSERT_TRUE(activities->Create(b, {{"type", "call"}, {"outcome", "no_answer"}, {"deal_id", deal->at("id")},
                                     {"occurred_at", "2026-01-06T09:00:00Z"}}));
  ASSERT_TRUE(activities->Create(b, {{"type", "social_post"}, {"topic", "Rates"}, {"tags", {"a", "b"}}}));
  clock_.Set(kNow);

  std::string first = Export();
  // Users, then contacts with the partner before the lead, and so on.
  EXPECT_LT(first.find("\"name\":\"Later Partner\""), first.find("\"name\":\"Lee \\\"Quoted\\\" Lead\""));
  EXPECT_NE(first.find("\"external_id\":\"user-2\""), std::string::npos) << first;
  EXPECT_NE(first.find("\"external_id\":\"c1\""), std::string::npos) << "imported ids are kept";
  EXPECT_EQ(first.find("password"), std::string::npos);

  auto empty = Open();
  ImportReport r = Import(first, false, empty.get());
  ASSERT_TRUE(r.committed) << ::testing::PrintToString(Errors(r));
  EXPECT_EQ(r.Of(Kind::kUser).imported, 2);
  EXPECT_EQ(r.Of(Kind::kContact).imported, 3);
  EXPECT_EQ(r.Of(Kind::kActivity).imported, 3);
  std::string second = Export(empty.get());
  EXPECT_EQ(second, first) << "export -> import -> export is exact";
  // Importing the export again into the copy changes nothing.
  auto before = Counts(empty.get());
  ImportReport again = Import(first, false, empty.get());
  EXPECT_EQ(again.Of(Kind::kActivity).already_present, 3);
  EXPECT_EQ(Counts(empty.get()), before);
}

TEST_F(TransferTest, GeneratedIdsNeverCollideWithImportedOnes) {
  // "contact-2" is imported for the first contact; the second contact's
  // generated id would be the same, so it gets another.
  ASSERT_TRUE(Import(R"({"type":"user","external_id":"user-2","email":"ana@example.com","name":"Ana"}
{"type":"contact","external_id":"contact-2","owner":"user-2","name":"Imported"}
)")
                  .committed);
  crm::EventLog log;
  auto contacts = crm::MakeContacts(*db_, clock_, log);
  auth::Actor ana{1, 1, 0, auth::Role::kAdmin, "UTC"};
  ASSERT_TRUE(contacts->Create(ana, {{"name", "Made Here"}}));
  std::string text = Export();
  EXPECT_NE(text.find(R"("external_id":"contact-2","owner":"user-2","name":"Imported")"), std::string::npos) << text;
  EXPECT_NE(text.find(R"("external_id":"contact-2-2","owner":"user-2","name":"Made Here")"), std::string::npos) << text;
  EXPECT_EQ(Export(), text) << "stable";
}

TEST_F(TransferTest, ExportNeedsAnExistingOrg) {
  std::ostringstream out;
  auto r = transfer::Export(*db_, "Nobody", out);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kNotFound);
  auto bad = transfer::Import(*db_, clock_, kExample, {.org = " "});
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().field, "org");
}

TEST_F(TransferTest, ReportJsonShape) {
  ImportReport r = Import(std::string(kExample) + "{\"type\":\"task\",\"external_id\":\"t9\",\"owner\":\"u1\"}\n", true);
  json::object j = r.ToJson();
  EXPECT_EQ(j.at("org"), json::value("Ruiz Lending"));
  EXPECT_EQ(j.at("partial"), json::value(true));
  EXPECT_EQ(j.at("committed"), json::value(true));
  EXPECT_EQ(j.at("lines"), json::value(6));
  EXPECT_EQ(j.at("counts").at("task"),
            json::value(json::object{{"imported", 1}, {"already_present", 0}, {"rejected", 1}}));
  EXPECT_EQ(j.at("rejected_lines"), json::value(1));
  EXPECT_EQ(j.at("events"), json::value(7));
  EXPECT_EQ(j.at("errors"),
            json::value(json::array{json::object{{"line", 6}, {"field", "title"}, {"message", "title is required"}}}));
  EXPECT_EQ(j.at("error_count"), json::value(1));
  EXPECT_TRUE(j.at("seconds").is_double());
}

// A file big enough for several multi-row INSERTs per table (and a partial
// last one), into a database whose id sequences have gaps: every imported
// record, mapping, event and reference must name the right row. (On SQLite
// the importer derives the ids of an INSERT's rows from the last one.)
std::string BigFile(int contacts, int activities, const std::string& prefix = "") {
  std::string out = R"({"type":"user","external_id":"u1","email":"ana@example.com","name":"Ana Ruiz"})" "\n";
  for (int i = 1; i <= contacts; ++i)
    out += fmt::format(R"({{"type":"contact","external_id":"{}c{}","owner":"u1","name":"Contact {}"}})" "\n", prefix, i, i);
  for (int i = 1; i <= activities; ++i)
    out += fmt::format(
        R"({{"type":"activity","external_id":"{}a{}","owner":"u1","activity_type":"note","topic":"topic {}","occurred_at":"2025-03-04T17:30:00Z","contact":"{}c{}"}})"
        "\n",
        prefix, i, i, prefix, i % contacts + 1);
  return out;
}

TEST_F(TransferTest, BigImportsMapEveryRecordToItsOwnRow) {
  ASSERT_TRUE(Import(BigFile(10, 10, "old-")).committed);
  // Gaps: the newest rows deleted (AUTOINCREMENT never reuses their ids).
  auto del = db_->Write([](store::Connection& c) -> Status {
    for (const char* sql : {"DELETE FROM activities WHERE id > 5", "DELETE FROM contacts WHERE id > 8"})
      if (auto r = c.Exec(sql); !r) return r.error();
    return {};
  });
  ASSERT_TRUE(del);
  constexpr int kContacts = 4500, kActivities = 7000;  // more than two statements' worth of each
  ImportReport r = Import(BigFile(kContacts, kActivities));
  ASSERT_TRUE(r.committed) << ::testing::PrintToString(Errors(r));
  EXPECT_EQ(r.Of(Kind::kContact).imported, kContacts);
  EXPECT_EQ(r.Of(Kind::kActivity).imported, kActivities);
  EXPECT_EQ(Rows("SELECT COUNT(*) FROM external_ids x JOIN contacts t ON t.id = x.local_id "
                 "WHERE x.type = 'contact' AND x.external_id = 'c' || substr(t.name, 9)")[0].Int(0),
            kContacts);
  EXPECT_EQ(Rows("SELECT COUNT(*) FROM external_ids x JOIN activities t ON t.id = x.local_id "
                 "WHERE x.type = 'activity' AND x.external_id = 'a' || substr(t.topic, 7)")[0].Int(0),
            kActivities);
  // Each activity points at the contact its line named, and its event at it.
  EXPECT_EQ(Rows("SELECT COUNT(*) FROM activities a JOIN contacts c ON c.id = a.contact_id "
                 "WHERE a.topic LIKE 'topic %' AND c.name LIKE 'Contact %' AND "
                 "CAST(substr(c.name, 9) AS BIGINT) = CAST(substr(a.topic, 7) AS BIGINT) % ? + 1",
                 {std::int64_t{kContacts}})[0].Int(0),
            kActivities + 10 - 5 - 0)
      << "the 5 older activities left also follow the rule";
  EXPECT_EQ(Rows("SELECT COUNT(*) FROM events e JOIN activities a ON a.id = e.entity_id "
                 "WHERE e.action = 'note_logged' AND e.metadata LIKE '%\"topic\":\"' || a.topic || '\"%' "
                 "AND e.metadata LIKE '%\"contact_id\":' || a.contact_id || ',%'")[0].Int(0),
            kActivities + 5);
  EXPECT_EQ(Count("activities"), kActivities + 5);

  // Again: nothing changes.
  auto before = Counts();
  ImportReport again = Import(BigFile(kContacts, kActivities));
  EXPECT_EQ(again.Of(Kind::kActivity).already_present, kActivities);
  EXPECT_EQ(again.events, 0);
  EXPECT_EQ(Counts(), before);
}

TEST_F(TransferTest, AnInvalidLastLineOfABigFileWritesNothing) {
  ASSERT_TRUE(Import(BigFile(5, 5, "old-")).committed);
  auto before = Counts();
  // Thousands of rows are written before the last line is read.
  ImportReport r = Import(BigFile(3000, 9000) +
                          R"({"type":"activity","external_id":"bad","owner":"u1","activity_type":"call"})" "\n");
  EXPECT_FALSE(r.committed);
  EXPECT_EQ(Errors(r), std::vector<std::string>{"line 12002: occurred_at: occurred_at is required"});
  EXPECT_EQ(Counts(), before);
}

TEST_F(TransferTest, EventMetadataEscapesStringsAsJson) {
  // Quotes, backslashes and UTF-8 in a value must come out of the event
  // metadata exactly as json::serialize writes them.
  const std::string topic = "say \"hi\" \\ to caf\xc3\xa9 </b> \\u0041";
  std::string line = R"({"type":"activity","external_id":"a9","owner":"u1","activity_type":"note","occurred_at":"2025-03-04T17:30:00Z","topic":)" +
                     json::serialize(json::string(topic)) + "}\n";
  ImportReport r = Import(std::string(kExample) + line);
  ASSERT_TRUE(r.committed) << ::testing::PrintToString(Errors(r));
  auto meta = Rows("SELECT metadata FROM events WHERE action = 'note_logged'");
  ASSERT_EQ(meta.size(), 1u);
  std::string text = meta[0].Str(0);
  EXPECT_NE(text.find("\"topic\":" + json::serialize(json::string(topic)) + ","), std::string::npos) << text;
  EXPECT_EQ(ParseJson(text).value().at("topic"), json::value(topic));
}

}  // namespace
}  // namespace chosen::transfer
