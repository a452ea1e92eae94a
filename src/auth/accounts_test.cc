#include "auth/accounts.h"

#include <algorithm>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "auth/crypto.h"
#include "common/clock.h"
#include "common/time_util.h"
#include "store/db.h"

namespace chosen::auth {
namespace {

constexpr TimestampMs kStart = 1'795'245'441'000;  // 2026-11-21T07:17:21Z
constexpr const char* kPassword = "password123";

class AccountsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = store::OpenDatabase("sqlite::memory:");
    ASSERT_TRUE(db) << db.error().message;
    db_ = std::move(*db);
    auto v = store::Migrate(*db_);
    ASSERT_TRUE(v) << v.error().message;
    accounts_ = std::make_unique<Accounts>(*db_, clock_);
  }

  NewUser Olivia() const {
    NewUser u;
    u.email = "olivia@acme.test";
    u.name = "Olivia Park";
    u.password = kPassword;
    u.role = Role::kOfficer;
    u.org = "Acme Lending";
    u.team = "East";
    u.timezone = "America/Chicago";
    return u;
  }

  UserInfo Add(NewUser u) {
    auto r = accounts_->AddUser(u);
    EXPECT_TRUE(r) << u.email << ": " << r.error().message;
    return r ? *r : UserInfo{};
  }

  // Every value of every row the query returns, as text.
  std::vector<std::string> Cells(const std::string& sql, std::vector<store::Value> params = {}) {
    std::vector<std::string> out;
    auto st = db_->Read([&](store::Connection& c) -> Status {
      auto rows = c.Query(sql, params);
      if (!rows) return rows.error();
      for (const auto& row : *rows)
        for (std::size_t i = 0; i < row.values.size(); ++i) out.push_back(row.Str(i));
      return {};
    });
    EXPECT_TRUE(st) << sql << ": " << st.error().message;
    return out;
  }

  std::int64_t Count(const std::string& sql, std::vector<store::Value> params = {}) {
    auto cells = Cells(sql, std::move(params));
    return cells.size() == 1 ? std::stoll(cells[0]) : -1;
  }

  Result<LoginResult> Login(std::string_view email, std::string_view password, const std::string& ip = "10.0.0.1") {
    std::int64_t retry_after_s = 0;
    return accounts_->Login(email, password, ip, &retry_after_s);
  }

  FakeClock clock_{kStart};
  std::unique_ptr<store::Database> db_;
  std::unique_ptr<Accounts> accounts_;
};

TEST(RoleTest, ParsesAndNamesRoles) {
  for (Role r : {Role::kOfficer, Role::kManager, Role::kAdmin}) {
    Role parsed = Role::kOfficer;
    ASSERT_TRUE(ParseRole(RoleName(r), &parsed)) << RoleName(r);
    EXPECT_EQ(parsed, r);
  }
  Role untouched = Role::kManager;
  for (const char* bad : {"", "Admin", "superuser", "officer "}) {
    EXPECT_FALSE(ParseRole(bad, &untouched)) << bad;
    EXPECT_EQ(untouched, Role::kManager) << "a failed parse leaves the role alone";
  }
}

TEST(NormalizeEmailTest, TrimsLowerCasesAndChecksShape) {
  EXPECT_EQ(NormalizeEmail("  Olivia@ACME.test ").value(), "olivia@acme.test");
  for (const char* bad : {"", "olivia", "olivia@", "@acme.test", "olivia@acme", "o@@acme.test", "o@a@acme.test",
                          "oli via@acme.test", "olivia@acme.test\n<x>", "\"o\"@acme.test", "a,b@acme.test"}) {
    auto e = NormalizeEmail(bad);
    ASSERT_FALSE(e) << bad;
    EXPECT_EQ(e.error().field, "email");
  }
  EXPECT_FALSE(NormalizeEmail(std::string(250, 'a') + "@a.test")) << "longer than 254";
}

