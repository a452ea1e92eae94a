// The demo brokerage: a realistic org generated from a fixed seed.
#pragma once

#include <ostream>

#include "common/clock.h"
#include "common/error.h"
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

}  // namespace chosen::app
