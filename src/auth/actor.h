// Who is making a request: resolved once per request by the auth layer and
// passed down explicitly. Plain value; thread-compatible.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace chosen::auth {

enum class Role { kOfficer, kManager, kAdmin };

const char* RoleName(Role role);
// Parses "officer" | "manager" | "admin"; returns false otherwise.
bool ParseRole(std::string_view text, Role* role);

struct Actor {
  std::int64_t user_id = 0;
  std::int64_t org_id = 0;
  std::int64_t team_id = 0;  // 0 when the user has no team
  Role role = Role::kOfficer;
  std::string timezone = "UTC";
};

}  // namespace chosen::auth