TEST_F(AccountsTest, AddUserStoresTheUser) {
  UserInfo u = Add(Olivia());
  EXPECT_GT(u.id, 0);
  EXPECT_EQ(u.email, "olivia@acme.test");
  EXPECT_EQ(u.name, "Olivia Park");
  EXPECT_EQ(u.role, Role::kOfficer);
  EXPECT_EQ(u.org_name, "Acme Lending");
  EXPECT_EQ(u.team_name, "East");
  EXPECT_EQ(u.timezone, "America/Chicago");
  EXPECT_EQ(u.work_days, "1,2,3,4,5");
  EXPECT_EQ(u.created_at, kStart);
  auto loaded = accounts_->GetUser(u.id);
  ASSERT_TRUE(loaded);
  EXPECT_EQ(loaded->email, u.email);
  EXPECT_EQ(accounts_->GetUser(u.id + 100).error().code, ErrorCode::kNotFound);
}

TEST_F(AccountsTest, AddUserValidatesItsInput) {
  struct Case {
    const char* what;
    void (*mutate)(NewUser&);
    const char* field;
  };
  const Case cases[] = {
      {"bad email", [](NewUser& u) { u.email = "not-an-email"; }, "email"},
      {"empty email", [](NewUser& u) { u.email = ""; }, "email"},
      {"empty name", [](NewUser& u) { u.name = "   "; }, "name"},
      {"long name", [](NewUser& u) { u.name = std::string(121, 'n'); }, "name"},
      {"control in name", [](NewUser& u) { u.name = "Olivia\x1b[2J"; }, "name"},
      {"short password", [](NewUser& u) { u.password = "1234567"; }, "password"},
      {"long password", [](NewUser& u) { u.password = std::string(257, 'p'); }, "password"},
      {"no org", [](NewUser& u) { u.org = ""; }, "org"},
      {"long team", [](NewUser& u) { u.team = std::string(121, 't'); }, "team"},
      {"control in team", [](NewUser& u) { u.team = "East\x01"; }, "team"},
      {"control in org", [](NewUser& u) { u.org = "Acme\nLending"; }, "org"},
      {"bad time zone", [](NewUser& u) { u.timezone = "Mars/Base"; }, "timezone"},
      {"empty time zone", [](NewUser& u) { u.timezone = ""; }, "timezone"},
  };
  for (const auto& c : cases) {
    NewUser u = Olivia();
    c.mutate(u);
    auto r = accounts_->AddUser(u);
    ASSERT_FALSE(r) << c.what;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument) << c.what;
    EXPECT_EQ(r.error().field, c.field) << c.what;
  }
  EXPECT_EQ(Count("SELECT COUNT(*) FROM users"), 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM orgs"), 0) << "a rejected user creates no org";
}

TEST_F(AccountsTest, PasswordOfExactlyEightCharactersIsAccepted) {
  NewUser u = Olivia();
  u.password = "12345678";
  Add(u);
  EXPECT_TRUE(Login(u.email, "12345678"));
}

TEST_F(AccountsTest, DuplicateEmailIsAConflict) {
  Add(Olivia());
  NewUser again = Olivia();
  again.email = "  OLIVIA@acme.test";
  again.org = "Other Org";
  auto r = accounts_->AddUser(again);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kConflict);
  EXPECT_EQ(r.error().field, "email");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM users"), 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM orgs"), 1) << "the failed insert rolled back its org";
}

TEST_F(AccountsTest, OrgsAndTeamsAreCreatedOnceAndReused) {
  UserInfo a = Add(Olivia());
  NewUser b_in = Olivia();
  b_in.email = "ben@acme.test";
  UserInfo b = Add(b_in);
  NewUser c_in = Olivia();
  c_in.email = "cara@acme.test";
  c_in.team = "West";
  UserInfo c = Add(c_in);
  NewUser d_in = Olivia();
  d_in.email = "dan@acme.test";
  d_in.team = "";
  d_in.role = Role::kAdmin;
  UserInfo d = Add(d_in);
  NewUser e_in = Olivia();
  e_in.email = "eve@other.test";
  e_in.org = "Other Lending";
  UserInfo e = Add(e_in);

  EXPECT_EQ(a.org_id, b.org_id);
  EXPECT_EQ(a.team_id, b.team_id);
  EXPECT_EQ(a.org_id, c.org_id);
  EXPECT_NE(a.team_id, c.team_id);
  EXPECT_EQ(d.team_id, 0);
  EXPECT_EQ(d.team_name, "");
  EXPECT_EQ(d.role, Role::kAdmin);
  EXPECT_NE(e.org_id, a.org_id);
  EXPECT_NE(e.team_id, a.team_id) << "a team name is scoped to its org";
  EXPECT_EQ(Count("SELECT COUNT(*) FROM orgs"), 2);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM teams"), 3);
}

