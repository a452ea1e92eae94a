#include "game/social.h"

#include <algorithm>
#include <charconv>
#include <limits>
#include <map>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "common/time_util.h"
#include "game/rules.h"
#include "hub/goals.h"
#include "hub/periods.h"
#include "hub/weekly.h"

namespace chosen::game {
namespace {

const std::vector<std::string>& LeaderboardMetrics() {
  static const std::vector<std::string> k{"points", "calls", "conversations", "applications", "conversion_rate",
                                          "application_rate"};
  return k;
}

const std::vector<std::string>& CompetitionMetrics() {
  static const std::vector<std::string> k{"points", "calls", "conversations", "appointments", "applications",
                                          "closings", "posts"};
  return k;
}

// `metric` of `user_id` over [from, to): points awarded, a count, or a rate
// (nullopt when its denominator is too small to mean anything: fewer than
// 10 calls for conversion_rate, 5 conversations for application_rate).
Result<std::optional<double>> ValueOf(store::Connection& c, std::int64_t user_id, std::string_view metric,
                                      TimestampMs from, TimestampMs to) {
  if (metric == "points") {
    auto rows = c.Query("SELECT COALESCE(SUM(points), 0) FROM points_ledger WHERE user_id = ? AND kind = 'award' AND "
                        "created_at >= ? AND created_at < ?",
                        {user_id, from, to});
    if (!rows) return rows.error();
    return std::optional<double>(static_cast<double>(rows->front().Int(0)));
  }
  auto n = hub::CountMetrics(c, user_id, from, to);
  if (!n) return n.error();
  const auto& v = *n;  // calls, conversations, appointments, applications, closings, posts, ...
  if (metric == "conversion_rate") return v[0] >= 10 ? std::optional<double>(v[1] / v[0]) : std::nullopt;
  if (metric == "application_rate") return v[1] >= 5 ? std::optional<double>(v[3] / v[1]) : std::nullopt;
  const auto m = hub::MetricIndex(metric);
  return std::optional<double>(m < v.size() ? v[m] : 0.0);
}

json::value ValueJson(std::string_view metric, double v) {
  if (metric.ends_with("_rate")) return std::round(1000 * v) / 1000;
  return static_cast<std::int64_t>(v);
}

Result<bool> Named(store::Connection& c, std::int64_t org_id) {
  auto rows = c.Query("SELECT named_leaderboards FROM game_settings WHERE org_id = ?", {org_id});
  if (!rows) return rows.error();
  return !rows->empty() && rows->front().Int(0) != 0;
}

// Standard competition ranks (1, 2, 2, 4) of values sorted best first.
std::vector<int> Ranks(const std::vector<double>& sorted) {
  std::vector<int> ranks(sorted.size());
  for (std::size_t i = 0; i < sorted.size(); ++i)
    ranks[i] = i > 0 && sorted[i] == sorted[i - 1] ? ranks[i - 1] : static_cast<int>(i) + 1;
  return ranks;
}

struct Entry {
  std::int64_t id;
  std::string name;
  double value;
};

}  // namespace

Result<json::object> Social::Kudos(const auth::Actor& actor, const json::object& body) {
  std::int64_t to = 0;
  std::string message;
  for (const auto& [k, v] : body) {
    if (k == "to_user_id") {
      if (!v.is_int64() || v.as_int64() < 1) return Error::Invalid("to_user_id must be a user's id", "to_user_id");
      to = v.as_int64();
    } else if (k == "message") {
      message = v.is_string() ? Trim(v.as_string()) : std::string();
      if (message.empty() || CharCount(message) > 500)
        return Error::Invalid("message must be 1 to 500 characters", "message");
    } else {
      return Error::Invalid(fmt::format("unknown field '{}'", std::string_view(k)), std::string(k));
    }
  }
  if (to == 0) return Error::Invalid("to_user_id must be a user's id", "to_user_id");
  if (message.empty()) return Error::Invalid("message must be 1 to 500 characters", "message");
  if (to == actor.user_id) return Error::Invalid("kudos are for someone else", "to_user_id");
  const TimestampMs now = clock_.Now();
  json::object out;
  auto st = db_.Write([&](store::Connection& c) -> Status {
    auto who = c.Query("SELECT (SELECT name FROM users WHERE id = ? AND org_id = ?), (SELECT name FROM users WHERE id = ?)",
                       {to, actor.org_id, actor.user_id});
    if (!who) return who.error();
    if (who->front().IsNull(0)) return Error{ErrorCode::kNotFound, fmt::format("user {} not found", to), "to_user_id"};
    auto row = c.Query("INSERT INTO kudos (org_id, from_user, to_user, message, created_at) VALUES (?, ?, ?, ?, ?) "
                       "RETURNING id",
                       {actor.org_id, actor.user_id, to, message, now});
    if (!row) return row.error();
    const std::int64_t id = row->front().Int(0);
    const std::string from_name = who->front().Str(1);
    auto n = notifications_.Add(c, {actor.org_id, to, "kudos", fmt::format("Kudos from {}", from_name), message,
                                    json::object{{"kudos_id", id}, {"from_user_id", actor.user_id}}, {}});
    if (!n) return n.error();
    out = {{"id", id},
           {"kind", "kudos"},
           {"from", {{"id", actor.user_id}, {"name", from_name}}},
           {"to", {{"id", to}, {"name", who->front().Str(0)}}},
           {"message", message},
           {"created_at", FormatIso(now)}};
    return {};
  });
  if (!st) return st.error();
  return out;
}

namespace {

// A position in the feed's order: newest first; within a millisecond,
// kudos (by id, descending) before badge unlocks (by user, then badge,
// descending). Written "MS", "MS.k.KUDOS_ID" or "MS.b.USER_ID.BADGE".
struct FeedPosition {
  TimestampMs at = std::numeric_limits<TimestampMs>::max();
  int kind = -1;  // -1: before every item at `at`; 0: after kudos `id`; 1: after badge (`id`, `badge`)
  std::int64_t id = 0;
  std::string badge;
};

Result<FeedPosition> ParseFeedPosition(std::string_view text) {
  FeedPosition p;
  if (text.empty()) return p;
  std::vector<std::string_view> parts;
  for (std::size_t from = 0;;) {
    const auto dot = parts.size() == 3 ? std::string_view::npos : text.find('.', from);  // a badge keeps its dots
    parts.push_back(text.substr(from, dot == std::string_view::npos ? std::string_view::npos : dot - from));
    if (dot == std::string_view::npos) break;
    from = dot + 1;
  }
  auto number = [](std::string_view s, std::int64_t& out) {
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return ec == std::errc() && end == s.data() + s.size() && out > 0;
  };
  const bool ok = number(parts[0], p.at) &&
                  (parts.size() == 1 || (parts.size() == 3 && parts[1] == "k" && number(parts[2], p.id)) ||
                   (parts.size() == 4 && parts[1] == "b" && number(parts[2], p.id) && !parts[3].empty()));
  if (!ok)
    return Error{ErrorCode::kInvalidArgument,
                 "before must be a next_before from the previous page or a time in milliseconds", "before"};
  if (parts.size() > 1) p.kind = parts[1] == "k" ? 0 : 1;
  if (parts.size() == 4) p.badge = std::string(parts[3]);
  return p;
}

struct FeedEntry {
  FeedPosition pos;
  json::object item;
};

// The feed's order (FeedPosition): true when `a` comes first.
bool FeedBefore(const FeedPosition& a, const FeedPosition& b) {
  if (a.at != b.at) return a.at > b.at;
  if (a.kind != b.kind) return a.kind < b.kind;
  if (a.id != b.id) return a.id > b.id;
  return a.badge > b.badge;
}

}  // namespace

Result<json::object> Social::Feed(const auth::Actor& actor, int limit, std::string_view before) {
  auto after = ParseFeedPosition(before);
  if (!after) return after.error();
  const FeedPosition& p = *after;
  // Items at p.at itself: kudos past p's (kind 0) and, after any kudos, every
  // badge (kind 0) or those past p's (kind 1). -1 matches no time.
  const TimestampMs same_kudos = p.kind == 0 ? p.at : -1, same_badges = p.kind >= 0 ? p.at : -1;
  const std::int64_t fetch = std::int64_t{limit} + 1;  // one more tells whether a next page exists
  std::vector<FeedEntry> items;
  auto st = db_.Read([&](store::Connection& c) -> Status {
    auto kudos = c.Query("SELECT k.id, k.from_user, f.name, k.to_user, t.name, k.message, k.created_at FROM kudos k JOIN "
                         "users f ON f.id = k.from_user JOIN users t ON t.id = k.to_user WHERE k.org_id = ? AND "
                         "(k.created_at < ? OR (k.created_at = ? AND k.id < ?)) ORDER BY k.created_at DESC, k.id DESC "
                         "LIMIT ?",
                         {actor.org_id, p.at, same_kudos, p.id, fetch});
    if (!kudos) return kudos.error();
    for (const auto& r : *kudos)
      items.push_back({{r.Int(6), 0, r.Int(0), ""},
                       json::object{{"id", r.Int(0)},
                                    {"kind", "kudos"},
                                    {"from", {{"id", r.Int(1)}, {"name", r.Str(2)}}},
                                    {"to", {{"id", r.Int(3)}, {"name", r.Str(4)}}},
                                    {"message", r.Str(5)},
                                    {"created_at", FormatIso(r.Int(6))}}});
    auto named = Named(c, actor.org_id);
    if (!named) return named.error();
    if (*named) {
      auto badges = c.Query(
          "SELECT b.user_id, u.name, b.badge, b.earned_at FROM badges_earned b JOIN users u ON u.id = b.user_id WHERE "
          "u.org_id = ? AND (b.earned_at < ? OR (b.earned_at = ? AND (? = 0 OR b.user_id < ? OR (b.user_id = ? AND "
          "b.badge < ?)))) ORDER BY b.earned_at DESC, b.user_id DESC, b.badge DESC LIMIT ?",
          {actor.org_id, p.at, same_badges, std::int64_t{p.kind == 1 ? 1 : 0}, p.id, p.id, p.badge, fetch});
      if (!badges) return badges.error();
      for (const auto& r : *badges) {
        std::string name = r.Str(2);
        for (const auto& b : Badges())
          if (b.key == name) name = b.name;
        items.push_back({{r.Int(3), 1, r.Int(0), r.Str(2)},
                         json::object{{"kind", "badge"},
                                      {"user", {{"id", r.Int(0)}, {"name", r.Str(1)}}},
                                      {"badge", r.Str(2)},
                                      {"badge_name", name},
                                      {"created_at", FormatIso(r.Int(3))}}});
      }
    }
    return {};
  });
  if (!st) return st.error();
  std::sort(items.begin(), items.end(), [](const FeedEntry& a, const FeedEntry& b) { return FeedBefore(a.pos, b.pos); });
  const bool more = static_cast<int>(items.size()) > limit;
  if (more) items.resize(static_cast<std::size_t>(limit));
  json::value next = nullptr;
  if (more) {
    const FeedPosition& last = items.back().pos;
    next = last.kind == 0 ? fmt::format("{}.k.{}", last.at, last.id)
                          : fmt::format("{}.b.{}.{}", last.at, last.id, last.badge);
  }
  json::array out;
  for (auto& e : items) out.push_back(std::move(e.item));
  return json::object{{"items", std::move(out)}, {"next_before", std::move(next)}};
}

Result<json::object> Social::Settings(const auth::Actor& actor) {
  bool named = false;
  auto st = db_.Read([&](store::Connection& c) -> Status {
    auto n = Named(c, actor.org_id);
    if (!n) return n.error();
    named = *n;
    return {};
  });
  if (!st) return st.error();
  return json::object{{"named_leaderboards", named}};
}

Result<json::object> Social::PutSettings(const auth::Actor& actor, const json::object& body) {
  if (actor.role != auth::Role::kAdmin)
    return Error{ErrorCode::kPermissionDenied, "only an admin may change the org's game settings", {}};
  std::optional<bool> named;
  for (const auto& [k, v] : body) {
    if (k != "named_leaderboards") return Error::Invalid(fmt::format("unknown field '{}'", std::string_view(k)), std::string(k));
    if (!v.is_bool()) return Error::Invalid("named_leaderboards must be true or false", "named_leaderboards");
    named = v.as_bool();
  }
  if (!named) return Error::Invalid("named_leaderboards must be true or false", "named_leaderboards");
  auto st = db_.Write([&](store::Connection& c) -> Status {
    auto r = c.Exec("INSERT INTO game_settings (org_id, named_leaderboards, updated_at) VALUES (?, ?, ?) ON CONFLICT "
                    "(org_id) DO UPDATE SET named_leaderboards = excluded.named_leaderboards, updated_at = "
                    "excluded.updated_at",
                    {actor.org_id, std::int64_t{*named ? 1 : 0}, clock_.Now()});
    if (!r) return r.error();
    return {};
  });
  if (!st) return st.error();
  return Settings(actor);
}

Result<json::object> Social::Leaderboard(const auth::Actor& actor, std::string_view metric, std::string_view period_name,
                                         std::string_view scope) {
  const auto& metrics = LeaderboardMetrics();
  if (std::find(metrics.begin(), metrics.end(), metric) == metrics.end())
    return Error::Invalid("metric must be one of: points, calls, conversations, applications, conversion_rate, "
                          "application_rate",
                          "metric");
  const auto period = hub::ParsePeriod(period_name);
  if (period != hub::Period::kDay && period != hub::Period::kWeek && period != hub::Period::kMonth)
    return Error::Invalid("period must be day, week or month", "period");
  if (scope != "team" && scope != "org") return Error::Invalid("scope must be team or org", "scope");
  const TimestampMs now = clock_.Now();
  json::object out;
  auto st = db_.Read([&](store::Connection& c) -> Status {
    const bool team = scope == "team";
    auto rows = hub::PeerGroup(c, actor, team);
    if (!rows) return rows.error();
    auto named = Named(c, actor.org_id);
    if (!named) return named.error();
    std::vector<Entry> ranked;
    int unranked = 0;
    std::optional<double> you;
    for (const auto& r : *rows) {
      const auto range = hub::PeriodOf(*period, LocalDate(now, r.Str(2)));
      auto v = ValueOf(c, r.Int(0), metric, LocalMidnight(range.from, r.Str(2)), LocalMidnight(range.to, r.Str(2)));
      if (!v) return v.error();
      if (r.Int(0) == actor.user_id) you = *v;
      if (*v) ranked.push_back({r.Int(0), r.Str(1), **v});
      else ++unranked;
    }
    std::stable_sort(ranked.begin(), ranked.end(), [](const Entry& a, const Entry& b) { return a.value > b.value; });
    std::vector<double> values;
    for (const auto& e : ranked) values.push_back(e.value);
    const auto ranks = Ranks(values);
    const auto mine = hub::PeriodOf(*period, LocalDate(now, actor.timezone));
    out = {{"metric", metric},
           {"period", hub::PeriodName(*period)},
           {"scope", scope},
           {"from", mine.from},
           {"to", mine.to},
           {"named", *named},
           {"group_size", ranked.size()},
           {"unranked", unranked},
           {"items", json::array()},
           {"you", json::object{{"value", you ? ValueJson(metric, *you) : json::value(nullptr)}}}};
    json::object& me = out["you"].as_object();
    for (std::size_t i = 0; i < ranked.size(); ++i)
      if (ranked[i].id == actor.user_id) me["rank"] = ranks[i];
    if (*named) {
      json::array items;
      for (std::size_t i = 0; i < ranked.size(); ++i)
        items.push_back(json::object{{"rank", ranks[i]},
                                     {"user_id", ranked[i].id},
                                     {"name", ranked[i].name},
                                     {"value", ValueJson(metric, ranked[i].value)},
                                     {"you", ranked[i].id == actor.user_id}});
      out["items"] = std::move(items);
      out["status"] = "ok";
      out["message"] = "Names are shown: your org has opted in to named leaderboards.";
    } else if (static_cast<int>(ranked.size()) < kMinGroup || !you) {
      me.erase("rank");
      out["status"] = "too_small";
      out["message"] = !you ? std::string("Not ranked yet: too few calls for a rate.")
                                     : fmt::format("Bands need at least {} ranked officers; no one's numbers are shown.",
                                                   kMinGroup);
    } else {
      me.erase("rank");  // a rank among few could single others out; the band cannot
      const auto [band, label] = hub::PeerBand(values, *you);
      me["band"] = band;
      me["label"] = label;
      out["status"] = "ok";
      out["message"] = "Your anonymous band; names are shown only if your org opts in.";
    }
    return {};
  });
  if (!st) return st.error();
  return out;
}

Result<json::object> Social::CreateCompetition(const auth::Actor& actor, const json::object& body) {
  if (actor.role == auth::Role::kOfficer)
    return Error{ErrorCode::kPermissionDenied, "only a manager or an admin may start a competition", {}};
  std::string name, metric, kind, starts, ends, rules;
  for (const auto& [k, v] : body) {
    const std::string key(k);
    if (key != "name" && key != "metric" && key != "kind" && key != "starts_on" && key != "ends_on" && key != "rules")
      return Error::Invalid(fmt::format("unknown field '{}'", key), key);
    if (!v.is_string()) return Error::Invalid(fmt::format("{} must be a string", key), key);
    std::string t = Trim(v.as_string());
    (key == "name" ? name : key == "metric" ? metric : key == "kind" ? kind : key == "starts_on" ? starts
                                                                       : key == "ends_on"        ? ends
                                                                                                 : rules) = t;
  }
  if (name.empty() || CharCount(name) > 100) return Error::Invalid("name must be 1 to 100 characters", "name");
  const auto& metrics = CompetitionMetrics();
  if (std::find(metrics.begin(), metrics.end(), metric) == metrics.end())
    return Error::Invalid("metric must be one of: points, calls, conversations, appointments, applications, closings, "
                          "posts",
                          "metric");
  if (kind != "individual" && kind != "team") return Error::Invalid("kind must be individual or team", "kind");
  if (auto st = ValidateDate(starts, "starts_on"); !st) return st.error();
  if (auto st = ValidateDate(ends, "ends_on"); !st) return st.error();
  if (ends < starts || hub::DaysBetween(starts, ends) >= kMaxCompetitionDays)
    return Error::Invalid(fmt::format("ends_on must be on or after starts_on, within {} days", kMaxCompetitionDays),
                          "ends_on");
  if (CharCount(rules) > 2000) return Error::Invalid("rules must be at most 2000 characters", "rules");
  std::int64_t id = 0;
  auto st = db_.Write([&](store::Connection& c) -> Status {
    auto row = c.Query("INSERT INTO competitions (org_id, name, metric, kind, starts_on, ends_on, timezone, rules, "
                       "created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                       {actor.org_id, name, metric, kind, starts, ends, actor.timezone, rules, actor.user_id,
                        clock_.Now()});
    if (!row) return row.error();
    id = row->front().Int(0);
    return {};
  });
  if (!st) return st.error();
  return Competition(actor, id);
}

