#include "app/demo.h"

#include <algorithm>
#include <array>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <tuple>
#include <vector>

#include <fmt/format.h>

#include "auth/accounts.h"
#include "common/json_util.h"
#include "common/time_util.h"
#include "crm/resources.h"
#include "game/game.h"
#include "game/rewards.h"
#include "game/social.h"
#include "hub/goals.h"
#include "hub/notifications.h"
#include "hub/periods.h"

namespace chosen::app {
namespace {

// splitmix64: small, fast and identical on every platform (std::
// distributions are not), so the demo is the same every time.
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : s_(seed) {}
  std::uint64_t Next() {
    std::uint64_t z = (s_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  // Uniform integer in [lo, hi].
  int Int(int lo, int hi) { return lo + static_cast<int>(Next() % static_cast<std::uint64_t>(hi - lo + 1)); }
  double Real() { return static_cast<double>(Next() >> 11) / 9007199254740992.0; }
  bool Chance(double p) { return Real() < p; }
  template <class T>
  const T& Pick(const std::vector<T>& v) { return v[Next() % v.size()]; }

 private:
  std::uint64_t s_;
};

const std::vector<std::string> kFirst = {
    "James", "Mary",  "Robert", "Patricia", "John",   "Jennifer", "Michael", "Linda",  "David",  "Elizabeth",
    "William", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Sarah",  "Carlos", "Karen",
    "Daniel", "Lisa",  "Matthew", "Nancy",  "Anthony", "Betty",   "Mark",    "Sandra", "Luis",   "Ashley",
    "Steven", "Emily", "Andrew",  "Donna",  "Joshua",  "Michelle", "Kevin",  "Carol",  "Brian",  "Amanda",
    "Wei",    "Aisha", "Diego",   "Fatima", "Hiro",    "Olga",     "Kwame",  "Sofia",  "Raj",    "Leah"};
const std::vector<std::string> kLast = {
    "Smith",  "Johnson", "Williams", "Brown",  "Jones",   "Garcia",  "Miller", "Davis",  "Rodriguez", "Martinez",
    "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore",  "Jackson",   "Martin",
    "Lee",    "Perez",   "Thompson", "White",  "Harris",  "Sanchez", "Clark",  "Ramirez", "Lewis",    "Robinson",
    "Walker", "Young",   "Allen",    "King",   "Wright",  "Scott",   "Torres", "Nguyen", "Hill",      "Flores"};
const std::vector<std::string> kSources = {"Zillow", "Realtor.com", "referral", "website",
                                           "open house", "past client", "social", "Zillow"};
const std::vector<std::string> kInterests = {"VA loan", "FHA", "first-time buyer", "refinance", "jumbo",
                                             "USDA",   "down payment assistance", "investment property"};
const std::vector<std::string> kTopics = {"VA loans", "FHA loans", "first-time buyers", "refinancing",
                                          "jumbo loans", "market update", "down payment assistance"};

struct Profile {
  std::string email, name, team, timezone;
  // Planted behaviour, so later analytics have real signal to find.
  double activity = 1.0;         // scales daily volume
  double answer_rate = 0.30;     // base chance a call is answered
  double best_day_boost = 0.0;   // extra answer chance on Tue/Thu
  double late_day_penalty = 0.0; // appointment chance lost after 3 PM
  std::string favourite_topic;
};

struct Officer {
  explicit Officer(Profile profile) : p(std::move(profile)) {}
  Profile p;
  // Runtime state.
  auth::Actor actor;
  std::vector<std::int64_t> leads, prospects, applicants, clients, partners;
  struct OpenDeal {
    std::int64_t id, contact;
    int stage;
  };
  std::vector<OpenDeal> deals;
  std::vector<std::int64_t> open_tasks;
};

const std::vector<Profile>& OfficerProfiles() {
  static const std::vector<Profile> profiles = {
      {"jordan.kim@summit.demo", "Jordan Kim", "North", "America/Chicago", 1.2, 0.28, 0.18, 0.0, "VA loans"},
      {"priya.shah@summit.demo", "Priya Shah", "North", "America/New_York", 1.0, 0.32, 0.0, 0.25, "first-time buyers"},
      {"marcus.reed@summit.demo", "Marcus Reed", "North", "America/Chicago", 0.8, 0.26, 0.0, 0.0, "VA loans"},
      {"elena.garcia@summit.demo", "Elena Garcia", "South", "America/Denver", 1.1, 0.30, 0.05, 0.1, "FHA loans"},
      {"tyrone.brooks@summit.demo", "Tyrone Brooks", "South", "America/Los_Angeles", 0.9, 0.27, 0.0, 0.0,
       "refinancing"},
      {"hannah.cho@summit.demo", "Hannah Cho", "South", "America/Phoenix", 0.7, 0.34, 0.0, 0.0, "jumbo loans"},
  };
  return profiles;
}

struct Staff {
  const char *email, *name, *team, *tz;
  auth::Role role;
};

const std::vector<Staff>& StaffLogins() {
  static const std::vector<Staff> staff = {
      {"admin@summit.demo", "Avery Stone", "", "America/Chicago", auth::Role::kAdmin},
      {"maria.lopez@summit.demo", "Maria Lopez", "North", "America/Chicago", auth::Role::kManager},
      {"sam.patel@summit.demo", "Sam Patel", "South", "America/Denver", auth::Role::kManager}};
  return staff;
}

const std::vector<std::string_view>& Stages() { return crm::kDealStages; }

class Seeder {
 public:
  Seeder(store::Database& db, TimestampMs now)
      : db_(db),
        now_(now),
        clock_(now - 91 * kMsPerDay),
        accounts_(db, clock_),
        contacts_(crm::MakeContacts(db, clock_, events_)),
        deals_(crm::MakeDeals(db, clock_, events_)),
        tasks_(crm::MakeTasks(db, clock_, events_)),
        activities_(crm::MakeActivities(db, clock_, events_)),
        rng_(20261121) {}

  Status Run(std::ostream& out) {
    for (const auto& p : OfficerProfiles()) officers_.emplace_back(p);
    const std::string org = "Summit Home Lending";
    const std::vector<Staff>& staff = StaffLogins();
    std::vector<auth::Actor> staff_actors;
    for (const auto& s : staff) {
      auto u = accounts_.AddUser({s.email, s.name, kDemoPassword, s.role, org, s.team, s.tz});
      if (!u) return u.error();
      staff_actors.push_back(u->ToActor());
    }
    for (auto& o : officers_) {
      auto u = accounts_.AddUser({o.p.email, o.p.name, kDemoPassword, auth::Role::kOfficer, org, o.p.team, o.p.timezone});
      if (!u) return u.error();
      o.actor = u->ToActor();
    }
    for (auto& o : officers_)
      if (auto st = SeedBook(o); !st) return st;
    for (int day = 90; day >= 0; --day)
      if (auto st = SimulateDay(day); !st) return st;
    if (auto st = SeedHubAndGame(staff_actors); !st) return st;
    out << "Seeded demo org '" << org << "': 2 teams, 1 admin, 2 managers, " << officers_.size()
        << " loan officers, 90 days of history.\n";
    out << "Demo logins (password: " << kDemoPassword << "):\n";
    for (const auto& s : staff) out << "  " << auth::RoleName(s.role) << "  " << s.email << "\n";
    for (const auto& o : officers_) out << "  officer  " << o.p.email << "  (" << o.p.team << " team)\n";
    return {};
  }

 private:
  std::string PersonName() { return rng_.Pick(kFirst) + " " + rng_.Pick(kLast); }

  // Goals for every officer, a reward store, this month's competition, and
  // the history's points (the seeder's events have no observers, so the
  // ledger is built the way an import's is: by a recompute).
  Status SeedHubAndGame(const std::vector<auth::Actor>& staff) {
    FakeClock now(now_);
    hub::Goals goals(db_, now);
    for (auto& o : officers_)
      for (const auto& [metric, period, target] : std::vector<std::tuple<const char*, const char*, int>>{
               {"calls", "day", 15}, {"conversations", "day", 4}, {"applications", "week", 2}, {"closings", "month", 2}})
        if (auto g = goals.Put(o.actor, {{"metric", metric}, {"period", period}, {"target", target}}); !g)
          return g.error();
    const auth::Actor& admin = staff.at(0);
    hub::Notifications notes(db_, now);
    game::Rewards rewards(db_, now, notes);
    for (const auto& [name, description, cost, stock] : std::vector<std::tuple<const char*, const char*, int, int>>{
             {"Coffee card", "$10 at the cafe downstairs.", 300, 20},
             {"Team lunch", "Lunch for you and a colleague, on the company.", 1500, 5},
             {"Half day off", "An afternoon off, on a day your manager agrees.", 5000, 2}})
      if (auto r = rewards.Create(admin, {{"name", name}, {"description", description}, {"cost", cost}, {"stock", stock}});
          !r)
        return r.error();
    game::Social social(db_, now, notes);
    const std::string today = LocalDate(now_, staff.at(1).timezone);
    if (auto c = social.CreateCompetition(staff.at(1), {{"name", "Most conversations this month"},
                                                        {"metric", "conversations"},
                                                        {"kind", "individual"},
                                                        {"starts_on", today.substr(0, 8) + "01"},
                                                        {"ends_on", AddDays(hub::PeriodOf(hub::Period::kMonth, today).to, -1)},
                                                        {"rules", "Every call that reaches someone counts."}});
        !c)
      return c.error();
    game::Game points(db_, now, notes);
    if (auto r = points.Recompute(admin); !r) return r.error();
    return {};
  }

  Result<std::int64_t> NewContact(Officer& o, const std::string& status, std::int64_t referred_by = 0) {
    std::string name = PersonName();
    std::string handle = ToLower(name);
    std::replace(handle.begin(), handle.end(), ' ', '.');
    json::array tags;
    if (status != "REFERRAL_PARTNER") {
      tags.emplace_back(rng_.Pick(kInterests));
      if (rng_.Chance(0.4)) tags.emplace_back(rng_.Pick(kInterests));
    } else {
      tags.emplace_back(rng_.Chance(0.7) ? "realtor" : "builder");
    }
    std::string source = status == "REFERRAL_PARTNER" ? "networking" : rng_.Pick(kSources);
    json::object in{{"name", name},
                    {"email", fmt::format("{}{}@example.com", handle, rng_.Int(1, 99))},
                    {"phone", fmt::format("+1 555 {:03} {:04}", rng_.Int(200, 999), rng_.Int(0, 9999))},
                    {"status", status},
                    {"source", referred_by ? "referral" : source},
                    {"tags", std::move(tags)},
                    {"timezone", o.p.timezone}};
    if (referred_by) in["referred_by"] = referred_by;
    auto c = contacts_->Create(o.actor, in);
    if (!c) return c.error();
    return c->at("id").as_int64();
  }

  // The book an officer already had before the 90 days: partners, past
  // clients, current clients.
  Status SeedBook(Officer& o) {
    clock_.Set(now_ - 91 * kMsPerDay);
    for (int i = 0; i < 4; ++i) {
      auto id = NewContact(o, "REFERRAL_PARTNER");
      if (!id) return id.error();
      o.partners.push_back(*id);
    }
    for (int i = 0; i < 8; ++i)
      if (auto id = NewContact(o, "PAST_CLIENT"); !id) return id.error();
    for (int i = 0; i < 3; ++i) {
      auto id = NewContact(o, "CLIENT");
      if (!id) return id.error();
      o.clients.push_back(*id);
    }
    return {};
  }

  // An instant on local `date` at `hour`:`minute` in the officer's zone.
  TimestampMs At(const Officer& o, const std::string& date, int hour, int minute) {
    return LocalMidnight(date, o.p.timezone) + hour * kMsPerHour + minute * kMsPerMinute;
  }

  Status SimulateDay(int days_ago) {
    struct Action {
      TimestampMs at;
      std::function<Status()> run;
    };
    std::vector<Action> actions;
    for (auto& o : officers_) {
      std::string date = LocalDate(now_ - days_ago * kMsPerDay, o.p.timezone);
      int weekday = LocalWeekday(LocalMidnight(date, o.p.timezone) + 12 * kMsPerHour, o.p.timezone);
      bool weekend = weekday >= 6;
      if (weekend && !rng_.Chance(0.25)) continue;
      double scale = o.p.activity * (weekend ? 0.3 : 1.0);
      auto add = [&](int hour_lo, int hour_hi, std::function<Status()> fn) {
        TimestampMs at = At(o, date, rng_.Int(hour_lo, hour_hi), rng_.Int(0, 59));
        if (at > now_ - 5 * kMsPerMinute) return;  // nothing in the future
        actions.push_back({at, std::move(fn)});
      };
      Officer* op = &o;
      int new_leads = static_cast<int>(rng_.Int(0, 3) * scale + 0.5);
      for (int i = 0; i < new_leads; ++i) add(7, 19, [this, op] { return NewLead(*op); });
      int calls = static_cast<int>(rng_.Int(5, 14) * scale);
      for (int i = 0; i < calls; ++i) add(8, 18, [this, op, weekday] { return Call(*op, weekday); });
      int messages = static_cast<int>(rng_.Int(3, 9) * scale);
      for (int i = 0; i < messages; ++i) add(7, 20, [this, op] { return Message(*op); });
      if (rng_.Chance(0.6 * scale)) add(9, 17, [this, op] { return Meeting(*op); });
      if (rng_.Chance(0.25 * o.p.activity)) add(10, 19, [this, op] { return Post(*op, "video_post"); });
      if (rng_.Chance(0.4 * o.p.activity)) add(8, 21, [this, op] { return Post(*op, "social_post"); });
      add(8, 17, [this, op] { return MovePipeline(*op); });
      add(8, 17, [this, op, date] { return WorkTasks(*op, date); });
      if (rng_.Chance(0.3)) add(12, 18, [this, op] { return Note(*op); });
    }
    std::stable_sort(actions.begin(), actions.end(), [](const Action& a, const Action& b) { return a.at < b.at; });
    for (auto& a : actions) {
      clock_.Set(a.at);
      if (auto st = a.run(); !st) return st;
    }
    return {};
  }

  Status NewLead(Officer& o) {
    std::int64_t partner = !o.partners.empty() && rng_.Chance(0.3) ? rng_.Pick(o.partners) : 0;
    auto id = NewContact(o, "LEAD", partner);
    if (!id) return id.error();
    o.leads.push_back(*id);
    // Most officers set a follow-up for a new lead.
    if (rng_.Chance(0.7)) {
      std::string due = LocalDate(clock_.Now() + kMsPerDay * rng_.Int(0, 2), o.p.timezone);
      auto t = tasks_->Create(o.actor, {{"title", "Call new lead"},
                                        {"priority", rng_.Chance(0.5) ? "high" : "urgent"},
                                        {"due_date", due},
                                        {"contact_id", *id}});
      if (!t) return t.error();
      o.open_tasks.push_back(t->at("id").as_int64());
    }
    return {};
  }

  Status Log(Officer& o, json::object in) {
    in["occurred_at"] = FormatIso(clock_.Now());
    auto a = activities_->Create(o.actor, in);
    if (!a) return a.error();
    return {};
  }

  Status SetStatus(Officer& o, std::int64_t contact, const char* status) {
    auto c = contacts_->Update(o.actor, contact, {{"status", status}}, false);
    if (!c) return c.error();
    return {};
  }

  static void Erase(std::vector<std::int64_t>& v, std::int64_t id) { std::erase(v, id); }

  Status Call(Officer& o, int weekday) {
    std::vector<std::int64_t>* pool = &o.leads;
    double r = rng_.Real();
    if (r > 0.55 && !o.prospects.empty()) pool = &o.prospects;
    if (r > 0.8 && !o.applicants.empty()) pool = &o.applicants;
    if (r > 0.93 && !o.partners.empty()) pool = &o.partners;
    if (pool->empty()) return {};
    std::int64_t contact = rng_.Pick(*pool);
    int hour = LocalHour(clock_.Now(), o.p.timezone);
    double p_answer = o.p.answer_rate + ((weekday == 2 || weekday == 4) ? o.p.best_day_boost : 0.0);
    bool answered = rng_.Chance(p_answer);
    std::string outcome = answered ? "answered" : (rng_.Chance(0.5) ? "voicemail" : "no_answer");
    json::object in{{"type", "call"}, {"contact_id", contact},
                    {"duration_seconds", answered ? rng_.Int(120, 1500) : rng_.Int(10, 60)}};
    if (answered && pool == &o.leads) {
      double p_appt = 0.35 - (hour >= 15 ? o.p.late_day_penalty : 0.0);
      if (rng_.Chance(p_appt)) {
        outcome = "appointment_set";
        Erase(o.leads, contact);
        o.prospects.push_back(contact);
        in["outcome"] = outcome;
        if (auto st = Log(o, in); !st) return st;
        return SetStatus(o, contact, "PROSPECT");
      }
    }
    if (answered && pool == &o.prospects && rng_.Chance(0.25)) {
      in["outcome"] = "application_taken";
      if (auto st = Log(o, in); !st) return st;
      return StartDeal(o, contact);
    }
    in["outcome"] = outcome;
    return Log(o, in);
  }

  Status StartDeal(Officer& o, std::int64_t contact) {
    Erase(o.prospects, contact);
    o.applicants.push_back(contact);
    if (auto st = SetStatus(o, contact, "APPLICANT"); !st) return st;
    static const std::vector<std::string> types = {"Conventional", "Conventional", "FHA", "VA", "USDA", "Jumbo",
                                                   "Refinance"};
    const std::string& type = rng_.Pick(types);
    int value = type == "Jumbo" ? rng_.Int(80, 200) * 10000 : rng_.Int(15, 70) * 10000;
    std::string close = LocalDate(clock_.Now() + kMsPerDay * rng_.Int(30, 60), o.p.timezone);
    bool early = rng_.Chance(0.25);  // not yet pre-approved
    auto d = deals_->Create(o.actor, {{"title", fmt::format("{} loan", type)},
                                      {"contact_id", contact},
                                      {"value", value},
                                      {"loan_type", type},
                                      {"purpose", type == "Refinance" ? "Rate/Term Refinance" : "Purchase"},
                                      {"stage", early ? "Lead" : "Pre-Approval"},
                                      {"expected_close_date", close}});
    if (!d) return d.error();
    o.deals.push_back({d->at("id").as_int64(), contact, early ? 0 : 1});
    return {};
  }

  Status Message(Officer& o) {
    std::vector<std::int64_t> all = o.leads;
    all.insert(all.end(), o.prospects.begin(), o.prospects.end());
    all.insert(all.end(), o.applicants.begin(), o.applicants.end());
    all.insert(all.end(), o.clients.begin(), o.clients.end());
    if (all.empty()) return {};
    return Log(o, {{"type", rng_.Chance(0.55) ? "text" : "email"}, {"contact_id", rng_.Pick(all)}});
  }

  Status Meeting(Officer& o) {
    std::vector<std::int64_t> pool = o.prospects;
    pool.insert(pool.end(), o.applicants.begin(), o.applicants.end());
    pool.insert(pool.end(), o.partners.begin(), o.partners.end());
    if (pool.empty()) return {};
    std::int64_t contact = rng_.Pick(pool);
    json::object in{{"type", "meeting"}, {"contact_id", contact}, {"duration_seconds", rng_.Int(15, 60) * 60}};
    bool prospect = std::find(o.prospects.begin(), o.prospects.end(), contact) != o.prospects.end();
    if (prospect && rng_.Chance(0.4)) {
      in["outcome"] = "application_taken";
      if (auto st = Log(o, in); !st) return st;
      return StartDeal(o, contact);
    }
    return Log(o, in);
  }

  Status Post(Officer& o, const char* type) {
    const std::string& topic = rng_.Chance(0.5) ? o.p.favourite_topic : rng_.Pick(kTopics);
    return Log(o, {{"type", type}, {"topic", topic}, {"tags", json::array{json::string(topic)}}});
  }

  Status Note(Officer& o) {
    if (o.applicants.empty()) return {};
    return Log(o, {{"type", "note"}, {"contact_id", rng_.Pick(o.applicants)},
                   {"notes", "Collected pay stubs and bank statements."}});
  }

  Status MovePipeline(Officer& o) {
    std::vector<Officer::OpenDeal> still_open;
    for (auto& d : o.deals) {
      int next = d.stage;
      bool lost = false;
      if (rng_.Chance(d.stage <= 2 ? 0.01 : 0.006)) lost = true;
      else if (rng_.Chance(0.11)) next = d.stage + 1;
      if (lost || next != d.stage) {
        std::string stage = lost ? "Closed Lost" : std::string(Stages()[next]);
        auto r = deals_->Update(o.actor, d.id, {{"stage", stage}}, false);
        if (!r) return r.error();
        d.stage = next;
        if (lost || stage == "Closed Won") {
          Erase(o.applicants, d.contact);
          if (!lost) o.clients.push_back(d.contact);
          else o.prospects.push_back(d.contact);
          if (auto st = SetStatus(o, d.contact, lost ? "PROSPECT" : "CLIENT"); !st) return st;
          if (!lost && rng_.Chance(0.6)) {
            auto t = tasks_->Create(o.actor, {{"title", "Ask for a referral"},
                                              {"priority", "high"},
                                              {"contact_id", d.contact},
                                              {"due_date", LocalDate(clock_.Now() + 3 * kMsPerDay, o.p.timezone)}});
            if (!t) return t.error();
            o.open_tasks.push_back(t->at("id").as_int64());
          }
          continue;
        }
      }
      still_open.push_back(d);
    }
    o.deals = std::move(still_open);
    return {};
  }

  Status WorkTasks(Officer& o, const std::string& date) {
    // Complete most open tasks within a few days; a few linger past due.
    std::vector<std::int64_t> keep;
    for (std::int64_t id : o.open_tasks) {
      if (rng_.Chance(0.45)) {
        auto r = tasks_->Update(o.actor, id, {{"status", "completed"}}, false);
        if (!r) return r.error();
      } else {
        keep.push_back(id);
      }
    }
    o.open_tasks = std::move(keep);
    static const std::vector<std::string> titles = {"Send pre-approval letter", "Request W-2s",
                                                    "Follow up on appraisal", "Update rate quote",
                                                    "Check in with realtor", "Review credit report"};
    if (rng_.Chance(0.7)) {
      static const std::vector<std::string> priorities = {"low", "medium", "medium", "high", "urgent"};
      json::object in{{"title", rng_.Pick(titles)},
                      {"priority", rng_.Pick(priorities)},
                      {"due_date", AddDays(date, rng_.Int(0, 5))}};
      if (!o.applicants.empty()) in["contact_id"] = rng_.Pick(o.applicants);
      if (rng_.Chance(0.3)) in["due_time"] = fmt::format("{:02}:00", rng_.Int(9, 16));
      auto t = tasks_->Create(o.actor, in);
      if (!t) return t.error();
      // Some tasks are forgotten and go overdue, as in real life.
      if (!rng_.Chance(0.12)) o.open_tasks.push_back(t->at("id").as_int64());
    }
    return {};
  }

  store::Database& db_;
  TimestampMs now_;
  FakeClock clock_;
  auth::Accounts accounts_;
  crm::EventLog events_;  // no observers: history is replayed, not coached
  std::unique_ptr<crm::Resource> contacts_, deals_, tasks_, activities_;
  Rng rng_;
  std::vector<Officer> officers_;
};

}  // namespace

Result<bool> SeedDemoIfEmpty(store::Database& db, const Clock& clock, std::ostream& out) {
  bool empty = false;
  auto st = db.Read([&](store::Connection& c) -> Status {
    auto rows = c.Query("SELECT COUNT(*) FROM users");
    if (!rows) return rows.error();
    empty = rows->front().Int(0) == 0;
    return {};
  });
  if (!st) return st.error();
  if (!empty) {
    out << "Database already has users; not seeding. Demo logins, if this is the demo database, use password "
        << kDemoPassword << " (e.g. jordan.kim@summit.demo, maria.lopez@summit.demo).\n";
    return false;
  }
  Seeder seeder(db, clock.Now());
  if (auto s = seeder.Run(out); !s) return s.error();
  return true;
}

Result<std::vector<DemoLogin>> ExistingDemoLogins(store::Database& db) {
  std::vector<DemoLogin> all;
  for (const auto& s : StaffLogins()) all.push_back({s.email, s.name, auth::RoleName(s.role), s.team});
  for (const auto& p : OfficerProfiles()) all.push_back({p.email, p.name, "officer", p.team});
  std::vector<DemoLogin> present;
  auto st = db.Read([&](store::Connection& c) -> Status {
    for (const auto& l : all) {
      auto rows = c.Query("SELECT COUNT(*) FROM users WHERE email = ?", {store::Value{l.email}});
      if (!rows) return rows.error();
      if (rows->front().Int(0) > 0) present.push_back(l);
    }
    return {};
  });
  if (!st) return st.error();
  return present;
}

json::object DemoInfoJson(const std::vector<DemoLogin>& logins) {
  json::array list;
  for (const auto& l : logins)
    list.push_back(json::object{{"email", l.email}, {"name", l.name}, {"role", l.role}, {"team", l.team}});
  return json::object{{"demo", true}, {"password", kDemoPassword}, {"logins", std::move(list)}};
}

}  // namespace chosen::app
