#include "http/message.h"

#include <iterator>
#include <stdexcept>
#include <string>

#include <gtest/gtest.h>

namespace chosen::http {
namespace {

Request Req(std::string method, std::string path) {
  Request r;
  r.method = std::move(method);
  r.path = std::move(path);
  return r;
}

// A handler that answers with its name and the captured parameters.
Handler Echo(std::string name) {
  return [name](const Request& req, const PathParams& params) {
    json::array p;
    for (const auto& s : params) p.push_back(json::string(s));
    return JsonResponse(200, json::object{{"route", name}, {"method", req.method}, {"params", std::move(p)}});
  };
}

json::object Body(const Response& r) {
  auto o = ParseJsonObject(r.body);
  EXPECT_TRUE(o) << r.body;
  return o ? *o : json::object{};
}

std::string Header(const Response& r, std::string_view name) {
  for (const auto& [k, v] : r.headers)
    if (k == name) return v;
  return {};
}

// Checks the {"error":{"code","message"[,"field"]}} shape.
void ExpectErrorShape(const Response& r, int status, std::string_view code) {
  EXPECT_EQ(r.status, status);
  EXPECT_EQ(r.content_type, "application/json");
  json::object body = Body(r);
  ASSERT_EQ(body.size(), 1u) << r.body;
  ASSERT_TRUE(body.contains("error")) << r.body;
  ASSERT_TRUE(body.at("error").is_object()) << r.body;
  const auto& e = body.at("error").as_object();
  ASSERT_TRUE(e.contains("code") && e.at("code").is_string()) << r.body;
  EXPECT_EQ(e.at("code").as_string(), code);
  ASSERT_TRUE(e.contains("message") && e.at("message").is_string()) << r.body;
  EXPECT_FALSE(e.at("message").as_string().empty());
}

class RouterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    router_.Add("GET", "/api/deals", Echo("list"));
    router_.Add("POST", "/api/deals", Echo("create"));
    router_.Add("GET", "/api/deals/{id}", Echo("get"));
    router_.Add("PATCH", "/api/deals/{id}", Echo("update"));
    router_.Add("DELETE", "/api/deals/{id}", Echo("delete"));
    router_.Add("GET", "/api/contacts/{id}/notes/{note}", Echo("note"));
    router_.Add("GET", "/api/me", Echo("me"));
  }

  Router router_;
};

TEST_F(RouterTest, MatchesExactPaths) {
  auto r = router_.Dispatch(Req("GET", "/api/deals"));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(Body(r).at("route").as_string(), "list");
  EXPECT_EQ(Body(router_.Dispatch(Req("POST", "/api/deals"))).at("route").as_string(), "create");
  EXPECT_EQ(Body(router_.Dispatch(Req("GET", "/api/me"))).at("route").as_string(), "me");
  // A trailing slash does not change the route.
  EXPECT_EQ(Body(router_.Dispatch(Req("GET", "/api/me/"))).at("route").as_string(), "me");
}

TEST_F(RouterTest, CapturesParameters) {
  auto r = router_.Dispatch(Req("GET", "/api/deals/42"));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(Body(r).at("route").as_string(), "get");
  EXPECT_EQ(Body(r).at("params"), json::value(json::array{"42"}));
  auto note = router_.Dispatch(Req("GET", "/api/contacts/7/notes/abc"));
  ASSERT_EQ(note.status, 200) << note.body;
  EXPECT_EQ(Body(note).at("params"), json::value(json::array{"7", "abc"}));
  auto del = router_.Dispatch(Req("DELETE", "/api/deals/9"));
  EXPECT_EQ(Body(del).at("route").as_string(), "delete");
}

TEST_F(RouterTest, UnknownPathsGet404Json) {
  for (const char* path : {"/", "/api", "/api/dealz", "/api/deals/1/extra", "/api/contacts/7/notes", "/API/ME"}) {
    auto r = router_.Dispatch(Req("GET", path));
    ExpectErrorShape(r, 404, "NOT_FOUND");
    EXPECT_TRUE(r.headers.empty()) << path;
  }
}

