#include "game/rewards.h"

#include <fmt/format.h>

#include "common/time_util.h"

namespace chosen::game {
namespace {

constexpr std::string_view kRewardColumns = "id, name, description, cost, stock, active, created_at, updated_at";

json::object RewardJson(const store::Row& r) {
  return {{"id", r.Int(0)},          {"name", r.Str(1)},   {"description", r.Str(2)},
          {"cost", r.Int(3)},        {"stock", r.Int(4)},  {"active", r.Int(5) != 0},
          {"created_at", FormatIso(r.Int(6))}, {"updated_at", FormatIso(r.Int(7))}};
}

constexpr std::string_view kRedemptionColumns =
    "r.id, r.user_id, u.name, r.reward_id, w.name, r.cost, r.status, r.request_id, r.note, r.created_at, r.decided_by, "
    "r.decided_at";

json::object RedemptionJson(const store::Row& r) {
  return {{"id", r.Int(0)},
          {"user_id", r.Int(1)},
          {"user_name", r.Str(2)},
          {"reward_id", r.Int(3)},
          {"reward", r.Str(4)},
          {"cost", r.Int(5)},
          {"status", r.Str(6)},
          {"request_id", r.Str(7)},
          {"note", r.IsNull(8) ? json::value(nullptr) : json::value(r.Str(8))},
          {"created_at", FormatIso(r.Int(9))},
          {"decided_by", r.IsNull(10) ? json::value(nullptr) : json::value(r.Int(10))},
          {"decided_at", r.IsNull(11) ? json::value(nullptr) : json::value(FormatIso(r.Int(11)))}};
}

Result<json::object> RedemptionById(store::Connection& c, std::int64_t id) {
  auto rows = c.Query(fmt::format("SELECT {} FROM redemptions r JOIN users u ON u.id = r.user_id JOIN rewards w ON w.id "
                                  "= r.reward_id WHERE r.id = ?",
                                  kRedemptionColumns),
                      {id});
  if (!rows) return rows.error();
  if (rows->empty()) return Error::NotFound(fmt::format("redemption {} not found", id));
  return RedemptionJson(rows->front());
}

// The reward fields of a body; `create` requires name, cost and stock.
struct RewardFields {
  std::optional<std::string> name, description;
  std::optional<std::int64_t> cost, stock;
  std::optional<bool> active;
};

Result<RewardFields> ParseReward(const json::object& body, bool create) {
  RewardFields f;
  for (const auto& [k, v] : body) {
    if (k == "name" || k == "description") {
      const std::size_t max = k == "name" ? 100 : 1000;
      std::string t = v.is_string() ? Trim(v.as_string()) : std::string();
      if ((k == "name" && t.empty()) || !v.is_string() || CharCount(t) > max)
        return Error::Invalid(fmt::format("{} must be {} to {} characters", std::string_view(k), k == "name" ? 1 : 0, max),
                              std::string(k));
      (k == "name" ? f.name : f.description) = std::move(t);
    } else if (k == "cost" || k == "stock") {
      const std::int64_t lo = k == "cost" ? 1 : 0, hi = k == "cost" ? Rewards::kMaxCost : Rewards::kMaxStock;
      if (!v.is_int64() || v.as_int64() < lo || v.as_int64() > hi)
        return Error::Invalid(fmt::format("{} must be a whole number from {} to {}", std::string_view(k), lo, hi),
                              std::string(k));
      (k == "cost" ? f.cost : f.stock) = v.as_int64();
    } else if (k == "active") {
      if (!v.is_bool()) return Error::Invalid("active must be true or false", "active");
      f.active = v.as_bool();
    } else {
      return Error::Invalid(fmt::format("unknown field '{}'", std::string_view(k)), std::string(k));
    }
  }
  if (create) {
    if (!f.name) return Error::Invalid("name must be 1 to 100 characters", "name");
    if (!f.cost) return Error::Invalid(fmt::format("cost must be a whole number from 1 to {}", Rewards::kMaxCost), "cost");
    if (!f.stock) return Error::Invalid(fmt::format("stock must be a whole number from 0 to {}", Rewards::kMaxStock), "stock");
  }
  return f;
}

Status AdminOnly(const auth::Actor& actor) {
  if (actor.role != auth::Role::kAdmin)
    return Error{ErrorCode::kPermissionDenied, "only an admin may manage the reward marketplace", {}};
  return {};
}

}  // namespace

Result<json::object> Rewards::List(const auth::Actor& actor) {
  json::array items;
  auto st = db_.Read([&](store::Connection& c) -> Status {
    auto rows = c.Query(fmt::format("SELECT {} FROM rewards WHERE org_id = ?{} ORDER BY cost, id", kRewardColumns,
                                    actor.role == auth::Role::kAdmin ? "" : " AND active = 1"),
                        {actor.org_id});
    if (!rows) return rows.error();
    for (const auto& r : *rows) items.push_back(RewardJson(r));
    return {};
  });
  if (!st) return st.error();
  return json::object{{"items", std::move(items)}};
}

Result<json::object> Rewards::Create(const auth::Actor& actor, const json::object& body) {
  if (auto st = AdminOnly(actor); !st) return st.error();
  auto f = ParseReward(body, true);
  if (!f) return f.error();
  const TimestampMs now = clock_.Now();
  json::object out;
  auto st = db_.Write([&](store::Connection& c) -> Status {
    auto rows = c.Query(fmt::format("INSERT INTO rewards (org_id, name, description, cost, stock, active, created_at, "
                                    "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING {}",
                                    kRewardColumns),
                        {actor.org_id, *f->name, f->description.value_or(""), *f->cost, *f->stock,
                         std::int64_t{f->active.value_or(true) ? 1 : 0}, now, now});
    if (!rows) return rows.error();
    out = RewardJson(rows->front());
    return {};
  });
  if (!st) return st.error();
  return out;
}

Result<json::object> Rewards::Update(const auth::Actor& actor, std::int64_t id, const json::object& body) {
  if (auto st = AdminOnly(actor); !st) return st.error();
  auto f = ParseReward(body, false);
  if (!f) return f.error();
  const TimestampMs now = clock_.Now();
  json::object out;
  auto st = db_.Write([&](store::Connection& c) -> Status {
    auto found = c.Query("SELECT 1 FROM rewards WHERE id = ? AND org_id = ?", {id, actor.org_id});
    if (!found) return found.error();
    if (found->empty()) return Error::NotFound(fmt::format("reward {} not found", id));
    auto set = [&](std::string_view column, store::Value v) -> Status {
      auto r = c.Exec(fmt::format("UPDATE rewards SET {} = ?, updated_at = ? WHERE id = ?", column), {std::move(v), now, id});
      if (!r) return r.error();
      return {};
    };
    if (f->name) if (auto s = set("name", *f->name); !s) return s;
    if (f->description) if (auto s = set("description", *f->description); !s) return s;
    if (f->cost) if (auto s = set("cost", *f->cost); !s) return s;
    if (f->stock) if (auto s = set("stock", *f->stock); !s) return s;
    if (f->active) if (auto s = set("active", std::int64_t{*f->active ? 1 : 0}); !s) return s;
    auto rows = c.Query(fmt::format("SELECT {} FROM rewards WHERE id = ?", kRewardColumns), {id});
    if (!rows) return rows.error();
    out = RewardJson(rows->front());
    return {};
  });
  if (!st) return st.error();
  return out;
}

Result<Rewards::Redeemed> Rewards::Redeem(const auth::Actor& actor, std::int64_t reward_id, const json::object& body) {
  for (const auto& kv : body)
    if (kv.key() != "request_id")
      return Error::Invalid(fmt::format("unknown field '{}'", std::string_view(kv.key())), std::string(kv.key()));
  auto rid = body.find("request_id");
  if (rid == body.end() || !rid->value().is_string() || rid->value().as_string().empty() ||
      CharCount(rid->value().as_string()) > kMaxRequestIdChars)
    return Error::Invalid(
        fmt::format("request_id must be 1 to {} characters, one per redemption (a repeat answers the same one)",
                    kMaxRequestIdChars),
        "request_id");
  const std::string request_id(rid->value().as_string());
  const TimestampMs now = clock_.Now();
  Redeemed out;
  auto st = db_.Write([&](store::Connection& c) -> Status {
    auto seen = c.Query("SELECT id, reward_id FROM redemptions WHERE user_id = ? AND request_id = ?",
                        {actor.user_id, request_id});
    if (!seen) return seen.error();
    if (!seen->empty()) {
      if (seen->front().Int(1) != reward_id)
        return Error{ErrorCode::kConflict, "that request_id was used for another reward", "request_id"};
      auto r = RedemptionById(c, seen->front().Int(0));
      if (!r) return r.error();
      out = {std::move(*r), false};
      return {};
    }
    auto reward = c.Query("SELECT cost, name FROM rewards WHERE id = ? AND org_id = ? AND active = 1",
                          {reward_id, actor.org_id});
    if (!reward) return reward.error();
    if (reward->empty()) return Error::NotFound(fmt::format("reward {} not found", reward_id));
    const std::int64_t cost = reward->front().Int(0);
    // Both guarded in the statement: never below zero, whatever runs at once.
    auto stock = c.Exec("UPDATE rewards SET stock = stock - 1 WHERE id = ? AND stock > 0", {reward_id});
    if (!stock) return stock.error();
    if (*stock == 0) return Error{ErrorCode::kConflict, "that reward is out of stock", "stock"};
    auto paid = c.Exec("UPDATE user_points SET balance = balance - ? WHERE user_id = ? AND balance >= ?",
                       {cost, actor.user_id, cost});
    if (!paid) return paid.error();
    if (*paid == 0) return Error{ErrorCode::kConflict, fmt::format("not enough points: it costs {}", cost), "points"};
    auto made = c.Query("INSERT INTO redemptions (org_id, user_id, reward_id, cost, status, request_id, created_at) "
                        "VALUES (?, ?, ?, ?, 'pending', ?, ?) RETURNING id",
                        {actor.org_id, actor.user_id, reward_id, cost, request_id, now});
    if (!made) return made.error();
    const std::int64_t id = made->front().Int(0);
    if (auto r = c.Exec("INSERT INTO points_ledger (org_id, user_id, kind, points, redemption_id, reason, created_at) "
                        "VALUES (?, ?, 'redeem', ?, ?, ?, ?)",
                        {actor.org_id, actor.user_id, -cost, id, "redeemed " + reward->front().Str(1), now});
        !r)
      return r.error();
    auto r = RedemptionById(c, id);
    if (!r) return r.error();
    // Told to whoever decides: the officer's team's managers, or the
    // org's admins when the team has none.
    auto approvers = c.Query(
        "SELECT id FROM users WHERE org_id = ? AND id <> ? AND ((role = 'manager' AND team_id = ?) OR (role = 'admin' "
        "AND NOT EXISTS (SELECT 1 FROM users m WHERE m.org_id = ? AND m.role = 'manager' AND m.team_id = ?)))",
        {actor.org_id, actor.user_id, actor.team_id, actor.org_id, actor.team_id});
    if (!approvers) return approvers.error();
    for (const auto& a : *approvers) {
      auto n = notifications_.Add(
          c, {actor.org_id, a.Int(0), "reward_request",
              fmt::format("{} redeemed {}", std::string(r->at("user_name").as_string()), reward->front().Str(1)),
              fmt::format("{} points. Approve or reject it under Rewards, To decide.", cost),
              json::object{{"redemption_id", id}}, fmt::format("redemption-request:{}", id)});
      if (!n) return n.error();
    }
    out = {std::move(*r), true};
    return {};
  });
  if (!st) return st.error();
  return out;
}

Result<json::object> Rewards::Redemptions(const auth::Actor& actor, bool pending_to_decide) {
  json::array items;
  auto st = db_.Read([&](store::Connection& c) -> Status {
    std::string where = "r.user_id = ?";
    std::vector<store::Value> args{actor.user_id};
    if (pending_to_decide) {
      if (actor.role == auth::Role::kOfficer)
        return Error{ErrorCode::kPermissionDenied, "only a manager or an admin decides redemptions", {}};
      where = "r.org_id = ? AND r.status = 'pending'";
      args = {actor.org_id};
      if (actor.role == auth::Role::kManager) {
        where += " AND u.team_id = ? AND r.user_id <> ?";
        args.push_back(actor.team_id);
        args.push_back(actor.user_id);
      }
    }
    auto rows = c.Query(fmt::format("SELECT {} FROM redemptions r JOIN users u ON u.id = r.user_id JOIN rewards w ON w.id "
                                    "= r.reward_id WHERE {} ORDER BY r.id DESC LIMIT 200",
                                    kRedemptionColumns, where),
                        args);
    if (!rows) return rows.error();
    for (const auto& r : *rows) items.push_back(RedemptionJson(r));
    return {};
  });
  if (!st) return st.error();
  return json::object{{"items", std::move(items)}};
}

Result<json::object> Rewards::Decide(const auth::Actor& actor, std::int64_t id, bool approve, const json::object& body) {
  std::optional<std::string> note;
  for (const auto& [k, v] : body) {
    if (k != "note") return Error::Invalid(fmt::format("unknown field '{}'", std::string_view(k)), std::string(k));
    if (!v.is_string() || CharCount(v.as_string()) > 500) return Error::Invalid("note must be at most 500 characters", "note");
    note = std::string(v.as_string());
  }
  const TimestampMs now = clock_.Now();
  json::object out;
  auto st = db_.Write([&](store::Connection& c) -> Status {
    auto rows = c.Query("SELECT r.user_id, u.team_id, r.status, r.cost, r.reward_id, w.name FROM redemptions r JOIN users "
                        "u ON u.id = r.user_id JOIN rewards w ON w.id = r.reward_id WHERE r.id = ? AND r.org_id = ?",
                        {id, actor.org_id});
    if (!rows) return rows.error();
    const bool may = !rows->empty() && rows->front().Int(0) != actor.user_id &&
                     (actor.role == auth::Role::kAdmin ||
                      (actor.role == auth::Role::kManager && !rows->front().IsNull(1) &&
                       rows->front().Int(1) == actor.team_id));
    if (!may) return Error::NotFound(fmt::format("redemption {} not found", id));
    const auto& r = rows->front();
    // Decided once: the status guard makes a second decision change nothing.
    auto changed = c.Exec("UPDATE redemptions SET status = ?, decided_by = ?, decided_at = ?, note = ? WHERE id = ? AND "
                          "status = 'pending'",
                          {approve ? "approved" : "rejected", actor.user_id, now,
                           note ? store::Value{*note} : store::Value{}, id});
    if (!changed) return changed.error();
    if (*changed == 0) return Error{ErrorCode::kConflict, fmt::format("redemption {} was decided already", id), {}};
    const std::int64_t user = r.Int(0), cost = r.Int(3);
    if (!approve) {
      if (auto x = c.Exec("UPDATE user_points SET balance = balance + ? WHERE user_id = ?", {cost, user}); !x)
        return x.error();
      if (auto x = c.Exec("UPDATE rewards SET stock = stock + 1 WHERE id = ?", {r.Int(4)}); !x) return x.error();
      if (auto x = c.Exec("INSERT INTO points_ledger (org_id, user_id, kind, points, redemption_id, reason, created_at) "
                          "VALUES (?, ?, 'refund', ?, ?, ?, ?)",
                          {actor.org_id, user, cost, id, "refunded " + r.Str(5), now});
          !x)
        return x.error();
    }
    auto n = notifications_.Add(
        c, {actor.org_id, user, "reward",
            approve ? fmt::format("Reward approved: {}", r.Str(5)) : fmt::format("Reward not approved: {}", r.Str(5)),
            approve ? std::string("Enjoy it.")
                    : fmt::format("Your {} points are back in your balance.{}", cost, note ? " " + *note : std::string()),
            json::object{{"redemption_id", id}, {"status", approve ? "approved" : "rejected"}},
            fmt::format("redemption:{}", id)});
    if (!n) return n.error();
    auto out_row = RedemptionById(c, id);
    if (!out_row) return out_row.error();
    out = std::move(*out_row);
    return {};
  });
  if (!st) return st.error();
  return out;
}

}  // namespace chosen::game
