#include "crm/events.h"

namespace chosen::crm {

Status AppendEvent(store::Connection& c, std::int64_t org_id, std::int64_t user_id, std::string_view action,
                   std::string_view entity_type, std::int64_t entity_id, const json::object& metadata,
                   TimestampMs now) {
  auto r = c.Exec(
      "INSERT INTO events (org_id, user_id, action, entity_type, entity_id, metadata, created_at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?)",
      {org_id, user_id, std::string(action), std::string(entity_type), entity_id, ToJson(metadata), now});
  if (!r) return r.error();
  return {};
}

}  // namespace chosen::crm