TEST_F(RouterTest, WrongMethodGets405WithAllow) {
  struct Case {
    const char* method;
    const char* path;
    const char* allow;
  };
  const Case cases[] = {
      {"DELETE", "/api/deals", "GET, HEAD, POST"},
      {"PUT", "/api/deals", "GET, HEAD, POST"},
      {"POST", "/api/deals/5", "GET, HEAD, PATCH, DELETE"},
      {"POST", "/api/me", "GET, HEAD"},
      {"get", "/api/me", "GET, HEAD"},  // methods are case-sensitive
  };
  for (const auto& c : cases) {
    auto r = router_.Dispatch(Req(c.method, c.path));
    ExpectErrorShape(r, 405, "METHOD_NOT_ALLOWED");
    EXPECT_EQ(Header(r, "Allow"), c.allow) << c.method << " " << c.path;
  }
}

TEST_F(RouterTest, HeadIsServedByGetRoutes) {
  auto r = router_.Dispatch(Req("HEAD", "/api/deals/3"));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(Body(r).at("route").as_string(), "get");
  EXPECT_EQ(Body(r).at("method").as_string(), "HEAD");
  Router post_only;
  post_only.Add("POST", "/login", Echo("login"));
  auto head = post_only.Dispatch(Req("HEAD", "/login"));
  ExpectErrorShape(head, 405, "METHOD_NOT_ALLOWED");
  EXPECT_EQ(Header(head, "Allow"), "POST");
}

TEST(RouterErrorTest, ThrowingHandlerYields500WithoutLeakingDetails) {
  Router router;
  router.Add("GET", "/std", [](const Request&, const PathParams&) -> Response {
    throw std::runtime_error("secret database password in message");
  });
  router.Add("GET", "/error", [](const Request&, const PathParams&) -> Response {
    Result<int> r = Error::NotFound("hidden detail");
    return JsonResponse(200, r.value());  // throws ErrorException
  });
  router.Add("GET", "/int", [](const Request&, const PathParams&) -> Response { throw 42; });
  for (const char* path : {"/std", "/error", "/int"}) {
    Response r;
    ASSERT_NO_THROW(r = router.Dispatch(Req("GET", path))) << path;
    ExpectErrorShape(r, 500, "INTERNAL");
    EXPECT_EQ(r.body.find("secret"), std::string::npos) << r.body;
    EXPECT_EQ(r.body.find("hidden"), std::string::npos) << r.body;
  }
}

TEST(RouterPrecedenceTest, LiteralSegmentsBeatCapturesWhateverTheOrder) {
  Router router;
  router.Add("GET", "/api/deals/{id}", Echo("get"));
  router.Add("POST", "/api/deals/bulk", Echo("bulk"));
  router.Add("GET", "/api/deals/export", Echo("export"));
  EXPECT_EQ(Body(router.Dispatch(Req("GET", "/api/deals/export"))).at("route").as_string(), "export");
  EXPECT_EQ(Body(router.Dispatch(Req("GET", "/api/deals/8"))).at("route").as_string(), "get");
  EXPECT_EQ(Body(router.Dispatch(Req("POST", "/api/deals/bulk"))).at("route").as_string(), "bulk");
  // GET on the literal path is not routed to the capture: it is a 405.
  Response r = router.Dispatch(Req("GET", "/api/deals/bulk"));
  EXPECT_EQ(r.status, 405);
  ASSERT_EQ(r.headers.size(), 1u);
  EXPECT_EQ(r.headers[0].second, "POST");
}

TEST(RouterPrecedenceTest, SharesCommitFollowsTheRouteThatWouldRun) {
  Router router;
  router.Add("POST", "/api/deals/{id}", Echo("capture"), {.shares_commit = true});
  router.Add("POST", "/api/deals/bulk", Echo("bulk"));
  router.Add("DELETE", "/api/deals/{id}", Echo("delete"));
  EXPECT_TRUE(router.SharesCommit(Req("POST", "/api/deals/8")));
  EXPECT_FALSE(router.SharesCommit(Req("POST", "/api/deals/bulk"))) << "the literal route runs, not the capture";
  EXPECT_FALSE(router.SharesCommit(Req("DELETE", "/api/deals/8")));
  EXPECT_FALSE(router.SharesCommit(Req("PATCH", "/api/deals/8"))) << "no route: a 405";
  EXPECT_FALSE(router.SharesCommit(Req("POST", "/api/nothing")));
}

