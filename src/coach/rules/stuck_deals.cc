// Open deals whose stage has not changed for stuck_deal_days: one insight per
// deal, the largest loans first, a few at a time.
#include "coach/rule.h"
#include "coach/rules/util.h"
#include "common/time_util.h"

namespace chosen::coach {
namespace {

class StuckDeals final : public Rule {
 public:
  std::string_view id() const override { return "stuck_deal"; }
  InsightType type() const override { return InsightType::kTime; }
  Priority priority() const override { return Priority::kMedium; }
  int min_level() const override { return 1; }
  TimestampMs dedupe_window() const override { return kMsPerDay; }
  int max_new_per_sweep() const override { return 3; }
  bool is_time_rule() const override { return true; }

  bool SweepsOn(std::string_view a) const override { return a.starts_with("deal_"); }

  Result<std::vector<Candidate>> Sweep(RuleContext& ctx) const override {
    std::vector<Candidate> out;
    TimestampMs cutoff = ctx.now - ctx.user.settings.stuck_deal_days * kMsPerDay;
    // Deals already flagged come first: a pending insight whose deal fell
    // outside the LIMIT would read as "no longer stuck" and be resolved.
    auto rows = ctx.conn.Query(
        "SELECT id, title, stage, stage_changed_at FROM deals WHERE owner_id = ? "
        "AND stage NOT IN ('Closed Won', 'Closed Lost') AND stage_changed_at < ? "
        "ORDER BY CASE WHEN id IN (SELECT entity_id FROM coach_insights WHERE user_id = ? AND rule = ? "
        "AND resolved_at IS NULL AND dismissed = 0) THEN 0 ELSE 1 END, "
        "value_cents DESC, stage_changed_at, id LIMIT 200",
        {ctx.user.user_id, cutoff, ctx.user.user_id, std::string(id())});
    if (!rows) return rows.error();
    for (const auto& r : *rows) {
      std::int64_t days = (ctx.now - r.Int(3)) / kMsPerDay;
      Candidate c;
      c.dedupe_key = Key(id(), r.Int(0));
      // A move resets the clock: only a new stint in a stage is a new reason.
      c.fingerprint = fmt::format("{}|{}", r.Str(2), r.Int(3));
      c.message = fmt::format("Deal '{}' has been in {} for {} days. Time to move it forward?", r.Str(1), r.Str(2),
                              days);
      c.suggested_action = "view_deal";
      c.action_params = {{"deal_id", r.Int(0)}};
      c.entity_type = "deal";
      c.entity_id = r.Int(0);
      out.push_back(std::move(c));
    }
    return out;
  }
};

}  // namespace

std::unique_ptr<Rule> MakeStuckDeals() { return std::make_unique<StuckDeals>(); }

}  // namespace chosen::coach
