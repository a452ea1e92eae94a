#include "coach/coach.h"

#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "common/time_util.h"

namespace chosen::coach {
namespace {

// Actions the CRM logs itself (docs/coaching-rules.md); /api/coach/check
// never logs them again.
bool IsCrmAction(std::string_view a) {
  static const std::set<std::string_view> kCrmActions = {
      "user_created",       "profile_updated",    "contact_created",      "contact_updated",
      "contact_status_changed", "contact_assigned", "contact_deleted",    "deal_created",
      "deal_stage_changed", "deal_closed",        "deal_reopened",        "deal_updated",
      "deal_deleted",       "task_created",       "task_completed",       "task_reopened",
      "task_updated",       "task_deleted",       "call_logged",          "text_logged",
      "email_logged",       "meeting_logged",     "video_post_logged",    "social_post_logged",
      "note_logged"};
  return kCrmActions.contains(a);
}

bool IsIdentifier(std::string_view s, std::size_t max) {
  if (s.empty() || s.size() > max) return false;
  for (char c : s)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  return true;
}

std::string PriorityList(int level) {
  std::string out;
  for (Priority p : {Priority::kHigh, Priority::kMedium, Priority::kLow})
    if (PriorityAllowed(level, p)) out += fmt::format("{}'{}'", out.empty() ? "" : ", ", PriorityName(p));
  return out;
}

constexpr const char* kPendingClause =
    "dismissed = 0 AND resolved_at IS NULL AND (expires_at IS NULL OR expires_at > ?)";

}  // namespace

Result<CheckRequest> CheckRequest::FromJson(const json::object& o) {
  CheckRequest r;
  for (const auto& kv : o) {
    std::string_view k = kv.key();
    if (k != "action" && k != "entity_type" && k != "entity_id" && k != "metadata")
      return Error::Invalid(fmt::format("unknown field '{}'", k), std::string(k));
  }
  auto action = RequireString(o, "action", 64);
  if (!action) return action.error();
  if (!IsIdentifier(*action, 64))
    return Error::Invalid("action must be lower_snake_case letters, digits and _", "action");
  r.action = *action;
  auto type = RequireString(o, "entity_type", 50);
  if (!type) return type.error();
  if (!IsIdentifier(*type, 50)) return Error::Invalid("entity_type must be lower_snake_case", "entity_type");
  r.entity_type = *type;
  auto id = GetInt(o, "entity_id", 1, INT64_MAX);
  if (!id) return Error::Invalid("entity_id must be a positive integer id", "entity_id");
  r.entity_id = id->value_or(0);
  if (auto it = o.find("metadata"); it != o.end() && !it->value().is_null()) {
    if (!it->value().is_object()) return Error::Invalid("metadata must be an object", "metadata");
    if (ToJson(it->value()).size() > 16 * 1024) return Error::Invalid("metadata is larger than 16 KiB", "metadata");
    r.metadata = it->value().as_object();
  }
  return r;
}

Coach::Coach(store::Database& db, const Clock& clock, crm::EventLog& events)
    : db_(db), clock_(clock), events_(events), rules_(BuiltinRules()) {
  events_.AddObserver(this);
}

Status Coach::Publish(store::Connection& c, std::int64_t user_id, std::string_view event, const json::value& data) {
  if (!publisher_) return {};
  return publisher_(c, user_id, event, data);
}

Result<json::value> Coach::LoadInsight(store::Connection& c, std::int64_t id) {
  auto rows = c.Query(fmt::format("SELECT {} FROM coach_insights WHERE id = ?", kInsightColumns), {id});
  if (!rows) return rows.error();
  if (rows->empty()) return json::value(nullptr);
  return json::value(InsightRowToJson(rows->front()));
}

Status Coach::OnEvent(store::Connection& c, const crm::Event& e) {
  for (const auto& rule : rules_) {
    auto resolved = rule->ResolvedBy(c, e);
    if (!resolved) return resolved.error();
    for (const auto& [user_id, key] : *resolved)
      if (auto st = Resolve(c, user_id, key, e.created_at); !st) return st;
  }
  auto user = LoadCoachUser(c, e.user_id);
  if (!user) return user.error().code == ErrorCode::kNotFound ? Status{} : Status{user.error()};
  const Settings& s = user->settings;
  RuleContext ctx{c, *user, e.created_at};
  for (const auto& rule : rules_) {
    if (rule->is_time_rule()) {
      if (rule->SweepsOn(e.action) && !rule->Unchanged(e, *user))
        if (auto st = RunTimeRule(c, *user, *rule, e.created_at); !st) return st;
      continue;
    }
    if (!s.coach_enabled || rule->min_level() > s.coach_level || !PriorityAllowed(s.coach_level, rule->priority()))
      continue;
    auto cands = rule->OnEvent(ctx, e);
    if (!cands) return cands.error();
    for (const auto& cand : *cands) {
      auto created = TryCreate(c, *user, *rule, cand, e.id, e.created_at);
      if (!created) return created.error();
    }
  }
  return {};
}

Status Coach::RunTimeRule(store::Connection& c, const CoachUser& user, const Rule& rule, TimestampMs now) {
  const Settings& s = user.settings;
  std::vector<Candidate> cands;
  if (s.coach_enabled && rule.min_level() <= s.coach_level && PriorityAllowed(s.coach_level, rule.priority())) {
    RuleContext ctx{c, user, now};
    auto swept = rule.Sweep(ctx);
    if (!swept) return swept.error();
    cands = std::move(*swept);
  }
  auto rows = c.Query(fmt::format("SELECT id, dedupe_key, fingerprint FROM coach_insights "
                                  "WHERE user_id = ? AND rule = ? AND {}",
                                  kPendingClause),
                      {user.user_id, std::string(rule.id()), now});
  if (!rows) return rows.error();
  std::map<std::string, std::pair<std::int64_t, std::string>> pending;
  for (const auto& r : *rows) pending[r.Str(1)] = {r.Int(0), r.Str(2)};
  std::set<std::string> current;
  for (const auto& cand : cands) current.insert(cand.dedupe_key);
  for (const auto& [key, p] : pending)
    if (!current.contains(key))
      if (auto st = Resolve(c, user.user_id, key, now); !st) return st;
  int created = 0;
  for (const auto& cand : cands) {
    auto it = pending.find(cand.dedupe_key);
    if (it != pending.end()) {
      if (it->second.second == cand.fingerprint) continue;
      // Same reason, new facts (e.g. the count): update in place, no new toast.
      std::int64_t id = it->second.first;
      auto r = c.Exec(
          "UPDATE coach_insights SET message = ?, suggested_action = ?, action_params = ?, fingerprint = ? "
          "WHERE id = ?",
          {cand.message, cand.suggested_action.empty() ? store::Value{} : store::Value{cand.suggested_action},
           ToJson(cand.action_params), cand.fingerprint, id});
      if (!r) return r.error();
      auto d = c.Exec("UPDATE coach_dedupe SET fingerprint = ? WHERE user_id = ? AND dedupe_key = ?",
                      {cand.fingerprint, user.user_id, cand.dedupe_key});
      if (!d) return d.error();
      auto json = LoadInsight(c, id);
      if (!json) return json.error();
      if (auto st = Publish(c, user.user_id, "insight_updated", *json); !st) return st;
      continue;
    }
    if (created >= rule.max_new_per_sweep()) continue;
    auto made = TryCreate(c, user, rule, cand, 0, now);
    if (!made) return made.error();
    if (*made) ++created;
  }
  return {};
}

Result<std::optional<std::int64_t>> Coach::TryCreate(store::Connection& c, const CoachUser& user, const Rule& rule,
                                                     const Candidate& cand, std::int64_t source_event_id,
                                                     TimestampMs now) {
  std::optional<std::int64_t> none;
  auto rows = c.Query(
      "SELECT d.fingerprint, d.quiet_until, i.dismissed, i.resolved_at, i.expires_at FROM coach_dedupe d "
      "LEFT JOIN coach_insights i ON i.id = d.insight_id WHERE d.user_id = ? AND d.dedupe_key = ?",
      {user.user_id, cand.dedupe_key});
  if (!rows) return rows.error();
  if (!rows->empty()) {
    const auto& r = rows->front();
    if (now < r.Int(1)) return none;  // inside the dedupe window
    bool dismissed = r.Int(2) != 0;
    bool pending = !r.IsNull(2) && !dismissed && r.IsNull(3) && (r.IsNull(4) || r.Int(4) > now);
    if (pending) return none;  // the last one is still showing
    if (dismissed && r.Str(0) == cand.fingerprint) return none;  // dismissed, nothing material changed
  }
  std::int64_t rank = static_cast<int>(rule.priority()) * 100 + rule.weight();
  auto ins = c.Query(
      "INSERT INTO coach_insights (org_id, user_id, rule, dedupe_key, fingerprint, type, priority, rank, message, "
      "suggested_action, action_params, entity_type, entity_id, source_event_id, created_at, expires_at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
      {user.org_id, user.user_id, std::string(rule.id()), cand.dedupe_key, cand.fingerprint,
       std::string(TypeName(rule.type())), std::string(PriorityName(rule.priority())), rank, cand.message,
       cand.suggested_action.empty() ? store::Value{} : store::Value{cand.suggested_action},
       cand.action_params.empty() ? store::Value{} : store::Value{ToJson(cand.action_params)},
       cand.entity_type.empty() ? store::Value{} : store::Value{cand.entity_type},
       cand.entity_id ? store::Value{cand.entity_id} : store::Value{},
       source_event_id ? store::Value{source_event_id} : store::Value{}, now,
       cand.expires_at ? store::Value{cand.expires_at} : store::Value{}});
  if (!ins) return ins.error();
  std::int64_t id = ins->front().Int(0);
  // Claim the dedupe slot. The WHERE makes the claim fail if another writer
  // (another process on the same database) took it first.
  auto claim = c.Query(
      "INSERT INTO coach_dedupe (user_id, dedupe_key, insight_id, fingerprint, quiet_until) VALUES (?, ?, ?, ?, ?) "
      "ON CONFLICT (user_id, dedupe_key) DO UPDATE SET insight_id = excluded.insight_id, "
      "fingerprint = excluded.fingerprint, quiet_until = excluded.quiet_until "
      "WHERE coach_dedupe.quiet_until <= ? RETURNING insight_id",
      {user.user_id, cand.dedupe_key, id, cand.fingerprint, now + rule.dedupe_window(), now});
  if (!claim) return claim.error();
  if (claim->empty()) {
    if (auto d = c.Exec("DELETE FROM coach_insights WHERE id = ?", {id}); !d) return d.error();
    return none;
  }
  auto json = LoadInsight(c, id);
  if (!json) return json.error();
  if (auto st = Publish(c, user.user_id, "insight", *json); !st) return st.error();
  return std::optional<std::int64_t>(id);
}

Status Coach::Resolve(store::Connection& c, std::int64_t user_id, const std::string& key, TimestampMs now) {
  auto rows = c.Query(
      "UPDATE coach_insights SET resolved_at = ? WHERE user_id = ? AND dedupe_key = ? AND resolved_at IS NULL "
      "AND dismissed = 0 RETURNING id",
      {now, user_id, key});
  if (!rows) return rows.error();
  for (const auto& r : *rows)
    if (auto st = Publish(c, user_id, "insight_resolved", json::object{{"id", r.Int(0)}}); !st) return st;
  return {};
}

Status Coach::SweepUser(std::int64_t user_id, const std::optional<Settings>& overrides) {
  TimestampMs now = clock_.Now();
  return db_.Write([&](store::Connection& c) -> Status {
    auto user = LoadCoachUser(c, user_id);
    if (!user) return user.error();
    // Only the thresholds: a poll's coach_level filters what it reads, and
    // gating rules by it here would resolve the insights a higher stored
    // level made (a level-1 poll wiped every medium insight).
    if (overrides) {
      user->settings.stale_lead_days = overrides->stale_lead_days;
      user->settings.stuck_deal_days = overrides->stuck_deal_days;
    }
    for (const auto& rule : rules_)
      if (rule->is_time_rule())
        if (auto st = RunTimeRule(c, *user, *rule, now); !st) return st;
    return {};
  });
}

Status Coach::SweepAll() {
  std::vector<std::int64_t> ids;
  auto st = db_.Read([&](store::Connection& c) -> Status {
    auto rows = c.Query(
        "SELECT u.id FROM users u LEFT JOIN coach_settings s ON s.user_id = u.id "
        "WHERE COALESCE(s.coach_enabled, 1) = 1 ORDER BY u.id");
    if (!rows) return rows.error();
    for (const auto& r : *rows) ids.push_back(r.Int(0));
    return {};
  });
  if (!st) return st;
  for (std::int64_t id : ids)
    if (auto s = SweepUser(id); !s) spdlog::warn("coach sweep for user {} failed: {}", id, s.error().message);
  return {};
}

Result<std::string> Coach::Pending(const auth::Actor& actor, std::optional<int> level, bool include_seen,
                                   int limit, TimestampMs* valid_until) {
  std::string out = "[";
  TimestampMs now = clock_.Now();
  auto st = db_.Read([&](store::Connection& c) -> Status {
    auto user = LoadCoachUser(c, actor.user_id);
    if (!user) return user.error();
    if (!user->settings.coach_enabled) return {};
    auto rows = c.Query(fmt::format("SELECT {} FROM coach_insights WHERE user_id = ? AND {} {} AND priority IN ({}) "
                                    "ORDER BY rank DESC, created_at DESC, id DESC LIMIT ?",
                                    kInsightColumns, kPendingClause, include_seen ? "" : "AND seen = 0",
                                    PriorityList(level.value_or(user->settings.coach_level))),
                        {actor.user_id, now, static_cast<std::int64_t>(limit)});
    if (!rows) return rows.error();
    for (const auto& r : *rows) {
      if (out.size() > 1) out += ',';
      AppendInsightJson(out, r);
      if (valid_until && !r.IsNull(11)) *valid_until = std::min(*valid_until, r.Int(11));
    }
    return {};
  });
  if (!st) return st.error();
  out += ']';
  return out;
}

Status Coach::MarkSeen(const auth::Actor& actor, std::int64_t insight_id) {
  return db_.Write([&](store::Connection& c) -> Status {
    auto n = c.Exec("UPDATE coach_insights SET seen = 1 WHERE id = ? AND user_id = ?", {insight_id, actor.user_id});
    if (!n) return n.error();
    if (*n == 0) return Error::NotFound(fmt::format("insight {} not found", insight_id));
    return {};
  });
}

Status Coach::Dismiss(const auth::Actor& actor, std::int64_t insight_id) {
  return db_.Write([&](store::Connection& c) -> Status {
    auto n = c.Exec("UPDATE coach_insights SET dismissed = 1 WHERE id = ? AND user_id = ?",
                    {insight_id, actor.user_id});
    if (!n) return n.error();
    if (*n == 0) return Error::NotFound(fmt::format("insight {} not found", insight_id));
    return Publish(c, actor.user_id, "insight_dismissed", json::object{{"id", insight_id}});
  });
}

Result<json::value> Coach::Check(const auth::Actor& actor, const CheckRequest& req, std::optional<int> level) {
  json::value out = nullptr;
  TimestampMs now = clock_.Now();
  // The insight `event_id` caused for the caller, if their coach speaks at
  // this level; settings are read in the same transaction.
  auto pick = [&](store::Connection& c, std::int64_t event_id) -> Status {
    auto user = LoadCoachUser(c, actor.user_id);
    if (!user) return user.error();
    if (!user->settings.coach_enabled) return {};
    // By the event's index: `+user_id` keeps SQLite off coach_insights_pending,
    // which would walk all the officer's pending insights.
    auto rows = c.Query(fmt::format("SELECT {} FROM coach_insights WHERE source_event_id = ? AND +user_id = ? AND {} "
                                    "AND priority IN ({}) ORDER BY rank DESC, id DESC LIMIT 1",
                                    kInsightColumns, kPendingClause,
                                    PriorityList(level.value_or(user->settings.coach_level))),
                        {event_id, actor.user_id, now});
    if (!rows) return rows.error();
    if (!rows->empty()) out = InsightRowToJson(rows->front());
    return {};
  };
  if (IsCrmAction(req.action)) {
    if (!req.entity_id)
      return Error::Invalid(fmt::format("entity_id is required for {}", req.action), "entity_id");
    auto st = db_.Read([&](store::Connection& c) -> Status {
      auto rows = c.Query(
          "SELECT id, user_id FROM events WHERE org_id = ? AND entity_type = ? AND entity_id = ? AND action = ? "
          "ORDER BY id DESC LIMIT 1",
          {actor.org_id, req.entity_type, req.entity_id, req.action});
      if (!rows) return rows.error();
      if (rows->empty()) return {};  // nothing happened: nothing to log or say
      // Insights are private to the officer they are about.
      if (rows->front().Int(1) != actor.user_id) return {};
      return pick(c, rows->front().Int(0));
    });
    if (!st) return st.error();
    return out;
  }
  auto st = db_.Write([&](store::Connection& c) -> Status {
    auto e = events_.Append(c, actor.org_id, actor.user_id, req.action, req.entity_type, req.entity_id,
                            req.metadata, now);
    if (!e) return e.error();
    return pick(c, e->id);
  });
  if (!st) return st.error();
  return out;
}

Result<Settings> Coach::GetSettings(std::int64_t user_id) {
  Settings s;
  auto st = db_.Read([&](store::Connection& c) -> Status {
    auto u = LoadCoachUser(c, user_id);
    if (!u) return u.error();
    s = u->settings;
    return {};
  });
  if (!st) return st.error();
  return s;
}

Result<Settings> Coach::PutSettings(std::int64_t user_id, const Settings& s) {
  TimestampMs now = clock_.Now();
  auto st = db_.Write([&](store::Connection& c) -> Status {
    auto r = c.Exec(
        "INSERT INTO coach_settings (user_id, coach_level, coach_enabled, stale_lead_days, stuck_deal_days, "
        "morning_minutes, pace_nudges, daily_summary, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (user_id) DO UPDATE SET "
        "coach_level = excluded.coach_level, coach_enabled = excluded.coach_enabled, "
        "stale_lead_days = excluded.stale_lead_days, stuck_deal_days = excluded.stuck_deal_days, "
        "morning_minutes = excluded.morning_minutes, pace_nudges = excluded.pace_nudges, "
        "daily_summary = excluded.daily_summary, updated_at = excluded.updated_at",
        {user_id, std::int64_t{s.coach_level}, std::int64_t{s.coach_enabled ? 1 : 0}, std::int64_t{s.stale_lead_days},
         std::int64_t{s.stuck_deal_days}, std::int64_t{s.morning_minutes}, std::int64_t{s.pace_nudges ? 1 : 0},
         std::int64_t{s.daily_summary ? 1 : 0}, now});
    if (!r) return r.error();
    return {};
  });
  if (!st) return st.error();
  if (auto sw = SweepUser(user_id); !sw) return sw.error();
  return s;
}

}  // namespace chosen::coach
