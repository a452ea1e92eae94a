// Data-driven coach rule cases: tests/scenarios/coach/<rule>/<case>.json.
// Each case replays CRM operations at fixed instants through the real
// resources (so the real events reach the coach), runs sweeps, and compares
// the officer's pending insights with what it expects. A new case needs no
// C++. Format (every key but "steps" optional):
//
// {
//   "timezone": "America/Chicago",
//   "settings": {"coach_level": 3, "stale_lead_days": 7, "stuck_deal_days": 14},
//   "steps": [
//     {"at": "2026-11-02T15:00:00Z", "create": "contacts", "as": "ann", "body": {"name": "Ann", ...}},
//     {"update": "deals", "id": "$deal", "body": {"stage": "Closed Won"}},
//     {"delete": "tasks", "id": "$t"},
//     {"log": {"type": "call", "contact_id": "$ann"}},          // POST /api/activities
//     {"check": {"action": "...", "entity_type": "...", ...}, "expect_check": "rule or null"},
//     {"at": "...", "sweep": true},
//     {"update_settings": {"coach_level": 2}},                    // PUT /api/coach/settings
//     {"dismiss": "stale_leads"},                                 // the pending insight of that rule
//     {"findings": [{"kind": "best_days", "subject": "calls", "days": [...], "message": "..."}]},
//                                        // the pattern engine's stored findings (pattern_runs), as given
//     {"expect": [{"rule": "...", "priority": "...", "type": "...", "message": "exact",
//                  "message_contains": "...", "entity": "$deal"}]}  // the whole pending list, in order
//   ]
// }
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "auth/accounts.h"
#include "coach/coach.h"
#include "coach/insight.h"
#include "common/json_util.h"
#include "common/time_util.h"
#include "crm/resources.h"
#include "store/db.h"