TEST_F(AccountsTest, AddUserLogsAUserCreatedEvent) {
  UserInfo u = Add(Olivia());
  auto cells = Cells("SELECT org_id, user_id, entity_type, entity_id, metadata, created_at FROM events "
                     "WHERE action = 'user_created'");
  ASSERT_EQ(cells.size(), 6u);
  EXPECT_EQ(cells[0], std::to_string(u.org_id));
  EXPECT_EQ(cells[1], std::to_string(u.id));
  EXPECT_EQ(cells[2], "user");
  EXPECT_EQ(cells[3], std::to_string(u.id));
  auto meta = ParseJsonObject(cells[4]);
  ASSERT_TRUE(meta) << cells[4];
  EXPECT_EQ(meta->at("role").as_string(), "officer");
  EXPECT_EQ(meta->at("team").as_string(), "East");
  EXPECT_EQ(cells[5], std::to_string(kStart));
}

TEST_F(AccountsTest, StoresOnlyAPasswordHash) {
  Add(Olivia());
  auto hashes = Cells("SELECT password_hash FROM users");
  ASSERT_EQ(hashes.size(), 1u);
  EXPECT_EQ(hashes[0].find(kPassword), std::string::npos);
  EXPECT_TRUE(hashes[0].starts_with("$argon2id$")) << hashes[0];
}

TEST_F(AccountsTest, LoginOpensASession) {
  UserInfo u = Add(Olivia());
  auto r = Login(" Olivia@ACME.test ", kPassword);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->user.id, u.id);
  EXPECT_FALSE(r->session_token.empty());
  EXPECT_FALSE(r->csrf_token.empty());
  EXPECT_NE(r->session_token, r->csrf_token);
  EXPECT_EQ(r->expires_at, kStart + Accounts::kSessionLifetimeMs);
  auto auth = accounts_->AuthenticateSession(r->session_token);
  ASSERT_TRUE(auth) << auth.error().message;
  EXPECT_EQ(auth->user.id, u.id);
  EXPECT_EQ(auth->csrf_token, r->csrf_token);
  EXPECT_TRUE(auth->via_cookie);
  // Two logins are two sessions.
  auto again = Login("olivia@acme.test", kPassword);
  ASSERT_TRUE(again);
  EXPECT_NE(again->session_token, r->session_token);
  EXPECT_TRUE(accounts_->AuthenticateSession(r->session_token));
}

TEST_F(AccountsTest, WrongPasswordAndUnknownEmailFailAlike) {
  Add(Olivia());
  auto wrong = Login("olivia@acme.test", "wrong-password");
  auto unknown = Login("nobody@acme.test", kPassword, "10.0.0.2");
  auto empty = Login("olivia@acme.test", "", "10.0.0.3");
  auto huge = Login("olivia@acme.test", std::string(300, 'x'), "10.0.0.4");
  for (const auto* r : {&wrong, &unknown, &empty, &huge}) {
    ASSERT_FALSE(*r);
    EXPECT_EQ(r->error().code, ErrorCode::kUnauthenticated);
    EXPECT_EQ(r->error().message, wrong.error().message);
    EXPECT_EQ(r->error().field, "");
  }
  EXPECT_EQ(Count("SELECT COUNT(*) FROM sessions"), 0);
}

