#include "auth/accounts.h"

#include <fmt/format.h>

#include "auth/crypto.h"
#include "common/time_util.h"

namespace chosen::auth {
namespace {

constexpr const char* kUserColumns =
    "u.id, u.org_id, COALESCE(u.team_id, 0), o.name, COALESCE(t.name, ''), u.email, u.name, u.role, u.timezone, "
    "u.work_start, u.work_end, u.work_days, u.created_at, u.password_hash";

UserInfo UserFromRow(const store::Row& r) {
  UserInfo u;
  u.id = r.Int(0);
  u.org_id = r.Int(1);
  u.team_id = r.Int(2);
  u.org_name = r.Str(3);
  u.team_name = r.Str(4);
  u.email = r.Str(5);
  u.name = r.Str(6);
  ParseRole(r.Str(7), &u.role);
  u.timezone = r.Str(8);
  u.work_start = r.Str(9);
  u.work_end = r.Str(10);
  u.work_days = r.Str(11);
  u.created_at = r.Int(12);
  return u;
}

Status ValidateWorkDays(std::string_view s) {
  // "1,2,3,4,5": distinct ISO weekdays, ascending.
  int last = 0;
  if (s.empty()) return Error::Invalid("work_days needs at least one day", "work_days");
  for (std::size_t i = 0; i < s.size(); i += 2) {
    char c = s[i];
    if (c < '1' || c > '7' || c - '0' <= last || (i + 1 < s.size() && s[i + 1] != ','))
      return Error::Invalid("work_days must be ascending ISO weekdays like [1,2,3,4,5] (Monday = 1)", "work_days");
    last = c - '0';
  }
  if (s.back() == ',') return Error::Invalid("work_days is malformed", "work_days");
  return {};
}

Result<std::int64_t> EnsureOrg(store::Connection& c, const std::string& name, TimestampMs now) {
  auto rows = c.Query("SELECT id FROM orgs WHERE name = ?", {name});
  if (!rows) return rows.error();
  if (!rows->empty()) return rows->front().Int(0);
  auto ins = c.Query("INSERT INTO orgs (name, created_at) VALUES (?, ?) RETURNING id", {name, now});
  if (!ins) return ins.error();
  return ins->front().Int(0);
}

Result<std::int64_t> EnsureTeam(store::Connection& c, std::int64_t org_id, const std::string& name,
                                TimestampMs now) {
  auto rows = c.Query("SELECT id FROM teams WHERE org_id = ? AND name = ?", {org_id, name});
  if (!rows) return rows.error();
  if (!rows->empty()) return rows->front().Int(0);
  auto ins =
      c.Query("INSERT INTO teams (org_id, name, created_at) VALUES (?, ?, ?) RETURNING id", {org_id, name, now});
  if (!ins) return ins.error();
  return ins->front().Int(0);
}

}  // namespace

const char* RoleName(Role role) {
  switch (role) {
    case Role::kOfficer: return "officer";
    case Role::kManager: return "manager";
    case Role::kAdmin: return "admin";
  }
  return "officer";
}

bool ParseRole(std::string_view text, Role* role) {
  if (text == "officer") *role = Role::kOfficer;
  else if (text == "manager") *role = Role::kManager;
  else if (text == "admin") *role = Role::kAdmin;
  else return false;
  return true;
}

json::object UserInfo::ToJson() const {
  json::array days;
  for (char c : work_days)
    if (c >= '1' && c <= '7') days.push_back(c - '0');
  json::object o;
  o["id"] = id;
  o["email"] = email;
  o["name"] = name;
  o["role"] = RoleName(role);
  o["org"] = {{"id", org_id}, {"name", org_name}};
  if (team_id) o["team"] = {{"id", team_id}, {"name", team_name}};
  else o["team"] = nullptr;
  o["timezone"] = timezone;
  o["working_hours"] = {{"start", work_start}, {"end", work_end}, {"days", std::move(days)}};
  o["created_at"] = FormatIso(created_at);
  return o;
}

Result<std::string> NormalizeEmail(std::string_view email) {
  std::string e = ToLower(Trim(email));
  auto at = e.find('@');
  // local@domain where the domain has a dot with a label on each side.
  std::string_view domain = at == std::string::npos ? std::string_view() : std::string_view(e).substr(at + 1);
  bool ok = !e.empty() && e.size() <= 254 && at != std::string::npos && at > 0 && !domain.empty() &&
            domain.find('@') == std::string_view::npos && domain.find('.') != std::string_view::npos &&
            domain.front() != '.' && domain.back() != '.' && domain.find("..") == std::string_view::npos;
  for (char c : e)
    if (static_cast<unsigned char>(c) <= ' ' || c == '"' || c == ',' || c == '<' || c == '>') ok = false;
  if (!ok) return Error::Invalid("email must look like name@example.com", "email");
  return e;
}

Accounts::Accounts(store::Database& db, const Clock& clock)
    : db_(db),
      clock_(clock),
      per_account_(clock, 5, 15 * kMsPerMinute),
      per_address_(clock, 30, 15 * kMsPerMinute) {}

Result<UserInfo> Accounts::LoadUser(store::Connection& c, std::string_view condition, const store::Value& key) {
  auto rows = c.Query(fmt::format("SELECT {} FROM users u JOIN orgs o ON o.id = u.org_id "
                                  "LEFT JOIN teams t ON t.id = u.team_id WHERE {}",
                                  kUserColumns, condition),
                      {key});
  if (!rows) return rows.error();
  if (rows->empty()) return Error::NotFound("no such user");
  return UserFromRow(rows->front());
}

Result<UserInfo> Accounts::AddUser(const NewUser& in) {
  auto email = NormalizeEmail(in.email);
  if (!email) return email.error();
  std::string name = Trim(in.name);
  if (name.empty() || name.size() > 120 || !IsCleanText(name, false))
    return Error::Invalid("name is required (at most 120 characters)", "name");
  if (in.password.size() < 8 || in.password.size() > 256)
    return Error::Invalid("password must be 8 to 256 characters", "password");
  std::string org = Trim(in.org), team = Trim(in.team);
  if (org.empty() || org.size() > 120 || !IsCleanText(org, false))
    return Error::Invalid("org is required (at most 120 characters)", "org");
  if (team.size() > 120 || !IsCleanText(team, false))
    return Error::Invalid("team must be at most 120 characters of plain text", "team");
  if (!IsValidTimeZone(in.timezone))
    return Error::Invalid(fmt::format("unknown time zone '{}': use an IANA name like America/Chicago", in.timezone),
                          "timezone");
  auto hash = HashPassword(in.password);
  if (!hash) return hash.error();
  TimestampMs now = clock_.Now();
  std::int64_t id = 0;
  auto st = db_.Write([&](store::Connection& c) -> Status {
    auto org_id = EnsureOrg(c, org, now);
    if (!org_id) return org_id.error();
    store::Value team_id;
    if (!team.empty()) {
      auto t = EnsureTeam(c, *org_id, team, now);
      if (!t) return t.error();
      team_id = *t;
    }
    auto exists = c.Query("SELECT 1 FROM users WHERE email = ?", {*email});
    if (!exists) return exists.error();
    if (!exists->empty()) return Error::Conflict(fmt::format("a user with email {} exists", *email), "email");
    auto ins = c.Query(
        "INSERT INTO users (org_id, team_id, email, name, role, password_hash, timezone, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        {*org_id, team_id, *email, name, std::string(RoleName(in.role)), *hash, in.timezone, now, now});
    if (!ins) return ins.error();
    id = ins->front().Int(0);
    json::object meta{{"role", RoleName(in.role)}, {"team", team}};
    auto ev = c.Exec(
        "INSERT INTO events (org_id, user_id, action, entity_type, entity_id, metadata, created_at) "
        "VALUES (?, ?, 'user_created', 'user', ?, ?, ?)",
        {*org_id, id, id, chosen::ToJson(meta), now});
    if (!ev) return ev.error();
    return {};
  });
  if (!st) return st.error();
  return GetUser(id);
}

Result<UserInfo> Accounts::GetUser(std::int64_t user_id) {
  Result<UserInfo> out = Error::NotFound("no such user");
  auto st = db_.Read([&](store::Connection& c) -> Status {
    out = LoadUser(c, "u.id = ?", user_id);
    return {};
  });
  if (!st) return st.error();
  return out;
}

Result<std::string> Accounts::CreateApiToken(std::string_view email, std::string_view name) {
  auto norm = NormalizeEmail(email);
  if (!norm) return norm.error();
  std::string token = "chs_" + RandomToken(24);
  TimestampMs now = clock_.Now();
  auto st = db_.Write([&](store::Connection& c) -> Status {
    auto user = LoadUser(c, "u.email = ?", *norm);
    if (!user) return user.error();
    auto ins = c.Exec("INSERT INTO api_tokens (user_id, name, token_hash, created_at) VALUES (?, ?, ?, ?)",
                      {user->id, std::string(name.empty() ? "cli" : name), Sha256Hex(token), now});
    if (!ins) return ins.error();
    return {};
  });
  if (!st) return st.error();
  return token;
}

Status Accounts::SetPassword(std::string_view email, std::string_view password) {
  auto norm = NormalizeEmail(email);
  if (!norm) return norm.error();
  if (password.size() < 8 || password.size() > 256)
    return Error::Invalid("password must be 8 to 256 characters", "password");
  auto hash = HashPassword(password);
  if (!hash) return hash.error();
  TimestampMs now = clock_.Now();
  std::int64_t user_id = 0;
  Status st = db_.Write([&](store::Connection& c) -> Status {
    auto user = LoadUser(c, "u.email = ?", *norm);
    if (!user) return user.error();
    user_id = user->id;
    auto up = c.Exec("UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?", {*hash, now, user->id});
    if (!up) return up.error();
    auto ended = c.Exec("DELETE FROM sessions WHERE user_id = ?", {user->id});
    if (!ended) return ended.error();
    return {};
  });
  if (user_id != 0) ForgetUser(user_id);
  return st;
}

Result<LoginResult> Accounts::Login(std::string_view email, std::string_view password,
                                    const std::string& client_ip, std::int64_t* retry_after_s) {
  const Error bad{ErrorCode::kUnauthenticated, "email or password is incorrect", {}};
  std::string norm = ToLower(Trim(email));
  std::string account_key = "a:" + norm, address_key = "i:" + client_ip;
  TimestampMs wait = std::max(per_account_.RetryAfter(account_key), per_address_.RetryAfter(address_key));
  if (wait > 0) {
    *retry_after_s = (wait + 999) / 1000;
    return Error{ErrorCode::kRateLimited,
                 fmt::format("too many failed logins; try again in {} seconds", *retry_after_s), {}};
  }
  if (password.size() > 256 || norm.size() > 254) return bad;
  std::optional<UserInfo> user;
  std::string hash;
  auto st = db_.Read([&](store::Connection& c) -> Status {
    auto rows = c.Query(fmt::format("SELECT {} FROM users u JOIN orgs o ON o.id = u.org_id "
                                    "LEFT JOIN teams t ON t.id = u.team_id WHERE u.email = ?",
                                    kUserColumns),
                        {norm});
    if (!rows) return rows.error();
    if (!rows->empty()) {
      user = UserFromRow(rows->front());
      hash = rows->front().Str(13);
    }
    return {};
  });
  if (!st) return st.error();
  bool ok = false;
  if (user) ok = VerifyPassword(hash, password);
  else DummyVerify(password);
  if (!ok) {
    per_account_.RecordFailure(account_key);
    per_address_.RecordFailure(address_key);
    return bad;
  }
  per_account_.Reset(account_key);
  LoginResult out;
  out.session_token = RandomToken(32);
  out.csrf_token = RandomToken(16);
  TimestampMs now = clock_.Now();
  out.expires_at = now + kSessionLifetimeMs;
  out.user = *user;
  auto w = db_.Write([&](store::Connection& c) -> Status {
    // Expired sessions of this user are swept at each login.
    if (auto r = c.Exec("DELETE FROM sessions WHERE user_id = ? AND expires_at <= ?", {user->id, now}); !r)
      return r.error();
    auto r = c.Exec("INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at) "
                    "VALUES (?, ?, ?, ?, ?)",
                    {Sha256Hex(out.session_token), user->id, out.csrf_token, now, out.expires_at});
    if (!r) return r.error();
    return {};
  });
  if (!w) return w.error();
  return out;
}

Status Accounts::Logout(std::string_view session_token) {
  std::string hash = Sha256Hex(session_token);
  Status st = db_.Write([&](store::Connection& c) -> Status {
    auto r = c.Exec("DELETE FROM sessions WHERE token_hash = ?", {hash});
    if (!r) return r.error();
    return {};
  });
  Forget("s" + hash);
  return st;
}

std::optional<Authenticated> Accounts::CachedLookup(const std::string& key) {
  std::lock_guard lock(cache_mu_);
  auto it = cache_.find(key);
  if (it == cache_.end()) return std::nullopt;
  const CachedAuth& e = it->second;
  if (std::chrono::steady_clock::now() >= e.fresh_until ||
      (e.session_expires_at != 0 && e.session_expires_at <= clock_.Now())) {
    cache_.erase(it);
    return std::nullopt;
  }
  return e.who;
}

void Accounts::Remember(const std::string& key, const Authenticated& who, TimestampMs session_expires_at) {
  auto now = std::chrono::steady_clock::now();
  std::lock_guard lock(cache_mu_);
  if (cache_.size() >= kAuthCacheMax) {
    std::erase_if(cache_, [&](const auto& kv) { return now >= kv.second.fresh_until; });
    if (cache_.size() >= kAuthCacheMax) cache_.clear();  // more live clients than the bound: start over
  }
  cache_.insert_or_assign(key, CachedAuth{who, session_expires_at, now + kAuthCacheTtl});
}

void Accounts::Forget(const std::string& key) {
  std::lock_guard lock(cache_mu_);
  cache_.erase(key);
}

void Accounts::ForgetUser(std::int64_t user_id) {
  std::lock_guard lock(cache_mu_);
  std::erase_if(cache_, [&](const auto& kv) { return kv.second.who.user.id == user_id; });
}

Result<Authenticated> Accounts::AuthenticateSession(std::string_view session_token) {
  const Error bad{ErrorCode::kUnauthenticated, "session expired or invalid; log in again", {}};
  if (session_token.empty() || session_token.size() > 128) return bad;
  std::string hash = Sha256Hex(session_token);
  std::string key = "s" + hash;
  if (auto hit = CachedLookup(key)) return *std::move(hit);
  Result<Authenticated> out = bad;
  TimestampMs now = clock_.Now(), expires_at = 0;
  auto st = db_.Read([&](store::Connection& c) -> Status {
    auto rows = c.Query("SELECT user_id, csrf_token, expires_at FROM sessions WHERE token_hash = ?", {hash});
    if (!rows) return rows.error();
    if (rows->empty() || rows->front().Int(2) <= now) return {};
    auto user = LoadUser(c, "u.id = ?", rows->front().Int(0));
    if (!user) return {};
    out = Authenticated{*user, rows->front().Str(1), true};
    expires_at = rows->front().Int(2);
    return {};
  });
  if (!st) return st.error();
  if (out) Remember(key, *out, expires_at);
  return out;
}

Result<Authenticated> Accounts::AuthenticateBearer(std::string_view token) {
  const Error bad{ErrorCode::kUnauthenticated, "API token is invalid or revoked", {}};
  if (token.empty() || token.size() > 128) return bad;
  std::string hash = Sha256Hex(token);
  std::string key = "b" + hash;
  if (auto hit = CachedLookup(key)) return *std::move(hit);
  Result<Authenticated> out = bad;
  auto st = db_.Read([&](store::Connection& c) -> Status {
    // One query: the token's user, if the token exists.
    auto user = LoadUser(c, "u.id = (SELECT user_id FROM api_tokens WHERE token_hash = ?)", hash);
    if (!user) return user.error().code == ErrorCode::kNotFound ? Status{} : Status(user.error());
    out = Authenticated{*user, {}, false};
    return {};
  });
  if (!st) return st.error();
  if (out) Remember(key, *out, 0);
  return out;
}

Result<UserInfo> Accounts::UpdateProfile(const Actor& actor, const json::object& patch) {
  auto current = GetUser(actor.user_id);
  if (!current) return current.error();
  UserInfo u = *current;
  for (const auto& kv : patch) {
    std::string_view key = kv.key();
    if (key == "name") {
      auto v = RequireString(patch, key, 120);
      if (!v) return v.error();
      u.name = *v;
    } else if (key == "timezone") {
      auto v = RequireString(patch, key, 64);
      if (!v) return v.error();
      if (!IsValidTimeZone(*v))
        return Error::Invalid(fmt::format("unknown time zone '{}': use an IANA name like America/Chicago", *v),
                              "timezone");
      u.timezone = *v;
    } else if (key == "working_hours") {
      if (!kv.value().is_object()) return Error::Invalid("working_hours must be an object", "working_hours");
      const auto& wh = kv.value().as_object();
      for (const auto& w : wh) {
        std::string field = fmt::format("working_hours.{}", std::string_view(w.key()));
        if (w.key() == "start" || w.key() == "end") {
          if (!w.value().is_string()) return Error::Invalid(field + " must be a string like 09:00", field);
          std::string t(w.value().as_string());
          if (auto st = ValidateTimeOfDay(t, field); !st) return st.error();
          (w.key() == "start" ? u.work_start : u.work_end) = t;
        } else if (w.key() == "days") {
          if (!w.value().is_array()) return Error::Invalid(field + " must be an array like [1,2,3,4,5]", field);
          std::string days;
          for (const auto& d : w.value().as_array()) {
            if (!d.is_int64() || d.as_int64() < 1 || d.as_int64() > 7)
              return Error::Invalid(field + " holds ISO weekdays 1 (Monday) to 7 (Sunday)", field);
            if (!days.empty()) days += ',';
            days += std::to_string(d.as_int64());
          }
          if (auto st = ValidateWorkDays(days); !st) return Error::Invalid(st.error().message, field);
          u.work_days = days;
        } else {
          return Error::Invalid(fmt::format("unknown field '{}'", field), field);
        }
      }
      if (u.work_start >= u.work_end)
        return Error::Invalid("working_hours.start must be before working_hours.end", "working_hours");
    } else {
      return Error::Invalid(fmt::format("field '{}' cannot be changed here", key), std::string(key));
    }
  }
  TimestampMs now = clock_.Now();
  auto st = db_.Write([&](store::Connection& c) -> Status {
    auto r = c.Exec("UPDATE users SET name = ?, timezone = ?, work_start = ?, work_end = ?, work_days = ?, "
                    "updated_at = ? WHERE id = ?",
                    {u.name, u.timezone, u.work_start, u.work_end, u.work_days, now, u.id});
    if (!r) return r.error();
    json::object meta{{"fields", json::array()}};
    for (const auto& kv : patch) meta["fields"].as_array().push_back(json::string(kv.key()));
    auto ev = c.Exec("INSERT INTO events (org_id, user_id, action, entity_type, entity_id, metadata, created_at) "
                     "VALUES (?, ?, 'profile_updated', 'user', ?, ?, ?)",
                     {u.org_id, u.id, u.id, chosen::ToJson(meta), now});
    if (!ev) return ev.error();
    return {};
  });
  ForgetUser(u.id);
  if (!st) return st.error();
  return GetUser(u.id);
}

}  // namespace chosen::auth
