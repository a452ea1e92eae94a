// A task was completed: point at the next high or urgent task by due date.
#include "coach/rule.h"
#include "coach/rules/util.h"
#include "common/time_util.h"

namespace chosen::coach {
namespace {

class TaskCompletedNext final : public Rule {
 public:
  std::string_view id() const override { return "task_completed_next"; }
  InsightType type() const override { return InsightType::kAction; }
  Priority priority() const override { return Priority::kMedium; }
  int min_level() const override { return 2; }
  // The same next task is suggested at most once an hour, however many
  // tasks are ticked off in a row.
  TimestampMs dedupe_window() const override { return kMsPerHour; }

  Result<std::vector<Candidate>> OnEvent(RuleContext& ctx, const crm::Event& e) const override {
    std::vector<Candidate> out;
    if (e.action != "task_completed") return out;
    auto rows = ctx.conn.Query(
        "SELECT id, title, due_date FROM tasks WHERE owner_id = ? AND status = 'pending' "
        "AND priority IN ('high', 'urgent') "
        "ORDER BY CASE WHEN due_date IS NULL THEN 1 ELSE 0 END, due_date, id LIMIT 1",
        {e.user_id});
    if (!rows) return rows.error();
    if (rows->empty()) return out;
    const auto& r = rows->front();
    std::string due;
    if (!r.IsNull(2)) {
      std::string today = LocalDate(ctx.now, ctx.user.timezone);
      std::string d = r.Str(2);
      due = d < today ? fmt::format(" (overdue since {})", d) : d == today ? " (due today)" : fmt::format(" (due {})", d);
    }
    Candidate c;
    c.dedupe_key = Key(id(), r.Int(0));
    c.fingerprint = std::to_string(e.id);
    c.message = fmt::format("Nice work! Next priority: {}{}", r.Str(1), due);
    c.suggested_action = "view_task";
    c.action_params = {{"task_id", r.Int(0)}};
    c.entity_type = "task";
    c.entity_id = r.Int(0);
    c.expires_at = ctx.now + 12 * kMsPerHour;
    out.push_back(std::move(c));
    return out;
  }

  Result<Resolutions> ResolvedBy(store::Connection&, const crm::Event& e) const override {
    Resolutions r;
    if (e.action == "task_completed" || e.action == "task_deleted") r.emplace_back(e.user_id, Key(id(), e.entity_id));
    return r;
  }
};

}  // namespace

std::unique_ptr<Rule> MakeTaskCompletedNext() { return std::make_unique<TaskCompletedNext>(); }

}  // namespace chosen::coach
