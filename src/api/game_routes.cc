// Gamification's routes (docs/api.md, "Gamification").
#include <limits>

#include "api/api.h"
#include "api/handlers.h"
#include "crm/query.h"

namespace chosen::api {
namespace {

using http::PathParams;
using http::Request;
using http::Response;

std::string_view Or(std::string_view v, std::string_view fallback) { return v.empty() ? fallback : v; }

}  // namespace

void Api::RegisterGame(http::Router& router) {
  auto body_route = [this](auto call) {
    return Authed([this, call](const Request& req, const PathParams& p, const auth::Authenticated& who) {
      if (auto st = OnlyParams(req, {}); !st) return http::ErrorResponse(st.error());
      auto body = JsonObjectBody(req);
      if (!body) return http::ErrorResponse(body.error());
      return call(p, who.user.ToActor(), *body);
    });
  };
  router.Add("GET", "/api/game/points-table",
             Authed([this](const Request& req, const PathParams&, const auth::Authenticated& who) {
               if (auto st = OnlyParams(req, {}); !st) return http::ErrorResponse(st.error());
               return api::Or(game_.Table(who.user.ToActor()));
             }));
  router.Add("PUT", "/api/game/points-table", body_route([this](const PathParams&, const auth::Actor& a, const json::object& b) {
               return api::Or(game_.PutTable(a, b));
             }));
  router.Add("GET", "/api/game/profile",
             Authed([this](const Request& req, const PathParams&, const auth::Authenticated& who) {
               if (auto st = OnlyParams(req, {"user_id"}); !st) return http::ErrorResponse(st.error());
               auto user = UserParam(req, who.user.id);
               if (!user) return http::ErrorResponse(user.error());
               return api::Or(game_.Profile(who.user.ToActor(), *user));
             }));
  router.Add("GET", "/api/game/ledger",
             Authed([this](const Request& req, const PathParams&, const auth::Authenticated& who) {
               if (auto st = OnlyParams(req, {"user_id", "limit", "before"}); !st) return http::ErrorResponse(st.error());
               auto user = UserParam(req, who.user.id);
               if (!user) return http::ErrorResponse(user.error());
               auto limit = IntParam(req, "limit", 1, 100);
               if (!limit) return http::ErrorResponse(limit.error());
               auto before = IntParam(req, "before", 1, std::numeric_limits<int>::max());
               if (!before) return http::ErrorResponse(before.error());
               return api::Or(game_.Ledger(who.user.ToActor(), *user, limit->value_or(50), before->value_or(0)));
             }));
  router.Add("POST", "/api/game/streak/freeze",
             body_route([this](const PathParams&, const auth::Actor& a, const json::object& b) {
               return api::Or(game_.Freeze(a, b));
             }));
  router.Add("POST", "/api/game/recompute", Authed([this](const Request& req, const PathParams&, const auth::Authenticated& who) {
               if (auto st = OnlyParams(req, {}); !st) return http::ErrorResponse(st.error());
               return api::Or(game_.Recompute(who.user.ToActor()));
             }));
  router.Add("GET", "/api/game/audit", Authed([this](const Request& req, const PathParams&, const auth::Authenticated& who) {
               if (auto st = OnlyParams(req, {}); !st) return http::ErrorResponse(st.error());
               return api::Or(game_.Audit(who.user.ToActor()));
             }));

  router.Add("GET", "/api/game/rewards", Authed([this](const Request& req, const PathParams&, const auth::Authenticated& who) {
               if (auto st = OnlyParams(req, {}); !st) return http::ErrorResponse(st.error());
               return api::Or(rewards_.List(who.user.ToActor()));
             }));
  router.Add("POST", "/api/game/rewards", body_route([this](const PathParams&, const auth::Actor& a, const json::object& b) {
               auto r = rewards_.Create(a, b);
               if (!r) return http::ErrorResponse(r.error());
               return Created(*r, "/api/game/rewards");
             }));
  router.Add("PATCH", "/api/game/rewards/{id}",
             body_route([this](const PathParams& p, const auth::Actor& a, const json::object& b) {
               auto id = crm::ParseId(p.at(0), "id");
               if (!id) return http::ErrorResponse(id.error());
               return api::Or(rewards_.Update(a, *id, b));
             }));
  router.Add("POST", "/api/game/rewards/{id}/redeem",
             body_route([this](const PathParams& p, const auth::Actor& a, const json::object& b) {
               auto id = crm::ParseId(p.at(0), "id");
               if (!id) return http::ErrorResponse(id.error());
               auto r = rewards_.Redeem(a, *id, b);
               if (!r) return http::ErrorResponse(r.error());
               return http::JsonResponse(r->created ? 201 : 200, r->redemption);
             }));
  router.Add("GET", "/api/game/redemptions",
             Authed([this](const Request& req, const PathParams&, const auth::Authenticated& who) {
               if (auto st = OnlyParams(req, {"to_decide"}); !st) return http::ErrorResponse(st.error());
               auto d = req.Query("to_decide");
               if (!d.empty() && d != "true" && d != "false")
                 return http::ErrorResponse(Error::Invalid("to_decide must be true or false", "to_decide"));
               return api::Or(rewards_.Redemptions(who.user.ToActor(), d == "true"));
             }));
  for (const bool approve : {true, false})
    router.Add("POST", approve ? "/api/game/redemptions/{id}/approve" : "/api/game/redemptions/{id}/reject",
               Authed([this, approve](const Request& req, const PathParams& p, const auth::Authenticated& who) {
                 if (auto st = OnlyParams(req, {}); !st) return http::ErrorResponse(st.error());
                 auto id = crm::ParseId(p.at(0), "id");
                 if (!id) return http::ErrorResponse(id.error());
                 json::object body;
                 if (!req.body.empty()) {
                   auto b = JsonObjectBody(req);
                   if (!b) return http::ErrorResponse(b.error());
                   body = std::move(*b);
                 }
                 return api::Or(rewards_.Decide(who.user.ToActor(), *id, approve, body));
               }));

  router.Add("POST", "/api/kudos", body_route([this](const PathParams&, const auth::Actor& a, const json::object& b) {
               auto r = social_.Kudos(a, b);
               if (!r) return http::ErrorResponse(r.error());
               return http::JsonResponse(201, *r);
             }));
  router.Add("GET", "/api/feed", Authed([this](const Request& req, const PathParams&, const auth::Authenticated& who) {
               if (auto st = OnlyParams(req, {"limit", "before"}); !st) return http::ErrorResponse(st.error());
               auto limit = IntParam(req, "limit", 1, 100);
               if (!limit) return http::ErrorResponse(limit.error());
               return api::Or(social_.Feed(who.user.ToActor(), limit->value_or(30), req.Query("before")));
             }));
  router.Add("GET", "/api/game/settings", Authed([this](const Request& req, const PathParams&, const auth::Authenticated& who) {
               if (auto st = OnlyParams(req, {}); !st) return http::ErrorResponse(st.error());
               return api::Or(social_.Settings(who.user.ToActor()));
             }));
  router.Add("PUT", "/api/game/settings", body_route([this](const PathParams&, const auth::Actor& a, const json::object& b) {
               return api::Or(social_.PutSettings(a, b));
             }));
  router.Add("GET", "/api/game/leaderboard",
             Authed([this](const Request& req, const PathParams&, const auth::Authenticated& who) {
               if (auto st = OnlyParams(req, {"metric", "period", "scope"}); !st) return http::ErrorResponse(st.error());
               return api::Or(social_.Leaderboard(who.user.ToActor(), Or(req.Query("metric"), "points"),
                                                  Or(req.Query("period"), "week"), Or(req.Query("scope"), "team")));
             }));
  router.Add("GET", "/api/game/competitions",
             Authed([this](const Request& req, const PathParams&, const auth::Authenticated& who) {
               if (auto st = OnlyParams(req, {}); !st) return http::ErrorResponse(st.error());
               return api::Or(social_.Competitions(who.user.ToActor()));
             }));
  router.Add("POST", "/api/game/competitions",
             body_route([this](const PathParams&, const auth::Actor& a, const json::object& b) {
               auto r = social_.CreateCompetition(a, b);
               if (!r) return http::ErrorResponse(r.error());
               return Created(*r, "/api/game/competitions");
             }));
  router.Add("GET", "/api/game/competitions/{id}",
             Authed([this](const Request& req, const PathParams& p, const auth::Authenticated& who) {
               if (auto st = OnlyParams(req, {}); !st) return http::ErrorResponse(st.error());
               auto id = crm::ParseId(p.at(0), "id");
               if (!id) return http::ErrorResponse(id.error());
               return api::Or(social_.Competition(who.user.ToActor(), *id));
             }));
}

}  // namespace chosen::api
