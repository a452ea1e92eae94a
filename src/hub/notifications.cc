#include "hub/notifications.h"

#include <fmt/format.h>

#include "common/time_util.h"
#include "notify/relay.h"

namespace chosen::hub {
namespace {

constexpr std::string_view kColumns = "id, kind, title, body, data, created_at, read_at";

json::object NotificationJson(const store::Row& r) {
  json::value data = json::object();
  if (!r.IsNull(4)) {
    json::error_code ec;
    auto parsed = json::parse(r.Str(4), ec);
    if (!ec) data = std::move(parsed);
  }
  return {{"id", r.Int(0)},
          {"kind", r.Str(1)},
          {"title", r.Str(2)},
          {"body", r.Str(3)},
          {"data", std::move(data)},
          {"created_at", FormatIso(r.Int(5))},
          {"read_at", r.IsNull(6) ? json::value(nullptr) : json::value(FormatIso(r.Int(6)))}};
}

Result<std::int64_t> Unread(store::Connection& c, std::int64_t user_id) {
  auto rows = c.Query("SELECT COUNT(*) FROM notifications WHERE user_id = ? AND read_at IS NULL", {user_id});
  if (!rows) return rows.error();
  return rows->front().Int(0);
}

}  // namespace

Result<std::optional<json::object>> Notifications::Add(store::Connection& c, const NewNotification& n) {
  const TimestampMs now = clock_.Now();
  const store::Value key = n.dedupe_key.empty() ? store::Value{} : store::Value{n.dedupe_key};
  // A key already used: no row comes back (two servers racing for one slot
  // both succeed, one of them with nothing to send).
  auto rows = c.Query(fmt::format("INSERT INTO notifications (org_id, user_id, kind, title, body, data, dedupe_key, "
                                  "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (user_id, dedupe_key) "
                                  "DO NOTHING RETURNING {}",
                                  kColumns),
                      {n.org_id, n.user_id, n.kind, n.title, n.body, json::serialize(n.data), key, now});
  if (!rows) return rows.error();
  if (rows->empty()) return std::optional<json::object>();
  json::object out = NotificationJson(rows->front());
  auto unread = Unread(c, n.user_id);
  if (!unread) return unread.error();
  if (auto st = notify::Relay::Publish(c, n.user_id, "notification",
                                       json::object{{"notification", out}, {"unread", *unread}});
      !st)
    return st.error();
  return std::optional<json::object>(std::move(out));
}

Result<json::object> Notifications::List(const auth::Actor& actor, int limit, std::int64_t before, bool unread_only) {
  json::object out;
  auto st = db_.Read([&](store::Connection& c) -> Status {
    std::string sql = fmt::format("SELECT {} FROM notifications WHERE user_id = ?", kColumns);
    std::vector<store::Value> params{actor.user_id};
    if (before > 0) {
      sql += " AND id < ?";
      params.emplace_back(before);
    }
    if (unread_only) sql += " AND read_at IS NULL";
    sql += " ORDER BY id DESC LIMIT ?";
    params.emplace_back(std::int64_t{limit} + 1);
    auto rows = c.Query(sql, params);
    if (!rows) return rows.error();
    json::array items;
    for (std::size_t i = 0; i < rows->size() && i < static_cast<std::size_t>(limit); ++i)
      items.push_back(NotificationJson((*rows)[i]));
    const bool more = rows->size() > static_cast<std::size_t>(limit);
    auto unread = Unread(c, actor.user_id);
    if (!unread) return unread.error();
    out = {{"items", std::move(items)},
           {"unread", *unread},
           {"next_before", more ? json::value((*rows)[static_cast<std::size_t>(limit) - 1].Int(0)) : json::value(nullptr)}};
    return {};
  });
  if (!st) return st.error();
  return out;
}

Result<std::int64_t> Notifications::MarkRead(const auth::Actor& actor, std::int64_t id) {
  std::int64_t unread = 0;
  auto st = db_.Write([&](store::Connection& c) -> Status {
    auto rows = c.Query("SELECT 1 FROM notifications WHERE id = ? AND user_id = ?", {id, actor.user_id});
    if (!rows) return rows.error();
    if (rows->empty()) return Error::NotFound(fmt::format("notification {} not found", id));
    auto r = c.Exec("UPDATE notifications SET read_at = ? WHERE id = ? AND read_at IS NULL", {clock_.Now(), id});
    if (!r) return r.error();
    auto n = Unread(c, actor.user_id);
    if (!n) return n.error();
    unread = *n;
    return {};
  });
  if (!st) return st.error();
  return unread;
}

Result<std::int64_t> Notifications::MarkAllRead(const auth::Actor& actor) {
  auto st = db_.Write([&](store::Connection& c) -> Status {
    auto r = c.Exec("UPDATE notifications SET read_at = ? WHERE user_id = ? AND read_at IS NULL",
                    {clock_.Now(), actor.user_id});
    if (!r) return r.error();
    return {};
  });
  if (!st) return st.error();
  return std::int64_t{0};
}

Status Celebrate(Notifications& notifications, store::Connection& c, std::int64_t org_id, std::int64_t user_id,
                 json::object celebration, std::string dedupe_key) {
  auto added = notifications.Add(c, {org_id, user_id, "celebration", std::string(celebration.at("title").as_string()),
                                     std::string(celebration.at("body").as_string()), celebration,
                                     std::move(dedupe_key)});
  if (!added) return added.error();
  if (!added->has_value()) return {};
  return notify::Relay::Publish(c, user_id, "celebration", celebration);
}

}  // namespace chosen::hub
