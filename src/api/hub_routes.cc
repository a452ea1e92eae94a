// The accountability hub's views (docs/api.md, "The daily view" onwards).
#include <fmt/format.h>

#include "api/api.h"
#include "api/handlers.h"
#include "crm/query.h"

namespace chosen::api {
namespace {

using http::PathParams;
using http::Request;
using http::Response;

// A report as JSON or (?format=html) a printable page that runs no script.
Response ReportResponse(const Result<json::object>& report, std::string_view format,
                        std::string (*html)(const json::object&)) {
  if (!report) return http::ErrorResponse(report.error());
  if (format != "html") return http::JsonResponse(200, *report);
  Response r;
  r.content_type = "text/html; charset=utf-8";
  r.body = html(*report);
  r.headers.emplace_back("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'");
  r.headers.emplace_back("X-Content-Type-Options", "nosniff");
  r.headers.emplace_back("Cache-Control", "no-store");
  return r;
}

Status CheckFormat(const Request& req) {
  auto f = req.Query("format");
  if (!f.empty() && f != "json" && f != "html") return Error::Invalid("format must be json or html", "format");
  return {};
}

}  // namespace

void Api::RegisterHub(http::Router& router) {
  router.Add("GET", "/api/hub/today",
             Authed([this](const Request& req, const PathParams&, const auth::Authenticated& who) {
               if (auto st = OnlyParams(req, {"user_id"}); !st) return http::ErrorResponse(st.error());
               auto user = UserParam(req, who.user.id);
               if (!user) return http::ErrorResponse(user.error());
               return Memoized(MemoKey("today", who.user.id, req), [&](TimestampMs&) -> Result<std::string> {
                 auto today = daily_.Today(who.user.ToActor(), *user);
                 if (!today) return today.error();
                 return json::serialize(*today);
               });
             }));
  router.Add("GET", "/api/plan", Authed([this](const Request& req, const PathParams&, const auth::Authenticated& who) {
               if (auto st = OnlyParams(req, {"user_id", "week"}); !st) return http::ErrorResponse(st.error());
               auto user = UserParam(req, who.user.id);
               if (!user) return http::ErrorResponse(user.error());
               return Or(weekly_.Plan(who.user.ToActor(), *user, std::string(req.Query("week"))));
             }));
  router.Add("POST", "/api/plan", Authed([this](const Request& req, const PathParams&, const auth::Authenticated& who) {
               if (auto st = OnlyParams(req, {}); !st) return http::ErrorResponse(st.error());
               auto body = JsonObjectBody(req);
               if (!body) return http::ErrorResponse(body.error());
               auto item = weekly_.AddItem(who.user.ToActor(), *body);
               if (!item) return http::ErrorResponse(item.error());
               return Created(*item, "/api/plan");
             }),
             kSharesCommit);
  router.Add("PATCH", "/api/plan/{id}",
             Authed([this](const Request& req, const PathParams& p, const auth::Authenticated& who) {
               if (auto st = OnlyParams(req, {}); !st) return http::ErrorResponse(st.error());
               auto id = crm::ParseId(p.at(0), "id");
               if (!id) return http::ErrorResponse(id.error());
               auto body = JsonObjectBody(req);
               if (!body) return http::ErrorResponse(body.error());
               return Or(weekly_.UpdateItem(who.user.ToActor(), *id, *body));
             }),
             kSharesCommit);
  router.Add("DELETE", "/api/plan/{id}",
             Authed([this](const Request& req, const PathParams& p, const auth::Authenticated& who) {
               if (auto st = OnlyParams(req, {}); !st) return http::ErrorResponse(st.error());
               auto id = crm::ParseId(p.at(0), "id");
               if (!id) return http::ErrorResponse(id.error());
               if (auto st = weekly_.DeleteItem(who.user.ToActor(), *id); !st) return http::ErrorResponse(st.error());
               return NoContent();
             }),
             kSharesCommit);
  router.Add("GET", "/api/hub/week",
             Authed([this](const Request& req, const PathParams&, const auth::Authenticated& who) {
               if (auto st = OnlyParams(req, {"user_id", "week"}); !st) return http::ErrorResponse(st.error());
               auto user = UserParam(req, who.user.id);
               if (!user) return http::ErrorResponse(user.error());
               return Or(weekly_.Week(who.user.ToActor(), *user, std::string(req.Query("week"))));
             }));
  // The teams a caller may pick for a roll-up: every team of an admin's
  // org; a manager's or officer's own.
  router.Add("GET", "/api/teams", Authed([this](const Request& req, const PathParams&, const auth::Authenticated& who) {
               if (auto st = OnlyParams(req, {}); !st) return http::ErrorResponse(st.error());
               const bool admin = who.user.role == auth::Role::kAdmin;
               json::array items;
               auto st = db_.Read([&](store::Connection& c) -> Status {
                 auto rows = c.Query(
                     fmt::format("SELECT t.id, t.name, (SELECT COUNT(*) FROM users u WHERE u.team_id = t.id) FROM "
                                 "teams t WHERE t.org_id = ?{} ORDER BY t.name, t.id",
                                 admin ? "" : " AND t.id = ?"),
                     admin ? std::vector<store::Value>{who.user.org_id}
                           : std::vector<store::Value>{who.user.org_id, who.user.team_id});
                 if (!rows) return rows.error();
                 for (const auto& r : *rows)
                   items.push_back(json::object{{"id", r.Int(0)}, {"name", r.Str(1)}, {"members", r.Int(2)}});
                 return {};
               });
               if (!st) return http::ErrorResponse(st.error());
               return http::JsonResponse(200, json::object{{"items", std::move(items)}});
             }));
  // The org's people, to pick a colleague (kudos) or a team member: names,
  // teams and roles only; nobody's records.
  router.Add("GET", "/api/users", Authed([this](const Request& req, const PathParams&, const auth::Authenticated& who) {
               if (auto st = OnlyParams(req, {}); !st) return http::ErrorResponse(st.error());
               json::array items;
               auto st = db_.Read([&](store::Connection& c) -> Status {
                 auto rows = c.Query("SELECT u.id, u.name, u.role, t.id, t.name FROM users u LEFT JOIN teams t ON t.id = "
                                     "u.team_id WHERE u.org_id = ? ORDER BY u.name, u.id LIMIT 5000",
                                     {who.user.org_id});
                 if (!rows) return rows.error();
                 for (const auto& r : *rows)
                   items.push_back(json::object{
                       {"id", r.Int(0)},
                       {"name", r.Str(1)},
                       {"role", r.Str(2)},
                       {"team", r.IsNull(3) ? json::value(nullptr) : json::value(json::object{{"id", r.Int(3)}, {"name", r.Str(4)}})}});
                 return {};
               });
               if (!st) return http::ErrorResponse(st.error());
               return http::JsonResponse(200, json::object{{"items", std::move(items)}});
             }));
  router.Add("GET", "/api/hub/month",
             Authed([this](const Request& req, const PathParams&, const auth::Authenticated& who) {
               if (auto st = OnlyParams(req, {"user_id", "month"}); !st) return http::ErrorResponse(st.error());
               auto user = UserParam(req, who.user.id);
               if (!user) return http::ErrorResponse(user.error());
               return Or(monthly_.Month(who.user.ToActor(), *user, std::string(req.Query("month"))));
             }));
  router.Add("GET", "/api/hub/reports/monthly",
             Authed([this](const Request& req, const PathParams&, const auth::Authenticated& who) {
               if (auto st = OnlyParams(req, {"user_id", "month", "format"}); !st) return http::ErrorResponse(st.error());
               if (auto st = CheckFormat(req); !st) return http::ErrorResponse(st.error());
               auto user = UserParam(req, who.user.id);
               if (!user) return http::ErrorResponse(user.error());
               return ReportResponse(monthly_.Report(who.user.ToActor(), *user, std::string(req.Query("month"))),
                                     req.Query("format"), &hub::Monthly::ReportHtml);
             }));
  router.Add("GET", "/api/hub/reports/team",
             Authed([this](const Request& req, const PathParams&, const auth::Authenticated& who) {
               if (auto st = OnlyParams(req, {"team_id", "month", "format"}); !st) return http::ErrorResponse(st.error());
               if (auto st = CheckFormat(req); !st) return http::ErrorResponse(st.error());
               std::int64_t team = 0;
               if (auto v = req.Query("team_id"); !v.empty()) {
                 auto id = crm::ParseId(v, "team_id");
                 if (!id) return http::ErrorResponse(id.error());
                 team = *id;
               }
               return ReportResponse(monthly_.Team(who.user.ToActor(), team, std::string(req.Query("month"))),
                                     req.Query("format"), &hub::Monthly::TeamHtml);
             }));
  router.Add("GET", "/api/hub/peers",
             Authed([this](const Request& req, const PathParams&, const auth::Authenticated& who) {
               if (auto st = OnlyParams(req, {"scope", "period"}); !st) return http::ErrorResponse(st.error());
               auto scope = req.Query("scope"), period = req.Query("period");
               return Or(weekly_.Peers(who.user.ToActor(), scope.empty() ? "team" : scope,
                                       period.empty() ? "week" : period));
             }));
}

}  // namespace chosen::api
