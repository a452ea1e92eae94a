#include "crm/events.h"

#include "common/time_util.h"

namespace chosen::crm {

json::object Event::ToJson() const {
  return {{"id", id},
          {"user_id", user_id},
          {"action", action},
          {"entity_type", entity_type},
          {"entity_id", entity_id ? json::value(entity_id) : json::value(nullptr)},
          {"metadata", metadata},
          {"created_at", FormatIso(created_at)}};
}

Result<Event> EventLog::Append(store::Connection& c, std::int64_t org_id, std::int64_t user_id,
                               std::string_view action, std::string_view entity_type, std::int64_t entity_id,
                               json::object metadata, TimestampMs now, json::object context) const {
  auto id = c.Insert(
      "INSERT INTO events (org_id, user_id, action, entity_type, entity_id, metadata, created_at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?)",
      {org_id, user_id, std::string(action), std::string(entity_type),
       entity_id ? store::Value{entity_id} : store::Value{}, ToJson(metadata), now});
  if (!id) return id.error();
  Event e{id->value(), org_id, user_id, std::string(action), std::string(entity_type), entity_id,
          std::move(metadata), now, std::move(context)};
  for (EventObserver* o : observers_)
    if (auto st = o->OnEvent(c, e); !st) return st.error();
  return e;
}

}  // namespace chosen::crm