TEST_F(AccountsTest, RepeatedFailuresAreRateLimitedPerAccount) {
  Add(Olivia());
  for (int i = 0; i < 5; ++i) {
    auto r = Login("olivia@acme.test", "wrong-password", "10.0.0." + std::to_string(i));
    ASSERT_FALSE(r);
    ASSERT_EQ(r.error().code, ErrorCode::kUnauthenticated) << "attempt " << i;
  }
  std::int64_t retry_after_s = 0;
  auto blocked = accounts_->Login("OLIVIA@acme.test", kPassword, "10.0.0.99", &retry_after_s);
  ASSERT_FALSE(blocked) << "even the right password waits";
  EXPECT_EQ(blocked.error().code, ErrorCode::kRateLimited);
  EXPECT_EQ(retry_after_s, 15 * 60);
  EXPECT_NE(blocked.error().message.find("900"), std::string::npos) << blocked.error().message;
  clock_.Advance(5 * kMsPerMinute);
  retry_after_s = 0;
  ASSERT_FALSE(accounts_->Login("olivia@acme.test", kPassword, "10.0.0.99", &retry_after_s));
  EXPECT_EQ(retry_after_s, 10 * 60);
  clock_.Advance(10 * kMsPerMinute);
  EXPECT_TRUE(Login("olivia@acme.test", kPassword, "10.0.0.99"));
}

TEST_F(AccountsTest, SuccessfulLoginResetsTheAccountCount) {
  Add(Olivia());
  for (int i = 0; i < 4; ++i) ASSERT_FALSE(Login("olivia@acme.test", "wrong-password"));
  ASSERT_TRUE(Login("olivia@acme.test", kPassword));
  for (int i = 0; i < 4; ++i) ASSERT_FALSE(Login("olivia@acme.test", "wrong-password"));
  EXPECT_TRUE(Login("olivia@acme.test", kPassword)) << "four failures after a success do not block";
}

TEST_F(AccountsTest, SessionsExpire) {
  Add(Olivia());
  auto r = Login("olivia@acme.test", kPassword);
  ASSERT_TRUE(r);
  clock_.Set(r->expires_at - 1);
  EXPECT_TRUE(accounts_->AuthenticateSession(r->session_token));
  clock_.Set(r->expires_at);
  auto expired = accounts_->AuthenticateSession(r->session_token);
  ASSERT_FALSE(expired);
  EXPECT_EQ(expired.error().code, ErrorCode::kUnauthenticated);
  // The next login sweeps the user's expired sessions.
  ASSERT_TRUE(Login("olivia@acme.test", kPassword));
  EXPECT_EQ(Count("SELECT COUNT(*) FROM sessions"), 1);
}

TEST_F(AccountsTest, RejectsUnknownSessionTokens) {
  Add(Olivia());
  auto r = Login("olivia@acme.test", kPassword);
  ASSERT_TRUE(r);
  std::string tampered = r->session_token;
  tampered.back() = tampered.back() == '0' ? '1' : '0';
  for (const std::string& token : {std::string(), tampered, std::string(200, 'a'), r->csrf_token}) {
    auto a = accounts_->AuthenticateSession(token);
    ASSERT_FALSE(a) << token;
    EXPECT_EQ(a.error().code, ErrorCode::kUnauthenticated);
  }
}

TEST_F(AccountsTest, LogoutEndsTheSession) {
  Add(Olivia());
  auto r = Login("olivia@acme.test", kPassword);
  ASSERT_TRUE(r);
  auto other = Login("olivia@acme.test", kPassword);
  ASSERT_TRUE(other);
  ASSERT_TRUE(accounts_->Logout(r->session_token));
  EXPECT_EQ(accounts_->AuthenticateSession(r->session_token).error().code, ErrorCode::kUnauthenticated);
  EXPECT_TRUE(accounts_->AuthenticateSession(other->session_token)) << "other sessions stay open";
  EXPECT_TRUE(accounts_->Logout(r->session_token)) << "logging out twice is fine";
  EXPECT_TRUE(accounts_->Logout("no-such-session"));
}

// Credentials are cached for Accounts::kAuthCacheTtl: what changes through
// this Accounts applies at once; a change made behind its back (another
// server, the CLI) within the TTL.
TEST_F(AccountsTest, CachedCredentialsFollowChangesMadeHereAtOnce) {
  UserInfo u = Add(Olivia());
  auto token = accounts_->CreateApiToken("olivia@acme.test", "cli");
  ASSERT_TRUE(token);
  auto login = Login("olivia@acme.test", kPassword);
  ASSERT_TRUE(login);
  ASSERT_TRUE(accounts_->AuthenticateBearer(*token));  // now cached
  ASSERT_TRUE(accounts_->AuthenticateSession(login->session_token));

  auto changed = accounts_->UpdateProfile(u.ToActor(), json::object{{"timezone", "Europe/Paris"}});
  ASSERT_TRUE(changed) << changed.error().message;
  EXPECT_EQ(accounts_->AuthenticateBearer(*token)->user.timezone, "Europe/Paris");
  EXPECT_EQ(accounts_->AuthenticateSession(login->session_token)->user.timezone, "Europe/Paris");

  ASSERT_TRUE(accounts_->SetPassword("olivia@acme.test", "another-password"));
  EXPECT_FALSE(accounts_->AuthenticateSession(login->session_token)) << "a new password ends cached sessions";
  EXPECT_TRUE(accounts_->AuthenticateBearer(*token)) << "API tokens outlive a password change";
}

