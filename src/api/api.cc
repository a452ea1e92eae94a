#include "api/api.h"
#include "api/handlers.h"

#include <algorithm>
#include <charconv>
#include <limits>
#include <optional>
#include <stdexcept>

#include <fmt/format.h>
#include <sodium.h>

#include "common/time_util.h"
#include "crm/resources.h"
#include "http/event_stream.h"
#include "transfer/transfer.h"

namespace chosen::api {
namespace {

using http::PathParams;
using http::Request;
using http::Response;

constexpr const char* kSessionCookie = "chosen_session";

bool IsUnsafe(const std::string& method) { return method != "GET" && method != "HEAD" && method != "OPTIONS"; }

std::string CookieValue(std::string_view header, std::string_view name) {
  while (!header.empty()) {
    auto semi = header.find(';');
    std::string_view part = header.substr(0, semi);
    while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
    if (part.size() > name.size() && part.starts_with(name) && part[name.size()] == '=')
      return std::string(part.substr(name.size() + 1));
    if (semi == std::string_view::npos) break;
    header.remove_prefix(semi + 1);
  }
  return {};
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace

Api::Api(store::Database& db, const Clock& clock, std::size_t memo_bytes)
    : db_(db),
      clock_(clock),
      memo_(memo_bytes),
      accounts_(std::make_unique<auth::Accounts>(db, clock)),
      coach_(std::make_unique<coach::Coach>(db, clock, events_)),
      contacts_(crm::MakeContacts(db, clock, events_)),
      deals_(crm::MakeDeals(db, clock, events_)),
      tasks_(crm::MakeTasks(db, clock, events_)),
      activities_(crm::MakeActivities(db, clock, events_)),
      announcements_(db, clock),
      patterns_(db, clock),
      leads_(db, clock),
      goals_(db, clock),
      notifications_(db, clock),
      must_do_(db, clock, leads_),
      live_(notifications_),
      daily_(db, clock, must_do_),
      jobs_(db, clock, must_do_, notifications_),
      weekly_(db, clock),
      monthly_(db, clock),
      game_(db, clock, notifications_),
      rewards_(db, clock, notifications_),
      social_(db, clock, notifications_) {
  events_.AddObserver(&live_);
  events_.AddObserver(&game_);
  // Insight changes reach the officer's open tabs, on every server sharing
  // the database, once they are committed.
  auto relay = notify::Relay::Start(db, hub_);
  if (!relay) throw std::runtime_error("cannot listen for notifications: " + relay.error().message);
  relay_ = std::move(*relay);
  coach_->SetPublisher(&notify::Relay::Publish);
}

Api::~Api() = default;

http::Handler Api::Authed(AuthedHandler h) {
  return [this, h = std::move(h)](const Request& req, const PathParams& params) -> Response {
    Result<auth::Authenticated> who = Error{ErrorCode::kUnauthenticated, "log in or send an API token", {}};
    if (std::string_view a = req.authorization; !a.empty()) {
      if (!a.starts_with("Bearer ") || a.size() <= 7)
        return http::ErrorResponse({ErrorCode::kUnauthenticated, "Authorization must be 'Bearer <token>'", {}});
      who = accounts_->AuthenticateBearer(a.substr(7));
    } else if (std::string token = CookieValue(req.cookie, kSessionCookie); !token.empty()) {
      who = accounts_->AuthenticateSession(token);
      // A browser session must prove the request came from our own page.
      if (who && IsUnsafe(req.method) && !ConstantTimeEquals(req.csrf_token, who->csrf_token))
        return http::ErrorResponse(
            Error::Forbidden("missing or wrong X-CSRF-Token header (get it from POST /api/auth/login or GET /api/me)"));
    }
    if (!who) return http::ErrorResponse(who.error());
    return h(req, params, *who);
  };
}

http::Response Api::Memoized(const std::string& key,
                             const std::function<Result<std::string>(TimestampMs& valid_until)>& render) {
  const TimestampMs now = clock_.Now();
  std::optional<std::string> stamp;
  if (memo_.max_bytes() > 0) {
    // Read before rendering: the render sees this state or a newer one, and
    // a newer one only ever makes the stored stamp older than it need be.
    if (auto s = db_.ChangeStamp()) {
      if (auto body = memo_.Find(key, *s, now)) return JsonText(std::move(*body));
      stamp = std::move(*s);
    }
  }
  constexpr TimestampMs kQuarterHour = 15 * kMsPerMinute;
  TimestampMs valid_until = std::min(now + kMemoMaxAge, (now / kQuarterHour + 1) * kQuarterHour);
  auto body = render(valid_until);
  if (!body) return http::ErrorResponse(body.error());
  if (stamp) memo_.Store(key, std::move(*stamp), valid_until, *body);
  return JsonText(std::move(*body));
}

std::function<void(std::function<http::Response()>, std::function<void(http::Response)>)> Api::SharedCommit() {
  if (!db_.SharesCommits()) return {};
  return [this](std::function<http::Response()> job, std::function<void(http::Response)> done) {
    auto res = std::make_shared<http::Response>();
    db_.Submit([job = std::move(job), res] { *res = job(); },
               [res, done = std::move(done)](Status committed) {
                 if (!committed) *res = http::ErrorResponse(committed.error());
                 done(std::move(*res));
               });
  };
}

void Api::RegisterResource(http::Router& router, const std::string& base, crm::Resource& res) {
  auto id_of = [](const PathParams& p) { return crm::ParseId(p.at(0), "id"); };
  router.Add("GET", base, Authed([this, &res, base](const Request& req, const PathParams&, const auth::Authenticated& who) {
               return Memoized(MemoKey(base, who.user.id, req), [&](TimestampMs&) -> Result<std::string> {
                 auto page = res.List(who.user.ToActor(), req.query);
                 if (!page) return page.error();
                 return page->Body();
               });
             }));
  router.Add("POST", base, Authed([&res, base](const Request& req, const PathParams&, const auth::Authenticated& who) {
               auto body = JsonObjectBody(req);
               if (!body) return http::ErrorResponse(body.error());
               auto created = res.Create(who.user.ToActor(), *body);
               if (!created) return http::ErrorResponse(created.error());
               return Created(*created, base);
             }),
             kSharesCommit);
  std::string item = base + "/{id}";
  router.Add("GET", item, Authed([&res, id_of](const Request&, const PathParams& p, const auth::Authenticated& who) {
               auto id = id_of(p);
               if (!id) return http::ErrorResponse(id.error());
               return Or(res.Get(who.user.ToActor(), *id));
             }));
  if (!res.spec().mutable_after_create) return;
  for (const char* method : {"PATCH", "PUT"}) {
    bool replace = std::string_view(method) == "PUT";
    router.Add(method, item,
               Authed([&res, id_of, replace](const Request& req, const PathParams& p, const auth::Authenticated& who) {
                 auto id = id_of(p);
                 if (!id) return http::ErrorResponse(id.error());
                 auto body = JsonObjectBody(req);
                 if (!body) return http::ErrorResponse(body.error());
                 return Or(res.Update(who.user.ToActor(), *id, *body, replace));
               }),
             kSharesCommit);
  }
  router.Add("DELETE", item, Authed([&res, id_of](const Request&, const PathParams& p, const auth::Authenticated& who) {
               auto id = id_of(p);
               if (!id) return http::ErrorResponse(id.error());
               auto st = res.Delete(who.user.ToActor(), *id);
               if (!st) return http::ErrorResponse(st.error());
               return NoContent();
             }),
             kSharesCommit);
}

void Api::Register(http::Router& router) {
  router.Add("GET", "/healthz", [this](const Request&, const PathParams&) {
    auto st = db_.Read([](store::Connection& c) -> Status {
      auto r = c.Query("SELECT 1");
      if (!r) return r.error();
      return {};
    });
    if (!st) return http::ErrorResponse({ErrorCode::kUnavailable, "database unavailable", {}});
    return http::JsonResponse(200, json::object{{"status", "ok"}, {"time", FormatIso(clock_.Now())}});
  });
  router.Add("GET", "/", [](const Request&, const PathParams&) {
    return http::JsonResponse(200, json::object{{"name", "ChosenCRM"},
                                                {"api", "/api"},
                                                {"health", "/healthz"},
                                                {"docs", "docs/api.md in the repository"}});
  });

  router.Add("POST", "/api/auth/login", [this](const Request& req, const PathParams&) {
    auto body = JsonObjectBody(req);
    if (!body) return http::ErrorResponse(body.error());
    auto email = RequireString(*body, "email", 254);
    if (!email) return http::ErrorResponse(email.error());
    auto pw = body->find("password");
    if (pw == body->end() || !pw->value().is_string() || pw->value().as_string().empty())
      return http::ErrorResponse(Error::Invalid("password is required", "password"));
    std::int64_t retry_after = 0;
    auto login = accounts_->Login(*email, pw->value().as_string(), req.remote_address, &retry_after);
    if (!login) {
      Response r = http::ErrorResponse(login.error());
      if (retry_after > 0) r.headers.emplace_back("Retry-After", std::to_string(retry_after));
      return r;
    }
    Response r = http::JsonResponse(200, json::object{{"user", login->user.ToJson()},
                                                      {"csrf_token", login->csrf_token},
                                                      {"expires_at", FormatIso(login->expires_at)}});
    r.headers.emplace_back("Set-Cookie", fmt::format("{}={}; Path=/; HttpOnly; SameSite=Strict; Max-Age={}",
                                                     kSessionCookie, login->session_token,
                                                     auth::Accounts::kSessionLifetimeMs / 1000));
    return r;
  });
  router.Add("POST", "/api/auth/logout",
             Authed([this](const Request& req, const PathParams&, const auth::Authenticated& who) {
               if (who.via_cookie) {
                 auto st = accounts_->Logout(CookieValue(req.cookie, kSessionCookie));
                 if (!st) return http::ErrorResponse(st.error());
               }
               Response r = Success();
               r.headers.emplace_back("Set-Cookie",
                                      fmt::format("{}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0", kSessionCookie));
               return r;
             }));
  router.Add("GET", "/api/me", Authed([](const Request&, const PathParams&, const auth::Authenticated& who) {
               json::object o = who.user.ToJson();
               if (who.via_cookie) o["csrf_token"] = who.csrf_token;
               return http::JsonResponse(200, o);
             }));
  router.Add("PATCH", "/api/me", Authed([this](const Request& req, const PathParams&, const auth::Authenticated& who) {
               auto body = JsonObjectBody(req);
               if (!body) return http::ErrorResponse(body.error());
               auto u = accounts_->UpdateProfile(who.user.ToActor(), *body);
               if (!u) return http::ErrorResponse(u.error());
               return http::JsonResponse(200, u->ToJson());
             }));

  RegisterResource(router, "/api/contacts", *contacts_);
  RegisterResource(router, "/api/deals", *deals_);
  RegisterResource(router, "/api/tasks", *tasks_);
  router.Add("POST", "/api/activities/bulk",
             Authed([this](const Request& req, const PathParams&, const auth::Authenticated& who) {
               auto body = JsonBody(req);
               if (!body) return http::ErrorResponse(body.error());
               if (!body->is_array())
                 return http::ErrorResponse(Error::Invalid("the request body must be a JSON array of activities"));
               const auto& arr = body->as_array();
               if (arr.empty()) return http::ErrorResponse(Error::Invalid("the array of activities is empty"));
               if (arr.size() > kMaxBulkActivities)
                 return http::ErrorResponse(Error::Invalid(
                     fmt::format("at most {} activities per request; split the batch", kMaxBulkActivities)));
               auto ids = activities_->CreateMany(who.user.ToActor(), arr);
               if (!ids) return http::ErrorResponse(ids.error());
               json::array out(ids->begin(), ids->end());
               return http::JsonResponse(201, json::object{{"created", ids->size()}, {"ids", std::move(out)}});
             }));
  RegisterResource(router, "/api/activities", *activities_);
  RegisterImport(router);
  RegisterAnnouncements(router);
  RegisterGoals(router);
  RegisterNotifications(router);
  RegisterHub(router);
  RegisterGame(router);
  RegisterCoach(router);
  router.Add("GET", "/api/events", Authed([this](const Request& req, const PathParams&, const auth::Authenticated& who) {
               auto page = crm::ListEvents(db_, who.user.ToActor(), req.query);
               if (!page) return http::ErrorResponse(page.error());
               return JsonText(page->Body());
             }));
}

void Api::RegisterImport(http::Router& router) {
  // JSON lines (docs/import-format.md) into the caller's org; admins only.
  router.Add("POST", "/api/import", Authed([this](const Request& req, const PathParams&, const auth::Authenticated& who) {
               if (who.user.role != auth::Role::kAdmin)
                 return http::ErrorResponse(Error::Forbidden("only admins can import"));
               if (auto st = OnlyParams(req, {"partial"}); !st) return http::ErrorResponse(st.error());
               bool partial = false;
               if (auto v = req.Query("partial"); !v.empty()) {
                 auto b = crm::ParseBool(v, "partial");
                 if (!b) return http::ErrorResponse(b.error());
                 partial = *b;
               }
               std::string ct = ToLower(req.content_type);
               if (!ct.starts_with("application/x-ndjson") && !ct.starts_with("application/jsonl"))
                 return http::ErrorResponse(
                     {ErrorCode::kUnsupportedMediaType,
                      fmt::format("Content-Type must be application/x-ndjson or application/jsonl, not '{}'",
                                  req.content_type),
                      {}});
               if (req.body.empty())
                 return http::ErrorResponse(Error::Invalid("the request body is empty; send JSON lines"));
               auto report = transfer::Import(db_, clock_, req.body, {.org = who.user.org_name, .partial = partial});
               if (!report) return http::ErrorResponse(report.error());
               if (report->committed) return http::JsonResponse(200, report->ToJson());
               // Not one line was written: a 400 naming the first bad line, with the report.
               json::object error{{"code", ErrorCodeName(ErrorCode::kInvalidArgument)}};
               if (!report->errors.empty()) {
                 const transfer::LineError& first = report->errors.front();
                 std::string more = report->error_count > 1
                                        ? fmt::format(" (and {} more invalid lines)", report->error_count - 1)
                                        : "";
                 error["message"] = fmt::format("{}{}; nothing was imported", first.ToString(), more);
                 error["field"] = first.field.empty() ? fmt::format("line {}", first.line)
                                                      : fmt::format("line {}.{}", first.line, first.field);
               } else {
                 error["message"] = "invalid lines; nothing was imported";
               }
               return http::JsonResponse(400, json::object{{"error", std::move(error)}, {"report", report->ToJson()}});
             }));
}

void Api::RegisterGoals(http::Router& router) {
  router.Add("GET", "/api/goals",
             Authed([this](const Request& req, const PathParams&, const auth::Authenticated& who) {
               if (auto st = OnlyParams(req, {"user_id"}); !st) return http::ErrorResponse(st.error());
               auto user = UserParam(req, who.user.id);
               if (!user) return http::ErrorResponse(user.error());
               auto items = goals_.List(who.user.ToActor(), *user);
               if (!items) return http::ErrorResponse(items.error());
               return http::JsonResponse(200, json::object{{"items", std::move(*items)}});
             }));
  router.Add("PUT", "/api/goals", Authed([this](const Request& req, const PathParams&, const auth::Authenticated& who) {
               if (auto st = OnlyParams(req, {}); !st) return http::ErrorResponse(st.error());
               auto body = JsonObjectBody(req);
               if (!body) return http::ErrorResponse(body.error());
               return Or(goals_.Put(who.user.ToActor(), *body));
             }));
  router.Add("DELETE", "/api/goals/{id}",
             Authed([this](const Request& req, const PathParams& p, const auth::Authenticated& who) {
               if (auto st = OnlyParams(req, {}); !st) return http::ErrorResponse(st.error());
               auto id = crm::ParseId(p.at(0), "id");
               if (!id) return http::ErrorResponse(id.error());
               if (auto st = goals_.Delete(who.user.ToActor(), *id); !st) return http::ErrorResponse(st.error());
               return NoContent();
             }));
  router.Add("GET", "/api/goals/progress",
             Authed([this](const Request& req, const PathParams&, const auth::Authenticated& who) {
               if (auto st = OnlyParams(req, {"user_id", "period"}); !st) return http::ErrorResponse(st.error());
               auto period = hub::ParsePeriod(req.Query("period").empty() ? "day" : req.Query("period"));
               if (!period)
                 return http::ErrorResponse(Error::Invalid("period must be one of: day, week, month, cycle", "period"));
               auto user = UserParam(req, who.user.id);
               if (!user) return http::ErrorResponse(user.error());
               return Or(goals_.Progress(who.user.ToActor(), *user, *period));
             }));
}

void Api::RegisterNotifications(http::Router& router) {
  router.Add("GET", "/api/hub/must-do",
             Authed([this](const Request& req, const PathParams&, const auth::Authenticated& who) {
               if (auto st = OnlyParams(req, {"user_id", "limit"}); !st) return http::ErrorResponse(st.error());
               auto limit = IntParam(req, "limit", 1, 10);
               if (!limit) return http::ErrorResponse(limit.error());
               auto user = UserParam(req, who.user.id);
               if (!user) return http::ErrorResponse(user.error());
               return Or(must_do_.Today(who.user.ToActor(), *user, limit->value_or(hub::MustDo::kCount)));
             }));
  router.Add("GET", "/api/notifications",
             Authed([this](const Request& req, const PathParams&, const auth::Authenticated& who) {
               if (auto st = OnlyParams(req, {"limit", "before", "unread"}); !st) return http::ErrorResponse(st.error());
               auto limit = IntParam(req, "limit", 1, hub::Notifications::kMaxLimit);
               if (!limit) return http::ErrorResponse(limit.error());
               auto before = IntParam(req, "before", 1, std::numeric_limits<int>::max());
               if (!before) return http::ErrorResponse(before.error());
               const auto unread = req.Query("unread");
               if (!unread.empty() && unread != "true" && unread != "false")
                 return http::ErrorResponse(Error::Invalid("unread must be true or false", "unread"));
               return Or(notifications_.List(who.user.ToActor(), limit->value_or(20), before->value_or(0),
                                             unread == "true"));
             }));
  router.Add("POST", "/api/notifications/{id}/read",
             Authed([this](const Request& req, const PathParams& p, const auth::Authenticated& who) {
               if (auto st = OnlyParams(req, {}); !st) return http::ErrorResponse(st.error());
               auto id = crm::ParseId(p.at(0), "id");
               if (!id) return http::ErrorResponse(id.error());
               auto unread = notifications_.MarkRead(who.user.ToActor(), *id);
               if (!unread) return http::ErrorResponse(unread.error());
               return http::JsonResponse(200, json::object{{"success", true}, {"unread", *unread}});
             }),
             kSharesCommit);
  router.Add("POST", "/api/notifications/read-all",
             Authed([this](const Request& req, const PathParams&, const auth::Authenticated& who) {
               if (auto st = OnlyParams(req, {}); !st) return http::ErrorResponse(st.error());
               auto unread = notifications_.MarkAllRead(who.user.ToActor());
               if (!unread) return http::ErrorResponse(unread.error());
               return http::JsonResponse(200, json::object{{"success", true}, {"unread", *unread}});
             }),
             kSharesCommit);
}

void Api::RegisterAnnouncements(http::Router& router) {
  router.Add("POST", "/api/announcements",
             Authed([this](const Request& req, const PathParams&, const auth::Authenticated& who) {
               if (auto st = OnlyParams(req, {}); !st) return http::ErrorResponse(st.error());
               auto body = JsonObjectBody(req);
               if (!body) return http::ErrorResponse(body.error());
               auto posted = announcements_.Post(who.user.ToActor(), *body);
               if (!posted) return http::ErrorResponse(posted.error());
               return Created(*posted, "/api/announcements");
             }));
  router.Add("GET", "/api/announcements",
             Authed([this](const Request& req, const PathParams&, const auth::Authenticated& who) {
               if (auto st = OnlyParams(req, {"limit", "before"}); !st) return http::ErrorResponse(st.error());
               auto limit = IntParam(req, "limit", 1, Announcements::kMaxPage);
               if (!limit) return http::ErrorResponse(limit.error());
               auto before = IntParam(req, "before", 1, std::numeric_limits<int>::max());
               if (!before) return http::ErrorResponse(before.error());
               return Or(announcements_.List(who.user.ToActor(), limit->value_or(20), before->value_or(0)));
             }));
}

void Api::RegisterCoach(http::Router& router) {
  router.Add("POST", "/api/coach/check",
             Authed([this](const Request& req, const PathParams&, const auth::Authenticated& who) {
               if (auto st = OnlyParams(req, {"coach_level"}); !st) return http::ErrorResponse(st.error());
               auto level = IntParam(req, "coach_level", 1, 3);
               if (!level) return http::ErrorResponse(level.error());
               auto body = JsonObjectBody(req);
               if (!body) return http::ErrorResponse(body.error());
               auto check = coach::CheckRequest::FromJson(*body);
               if (!check) return http::ErrorResponse(check.error());
               // The action is logged either way; a disabled coach says nothing.
               return Or(coach_->Check(who.user.ToActor(), *check, *level));
             }),
             kSharesCommit);
  // The pattern engine's findings: the caller's, or (user_id) a team
  // member's for a manager, anyone's in the org for an admin.
  auto pattern_target = [](const Request& req, const auth::Authenticated& who) -> Result<std::int64_t> {
    if (auto st = OnlyParams(req, {"user_id"}); !st) return st.error();
    if (auto v = req.Query("user_id"); !v.empty()) return crm::ParseId(v, "user_id");
    return who.user.id;
  };
  router.Add("GET", "/api/coach/patterns",
             Authed([this, pattern_target](const Request& req, const PathParams&, const auth::Authenticated& who) {
               // ?team_id=: a team's pooled findings, for its manager or an admin.
               if (auto team = req.Query("team_id"); !team.empty()) {
                 if (auto st = OnlyParams(req, {"team_id"}); !st) return http::ErrorResponse(st.error());
                 auto id = crm::ParseId(team, "team_id");
                 if (!id) return http::ErrorResponse(id.error());
                 return Or(patterns_.Team(who.user.ToActor(), *id));
               }
               auto target = pattern_target(req, who);
               if (!target) return http::ErrorResponse(target.error());
               return Or(patterns_.Get(who.user.ToActor(), *target));
             }));
  router.Add("GET", "/api/contacts/{id}/best-time",
             Authed([this](const Request& req, const PathParams& p, const auth::Authenticated& who) {
               if (auto st = OnlyParams(req, {}); !st) return http::ErrorResponse(st.error());
               auto id = crm::ParseId(p.at(0), "id");
               if (!id) return http::ErrorResponse(id.error());
               return Or(patterns_.BestTime(who.user.ToActor(), *id));
             }));
  router.Add("POST", "/api/coach/patterns/refresh",
             Authed([this, pattern_target](const Request& req, const PathParams&, const auth::Authenticated& who) {
               auto target = pattern_target(req, who);
               if (!target) return http::ErrorResponse(target.error());
               auto fresh = patterns_.Refresh(who.user.ToActor(), *target);
               if (!fresh) return http::ErrorResponse(fresh.error());
               // Their pattern insights follow the new findings at once.
               if (auto st = coach_->SweepUser(*target); !st) return http::ErrorResponse(st.error());
               return http::JsonResponse(200, *fresh);
             }));
  // The org's lead priority model and an officer's open leads ranked by it.
  router.Add("GET", "/api/coach/lead-model",
             Authed([this](const Request& req, const PathParams&, const auth::Authenticated& who) {
               if (auto st = OnlyParams(req, {}); !st) return http::ErrorResponse(st.error());
               return Or(leads_.Get(who.user.ToActor()));
             }));
  router.Add("POST", "/api/coach/lead-model/refresh",
             Authed([this](const Request& req, const PathParams&, const auth::Authenticated& who) {
               if (auto st = OnlyParams(req, {}); !st) return http::ErrorResponse(st.error());
               if (who.user.role == auth::Role::kOfficer)
                 return http::ErrorResponse(Error::Forbidden("only a manager or an admin can retrain the lead model"));
               return Or(leads_.Refresh(who.user.org_id));
             }));
  router.Add("GET", "/api/coach/lead-scores",
             Authed([this](const Request& req, const PathParams&, const auth::Authenticated& who) {
               if (auto st = OnlyParams(req, {"user_id", "limit"}); !st) return http::ErrorResponse(st.error());
               auto limit = IntParam(req, "limit", 1, pattern::LeadModels::kMaxLimit);
               if (!limit) return http::ErrorResponse(limit.error());
               std::int64_t target = who.user.id;
               if (auto v = req.Query("user_id"); !v.empty()) {
                 auto id = crm::ParseId(v, "user_id");
                 if (!id) return http::ErrorResponse(id.error());
                 target = *id;
               }
               return Or(leads_.Scores(who.user.ToActor(), target, limit->value_or(20)));
             }));
  router.Add("GET", "/api/contacts/{id}/score",
             Authed([this](const Request& req, const PathParams& p, const auth::Authenticated& who) {
               if (auto st = OnlyParams(req, {}); !st) return http::ErrorResponse(st.error());
               auto id = crm::ParseId(p.at(0), "id");
               if (!id) return http::ErrorResponse(id.error());
               return Or(leads_.ContactScore(who.user.ToActor(), *id));
             }));
  router.Add("GET", "/api/coach/insights",
             Authed([this](const Request& req, const PathParams&, const auth::Authenticated& who) {
               if (auto st = OnlyParams(req, {"coach_level", "stale_lead_days", "stuck_deal_days", "limit",
                                              "include_seen"});
                   !st)
                 return http::ErrorResponse(st.error());
               auto level = IntParam(req, "coach_level", 1, 3);
               if (!level) return http::ErrorResponse(level.error());
               auto stale = IntParam(req, "stale_lead_days", 1, 30);
               if (!stale) return http::ErrorResponse(stale.error());
               auto stuck = IntParam(req, "stuck_deal_days", 1, 60);
               if (!stuck) return http::ErrorResponse(stuck.error());
               auto limit = IntParam(req, "limit", 1, 50);
               if (!limit) return http::ErrorResponse(limit.error());
               bool include_seen = false;
               if (auto v = req.Query("include_seen"); !v.empty()) {
                 auto b = crm::ParseBool(v, "include_seen");
                 if (!b) return http::ErrorResponse(b.error());
                 include_seen = *b;
               }
               // Thresholds given per request (the plan's front end sends them
               // on every poll) only cost a sweep when they differ from the
               // stored ones; otherwise this is one read: settings and the
               // pending insights.
               if (*stale || *stuck) {
                 auto settings = coach_->GetSettings(who.user.id);
                 if (!settings) return http::ErrorResponse(settings.error());
                 coach::Settings effective = *settings;
                 effective.stale_lead_days = stale->value_or(settings->stale_lead_days);
                 effective.stuck_deal_days = stuck->value_or(settings->stuck_deal_days);
                 if (settings->coach_enabled && (effective.stale_lead_days != settings->stale_lead_days ||
                                                 effective.stuck_deal_days != settings->stuck_deal_days)) {
                   if (auto st = coach_->SweepUser(who.user.id, effective); !st) return http::ErrorResponse(st.error());
                 }
               }
               return Memoized(MemoKey("insights", who.user.id, req), [&](TimestampMs& valid_until) {
                 return coach_->Pending(who.user.ToActor(), *level, include_seen, limit->value_or(10), &valid_until);
               });
             }));
  for (const char* verb : {"seen", "dismiss"}) {
    bool dismiss = std::string_view(verb) == "dismiss";
    router.Add("POST", fmt::format("/api/coach/insights/{{id}}/{}", verb),
               Authed([this, dismiss](const Request&, const PathParams& p, const auth::Authenticated& who) {
                 auto id = crm::ParseId(p.at(0), "id");
                 if (!id) return http::ErrorResponse(id.error());
                 auto st = dismiss ? coach_->Dismiss(who.user.ToActor(), *id) : coach_->MarkSeen(who.user.ToActor(), *id);
                 if (!st) return http::ErrorResponse(st.error());
                 return Success();
               }),
             kSharesCommit);
  }
  // Server-Sent Events: "insight", "insight_updated", "insight_resolved",
  // "insight_dismissed" for the caller only, plus a "ready" event first.
  router.Add("GET", "/api/stream", Authed([this](const Request&, const PathParams&, const auth::Authenticated& who) {
               auto stream = hub_.Subscribe(who.user.id, who.user.org_id);
               if (!stream) return http::ErrorResponse(stream.error());
               (*stream)->Push("ready", ToJson(json::object{{"user_id", who.user.id}}));
               Response r;
               r.stream = std::move(*stream);
               return r;
             }));
  router.Add("GET", "/api/coach/settings", Authed([this](const Request&, const PathParams&, const auth::Authenticated& who) {
               auto s = coach_->GetSettings(who.user.id);
               if (!s) return http::ErrorResponse(s.error());
               return http::JsonResponse(200, s->ToJson());
             }));
  router.Add("PUT", "/api/coach/settings", Authed([this](const Request& req, const PathParams&, const auth::Authenticated& who) {
               auto body = JsonObjectBody(req);
               if (!body) return http::ErrorResponse(body.error());
               auto s = coach::Settings::FromJson(*body);
               if (!s) return http::ErrorResponse(s.error());
               auto saved = coach_->PutSettings(who.user.id, *s);
               if (!saved) return http::ErrorResponse(saved.error());
               return http::JsonResponse(200, saved->ToJson());
             }));
}

}  // namespace chosen::api
