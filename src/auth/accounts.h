// Orgs, teams, users, sessions and API tokens. Thread-safe: all state lives
// in the database except the login rate limiters, which lock internally.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <unordered_map>
#include <string>
#include <string_view>

#include "auth/actor.h"
#include "auth/rate_limiter.h"
#include "common/clock.h"
#include "common/error.h"
#include "common/json_util.h"
#include "store/db.h"

namespace chosen::auth {

struct UserInfo {
  std::int64_t id = 0;
  std::int64_t org_id = 0;
  std::int64_t team_id = 0;
  std::string org_name;
  std::string team_name;
  std::string email;
  std::string name;
  Role role = Role::kOfficer;
  std::string timezone = "UTC";
  std::string work_start = "09:00";
  std::string work_end = "17:00";
  std::string work_days = "1,2,3,4,5";  // ISO weekdays, Monday = 1
  TimestampMs created_at = 0;

  Actor ToActor() const { return {id, org_id, team_id, role, timezone}; }
  json::object ToJson() const;
};

struct NewUser {
  std::string email;
  std::string name;
  std::string password;
  Role role = Role::kOfficer;
  std::string org;
  std::string team;  // empty: no team
  std::string timezone = "UTC";
};

struct LoginResult {
  std::string session_token;  // goes in the HttpOnly cookie only
  std::string csrf_token;     // the client echoes it in X-CSRF-Token
  TimestampMs expires_at = 0;
  UserInfo user;
};

struct Authenticated {
  UserInfo user;
  std::string csrf_token;  // empty for bearer tokens
  bool via_cookie = false;
};

class Accounts {
 public:
  static constexpr TimestampMs kSessionLifetimeMs = 14LL * 24 * 3600 * 1000;

  Accounts(store::Database& db, const Clock& clock);

  // Creates a user (and its org and team when missing) and logs
  // `user_created`. kInvalidArgument for a bad email, name, password (8-256
  // characters), role or time zone; kConflict if the email is taken.
  Result<UserInfo> AddUser(const NewUser& in);

  // Sets the password of the user with `email` (e.g. one imported without
  // one, who cannot log in until then) and ends their sessions.
  // kInvalidArgument unless 8-256 characters; kNotFound if no such user.
  Status SetPassword(std::string_view email, std::string_view password);

  // Creates an API token for the user with `email`; returns the token (only
  // its hash is stored). kNotFound if no such user.
  Result<std::string> CreateApiToken(std::string_view email, std::string_view name);

  // Checks credentials and opens a session. kUnauthenticated on a bad email
  // or password (the same message either way), kRateLimited (message says
  // when to retry; `retry_after_s` is set) after too many failures for the
  // account or the client address.
  Result<LoginResult> Login(std::string_view email, std::string_view password, const std::string& client_ip,
                            std::int64_t* retry_after_s);

  // Ends the session (no error if it is already gone).
  Status Logout(std::string_view session_token);

  // Resolves a session cookie or a bearer token. kUnauthenticated if unknown
  // or expired. A resolved credential is remembered for kAuthCacheTtl
  // (steady time), so a client's burst of requests costs one lookup: a
  // logout, a new password or a profile change through this process takes
  // effect at once; a change made elsewhere (another server, the CLI) within
  // kAuthCacheTtl.
  static constexpr std::chrono::milliseconds kAuthCacheTtl{1000};
  static constexpr std::size_t kAuthCacheMax = 4096;
  Result<Authenticated> AuthenticateSession(std::string_view session_token);
  Result<Authenticated> AuthenticateBearer(std::string_view token);

  // Loads one user. kNotFound if absent.
  Result<UserInfo> GetUser(std::int64_t user_id);

  // Applies a profile patch from the user themself: name, timezone,
  // work_start, work_end, work_days. Unknown or read-only fields are
  // rejected naming the field.
  Result<UserInfo> UpdateProfile(const Actor& actor, const json::object& patch);

 private:
  // The user matching `condition` (SQL over users u, with one `?` for
  // `key`); kNotFound if none.
  Result<UserInfo> LoadUser(store::Connection& c, std::string_view condition, const store::Value& key);

  // The authentication cache, keyed by "b"/"s" (bearer / session) + the
  // credential's SHA-256.
  struct CachedAuth {
    Authenticated who;
    TimestampMs session_expires_at = 0;  // 0 for bearer tokens
    std::chrono::steady_clock::time_point fresh_until;
  };
  std::optional<Authenticated> CachedLookup(const std::string& key);
  void Remember(const std::string& key, const Authenticated& who, TimestampMs session_expires_at);
  void Forget(const std::string& key);
  void ForgetUser(std::int64_t user_id);

  store::Database& db_;
  const Clock& clock_;
  RateLimiter per_account_;
  RateLimiter per_address_;
  std::mutex cache_mu_;
  std::unordered_map<std::string, CachedAuth> cache_;  // guarded by cache_mu_
};

// Normalises an email (trim, lower-case) and checks its shape; kInvalidArgument
// naming `email` otherwise.
Result<std::string> NormalizeEmail(std::string_view email);

}  // namespace chosen::auth