namespace {

struct CompetitionRow {
  std::int64_t id = 0;
  std::string name, metric, kind, starts, ends, tz, rules;
  std::optional<TimestampMs> finalized;
  std::string winners;
};

constexpr std::string_view kCompetitionColumns =
    "id, name, metric, kind, starts_on, ends_on, timezone, rules, finalized_at, COALESCE(winners, '')";

CompetitionRow CompetitionOf(const store::Row& r) {
  CompetitionRow c{r.Int(0), r.Str(1), r.Str(2), r.Str(3), r.Str(4), r.Str(5), r.Str(6), r.Str(7), {}, r.Str(9)};
  if (!r.IsNull(8)) c.finalized = r.Int(8);
  return c;
}

std::string StatusOf(const CompetitionRow& k, TimestampMs now) {
  if (now < LocalMidnight(k.starts, k.tz)) return "upcoming";
  if (now < LocalMidnight(AddDays(k.ends, 1), k.tz)) return "live";
  return "ended";
}

// Standings, best first: officers (individual) or teams (team).
Result<std::vector<Entry>> Standings(store::Connection& c, std::int64_t org_id, const CompetitionRow& k) {
  const TimestampMs from = LocalMidnight(k.starts, k.tz), to = LocalMidnight(AddDays(k.ends, 1), k.tz);
  auto officers = c.Query("SELECT u.id, u.name, COALESCE(u.team_id, 0), COALESCE(t.name, '') FROM users u LEFT JOIN "
                          "teams t ON t.id = u.team_id WHERE u.org_id = ? AND u.role = 'officer' ORDER BY u.id",
                          {org_id});
  if (!officers) return officers.error();
  std::vector<Entry> out;
  std::map<std::int64_t, std::size_t> teams;
  for (const auto& r : *officers) {
    auto v = ValueOf(c, r.Int(0), k.metric, from, to);
    if (!v) return v.error();
    const double value = v->value_or(0);
    if (k.kind == "individual") {
      out.push_back({r.Int(0), r.Str(1), value});
    } else if (r.Int(2) != 0) {
      auto [it, fresh] = teams.emplace(r.Int(2), out.size());
      if (fresh) out.push_back({r.Int(2), r.Str(3), 0});
      out[it->second].value += value;
    }
  }
  std::stable_sort(out.begin(), out.end(), [](const Entry& a, const Entry& b) { return a.value > b.value; });
  return out;
}

}  // namespace

