// The event log: one append-only row per mutation, written in the same
// transaction as the mutation itself. Everything derived later (insights,
// points, streaks, scoreboards) can be recomputed from it.
#pragma once

#include <cstdint>
#include <string_view>

#include "auth/actor.h"
#include "common/clock.h"
#include "common/json_util.h"
#include "store/db.h"

namespace chosen::crm {

// Appends one event. `user_id` is the officer whose business it is (the
// record's owner); when the actor differs, metadata carries actor_id.
// Call inside a Database::Write transaction.
Status AppendEvent(store::Connection& c, std::int64_t org_id, std::int64_t user_id, std::string_view action,
                   std::string_view entity_type, std::int64_t entity_id, const json::object& metadata,
                   TimestampMs now);

}  // namespace chosen::crm
