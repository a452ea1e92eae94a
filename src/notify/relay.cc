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

namespace {

// `to` is "u" (a user id) or "o" (an org id).
Status Send(store::Connection& c, const char* to, std::int64_t id, std::string_view event, const json::value& data) {
  std::string payload = json::serialize(json::object{{to, id}, {"e", event}, {"d", data}});
  if (payload.size() > store::kMaxNotifyPayload)
    payload = json::serialize(json::object{{to, id}, {"e", "resync"}, {"d", json::object{}}});
  return c.Notify(Relay::kChannel, payload);
}

}  // namespace

Status Relay::Publish(store::Connection& c, std::int64_t user_id, std::string_view event, const json::value& data) {
  return Send(c, "u", user_id, event, data);
}

Status Relay::PublishToOrg(store::Connection& c, std::int64_t org_id, std::string_view event,
                           const json::value& data) {
  return Send(c, "o", org_id, event, data);
}

void Relay::Deliver(Hub& hub, std::string_view payload) {
  boost::system::error_code ec;
  json::value v = json::parse(payload, ec);
  const json::object* o = ec ? nullptr : v.if_object();
  const json::value* u = o ? o->if_contains("u") : nullptr;
  const json::value* org = o ? o->if_contains("o") : nullptr;
  const json::value* e = o ? o->if_contains("e") : nullptr;
  const json::value* d = o ? o->if_contains("d") : nullptr;
  const json::value* to = u ? u : org;
  if (!to || !to->is_int64() || (u && org) || !e || !e->is_string() || !d) {
    spdlog::warn("relay: ignoring a notification it cannot read ({} bytes)", payload.size());
    return;
  }
  if (u) hub.Publish(u->as_int64(), e->as_string(), *d);
  else hub.PublishToOrg(org->as_int64(), e->as_string(), *d);
}

}  // namespace chosen::notify