TEST_F(AccountsTest, ChangesMadeElsewhereApplyWithinTheCacheLifetime) {
  Add(Olivia());
  auto token = accounts_->CreateApiToken("olivia@acme.test", "cli");
  ASSERT_TRUE(token);
  ASSERT_TRUE(accounts_->AuthenticateBearer(*token));
  auto revoked = db_->Write([](store::Connection& c) -> Status {
    auto r = c.Exec("DELETE FROM api_tokens");
    if (!r) return r.error();
    return {};
  });
  ASSERT_TRUE(revoked);
  auto soon = std::chrono::steady_clock::now() + Accounts::kAuthCacheTtl;
  EXPECT_TRUE(accounts_->AuthenticateBearer(*token)) << "served from the cache";
  std::this_thread::sleep_until(soon + std::chrono::milliseconds(50));
  auto after = accounts_->AuthenticateBearer(*token);
  ASSERT_FALSE(after) << "revoked elsewhere: gone once the cache entry is stale";
  EXPECT_EQ(after.error().code, ErrorCode::kUnauthenticated);
}

TEST_F(AccountsTest, ApiTokensAuthenticateBearerRequests) {
  UserInfo u = Add(Olivia());
  auto token = accounts_->CreateApiToken("OLIVIA@acme.test", "cli");
  ASSERT_TRUE(token) << token.error().message;
  auto a = accounts_->AuthenticateBearer(*token);
  ASSERT_TRUE(a) << a.error().message;
  EXPECT_EQ(a->user.id, u.id);
  EXPECT_FALSE(a->via_cookie);
  EXPECT_EQ(a->csrf_token, "");

  std::string tampered = *token;
  tampered.back() = tampered.back() == '0' ? '1' : '0';
  for (const std::string& bad : {std::string(), tampered, *token + "x", std::string(200, 'a')}) {
    auto r = accounts_->AuthenticateBearer(bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().code, ErrorCode::kUnauthenticated);
  }
  // Sessions and API tokens are not interchangeable.
  auto login = Login("olivia@acme.test", kPassword);
  ASSERT_TRUE(login);
  EXPECT_FALSE(accounts_->AuthenticateBearer(login->session_token));
  EXPECT_FALSE(accounts_->AuthenticateSession(*token));
}

