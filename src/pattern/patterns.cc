#include "pattern/patterns.h"

#include <map>

#include <fmt/format.h>

#include "common/time_util.h"

namespace chosen::pattern {
namespace {

// An hour-of-day curve as stored in pattern_runs.answer_by_hour:
// [[calls, reached], ...] for hours 0-23.
std::string HourCurveToText(const CallsByHour& curve) {
  json::array a;
  for (const auto& p : curve) a.push_back(json::array{p.trials, p.successes});
  return ToJson(a);
}

// Adds a stored curve to `into`; malformed text adds nothing.
void AddHourCurve(std::string_view text, CallsByHour& into) {
  auto v = ParseJson(text);
  if (!v || !v->is_array() || v->as_array().size() != 24) return;
  for (std::size_t h = 0; h < 24; ++h) {
    const auto& cell = v->as_array()[h];
    if (!cell.is_array() || cell.as_array().size() != 2 || !cell.as_array()[0].is_int64() ||
        !cell.as_array()[1].is_int64())
      continue;
    into[h].trials += cell.as_array()[0].as_int64();
    into[h].successes += cell.as_array()[1].as_int64();
  }
}

// Minutes after midnight of a stored "HH:MM" (users' working hours).
int MinutesOf(const std::string& hhmm) { return std::stoi(hhmm.substr(0, 2)) * 60 + std::stoi(hhmm.substr(3, 2)); }
// Counts one call to a contact in the contact's local hours (`contact`) and
// in the officer's (`own`, to be taken out of the officer's curve).
void AddContactCall(TimestampMs at, bool reached, const std::string& contact_tz, const std::string& officer_tz,
                    CallsByHour& contact, CallsByHour& own) {
  for (auto [curve, tz] : {std::pair{&contact, &contact_tz}, std::pair{&own, &officer_tz}}) {
    Proportion& p = (*curve)[static_cast<std::size_t>(LocalHour(at, *tz))];
    ++p.trials;
    p.successes += reached;
  }
}

// Takes a contact's own calls (by the officer's local hour) out of the
// officer's and the org's curves, so the prior a contact is pulled toward
// is made of other calls, not theirs counted twice.
void RemoveOwnCalls(const CallsByHour& own, BestTimeInput& in) {
  for (std::size_t h = 0; h < 24; ++h)
    for (auto* curve : {&in.officer, &in.org}) {
      Proportion& p = (*curve)[h];
      p.trials = std::max<std::int64_t>(0, p.trials - own[h].trials);
      p.successes = std::max<std::int64_t>(0, std::min(p.trials, p.successes - own[h].successes));
    }
}

// The next week's hours, hour by hour: legal for the contact (8 AM-9 PM
// their time), inside the owner's working hours and days; the first moment
// of each contact hour.
std::vector<CallSlot> NextSlots(const PatternUser& owner, const std::string& contact_tz, TimestampMs now) {
  const int work_from = MinutesOf(owner.work_start), work_to = MinutesOf(owner.work_end);
  std::vector<CallSlot> out;
  std::array<bool, 24> seen{};
  for (TimestampMs t = (now / kMsPerHour + 1) * kMsPerHour; t < now + 8 * kMsPerDay; t += kMsPerHour) {
    int ch = LocalHour(t, contact_tz), oh = LocalHour(t, owner.timezone);
    if (ch < 8 || ch > 20 || seen[static_cast<std::size_t>(ch)]) continue;
    if (oh * 60 < work_from || (oh + 1) * 60 > work_to) continue;
    char day = static_cast<char>('0' + LocalWeekday(t, owner.timezone));
    if (owner.work_days.find(day) == std::string::npos) continue;
    seen[static_cast<std::size_t>(ch)] = true;
    out.push_back({ch, oh, t});
  }
  return out;
}

}  // namespace

Result<Patterns::CallHistory> Patterns::CallsOf(const PatternUser& user) {
  const TimestampMs to = clock_.Now(), from = to - kWindowDays * kMsPerDay;
  CallHistory h;
  auto st = db_.Read([&](store::Connection& c) -> Status {
    auto rows = c.Query(
        // Reached: answered, or an outcome that needed an answer.
        "SELECT occurred_at, CASE WHEN outcome IN ('answered', 'appointment_set', 'application_taken') "
        "THEN 1 ELSE 0 END, CASE WHEN outcome IN ('appointment_set', 'application_taken') THEN 1 ELSE 0 END, "
        "CASE WHEN outcome = 'application_taken' THEN 1 ELSE 0 END FROM activities WHERE owner_id = ? AND type = 'call' AND occurred_at >= ? AND occurred_at < ?",
        {user.id, from, to});
    if (!rows) return rows.error();
    for (const auto& r : *rows) {
      const LocalParts local = LocalPartsOf(r.Int(0), user.timezone);
      const auto weekday = static_cast<std::size_t>(local.weekday);
      for (auto [by, success] : {std::pair{&h.reached_by_weekday, r.Int(1)}, std::pair{&h.appointments_by_weekday, r.Int(2)},
                                 std::pair{&h.applications_by_weekday, r.Int(3)}}) {
        ++(*by)[weekday].trials;
        (*by)[weekday].successes += success;
      }
      auto local_hour = static_cast<std::size_t>(local.hour);
      if (user.work_days.find(static_cast<char>('0' + local.weekday)) != std::string::npos)
        ++h.working_days[local.day][local_hour];
      Proportion& hour = h.converted_by_hour[local_hour];
      ++hour.trials;
      hour.successes += r.Int(2);
      Proportion& reached = h.reached_by_hour[local_hour];
      ++reached.trials;
      reached.successes += r.Int(1);
      h.outcomes.push_back({r.Int(0), r.Int(2) != 0});
    }
    // Posts from one window before the period, so the period's first calls
    // can be "after" one.
    auto posts = c.Query(
        "SELECT type, occurred_at FROM activities WHERE owner_id = ? AND type IN ('video_post', 'social_post') "
        "AND occurred_at >= ? AND occurred_at < ?",
        {user.id, from - BehaviorOptions{}.window, to});
    if (!posts) return posts.error();
    for (const auto& r : *posts) h.posts[r.Str(0)].push_back(r.Int(1));
    return {};
  });
  if (!st) return st.error();
  return h;
}

Result<std::vector<json::object>> Patterns::BestCallTimes(const PatternUser& user, const CallsByHour& officer,
                                                          TimestampMs now) {
  struct ContactCalls {
    std::string name, timezone;
    BestTimeInput in;
    CallsByHour own{};  // by the officer's local hour
    std::int64_t calls = 0;
  };
  std::map<std::int64_t, ContactCalls> contacts;
  CallsByHour org{};
  auto st = db_.Read([&](store::Connection& c) -> Status {
    auto rows = c.Query(
        "SELECT a.contact_id, c.name, COALESCE(c.timezone, ''), a.occurred_at, CASE WHEN a.outcome IN ('answered', "
        "'appointment_set', 'application_taken') THEN 1 ELSE 0 END FROM activities a JOIN contacts c ON c.id = "
        "a.contact_id WHERE c.owner_id = ? AND c.status IN ('LEAD', 'PROSPECT') AND a.type = 'call'",
        {user.id});
    if (!rows) return rows.error();
    for (const auto& r : *rows) {
      ContactCalls& cc = contacts[r.Int(0)];
      if (cc.calls++ == 0) {
        cc.name = r.Str(1);
        cc.timezone = r.Str(2).empty() ? user.timezone : r.Str(2);
      }
      AddContactCall(r.Int(3), r.Int(4) != 0, cc.timezone, user.timezone, cc.in.contact, cc.own);
    }
    auto curves = c.Query(
        "SELECT p.user_id, p.answer_by_hour FROM pattern_runs p JOIN users u ON u.id = p.user_id "
        "WHERE u.org_id = ? AND p.answer_by_hour IS NOT NULL AND p.user_id <> ?",
        {user.org_id, user.id});
    if (!curves) return curves.error();
    for (const auto& cv : *curves) AddHourCurve(cv.Str(1), org);
    return {};
  });
  if (!st) return st.error();
  for (std::size_t h = 0; h < 24; ++h) {  // the org includes this officer
    org[h].trials += officer[h].trials;
    org[h].successes += officer[h].successes;
  }
  const BestTimeOptions options;
  struct Found {
    double rate;
    json::object finding;
  };
  std::vector<Found> found;
  std::map<std::string, std::vector<CallSlot>> slots;  // by contact time zone
  for (auto& [id, cc] : contacts) {
    if (cc.calls < options.min_contact_calls) continue;  // only the contact's own history makes a claim here
    auto it = slots.find(cc.timezone);
    if (it == slots.end()) it = slots.emplace(cc.timezone, NextSlots(user, cc.timezone, now)).first;
    cc.in.officer = officer;
    cc.in.org = org;
    RemoveOwnCalls(cc.own, cc.in);
    cc.in.slots = it->second;
    json::object out = FindBestTime(cc.in, cc.name, options);
    if (!out.at("claim").as_bool() || out.at("basis").as_string() != "contact") continue;
    const auto& best = out.at("windows").as_array().at(0).as_object();
    found.push_back({best.at("answer_rate").to_number<double>(),
                     json::object{{"type", "best_call_time"},
                                  {"contact_id", id},
                                  {"name", cc.name},
                                  {"contact_hour", best.at("contact_hour")},
                                  {"officer_hour", best.at("officer_hour")},
                                  {"contact_timezone", cc.timezone},
                                  {"officer_timezone", user.timezone},
                                  {"message", out.at("message")},
                                  {"window", best},
                                  {"evidence", out.at("evidence")}}});
  }
  std::sort(found.begin(), found.end(), [](const Found& a, const Found& b) { return a.rate > b.rate; });
  std::vector<json::object> out;
  for (std::size_t i = 0; i < found.size() && i < kMaxBestCallTimes; ++i) out.push_back(std::move(found[i].finding));
  return out;
}

Result<std::vector<json::object>> Patterns::ContentOf(std::int64_t user_id, TimestampMs now) {
  std::vector<OpenContact> open;
  std::vector<Post> posts;
  auto st = db_.Read([&](store::Connection& c) -> Status {
    // Open leads and prospects: their tags, and the loan types of their open deals.
    auto contacts = c.Query(
        "SELECT c.id, c.status, c.tags FROM contacts c WHERE c.owner_id = ? AND c.status IN ('LEAD', 'PROSPECT') "
        "ORDER BY c.id",
        {user_id});
    if (!contacts) return contacts.error();
    std::map<std::int64_t, std::size_t> index;
    for (const auto& r : *contacts) {
      OpenContact oc{r.Str(1), {}};
      json::error_code ec;
      auto tags = json::parse(r.Str(2), ec);
      if (!ec && tags.is_array())
        for (const auto& t : tags.as_array())
          if (t.is_string()) oc.topics.emplace_back(t.as_string());
      index.emplace(r.Int(0), open.size());
      open.push_back(std::move(oc));
    }
    auto loans = c.Query(
        "SELECT d.contact_id, d.loan_type FROM deals d JOIN contacts c ON c.id = d.contact_id WHERE c.owner_id = ? "
        "AND c.status IN ('LEAD', 'PROSPECT') AND d.loan_type IS NOT NULL AND d.stage NOT IN ('Closed Won', "
        "'Closed Lost')",
        {user_id});
    if (!loans) return loans.error();
    for (const auto& r : *loans)
      if (auto it = index.find(r.Int(0)); it != index.end()) open[it->second].topics.push_back(r.Str(1));
    auto recent = c.Query(
        "SELECT occurred_at, COALESCE(topic, ''), COALESCE(tags, '') FROM activities WHERE owner_id = ? AND type IN "
        "('video_post', 'social_post') AND occurred_at >= ?",
        {user_id, now - ContentOptions{}.lookback});
    if (!recent) return recent.error();
    for (const auto& r : *recent) posts.push_back({r.Int(0), r.Str(1) + " " + r.Str(2)});
    return {};
  });
  if (!st) return st.error();
  return FindContentDemand(open, posts, now);
}

Result<PatternUser> Patterns::Target(const auth::Actor& actor, std::int64_t user_id) {
  const Error hidden{ErrorCode::kNotFound, fmt::format("user {} not found", user_id), "user_id"};
  PatternUser user;
  bool allowed = false;
  auto st = db_.Read([&](store::Connection& c) -> Status {
    auto rows = c.Query(
        "SELECT org_id, COALESCE(team_id, 0), timezone, work_start, work_end, work_days FROM users WHERE id = ?",
        {user_id});
    if (!rows) return rows.error();
    if (rows->empty() || rows->front().Int(0) != actor.org_id) return {};
    const auto& r = rows->front();
    allowed = MayRead(actor, user_id, r.Int(1));
    user = {user_id, r.Int(0), r.Str(2), r.Str(3), r.Str(4), r.Str(5)};
    return {};
  });
  if (!st) return st.error();
  if (!allowed) return hidden;
  return user;
}

Result<json::object> Patterns::RefreshUser(const PatternUser& user, CallsByHour* answer_by_hour) {
  const std::int64_t user_id = user.id;
  // The newest event first: anything logged while computing makes the
  // stored findings older than the log, so the next refresh sees it.
  std::int64_t last_event = 0;
  auto st = db_.Read([&](store::Connection& c) -> Status {
    auto rows = c.Query("SELECT COALESCE(MAX(id), 0) FROM events WHERE user_id = ?", {user_id});
    if (!rows) return rows.error();
    last_event = rows->front().Int(0);
    return {};
  });
  if (!st) return st.error();
  const TimestampMs to = clock_.Now();
  auto calls = CallsOf(user);
  if (!calls) return calls.error();
  json::array patterns;
  std::string generated_at = FormatIso(to);
  auto add = [&](json::object p, std::string_view kind, std::string_view subject = "calls") {
    p["kind"] = kind;
    p["subject"] = subject;
    p["generated_at"] = generated_at;
    patterns.push_back(std::move(p));
  };
  // Reaching people keeps the subject "calls" (the finding it always was).
  for (auto& best : FindBestDaysByMetric({{DayMetric::kAnswer, calls->reached_by_weekday},
                                          {DayMetric::kAppointment, calls->appointments_by_weekday},
                                          {DayMetric::kApplication, calls->applications_by_weekday}}))
    add(best.ToJson(), "best_days",
        best.metric == DayMetric::kAnswer        ? "calls"
        : best.metric == DayMetric::kAppointment ? "appointments"
                                                 : "applications");
  if (auto drop = FindEnergyDrop(calls->converted_by_hour)) add(drop->json, "energy");
  for (auto& link : FindBehaviorLinks(std::move(calls->outcomes), std::move(calls->posts))) {
    std::string activity(link.at("activity").as_string());
    add(std::move(link), "behavior_link", activity);
  }
  // Pace "by" each hour of the working day: from an hour after it starts to
  // the hour it ends (rounded up).
  const int start = MinutesOf(user.work_start), end = MinutesOf(user.work_end);
  if (auto pace = FindPace(calls->working_days, start / 60 + 1, (end + 59) / 60))
    add(std::move(*pace), "pace");
  auto content = ContentOf(user_id, to);
  if (!content) return content.error();
  for (auto& demand : *content) {
    std::string topic(demand.at("topic").as_string());
    add(std::move(demand), "content_demand", topic);
  }
  auto times = BestCallTimes(user, calls->reached_by_hour, to);
  if (!times) return times.error();
  for (auto& t : *times) {
    std::string subject = fmt::format("contact:{}", t.at("contact_id").as_int64());
    add(std::move(t), "best_call_time", subject);
  }
  json::object out{{"user_id", user_id},
                   {"generated_at", generated_at},
                   {"period", json::object{{"from", FormatIso(to - kWindowDays * kMsPerDay)},
                                           {"to", generated_at},
                                           {"days", kWindowDays}}},
                   {"patterns", std::move(patterns)}};
  auto saved = db_.Write([&](store::Connection& c) -> Status {
    auto r = c.Exec(
        "INSERT INTO pattern_runs (user_id, refreshed_at, last_event_id, result, answer_by_hour) VALUES (?, ?, ?, ?, ?) "
        "ON CONFLICT (user_id) DO UPDATE SET refreshed_at = excluded.refreshed_at, "
        "last_event_id = excluded.last_event_id, result = excluded.result, answer_by_hour = excluded.answer_by_hour",
        {user_id, to, last_event, ToJson(out), HourCurveToText(calls->reached_by_hour)});
    if (!r) return r.error();
    return {};
  });
  if (!saved) return saved.error();
  if (answer_by_hour) *answer_by_hour = calls->reached_by_hour;
  return out;
}

Result<json::object> Patterns::Get(const auth::Actor& actor, std::int64_t user_id) {
  auto user = Target(actor, user_id);
  if (!user) return user.error();
  std::optional<json::object> stored;
  auto st = db_.Read([&](store::Connection& c) -> Status {
    auto rows = c.Query("SELECT result FROM pattern_runs WHERE user_id = ?", {user_id});
    if (!rows) return rows.error();
    if (rows->empty()) return {};
    auto parsed = ParseJsonObject(rows->front().Str(0));
    if (parsed) stored = std::move(*parsed);
    return {};
  });
  if (!st) return st.error();
  if (!stored) {
    auto fresh = RefreshUser(*user);
    if (!fresh) return fresh.error();
    stored = std::move(*fresh);
  }
  if (auto added = AddSuccess(user->org_id, user->id, *stored); !added) return added.error();
  return *std::move(stored);
}

Result<json::object> Patterns::Refresh(const auth::Actor& actor, std::int64_t user_id) {
  auto user = Target(actor, user_id);
  if (!user) return user.error();
  auto fresh = RefreshUser(*user);
  if (!fresh) return fresh.error();
  if (auto added = AddSuccess(user->org_id, user->id, *fresh); !added) return added.error();
  return fresh;
}

Result<json::object> Patterns::Team(const auth::Actor& actor, std::int64_t team_id) {
  const Error hidden{ErrorCode::kNotFound, fmt::format("team {} not found", team_id), "team_id"};
  const bool allowed = actor.role == auth::Role::kAdmin ||
                       (actor.role == auth::Role::kManager && actor.team_id != 0 && actor.team_id == team_id);
  if (!allowed) return hidden;
  std::vector<PatternUser> members;
  bool found = false;
  auto st = db_.Read([&](store::Connection& c) -> Status {
    auto team = c.Query("SELECT 1 FROM teams WHERE id = ? AND org_id = ?", {team_id, actor.org_id});
    if (!team) return team.error();
    found = !team->empty();
    auto rows = c.Query(
        "SELECT id, org_id, timezone, work_start, work_end, work_days FROM users WHERE team_id = ? AND org_id = ? "
        "ORDER BY id",
        {team_id, actor.org_id});
    if (!rows) return rows.error();
    for (const auto& r : *rows) members.push_back({r.Int(0), r.Int(1), r.Str(2), r.Str(3), r.Str(4), r.Str(5)});
    return {};
  });
  if (!st) return st.error();
  if (!found) return hidden;
  // Every member's calls, each in their own local time, pooled.
  CallsByWeekday reached{}, appointments{}, applications{};
  CallsByHour converted{};
  for (const auto& m : members) {
    auto calls = CallsOf(m);
    if (!calls) return calls.error();
    for (std::size_t d = 0; d < reached.size(); ++d) {
      for (auto [into, from] : {std::pair{&reached, &calls->reached_by_weekday},
                                std::pair{&appointments, &calls->appointments_by_weekday},
                                std::pair{&applications, &calls->applications_by_weekday}}) {
        (*into)[d].trials += (*from)[d].trials;
        (*into)[d].successes += (*from)[d].successes;
      }
    }
    for (std::size_t h = 0; h < converted.size(); ++h) {
      converted[h].trials += calls->converted_by_hour[h].trials;
      converted[h].successes += calls->converted_by_hour[h].successes;
    }
  }
  // "Your best days are ...: your calls ..." becomes the team's.
  auto team_voice = [](std::string text) {
    if (text.starts_with("Your ")) text.replace(0, 5, "Your team's ");
    for (std::size_t at = 0; (at = text.find(" your ", at)) != std::string::npos; at += 11) text.replace(at, 6, " the team's ");
    return text;
  };
  const TimestampMs to = clock_.Now();
  const std::string generated_at = FormatIso(to);
  json::array patterns;
  auto add = [&](json::object p, std::string_view kind, std::string_view subject) {
    p["message"] = team_voice(std::string(p.at("message").as_string()));
    p["kind"] = kind;
    p["subject"] = subject;
    p["generated_at"] = generated_at;
    patterns.push_back(std::move(p));
  };
  for (auto& best : FindBestDaysByMetric({{DayMetric::kAnswer, reached},
                                          {DayMetric::kAppointment, appointments},
                                          {DayMetric::kApplication, applications}}))
    add(best.ToJson(), "best_days",
        best.metric == DayMetric::kAnswer        ? "calls"
        : best.metric == DayMetric::kAppointment ? "appointments"
                                                 : "applications");
  if (auto drop = FindEnergyDrop(converted)) add(drop->json, "energy", "calls");
  return json::object{{"team_id", team_id},
                      {"members", static_cast<std::int64_t>(members.size())},
                      {"generated_at", generated_at},
                      {"period", json::object{{"from", FormatIso(to - kWindowDays * kMsPerDay)},
                                              {"to", generated_at},
                                              {"days", kWindowDays}}},
                      {"patterns", std::move(patterns)}};
}

Result<std::vector<OfficerWindow>> Patterns::OfficerWindows(std::int64_t org_id, TimestampMs now) {
  const TimestampMs from = now - kSuccessWindowDays * kMsPerDay;
  std::vector<OfficerWindow> out;
  auto st = db_.Read([&](store::Connection& c) -> Status {
    auto users = c.Query("SELECT id, timezone, work_days FROM users WHERE org_id = ? ORDER BY id", {org_id});
    if (!users) return users.error();
    auto loans = c.Query("SELECT owner_id, COUNT(*) FROM deals WHERE org_id = ? AND created_at >= ? GROUP BY owner_id",
                         {org_id, from});
    if (!loans) return loans.error();
    std::map<std::int64_t, std::int64_t> loans_of;
    for (const auto& r : *loans) loans_of[r.Int(0)] = r.Int(1);
    for (const auto& u : *users) {
      const std::int64_t id = u.Int(0);
      const std::string tz = u.Str(1), work_days = u.Str(2);
      // Touches by kind, from the (owner_id, type, occurred_at) index.
      auto kinds = c.Query(
          "SELECT type, COUNT(*) FROM activities WHERE owner_id = ? AND occurred_at >= ? AND occurred_at < ? "
          "GROUP BY type",
          {id, from, now});
      if (!kinds) return kinds.error();
      std::map<std::string, double> count;
      double total = 0;
      for (const auto& r : *kinds) {
        count[r.Str(0)] = static_cast<double>(r.Int(1));
        total += static_cast<double>(r.Int(1));
      }
      if (total < 20) continue;  // too little to describe how they work
      auto calls = c.Query(
          "SELECT occurred_at, CASE WHEN outcome IN ('answered', 'appointment_set', 'application_taken') THEN 1 ELSE "
          "0 END FROM activities WHERE owner_id = ? AND type = 'call' AND occurred_at >= ? AND occurred_at < ?",
          {id, from, now});
      if (!calls) return calls.error();
      double morning = 0, reached = 0;
      for (const auto& r : *calls) {
        morning += LocalPartsOf(r.Int(0), tz).hour < 12;
        reached += static_cast<double>(r.Int(1));
      }
      int working_days = 0;
      for (int d = 0; d < kSuccessWindowDays; ++d)
        working_days += work_days.find(static_cast<char>('0' + LocalPartsOf(now - d * kMsPerDay, tz).weekday)) !=
                        std::string::npos;
      OfficerWindow w{id, loans_of[id], {}};
      const double weeks = kSuccessWindowDays / 7.0, touches = count["call"] + count["text"] + count["email"];
      if (working_days > 0) {
        w.metrics["calls_per_day"] = count["call"] / working_days;
        w.metrics["conversations_per_day"] = reached / working_days;
      }
      if (touches > 0) {
        w.metrics["text_share"] = count["text"] / touches;
        w.metrics["email_share"] = count["email"] / touches;
      }
      w.metrics["meetings_per_week"] = count["meeting"] / weeks;
      w.metrics["posts_per_week"] = (count["video_post"] + count["social_post"]) / weeks;
      if (count["call"] > 0) w.metrics["morning_calls"] = morning / count["call"];
      // Speed to lead: hours from a new contact's arrival to the first touch
      // (one not touched yet counts its wait so far), over at least 5.
      auto fresh = c.Query(
          "SELECT c.created_at, (SELECT MIN(a.occurred_at) FROM activities a WHERE a.contact_id = c.id AND "
          "a.occurred_at >= c.created_at) FROM contacts c WHERE c.owner_id = ? AND c.created_at >= ?",
          {id, from});
      if (!fresh) return fresh.error();
      if (fresh->size() >= 5) {
        std::vector<double> hours;
        for (const auto& r : *fresh)
          hours.push_back(static_cast<double>((r.IsNull(1) ? now : r.Int(1)) - r.Int(0)) / kMsPerHour);
        std::sort(hours.begin(), hours.end());
        const std::size_t n = hours.size();
        w.metrics["speed_to_lead_hours"] = n % 2 ? hours[n / 2] : (hours[n / 2 - 1] + hours[n / 2]) / 2;
      }
      out.push_back(std::move(w));
    }
    return {};
  });
  if (!st) return st.error();
  return out;
}

Status Patterns::RefreshSuccess(std::int64_t org_id) {
  const TimestampMs now = clock_.Now();
  auto windows = OfficerWindows(org_id, now);
  if (!windows) return windows.error();
  json::object run{{"generated_at", FormatIso(now)},
                   {"period", json::object{{"from", FormatIso(now - kSuccessWindowDays * kMsPerDay)},
                                           {"to", FormatIso(now)},
                                           {"days", kSuccessWindowDays}}},
                   {"officers", static_cast<std::int64_t>(windows->size())}};
  json::array findings;
  for (auto& f : FindSuccessPatterns(*windows)) findings.push_back(std::move(f));
  run["findings"] = std::move(findings);
  return db_.Write([&](store::Connection& c) -> Status {
    auto r = c.Exec(
        "INSERT INTO success_runs (org_id, refreshed_at, result) VALUES (?, ?, ?) ON CONFLICT (org_id) DO UPDATE SET "
        "refreshed_at = excluded.refreshed_at, result = excluded.result",
        {org_id, now, ToJson(run)});
    if (!r) return r.error();
    return {};
  });
}

Result<std::vector<std::int64_t>> StaleOrgs(store::Database& db, std::string_view table,
                                            std::string_view time_column, TimestampMs before) {
  std::vector<std::int64_t> orgs;
  auto st = db.Read([&](store::Connection& c) -> Status {
    auto rows = c.Query(fmt::format("SELECT o.id FROM orgs o LEFT JOIN {0} r ON r.org_id = o.id WHERE r.{1} IS NULL "
                                    "OR r.{1} < ? ORDER BY o.id",
                                    table, time_column),
                        {before});
    if (!rows) return rows.error();
    for (const auto& r : *rows) orgs.push_back(r.Int(0));
    return {};
  });
  if (!st) return st.error();
  return orgs;
}

Result<int> Patterns::RefreshSuccessStale() {
  auto orgs = StaleOrgs(db_, "success_runs", "refreshed_at", clock_.Now() - kSuccessMaxAge);
  if (!orgs) return orgs.error();
  for (std::int64_t org : *orgs)
    if (auto r = RefreshSuccess(org); !r) return r.error();
  return static_cast<int>(orgs->size());
}

Status Patterns::AddSuccess(std::int64_t org_id, std::int64_t user_id, json::object& out) {
  std::optional<json::object> run;
  for (int attempt = 0; attempt < 2 && !run; ++attempt) {
    auto st = db_.Read([&](store::Connection& c) -> Status {
      auto rows = c.Query("SELECT result FROM success_runs WHERE org_id = ?", {org_id});
      if (!rows) return rows.error();
      if (rows->empty()) return {};
      auto parsed = ParseJsonObject(rows->front().Str(0));
      if (!parsed) return Error::Internal(fmt::format("stored success patterns of org {} are unreadable", org_id));
      run = std::move(*parsed);
      return {};
    });
    if (!st) return st;
    if (!run && attempt == 0)
      if (auto r = RefreshSuccess(org_id); !r) return r;
  }
  if (!run) return {};
  auto& patterns = out["patterns"].as_array();
  const std::string me = std::to_string(user_id);
  for (const auto& v : run->at("findings").as_array()) {
    json::object p = v.as_object();
    json::value you = nullptr;
    if (auto values = p.find("values"); values != p.end()) {
      if (auto mine = values->value().as_object().find(me); mine != values->value().as_object().end())
        you = mine->value();
      p.erase("values");  // everyone else's: never shown
    }
    if (you.is_number())
      p["message"] = fmt::format("{} You: {}.", p.at("message").as_string(),
                                 FormatMetric(std::string(p.at("metric").as_string()), you.to_number<double>()));
    p["you"] = you;
    p["kind"] = "success_pattern";
    p["subject"] = p.at("metric");
    p["generated_at"] = run->at("generated_at");
    p["period"] = run->at("period");
    patterns.push_back(std::move(p));
  }
  return {};
}

Result<json::object> Patterns::BestTime(const auth::Actor& actor, std::int64_t contact_id) {
  const Error hidden{ErrorCode::kNotFound, fmt::format("contact {} not found", contact_id), {}};
  PatternUser owner;
  std::string name, contact_tz;
  bool found = false, has_run = false;
  BestTimeInput in;
  CallsByHour own{};  // the contact's calls by the owner's local hour
  auto st = db_.Read([&](store::Connection& c) -> Status {
    auto rows = c.Query(
        "SELECT c.name, COALESCE(c.timezone, ''), u.id, COALESCE(u.team_id, 0), u.timezone, u.work_start, "
        "u.work_end, u.work_days FROM contacts c JOIN users u ON u.id = c.owner_id WHERE c.id = ? AND c.org_id = ?",
        {contact_id, actor.org_id});
    if (!rows) return rows.error();
    if (rows->empty()) return {};
    const auto& r = rows->front();
    owner = {r.Int(2), actor.org_id, r.Str(4), r.Str(5), r.Str(6), r.Str(7)};
    // Whoever may read the contact: its owner, their manager, an admin.
    found = MayRead(actor, owner.id, r.Int(3));
    if (!found) return {};
    name = r.Str(0);
    contact_tz = r.Str(1).empty() ? owner.timezone : r.Str(1);
    auto calls = c.Query(
        "SELECT occurred_at, CASE WHEN outcome IN ('answered', 'appointment_set', 'application_taken') THEN 1 ELSE 0 "
        "END FROM activities WHERE contact_id = ? AND type = 'call'",
        {contact_id});
    if (!calls) return calls.error();
    for (const auto& call : *calls)
      AddContactCall(call.Int(0), call.Int(1) != 0, contact_tz, owner.timezone, in.contact, own);
    auto curves = c.Query(
        "SELECT p.user_id, p.answer_by_hour FROM pattern_runs p JOIN users u ON u.id = p.user_id "
        "WHERE u.org_id = ? AND p.answer_by_hour IS NOT NULL",
        {actor.org_id});
    if (!curves) return curves.error();
    for (const auto& cv : *curves) {
      AddHourCurve(cv.Str(1), in.org);
      if (cv.Int(0) == owner.id) {
        AddHourCurve(cv.Str(1), in.officer);
        has_run = true;
      }
    }
    return {};
  });
  if (!st) return st.error();
  if (!found) return hidden;
  if (!has_run) {
    // The owner's curve was never computed: compute it (and their findings) now.
    auto fresh = RefreshUser(owner, &in.officer);
    if (!fresh) return fresh.error();
    for (std::size_t h = 0; h < 24; ++h) {
      in.org[h].trials += in.officer[h].trials;
      in.org[h].successes += in.officer[h].successes;
    }
  }

  RemoveOwnCalls(own, in);
  in.slots = NextSlots(owner, contact_tz, clock_.Now());
  json::object out = FindBestTime(in, name);
  for (auto& w : out["windows"].as_array()) {
    auto& o = w.as_object();
    o["contact_local"] = fmt::format("{:02}:00", o.at("contact_hour").as_int64());
    o["officer_local"] = fmt::format("{:02}:00", o.at("officer_hour").as_int64());
  }
  out["contact_id"] = contact_id;
  out["name"] = name;
  out["contact_timezone"] = contact_tz;
  out["officer_timezone"] = owner.timezone;
  return out;
}

Result<int> Patterns::RefreshStale() {
  const TimestampMs now = clock_.Now();
  std::vector<PatternUser> due;
  auto st = db_.Read([&](store::Connection& c) -> Status {
    // events_user (user_id, id) answers each MAX in one probe.
    auto rows = c.Query(
        "SELECT u.id, u.org_id, u.timezone, u.work_start, u.work_end, u.work_days FROM users u "
        "LEFT JOIN pattern_runs p ON p.user_id = u.id "
        "WHERE p.user_id IS NULL OR (p.refreshed_at <= ? AND "
        "(SELECT COALESCE(MAX(e.id), 0) FROM events e WHERE e.user_id = u.id) > p.last_event_id) ORDER BY u.id",
        {now - kMaxAge});
    if (!rows) return rows.error();
    for (const auto& r : *rows) due.push_back({r.Int(0), r.Int(1), r.Str(2), r.Str(3), r.Str(4), r.Str(5)});
    return {};
  });
  if (!st) return st.error();
  for (const auto& user : due)
    if (auto r = RefreshUser(user); !r) return r.error();
  return static_cast<int>(due.size());
}

}  // namespace chosen::pattern
