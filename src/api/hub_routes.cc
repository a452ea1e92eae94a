// The accountability hub's views (docs/api.md, "The daily view" onwards).
#include "api/api.h"
#include "api/handlers.h"
#include "crm/query.h"

namespace chosen::api {
namespace {

using http::PathParams;
using http::Request;
using http::Response;

// Whose view: the caller's, or ?user_id= (a manager's team member, anyone in
// an admin's org; the service answers 404 for anyone else).
Result<std::int64_t> Whose(const Request& req, const auth::Authenticated& who) {
  if (auto v = req.Query("user_id"); !v.empty()) return crm::ParseId(v, "user_id");
  return who.user.id;
}

}  // namespace

void Api::RegisterHub(http::Router& router) {
  router.Add("GET", "/api/hub/today",
             Authed([this](const Request& req, const PathParams&, const auth::Authenticated& who) {
               if (auto st = OnlyParams(req, {"user_id"}); !st) return http::ErrorResponse(st.error());
               auto user = Whose(req, who);
               if (!user) return http::ErrorResponse(user.error());
               return Or(daily_.Today(who.user.ToActor(), *user));
             }));
}

}  // namespace chosen::api