Result<json::object> Social::Competitions(const auth::Actor& actor) {
  const TimestampMs now = clock_.Now();
  json::array items;
  auto st = db_.Read([&](store::Connection& c) -> Status {
    auto rows = c.Query(fmt::format("SELECT {} FROM competitions WHERE org_id = ? ORDER BY ends_on DESC, id DESC LIMIT 50",
                                    kCompetitionColumns),
                        {actor.org_id});
    if (!rows) return rows.error();
    for (const auto& r : *rows) {
      const auto k = CompetitionOf(r);
      items.push_back(json::object{{"id", k.id},           {"name", k.name},      {"metric", k.metric},
                                   {"kind", k.kind},       {"starts_on", k.starts}, {"ends_on", k.ends},
                                   {"status", StatusOf(k, now)}});
    }
    return {};
  });
  if (!st) return st.error();
  return json::object{{"items", std::move(items)}};
}

Result<json::object> Social::Competition(const auth::Actor& actor, std::int64_t id) {
  if (auto f = Finalize(actor.org_id, id); !f) return f.error();
  const TimestampMs now = clock_.Now();
  json::object out;
  auto st = db_.Read([&](store::Connection& c) -> Status {
    auto rows = c.Query(fmt::format("SELECT {} FROM competitions WHERE id = ? AND org_id = ?", kCompetitionColumns),
                        {id, actor.org_id});
    if (!rows) return rows.error();
    if (rows->empty()) return Error::NotFound(fmt::format("competition {} not found", id));
    const auto k = CompetitionOf(rows->front());
    auto named = Named(c, actor.org_id);
    if (!named) return named.error();
    auto standings = Standings(c, actor.org_id, k);
    if (!standings) return standings.error();
    std::vector<double> values;
    for (const auto& e : *standings) values.push_back(e.value);
    const auto ranks = Ranks(values);
    // Team standings name teams; an individual one names officers only in
    // an org that opted in; otherwise each sees their own rank alone.
    const bool show = k.kind == "team" || *named;
    const std::int64_t mine = k.kind == "team" ? actor.team_id : actor.user_id;
    json::array table;
    json::value you = nullptr;
    for (std::size_t i = 0; i < standings->size(); ++i) {
      const auto& e = (*standings)[i];
      if (e.id == mine)
        you = json::object{{"rank", ranks[i]}, {"value", ValueJson(k.metric, e.value)}, {"of", standings->size()}};
      if (show)
        table.push_back(json::object{{"rank", ranks[i]},
                                     {"id", e.id},
                                     {"name", e.name},
                                     {"value", ValueJson(k.metric, e.value)},
                                     {"you", e.id == mine}});
    }
    json::value winners = nullptr;
    if (k.finalized && !k.winners.empty()) {
      json::error_code ec;
      auto w = json::parse(k.winners, ec);
      if (!ec && w.is_array()) {
        json::array list;
        for (const auto& x : w.as_array())
          if (show || x.at("id").as_int64() == mine) list.push_back(x);
        winners = std::move(list);
      }
    }
    out = {{"id", k.id},
           {"name", k.name},
           {"metric", k.metric},
           {"kind", k.kind},
           {"starts_on", k.starts},
           {"ends_on", k.ends},
           {"timezone", k.tz},
           {"rules", k.rules},
           {"status", StatusOf(k, now)},
           {"named", show},
           {"standings", std::move(table)},
           {"you", std::move(you)},
           {"winners", std::move(winners)},
           {"finalized_at", k.finalized ? json::value(FormatIso(*k.finalized)) : json::value(nullptr)}};
    return {};
  });
  if (!st) return st.error();
  return out;
}

