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

// Whether `actor` may read what is about user `user_id` (of team `team_id`,
// 0 for none, in the actor's org): their own, their team's for a manager,
// anyone's for an admin.
inline bool MayRead(const Actor& actor, std::int64_t user_id, std::int64_t team_id) {
  return user_id == actor.user_id || actor.role == Role::kAdmin ||
         (actor.role == Role::kManager && actor.team_id != 0 && team_id == actor.team_id);
}

}  // namespace chosen::auth