TEST(RouterPrecedenceTest, FirstOfIdenticalPatternsWins) {
  Router router;
  router.Add("GET", "/", Echo("first"));
  router.Add("GET", "/", Echo("second"));
  EXPECT_EQ(Body(router.Dispatch(Req("GET", "/"))).at("route").as_string(), "first");
}

TEST(RouterFallbackTest, RunsOnlyWhenNoPatternMatchesThePath) {
  Router router;
  router.Add("GET", "/api/me", Echo("me"));
  router.SetFallback(Echo("fallback"));
  EXPECT_EQ(Body(router.Dispatch(Req("GET", "/api/me"))).at("route").as_string(), "me");
  auto other = router.Dispatch(Req("GET", "/contacts/3"));
  EXPECT_EQ(Body(other).at("route").as_string(), "fallback");
  EXPECT_TRUE(Body(other).at("params").as_array().empty());
  // A known path with the wrong method is still the router's 405.
  EXPECT_EQ(router.Dispatch(Req("POST", "/api/me")).status, 405);
  // A throwing fallback is a logged 500, like any handler.
  router.SetFallback([](const Request&, const PathParams&) -> Response { throw std::runtime_error("boom"); });
  auto r = router.Dispatch(Req("GET", "/x"));
  EXPECT_EQ(r.status, 500);
  EXPECT_EQ(r.body.find("boom"), std::string::npos);
}

TEST(HttpStatusTest, CoversEveryErrorCode) {
  struct Case {
    ErrorCode code;
    int status;
    const char* name;
  };
  const Case cases[] = {
      {ErrorCode::kInvalidArgument, 400, "INVALID_ARGUMENT"},
      {ErrorCode::kUnauthenticated, 401, "UNAUTHENTICATED"},
      {ErrorCode::kPermissionDenied, 403, "PERMISSION_DENIED"},
      {ErrorCode::kNotFound, 404, "NOT_FOUND"},
      {ErrorCode::kMethodNotAllowed, 405, "METHOD_NOT_ALLOWED"},
      {ErrorCode::kConflict, 409, "CONFLICT"},
      {ErrorCode::kPayloadTooLarge, 413, "PAYLOAD_TOO_LARGE"},
      {ErrorCode::kUnsupportedMediaType, 415, "UNSUPPORTED_MEDIA_TYPE"},
      {ErrorCode::kRateLimited, 429, "RATE_LIMITED"},
      {ErrorCode::kUnavailable, 503, "UNAVAILABLE"},
      {ErrorCode::kInternal, 500, "INTERNAL"},
  };
  // One case per enumerator: kInternal is the last one.
  ASSERT_EQ(std::size(cases), static_cast<std::size_t>(ErrorCode::kInternal) + 1);
  for (const auto& c : cases) {
    EXPECT_EQ(HttpStatus(c.code), c.status) << c.name;
    EXPECT_STREQ(ErrorCodeName(c.code), c.name);
    ExpectErrorShape(ErrorResponse({c.code, "message", {}}), c.status, c.name);
  }
}

TEST(ErrorResponseTest, IncludesTheFieldOnlyWhenSet) {
  auto with = ErrorResponse(Error::Invalid("name is required", "name"));
  ExpectErrorShape(with, 400, "INVALID_ARGUMENT");
  EXPECT_EQ(Body(with).at("error").at("field").as_string(), "name");
  EXPECT_EQ(Body(with).at("error").at("message").as_string(), "name is required");
  auto without = ErrorResponse(Error::NotFound("no such deal"));
  EXPECT_FALSE(Body(without).at("error").as_object().contains("field"));
}

TEST(ErrorResponseTest, UnavailableAsksClientsToRetry) {
  auto r = ErrorResponse({ErrorCode::kUnavailable, "busy", {}});
  EXPECT_EQ(Header(r, "Retry-After"), "1");
  EXPECT_EQ(Header(ErrorResponse(Error::Internal("x")), "Retry-After"), "");
}

TEST(RequestTest, QueryReturnsTheFirstValueOrEmpty) {
  Request r;
  r.query = {{"sort", "name"}, {"limit", "10"}, {"sort", "-id"}, {"empty", ""}};
  EXPECT_EQ(r.Query("sort"), "name");
  EXPECT_EQ(r.Query("limit"), "10");
  EXPECT_EQ(r.Query("empty"), "");
  EXPECT_EQ(r.Query("missing"), "");
}

}  // namespace
}  // namespace chosen::http
