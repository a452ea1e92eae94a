// Login, sessions, CSRF, bearer tokens, rate limiting and /api/me over real
// HTTP.
#include <gtest/gtest.h>

#include "integration/harness.h"

namespace chosen::testing {
namespace {

class AuthTest : public ::testing::Test {
 protected:
  void SetUp() override { server_.AddUser("olivia@acme.test", "officer", "Acme Lending", "East"); }
  TestServer server_;
};

TEST_F(AuthTest, LoginSetsHttpOnlyCookieAndReturnsCsrfToken) {
  Client c(server_.port());
  auto r = c.Post("/api/auth/login", json::object{{"email", "Olivia@Acme.test "}, {"password", "password123"}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json.at("user").at("email").as_string(), "olivia@acme.test");
  EXPECT_EQ(r.json.at("user").at("role").as_string(), "officer");
  EXPECT_FALSE(r.json.at("csrf_token").as_string().empty());
  const std::string& cookie = r.headers["set-cookie"];
  EXPECT_NE(cookie.find("chosen_session="), std::string::npos);
  EXPECT_NE(cookie.find("HttpOnly"), std::string::npos);
  EXPECT_NE(cookie.find("SameSite=Strict"), std::string::npos);
  EXPECT_EQ(r.body.find("password"), std::string::npos);
}

TEST_F(AuthTest, WrongPasswordAndUnknownEmailGetTheSame401) {
  Client c(server_.port());
  auto wrong = c.Post("/api/auth/login", json::object{{"email", "olivia@acme.test"}, {"password", "nope-nope"}});
  auto unknown = c.Post("/api/auth/login", json::object{{"email", "nobody@acme.test"}, {"password", "nope-nope"}});
  EXPECT_EQ(wrong.status, 401);
  EXPECT_EQ(unknown.status, 401);
  EXPECT_EQ(wrong.json.at("error").at("message"), unknown.json.at("error").at("message"));
}

TEST_F(AuthTest, RequestsWithoutCredentialsGet401) {
  Client c(server_.port());
  for (const char* path : {"/api/me", "/api/contacts", "/api/deals", "/api/tasks", "/api/activities", "/api/events"}) {
    auto r = c.Get(path);
    EXPECT_EQ(r.status, 401) << path;
    EXPECT_EQ(r.ErrorCode(), "UNAUTHENTICATED") << path;
  }
}

TEST_F(AuthTest, CookieWritesNeedTheCsrfToken) {
  Client c(server_.port());
  c.Login("olivia@acme.test");
  auto without = c.Send("POST", "/api/contacts", R"({"name":"Ann Lee"})", {{"X-CSRF-Token", ""}});
  EXPECT_EQ(without.status, 403) << without.body;
  auto wrong = c.Send("POST", "/api/contacts", R"({"name":"Ann Lee"})", {{"X-CSRF-Token", "forged"}});
  EXPECT_EQ(wrong.status, 403);
  auto list = c.Get("/api/contacts");
  EXPECT_EQ(list.status, 200);
  EXPECT_TRUE(list.json.at("items").as_array().empty()) << "rejected writes must not be stored";
  auto ok = c.Post("/api/contacts", json::object{{"name", "Ann Lee"}});
  EXPECT_EQ(ok.status, 201) << ok.body;
}

TEST_F(AuthTest, MeReturnsProfileAndCsrfAndPatchValidates) {
  Client c(server_.port());
  c.Login("olivia@acme.test");
  auto me = c.Get("/api/me");
  ASSERT_EQ(me.status, 200);
  EXPECT_EQ(me.json.at("csrf_token").as_string(), c.csrf());
  EXPECT_EQ(me.json.at("timezone").as_string(), "America/Chicago");
  EXPECT_EQ(me.json.at("team").at("name").as_string(), "East");

  auto bad_tz = c.Patch("/api/me", json::object{{"timezone", "Mars/Olympus"}});
  EXPECT_EQ(bad_tz.status, 400);
  EXPECT_EQ(bad_tz.ErrorField(), "timezone");
  auto bad_hours = c.Patch("/api/me", json::parse(R"({"working_hours":{"start":"18:00","end":"08:00"}})"));
  EXPECT_EQ(bad_hours.status, 400);
  auto role = c.Patch("/api/me", json::object{{"role", "admin"}});
  EXPECT_EQ(role.status, 400);
  EXPECT_EQ(role.ErrorField(), "role");

  auto ok = c.Patch("/api/me", json::parse(R"({"timezone":"America/Denver",
      "working_hours":{"start":"08:00","end":"16:30","days":[1,2,3,4]}})"));
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(ok.json.at("timezone").as_string(), "America/Denver");
  EXPECT_EQ(ok.json.at("working_hours").at("end").as_string(), "16:30");
  EXPECT_EQ(ok.json.at("working_hours").at("days").as_array().size(), 4u);
  EXPECT_EQ(c.Get("/api/me").json.at("timezone").as_string(), "America/Denver");
}

TEST_F(AuthTest, LogoutEndsTheSession) {
  Client c(server_.port());
  c.Login("olivia@acme.test");
  ASSERT_EQ(c.Get("/api/me").status, 200);
  auto out = c.Post("/api/auth/logout", json::object{});
  EXPECT_EQ(out.status, 200) << out.body;
  EXPECT_EQ(c.Get("/api/me").status, 401);
}

TEST_F(AuthTest, SessionsExpire) {
  Client c(server_.port());
  c.Login("olivia@acme.test");
  server_.clock().Advance(auth::Accounts::kSessionLifetimeMs + 1);
  EXPECT_EQ(c.Get("/api/me").status, 401);
}

TEST_F(AuthTest, BearerTokensWorkAndNeedNoCsrf) {
  auto token = server_.api().accounts().CreateApiToken("olivia@acme.test", "test");
  ASSERT_TRUE(token);
  Client c(server_.port());
  c.UseBearer(*token);
  EXPECT_EQ(c.Get("/api/me").status, 200);
  EXPECT_EQ(c.Post("/api/contacts", json::object{{"name", "Via Token"}}).status, 201);
  Client bad(server_.port());
  bad.UseBearer("chs_not_a_real_token");
  EXPECT_EQ(bad.Get("/api/me").status, 401);
  auto malformed = bad.Send("GET", "/api/me", "", {{"Authorization", "Basic abc"}});
  EXPECT_EQ(malformed.status, 401);
}

TEST_F(AuthTest, FailedLoginsAreRateLimitedPerAccount) {
  Client c(server_.port());
  for (int i = 0; i < 5; ++i)
    EXPECT_EQ(c.Post("/api/auth/login", json::object{{"email", "olivia@acme.test"}, {"password", "wrong-pass"}}).status,
              401);
  auto limited = c.Post("/api/auth/login", json::object{{"email", "olivia@acme.test"}, {"password", "password123"}});
  EXPECT_EQ(limited.status, 429) << "even the right password waits out the lock";
  EXPECT_EQ(limited.ErrorCode(), "RATE_LIMITED");
  EXPECT_FALSE(limited.headers["retry-after"].empty());
  server_.clock().Advance(16 * 60 * 1000);
  EXPECT_EQ(c.Post("/api/auth/login", json::object{{"email", "olivia@acme.test"}, {"password", "password123"}}).status,
            200);
}

TEST_F(AuthTest, FailedLoginsAreRateLimitedPerAddress) {
  Client c(server_.port());
  int limited = 0;
  for (int i = 0; i < 35; ++i) {
    auto r = c.Post("/api/auth/login",
                    json::object{{"email", "guess" + std::to_string(i) + "@acme.test"}, {"password", "wrong-pass"}});
    if (r.status == 429) ++limited;
  }
  EXPECT_GE(limited, 4) << "one address guessing many accounts is throttled";
}

}  // namespace
}  // namespace chosen::testing
