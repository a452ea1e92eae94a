// A coaching rule: one file each under rules/. Action rules react to an
// event; time rules describe what holds now and are re-evaluated by the
// scheduler and by the events that can change them. Rules only read; the
// engine (coach.h) owns levels, dedupe, dismissals, expiry and storage.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "coach/insight.h"
#include "crm/events.h"
#include "store/db.h"

namespace chosen::coach {

// What a rule sees: the open transaction, the user, and "now".
struct RuleContext {
  store::Connection& conn;
  const CoachUser& user;
  TimestampMs now;
};

// (user, dedupe key) pairs whose reason an event removed.
using Resolutions = std::vector<std::pair<std::int64_t, std::string>>;

class Rule {
 public:
  virtual ~Rule() = default;

  virtual std::string_view id() const = 0;
  virtual InsightType type() const = 0;
  virtual Priority priority() const = 0;
  // The lowest coach level at which the rule speaks.
  virtual int min_level() const = 0;
  // Orders insights of equal priority (higher first).
  virtual int weight() const { return 0; }
  // After an insight is created, the same key stays quiet this long.
  virtual TimestampMs dedupe_window() const = 0;
  // Time rules: at most this many new insights per sweep (no floods).
  virtual int max_new_per_sweep() const { return 1000; }

  // Action rules: the insights `event` triggers for event.user_id.
  virtual Result<std::vector<Candidate>> OnEvent(RuleContext&, const crm::Event&) const {
    return std::vector<Candidate>{};
  }
  // Action rules: keys whose reason `event` removed.
  virtual Result<Resolutions> ResolvedBy(store::Connection&, const crm::Event&) const { return Resolutions{}; }

  virtual bool is_time_rule() const { return false; }
  // Time rules: whether an event with `action` can change what Sweep says.
  virtual bool SweepsOn(std::string_view /*action*/) const { return false; }
  // Time rules: true when this particular event (one SweepsOn accepts) is
  // known, from its context, not to change what Sweep says for `user`.
  virtual bool Unchanged(const crm::Event& /*event*/, const CoachUser& /*user*/) const { return false; }
  // Time rules: every insight that holds now. Pending insights of this rule
  // whose key is missing here are resolved.
  virtual Result<std::vector<Candidate>> Sweep(RuleContext&) const { return std::vector<Candidate>{}; }
};

// Every built-in rule, in evaluation order.
std::vector<std::unique_ptr<Rule>> BuiltinRules();

}  // namespace chosen::coach