Result<int> Social::FinalizeEnded() { return Finalize(0, 0); }

Result<int> Social::Finalize(std::int64_t org_id, std::int64_t id) {
  const TimestampMs now = clock_.Now();
  int finalized = 0;
  std::vector<std::pair<std::int64_t, CompetitionRow>> due;
  auto st = db_.Read([&](store::Connection& c) -> Status {
    auto rows = c.Query(fmt::format("SELECT org_id, {} FROM competitions WHERE finalized_at IS NULL AND ends_on < ?{}",
                                    kCompetitionColumns, id ? " AND id = ? AND org_id = ?" : ""),
                        id ? std::vector<store::Value>{AddDays(LocalDate(now, "UTC"), 1), id, org_id}
                           : std::vector<store::Value>{AddDays(LocalDate(now, "UTC"), 1)});
    if (!rows) return rows.error();
    for (const auto& r : *rows) {
      store::Row rest;
      rest.values.assign(r.values.begin() + 1, r.values.end());
      auto k = CompetitionOf(rest);
      if (StatusOf(k, now) == "ended") due.emplace_back(r.Int(0), std::move(k));
    }
    return {};
  });
  if (!st) return st.error();
  for (const auto& [org, k] : due) {
    auto w = db_.Write([&](store::Connection& c) -> Status {
      auto standings = Standings(c, org, k);
      if (!standings) return standings.error();
      std::vector<double> values;
      for (const auto& e : *standings) values.push_back(e.value);
      const auto ranks = Ranks(values);
      json::array winners;
      for (std::size_t i = 0; i < standings->size() && ranks[i] <= 3 && (*standings)[i].value > 0; ++i)
        winners.push_back(json::object{{"rank", ranks[i]},
                                       {"id", (*standings)[i].id},
                                       {"name", (*standings)[i].name},
                                       {"value", ValueJson(k.metric, (*standings)[i].value)}});
      // Once: the guard makes a second finalizer (another server) change nothing.
      auto done = c.Exec("UPDATE competitions SET finalized_at = ?, winners = ? WHERE id = ? AND finalized_at IS NULL",
                         {now, json::serialize(winners), k.id});
      if (!done) return done.error();
      if (*done == 0) return {};
      ++finalized;
      for (const auto& x : winners) {
        if (x.at("rank").as_int64() != 1) continue;
        std::vector<std::int64_t> people;
        if (k.kind == "individual") {
          people.push_back(x.at("id").as_int64());
        } else {
          auto members = c.Query("SELECT id FROM users WHERE team_id = ? AND role = 'officer'", {x.at("id").as_int64()});
          if (!members) return members.error();
          for (const auto& m : *members) people.push_back(m.Int(0));
        }
        for (std::int64_t p : people)
          if (auto s = hub::Celebrate(notifications_, c, org, p,
                                      json::object{{"kind", "competition"},
                                                   {"title", fmt::format("You won {}", k.name)},
                                                   {"body", k.kind == "team" ? fmt::format("Your team came first.")
                                                                             : std::string("You came first.")},
                                                   {"competition_id", k.id}},
                                      fmt::format("competition:{}", k.id));
              !s)
            return s;
      }
      return {};
    });
    if (!w) return w.error();
  }
  return finalized;
}

}  // namespace chosen::game
