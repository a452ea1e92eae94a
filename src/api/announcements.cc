#include "api/announcements.h"

#include <fmt/format.h>

#include "common/time_util.h"
#include "notify/relay.h"

namespace chosen::api {

namespace {

constexpr const char* kColumns = "a.id, a.message, a.author_id, u.name, a.created_at";

json::object ToJson(const store::Row& r) {
  return json::object{{"id", r.Int(0)},
                      {"message", r.Str(1)},
                      {"author", json::object{{"id", r.Int(2)}, {"name", r.Str(3)}}},
                      {"created_at", FormatIso(r.Int(4))}};
}

}  // namespace

Result<json::object> Announcements::Post(const auth::Actor& actor, const json::object& body) {
  if (actor.role == auth::Role::kOfficer) return Error::Forbidden("only managers and admins can post announcements");
  for (const auto& [k, v] : body)
    if (k != "message") return Error::Invalid(fmt::format("unknown field '{}'", std::string_view(k)), std::string(k));
  const json::value* m = body.if_contains("message");
  if (!m || !m->is_string()) return Error::Invalid("message is required (text)", "message");
  std::string message = Trim(m->as_string());
  if (message.empty()) return Error::Invalid("message is empty", "message");
  if (CharCount(message) > kMaxMessage || !IsCleanText(message, /*multiline=*/true))
    return Error::Invalid(fmt::format("message must be at most {} characters of text", kMaxMessage), "message");
  json::object out;
  auto st = db_.Write([&](store::Connection& c) -> Status {
    auto ins = c.Query(
        "INSERT INTO announcements (org_id, author_id, message, created_at) VALUES (?, ?, ?, ?) RETURNING id",
        {actor.org_id, actor.user_id, message, clock_.Now()});
    if (!ins) return ins.error();
    auto rows = c.Query(fmt::format("SELECT {} FROM announcements a JOIN users u ON u.id = a.author_id "
                                    "WHERE a.id = ?",
                                    kColumns),
                        {ins->front().Int(0)});
    if (!rows) return rows.error();
    out = ToJson(rows->front());
    return notify::Relay::PublishToOrg(c, actor.org_id, "announcement", out);
  });
  if (!st) return st.error();
  return out;
}

Result<json::object> Announcements::List(const auth::Actor& actor, int limit, std::int64_t before) {
  json::array items;
  auto st = db_.Read([&](store::Connection& c) -> Status {
    auto rows = c.Query(fmt::format("SELECT {} FROM announcements a JOIN users u ON u.id = a.author_id "
                                    "WHERE a.org_id = ? AND (? <= 0 OR a.id < ?) ORDER BY a.id DESC LIMIT ?",
                                    kColumns),
                        {actor.org_id, before, before, std::int64_t{limit}});
    if (!rows) return rows.error();
    for (const auto& r : *rows) items.push_back(ToJson(r));
    return {};
  });
  if (!st) return st.error();
  json::value next = nullptr;
  if (static_cast<int>(items.size()) == limit) next = items.back().as_object().at("id");
  return json::object{{"items", std::move(items)}, {"next_before", next}};
}

}  // namespace chosen::api
