// Leads and prospects nobody has contacted for stale_lead_days: one insight
// with the true count, naming the most valuable few.
#include "coach/rule.h"
#include "coach/rules/util.h"
#include "common/time_util.h"

namespace chosen::coach {
namespace {

class StaleLeads final : public Rule {
 public:
  std::string_view id() const override { return "stale_leads"; }
  InsightType type() const override { return InsightType::kTime; }
  Priority priority() const override { return Priority::kHigh; }
  int min_level() const override { return 1; }
  TimestampMs dedupe_window() const override { return kMsPerDay; }
  bool is_time_rule() const override { return true; }

  bool SweepsOn(std::string_view a) const override {
    return IsContactTouch(a) || a.starts_with("contact_");
  }

  // A touch of a contact that was not a going-cold lead before it cannot
  // change the list (the activity's writer says what the contact was).
  bool Unchanged(const crm::Event& e, const CoachUser& user) const override {
    if (!IsContactTouch(e.action)) return false;
    auto status = e.context.find("contact_status");
    auto touch = e.context.find("contact_last_touch");
    if (status == e.context.end() || touch == e.context.end() || !touch->value().is_int64()) return false;
    bool open = status->value() == "LEAD" || status->value() == "PROSPECT";
    TimestampMs cutoff = e.created_at - user.settings.stale_lead_days * kMsPerDay;
    return !open || touch->value().as_int64() >= cutoff;
  }

  Result<std::vector<Candidate>> Sweep(RuleContext& ctx) const override {
    std::vector<Candidate> out;
    int days = ctx.user.settings.stale_lead_days;
    TimestampMs cutoff = ctx.now - days * kMsPerDay;
    // "Last touch" is the last contact, or creation for the never-contacted.
    const char* kWhere =
        "owner_id = ? AND status IN ('LEAD', 'PROSPECT') AND COALESCE(last_contacted_at, created_at) < ?";
    auto count = ctx.conn.Query(fmt::format("SELECT COUNT(*) FROM contacts WHERE {}", kWhere),
                                {ctx.user.user_id, cutoff});
    if (!count) return count.error();
    std::int64_t total = count->front().Int(0);
    if (total == 0) return out;
    // Most valuable first: referred leads (a partner vouched for them), then
    // prospects over leads, then the most recently touched (still warm).
    auto top = ctx.conn.Query(
        fmt::format("SELECT id, name FROM contacts WHERE {} ORDER BY "
                    "CASE WHEN referred_by IS NULL THEN 1 ELSE 0 END, "
                    "CASE WHEN status = 'PROSPECT' THEN 0 ELSE 1 END, "
                    "COALESCE(last_contacted_at, created_at) DESC, id LIMIT 5",
                    kWhere),
        {ctx.user.user_id, cutoff});
    if (!top) return top.error();
    std::string names;
    json::array ids;
    for (std::size_t i = 0; i < top->size(); ++i) {
      const auto& r = (*top)[i];
      if (i) names += i + 1 == top->size() && static_cast<std::int64_t>(top->size()) == total ? " and " : ", ";
      names += r.Str(1);
      ids.push_back(r.Int(0));
    }
    std::int64_t more = total - static_cast<std::int64_t>(top->size());
    Candidate c;
    c.dedupe_key = std::string(id());
    c.fingerprint = fmt::format("{}:{}", total, ToJson(ids));
    c.message = fmt::format("Warm leads going cold: {}{} {} been contacted in {}+ days.", names,
                            more > 0 ? fmt::format(" and {} more", WithCommas(more)) : "",
                            total == 1 ? "hasn't" : "haven't", days);
    c.suggested_action = "view_stale_leads";
    c.action_params = {{"contact_ids", std::move(ids)}, {"total", total}, {"stale_lead_days", days}};
    out.push_back(std::move(c));
    return out;
  }
};

}  // namespace

std::unique_ptr<Rule> MakeStaleLeads() { return std::make_unique<StaleLeads>(); }

}  // namespace chosen::coach
