#include "coach/insight.h"

#include <cctype>

#include <fmt/format.h>

#include "common/time_util.h"

namespace chosen::coach {

const char* TypeName(InsightType t) {
  switch (t) {
    case InsightType::kAction: return "action";
    case InsightType::kTime: return "time";
    case InsightType::kPattern: return "pattern";
  }
  return "action";
}

const char* PriorityName(Priority p) {
  switch (p) {
    case Priority::kLow: return "low";
    case Priority::kMedium: return "medium";
    case Priority::kHigh: return "high";
  }
  return "low";
}

bool PriorityAllowed(int coach_level, Priority p) {
  if (coach_level >= 3) return true;
  if (coach_level == 2) return p != Priority::kLow;
  return p == Priority::kHigh;
}

json::object Settings::ToJson() const {
  return {{"coach_level", coach_level},
          {"coach_enabled", coach_enabled},
          {"stale_lead_days", stale_lead_days},
          {"stuck_deal_days", stuck_deal_days},
          {"morning_push_time", fmt::format("{:02}:{:02}", morning_minutes / 60, morning_minutes % 60)},
          {"pace_nudges", pace_nudges},
          {"daily_summary", daily_summary}};
}

Result<Settings> Settings::FromJson(const json::object& o) {
  Settings s;
  for (const auto& kv : o) {
    std::string_view k = kv.key();
    if (k != "coach_level" && k != "coach_enabled" && k != "stale_lead_days" && k != "stuck_deal_days" &&
        k != "morning_push_time" && k != "pace_nudges" && k != "daily_summary")
      return Error::Invalid(fmt::format("unknown field '{}'", k), std::string(k));
  }
  auto level = GetInt(o, "coach_level", 1, 3);
  if (!level) return level.error();
  if (!*level) return Error::Invalid("coach_level is required (1, 2 or 3)", "coach_level");
  s.coach_level = static_cast<int>(**level);
  for (auto [name, flag] : {std::pair<std::string_view, bool*>{"coach_enabled", &s.coach_enabled},
                             {"pace_nudges", &s.pace_nudges},
                             {"daily_summary", &s.daily_summary}})
    if (auto it = o.find(name); it != o.end() && !it->value().is_null()) {
      if (!it->value().is_bool()) return Error::Invalid(fmt::format("{} must be true or false", name), std::string(name));
      *flag = it->value().as_bool();
    }
  if (auto it = o.find("morning_push_time"); it != o.end() && !it->value().is_null()) {
    // "HH:MM" from 04:00 to 11:00: a morning push, not a midnight one.
    std::string_view t = it->value().is_string() ? std::string_view(it->value().as_string()) : std::string_view();
    int h = -1, m = -1;
    if (t.size() == 5 && t[2] == ':' && std::isdigit(static_cast<unsigned char>(t[0])) &&
        std::isdigit(static_cast<unsigned char>(t[1])) && std::isdigit(static_cast<unsigned char>(t[3])) &&
        std::isdigit(static_cast<unsigned char>(t[4]))) {
      h = (t[0] - '0') * 10 + (t[1] - '0');
      m = (t[3] - '0') * 10 + (t[4] - '0');
    }
    if (h < 0 || m > 59 || h * 60 + m < 4 * 60 || h * 60 + m > 11 * 60)
      return Error::Invalid("morning_push_time must be a time from \"04:00\" to \"11:00\"", "morning_push_time");
    s.morning_minutes = h * 60 + m;
  }
  auto stale = GetInt(o, "stale_lead_days", 1, 30);
  if (!stale) return stale.error();
  if (*stale) s.stale_lead_days = static_cast<int>(**stale);
  auto stuck = GetInt(o, "stuck_deal_days", 1, 60);
  if (!stuck) return stuck.error();
  if (*stuck) s.stuck_deal_days = static_cast<int>(**stuck);
  return s;
}

Result<CoachUser> LoadCoachUser(store::Connection& c, std::int64_t user_id) {
  auto rows = c.Query(
      "SELECT u.org_id, u.timezone, s.coach_level, s.coach_enabled, s.stale_lead_days, s.stuck_deal_days, "
      "s.morning_minutes, s.pace_nudges, s.daily_summary "
      "FROM users u LEFT JOIN coach_settings s ON s.user_id = u.id WHERE u.id = ?",
      {user_id});
  if (!rows) return rows.error();
  if (rows->empty()) return Error::NotFound(fmt::format("user {} not found", user_id));
  const auto& r = rows->front();
  CoachUser u;
  u.user_id = user_id;
  u.org_id = r.Int(0);
  u.timezone = r.Str(1);
  if (!r.IsNull(2)) {
    u.settings.coach_level = static_cast<int>(r.Int(2));
    u.settings.coach_enabled = r.Int(3) != 0;
    u.settings.stale_lead_days = static_cast<int>(r.Int(4));
    u.settings.stuck_deal_days = static_cast<int>(r.Int(5));
    u.settings.morning_minutes = static_cast<int>(r.Int(6));
    u.settings.pace_nudges = r.Int(7) != 0;
    u.settings.daily_summary = r.Int(8) != 0;
  }
  return u;
}

const char* const kInsightColumns =
    "id, type, priority, message, suggested_action, action_params, entity_type, entity_id, seen, dismissed, "
    "created_at, expires_at, rule";

void AppendInsightJson(std::string& out, const store::Row& r) {
  auto text_or_null = [&out, &r](std::size_t i) {
    if (r.IsNull(i)) out += "null";
    else AppendJsonString(out, r.Str(i));
  };
  out += R"({"id":)";
  out += std::to_string(r.Int(0));
  out += R"(,"type":)";
  AppendJsonString(out, r.Str(1));
  out += R"(,"priority":)";
  AppendJsonString(out, r.Str(2));
  out += R"(,"message":)";
  AppendJsonString(out, r.Str(3));
  out += R"(,"suggested_action":)";
  text_or_null(4);
  out += R"(,"action_params":)";
  out += r.IsNull(5) ? std::string("null") : r.Str(5);
  out += R"(,"entity_type":)";
  text_or_null(6);
  out += R"(,"entity_id":)";
  out += r.IsNull(7) ? std::string("null") : std::to_string(r.Int(7));
  out += r.Int(8) != 0 ? R"(,"seen":true)" : R"(,"seen":false)";
  out += r.Int(9) != 0 ? R"(,"dismissed":true)" : R"(,"dismissed":false)";
  out += R"(,"created_at":)";
  AppendJsonString(out, FormatIso(r.Int(10)));
  out += R"(,"expires_at":)";
  if (r.IsNull(11)) out += "null";
  else AppendJsonString(out, FormatIso(r.Int(11)));
  out += R"(,"rule":)";
  AppendJsonString(out, r.Str(12));
  out += '}';
}

json::object InsightRowToJson(const store::Row& r) {
  json::object o;
  o["id"] = r.Int(0);
  o["type"] = r.Str(1);
  o["priority"] = r.Str(2);
  o["message"] = r.Str(3);
  o["suggested_action"] = r.IsNull(4) ? json::value(nullptr) : json::value(r.Str(4));
  json::value params = nullptr;
  if (!r.IsNull(5)) {
    auto parsed = ParseJson(r.Str(5));
    if (parsed) params = std::move(*parsed);
  }
  o["action_params"] = std::move(params);
  o["entity_type"] = r.IsNull(6) ? json::value(nullptr) : json::value(r.Str(6));
  o["entity_id"] = r.IsNull(7) ? json::value(nullptr) : json::value(r.Int(7));
  o["seen"] = r.Int(8) != 0;
  o["dismissed"] = r.Int(9) != 0;
  o["created_at"] = FormatIso(r.Int(10));
  o["expires_at"] = r.IsNull(11) ? json::value(nullptr) : json::value(FormatIso(r.Int(11)));
  o["rule"] = r.Str(12);
  return o;
}

}  // namespace chosen::coach