TEST_F(AccountsTest, CreateApiTokenNeedsAnExistingUser) {
  auto r = accounts_->CreateApiToken("nobody@acme.test", "cli");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(accounts_->CreateApiToken("not-an-email", "cli").error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM api_tokens"), 0);
}

TEST_F(AccountsTest, StoresTokensOnlyAsHashes) {
  Add(Olivia());
  auto token = accounts_->CreateApiToken("olivia@acme.test", "ci");
  ASSERT_TRUE(token);
  auto login = Login("olivia@acme.test", kPassword);
  ASSERT_TRUE(login);

  auto api_rows = Cells("SELECT * FROM api_tokens");
  auto session_rows = Cells("SELECT * FROM sessions");
  ASSERT_FALSE(api_rows.empty());
  ASSERT_FALSE(session_rows.empty());
  for (const auto& cell : api_rows) EXPECT_EQ(cell.find(*token), std::string::npos) << cell;
  for (const auto& cell : session_rows) EXPECT_EQ(cell.find(login->session_token), std::string::npos) << cell;
  EXPECT_EQ(Cells("SELECT token_hash FROM api_tokens"), std::vector<std::string>{Sha256Hex(*token)});
  EXPECT_EQ(Cells("SELECT token_hash FROM sessions"), std::vector<std::string>{Sha256Hex(login->session_token)});
}

class UpdateProfileTest : public AccountsTest {
 protected:
  void SetUp() override {
    AccountsTest::SetUp();
    if (HasFatalFailure()) return;
    user_ = Add(Olivia());
  }

  Result<UserInfo> Update(std::string_view patch_json) {
    auto patch = ParseJsonObject(patch_json);
    EXPECT_TRUE(patch) << patch_json;
    if (!patch) return patch.error();
    return accounts_->UpdateProfile(user_.ToActor(), *patch);
  }

  UserInfo user_;
};

TEST_F(UpdateProfileTest, AppliesAValidPatch) {
  clock_.Advance(kMsPerHour);
  auto r = Update(R"({"name":" Olivia P. ","timezone":"America/New_York",
                      "working_hours":{"start":"08:30","end":"16:00","days":[1,3,5]}})");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->name, "Olivia P.");
  EXPECT_EQ(r->timezone, "America/New_York");
  EXPECT_EQ(r->work_start, "08:30");
  EXPECT_EQ(r->work_end, "16:00");
  EXPECT_EQ(r->work_days, "1,3,5");
  EXPECT_EQ(r->email, user_.email) << "untouched fields stay";
  auto reloaded = accounts_->GetUser(user_.id);
  ASSERT_TRUE(reloaded);
  EXPECT_EQ(reloaded->work_days, "1,3,5");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM events WHERE action = 'profile_updated' AND user_id = ?", {user_.id}), 1);
  auto json = r->ToJson();
  EXPECT_EQ(json.at("working_hours").at("days"), json::value(json::array{1, 3, 5}));
}

TEST_F(UpdateProfileTest, RejectsInvalidPatchesWithoutChangingAnything) {
  struct Case {
    const char* patch;
    const char* field;
  };
  const Case cases[] = {
      {R"({"email":"x@acme.test"})", "email"},
      {R"({"role":"admin"})", "role"},
      {R"({"name":"Ok","password":"new-password"})", "password"},
      {R"({"name":""})", "name"},
      {R"({"name":5})", "name"},
      {R"({"timezone":"Mars/Base"})", "timezone"},
      {R"({"working_hours":"9-5"})", "working_hours"},
      {R"({"working_hours":{"lunch":"12:00"}})", "working_hours.lunch"},
      {R"({"working_hours":{"start":"9:00"}})", "working_hours.start"},
      {R"({"working_hours":{"end":"24:00"}})", "working_hours.end"},
      {R"({"working_hours":{"start":900}})", "working_hours.start"},
      {R"({"working_hours":{"start":"17:00","end":"09:00"}})", "working_hours"},
      {R"({"working_hours":{"start":"09:00","end":"09:00"}})", "working_hours"},
      {R"({"working_hours":{"start":"18:00"}})", "working_hours"},  // after the stored end, 17:00
      {R"({"working_hours":{"days":[3,1]}})", "working_hours.days"},
      {R"({"working_hours":{"days":[1,1,2]}})", "working_hours.days"},
      {R"({"working_hours":{"days":[]}})", "working_hours.days"},
      {R"({"working_hours":{"days":[0]}})", "working_hours.days"},
      {R"({"working_hours":{"days":[8]}})", "working_hours.days"},
      {R"({"working_hours":{"days":[1.5]}})", "working_hours.days"},
      {R"({"working_hours":{"days":["1"]}})", "working_hours.days"},
      {R"({"working_hours":{"days":"1,2"}})", "working_hours.days"},
  };
  for (const auto& c : cases) {
    auto r = Update(c.patch);
    ASSERT_FALSE(r) << c.patch;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument) << c.patch;
    EXPECT_EQ(r.error().field, c.field) << c.patch;
  }
  auto now = accounts_->GetUser(user_.id);
  ASSERT_TRUE(now);
  EXPECT_EQ(now->name, user_.name);
  EXPECT_EQ(now->timezone, user_.timezone);
  EXPECT_EQ(now->work_start, user_.work_start);
  EXPECT_EQ(now->work_end, user_.work_end);
  EXPECT_EQ(now->work_days, user_.work_days);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM events WHERE action = 'profile_updated'"), 0);
}

}  // namespace
}  // namespace chosen::auth
