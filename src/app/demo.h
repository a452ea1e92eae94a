// The demo brokerage: a realistic org generated from a fixed seed.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/error.h"
#include "common/json_util.h"
#include "store/db.h"

namespace chosen::app {

// Password shared by every demo login.
constexpr const char* kDemoPassword = "chosen-demo";

// If the database has no users, creates the demo org "Summit Home Lending":
// two teams, an admin, a manager and six loan officers, each with ~90 days
// of history ending at `clock.Now()` (contacts in every status, deals across
// the pipeline, tasks some overdue, calls/texts/emails/meetings/posts with
// outcomes at plausible local hours). All of it goes through the same
// services as the API, so the event log is complete. A few officers carry
// planted habits for the analytics to find (Jordan Kim: calls answered more
// often on Tuesdays and Thursdays; Priya Shah: fewer appointments set after
// 3 PM local time). Prints the logins to
// `out`. Returns true if it seeded, false if the database already had users.
Result<bool> SeedDemoIfEmpty(store::Database& db, const Clock& clock, std::ostream& out);

// One of the demo org's logins (all share kDemoPassword).
struct DemoLogin {
  std::string email, name, role, team;  // role: admin, manager, officer; team may be empty
};

// The demo logins that exist in `db`: all of them in a database the demo
// seeded, none in any other. Errors: the database's.
Result<std::vector<DemoLogin>> ExistingDemoLogins(store::Database& db);

// The body of GET /api/demo: {"demo": true, "password": "chosen-demo",
// "logins": [{"email","name","role","team"}, ...]}.
json::object DemoInfoJson(const std::vector<DemoLogin>& logins);

}  // namespace chosen::app
