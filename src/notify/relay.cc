#include "notify/relay.h"

#include <string>

#include <boost/json.hpp>
#include <spdlog/spdlog.h>

namespace chosen::notify {

namespace json = boost::json;

Result<std::unique_ptr<Relay>> Relay::Start(store::Database& db, Hub& hub) {
  auto listener = db.Listen(kChannel, [&hub](std::string_view payload) { Deliver(hub, payload); });
  if (!listener) return listener.error();
  return std::unique_ptr<Relay>(new Relay(std::move(*listener)));
}

Status Relay::Publish(store::Connection& c, std::int64_t user_id, std::string_view event, const json::value& data) {
  std::string payload = json::serialize(json::object{{"u", user_id}, {"e", event}, {"d", data}});
  if (payload.size() > store::kMaxNotifyPayload)
    payload = json::serialize(json::object{{"u", user_id}, {"e", "resync"}, {"d", json::object{}}});
  return c.Notify(kChannel, payload);
}

void Relay::Deliver(Hub& hub, std::string_view payload) {
  boost::system::error_code ec;
  json::value v = json::parse(payload, ec);
  const json::object* o = ec ? nullptr : v.if_object();
  const json::value* u = o ? o->if_contains("u") : nullptr;
  const json::value* e = o ? o->if_contains("e") : nullptr;
  const json::value* d = o ? o->if_contains("d") : nullptr;
  if (!u || !u->is_int64() || !e || !e->is_string() || !d) {
    spdlog::warn("relay: ignoring a notification it cannot read ({} bytes)", payload.size());
    return;
  }
  hub.Publish(u->as_int64(), e->as_string(), *d);
}

}  // namespace chosen::notify