namespace chosen::testing {
namespace {

namespace fs = std::filesystem;

std::vector<fs::path> Cases() {
  std::vector<fs::path> out;
  for (const auto& e : fs::recursive_directory_iterator(CHOSEN_SCENARIO_DIR))
    if (e.is_regular_file() && e.path().extension() == ".json") out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

std::string CaseName(const fs::path& p) {
  std::string name = p.parent_path().filename().string() + "_" + p.stem().string();
  for (char& c : name)
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  return name;
}

class CoachScenario : public ::testing::TestWithParam<fs::path> {
 protected:
  void SetUp() override {
    auto db = store::OpenDatabase("sqlite::memory:");
    ASSERT_TRUE(db);
    db_ = std::move(*db);
    ASSERT_TRUE(store::Migrate(*db_));
    std::ifstream in(GetParam());
    std::stringstream text;
    text << in.rdbuf();
    auto parsed = ParseJson(text.str());
    ASSERT_TRUE(parsed) << GetParam() << ": " << parsed.error().message;
    spec_ = parsed->as_object();
    std::string tz = spec_.contains("timezone") ? std::string(spec_.at("timezone").as_string()) : "UTC";
    accounts_ = std::make_unique<auth::Accounts>(*db_, clock_);
    auto user = accounts_->AddUser({"officer@scenario.test", "Officer", "password123", auth::Role::kOfficer,
                                    "Scenario Lending", "", tz});
    ASSERT_TRUE(user) << user.error().message;
    actor_ = user->ToActor();
    coach_ = std::make_unique<coach::Coach>(*db_, clock_, events_);
    resources_["contacts"] = crm::MakeContacts(*db_, clock_, events_);
    resources_["deals"] = crm::MakeDeals(*db_, clock_, events_);
    resources_["tasks"] = crm::MakeTasks(*db_, clock_, events_);
    resources_["activities"] = crm::MakeActivities(*db_, clock_, events_);
    if (spec_.contains("settings")) {
      auto s = coach::Settings::FromJson(spec_.at("settings").as_object());
      ASSERT_TRUE(s) << s.error().message;
      ASSERT_TRUE(coach_->PutSettings(actor_.user_id, *s));
      level_ = s->coach_level;
    }
  }

  // Replaces "$name" strings with the ids recorded under that name.
  json::value Bind(const json::value& v) {
    if (v.is_string() && v.as_string().starts_with("$")) {
      std::string name(v.as_string().subview(1));
      EXPECT_TRUE(ids_.contains(name)) << "unknown reference $" << name;
      return ids_[name];
    }
    if (v.is_object()) {
      json::object o;
      for (const auto& kv : v.as_object()) o[kv.key()] = Bind(kv.value());
      return o;
    }
    if (v.is_array()) {
      json::array a;
      for (const auto& x : v.as_array()) a.push_back(Bind(x));
      return a;
    }
    return v;
  }

  crm::Resource& Res(const json::value& name) {
    std::string n(name.as_string());
    EXPECT_TRUE(resources_.contains(n)) << "unknown resource " << n;
    return *resources_.at(n);
  }

  json::array Pending() {
    auto p = coach_->Pending(actor_, level_, false, 50);
    EXPECT_TRUE(p) << p.error().message;
    if (!p) return json::array();
    // Written as text row by row: byte for byte the DOM's serialisation of
    // the same rows (every rule's insights pass through here).
    auto parsed = ParseJson(*p);
    EXPECT_TRUE(parsed && parsed->is_array()) << *p;
    if (!parsed || !parsed->is_array()) return json::array();
    std::string dom = "[";
    for (const auto& i : parsed->as_array()) {
      EXPECT_TRUE(db_->Read([&](store::Connection& c) -> Status {
        auto rows = c.Query(fmt::format("SELECT {} FROM coach_insights WHERE id = ?", coach::kInsightColumns),
                            {i.at("id").as_int64()});
        if (!rows) return rows.error();
        if (dom.size() > 1) dom += ',';
        dom += json::serialize(coach::InsightRowToJson(rows->front()));
        return {};
      }));
    }
    EXPECT_EQ(*p, dom + "]");
    return parsed->as_array();
  }

  void Expect(const json::array& want, std::size_t step) {
    json::array got = Pending();
    std::string dump = ToJson(got);
    ASSERT_EQ(got.size(), want.size()) << "step " << step << ": pending insights were " << dump;
    for (std::size_t i = 0; i < want.size(); ++i) {
      const auto& w = want[i].as_object();
      const auto& g = got[i].as_object();
      SCOPED_TRACE(fmt::format("step {} insight {}: {}", step, i, ToJson(g)));
      for (const char* key : {"rule", "priority", "type", "message", "suggested_action"}) {
        if (w.contains(key)) {
          EXPECT_EQ(g.at(key), w.at(key)) << key;
        }
      }
      if (w.contains("message_contains")) {
        EXPECT_NE(std::string(g.at("message").as_string()).find(std::string(w.at("message_contains").as_string())),
                  std::string::npos);
      }
      if (w.contains("entity")) {
        EXPECT_EQ(g.at("entity_id"), Bind(w.at("entity")));
      }
    }
  }

  void Run() {
    std::size_t n = 0;
    for (const auto& sv : spec_.at("steps").as_array()) {
      ++n;
      const auto& step = sv.as_object();
      if (step.contains("at")) {
        auto at = ParseIso(step.at("at").as_string(), "at");
        ASSERT_TRUE(at) << "step " << n;
        clock_.Set(*at);
      }
      if (step.contains("create")) {
        auto r = Res(step.at("create")).Create(actor_, Bind(step.at("body")).as_object());
        ASSERT_TRUE(r) << "step " << n << ": " << r.error().message;
        if (step.contains("as")) ids_[std::string(step.at("as").as_string())] = r->at("id");
      } else if (step.contains("update")) {
        auto r = Res(step.at("update")).Update(actor_, Bind(step.at("id")).as_int64(), Bind(step.at("body")).as_object(),
                                               false);
        ASSERT_TRUE(r) << "step " << n << ": " << r.error().message;
      } else if (step.contains("delete")) {
        auto r = Res(step.at("delete")).Delete(actor_, Bind(step.at("id")).as_int64());
        ASSERT_TRUE(r) << "step " << n << ": " << r.error().message;
      } else if (step.contains("log")) {
        auto r = resources_.at("activities")->Create(actor_, Bind(step.at("log")).as_object());
        ASSERT_TRUE(r) << "step " << n << ": " << r.error().message;
      } else if (step.contains("check")) {
        auto req = coach::CheckRequest::FromJson(Bind(step.at("check")).as_object());
        ASSERT_TRUE(req) << "step " << n << ": " << req.error().message;
        auto r = coach_->Check(actor_, *req, level_);
        ASSERT_TRUE(r) << "step " << n << ": " << r.error().message;
        if (step.contains("expect_check")) {
          const auto& want = step.at("expect_check");
          if (want.is_null()) {
            EXPECT_TRUE(r->is_null()) << "step " << n << ": " << ToJson(*r);
          } else {
            ASSERT_TRUE(r->is_object()) << "step " << n;
            EXPECT_EQ(r->at("rule"), want) << "step " << n;
          }
        }
      } else if (step.contains("sweep")) {
        ASSERT_TRUE(coach_->SweepAll()) << "step " << n;
      } else if (step.contains("update_settings")) {
        auto s = coach::Settings::FromJson(step.at("update_settings").as_object());
        ASSERT_TRUE(s) << "step " << n << ": " << s.error().message;
        ASSERT_TRUE(coach_->PutSettings(actor_.user_id, *s)) << "step " << n;
        level_ = s->coach_level;
      } else if (step.contains("findings")) {
        json::object run{{"patterns", step.at("findings")}};
        auto st = db_->Write([&](store::Connection& c) -> Status {
          auto r = c.Exec(
              "INSERT INTO pattern_runs (user_id, refreshed_at, last_event_id, result) VALUES (?, ?, 0, ?) "
              "ON CONFLICT (user_id) DO UPDATE SET refreshed_at = excluded.refreshed_at, result = excluded.result",
              {actor_.user_id, clock_.Now(), ToJson(run)});
          if (!r) return r.error();
          return {};
        });
        ASSERT_TRUE(st) << "step " << n << ": " << st.error().message;
      } else if (step.contains("dismiss")) {
        bool found = false;
        for (const auto& i : Pending())
          if (i.at("rule") == step.at("dismiss")) {
            ASSERT_TRUE(coach_->Dismiss(actor_, i.at("id").as_int64()));
            found = true;
          }
        ASSERT_TRUE(found) << "step " << n << ": nothing pending to dismiss for " << ToJson(step.at("dismiss"));
      }
      if (step.contains("expect")) Expect(step.at("expect").as_array(), n);
      if (::testing::Test::HasFatalFailure()) return;
    }
  }

  FakeClock clock_{0};
  std::unique_ptr<store::Database> db_;
  std::unique_ptr<auth::Accounts> accounts_;
  crm::EventLog events_;
  std::unique_ptr<coach::Coach> coach_;
  std::map<std::string, std::unique_ptr<crm::Resource>> resources_;
  std::map<std::string, json::value> ids_;
  json::object spec_;
  auth::Actor actor_;
  int level_ = 2;
};

TEST_P(CoachScenario, Replays) { Run(); }

INSTANTIATE_TEST_SUITE_P(Coach, CoachScenario, ::testing::ValuesIn(Cases()),
                         [](const ::testing::TestParamInfo<fs::path>& param) { return CaseName(param.param); });

TEST(CoachScenarioCatalogue, EveryRuleHasAtLeastOneCase) {
  std::set<std::string> covered;
  for (const auto& p : Cases()) covered.insert(p.parent_path().filename().string());
  FakeClock clock(0);
  auto db = store::OpenDatabase("sqlite::memory:");
  ASSERT_TRUE(db);
  crm::EventLog events;
  coach::Coach coach(**db, clock, events);
  for (const auto& rule : coach.rules()) EXPECT_TRUE(covered.contains(std::string(rule->id()))) << rule->id();
}

}  // namespace
}  // namespace chosen::testing
