// Tasks past their due date (in the officer's own time zone).
#include "coach/rule.h"
#include "coach/rules/util.h"
#include "common/time_util.h"

namespace chosen::coach {
namespace {

class OverdueTasks final : public Rule {
 public:
  std::string_view id() const override { return "overdue_tasks"; }
  InsightType type() const override { return InsightType::kTime; }
  Priority priority() const override { return Priority::kHigh; }
  int min_level() const override { return 2; }
  TimestampMs dedupe_window() const override { return 12 * kMsPerHour; }
  bool is_time_rule() const override { return true; }

  bool SweepsOn(std::string_view a) const override { return a.starts_with("task_"); }

  Result<std::vector<Candidate>> Sweep(RuleContext& ctx) const override {
    std::vector<Candidate> out;
    std::string today = LocalDate(ctx.now, ctx.user.timezone);
    auto rows = ctx.conn.Query(
        "SELECT id FROM tasks WHERE owner_id = ? AND status <> 'completed' AND due_date < ? "
        "ORDER BY due_date, id",
        {ctx.user.user_id, today});
    if (!rows) return rows.error();
    if (rows->empty()) return out;
    std::int64_t n = static_cast<std::int64_t>(rows->size());
    json::array ids;
    for (std::size_t i = 0; i < rows->size() && i < 5; ++i) ids.push_back((*rows)[i].Int(0));
    Candidate c;
    c.dedupe_key = std::string(id());
    c.fingerprint = std::to_string(n);
    c.message = fmt::format("You have {} overdue task{}. Let's clear the backlog!", WithCommas(n), n == 1 ? "" : "s");
    c.suggested_action = "view_overdue_tasks";
    c.action_params = {{"count", n}, {"task_ids", std::move(ids)}};
    out.push_back(std::move(c));
    return out;
  }
};

}  // namespace

std::unique_ptr<Rule> MakeOverdueTasks() { return std::make_unique<OverdueTasks>(); }

}  // namespace chosen::coach
