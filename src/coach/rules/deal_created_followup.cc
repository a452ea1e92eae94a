// A new deal with no task on it: suggest a follow-up (active level only).
// The seed plan's tip claimed "deals with a follow-up task in the first 24
// hours close 2x faster" with no data behind it; we make no such claim.
#include "coach/rule.h"
#include "coach/rules/util.h"
#include "common/time_util.h"

namespace chosen::coach {
namespace {

class DealCreatedFollowup final : public Rule {
 public:
  std::string_view id() const override { return "deal_created_followup"; }
  InsightType type() const override { return InsightType::kAction; }
  Priority priority() const override { return Priority::kLow; }
  int min_level() const override { return 3; }
  TimestampMs dedupe_window() const override { return kMsPerDay; }

  Result<std::vector<Candidate>> OnEvent(RuleContext& ctx, const crm::Event& e) const override {
    std::vector<Candidate> out;
    if (e.action != "deal_created") return out;
    auto rows = ctx.conn.Query(
        "SELECT d.title, d.contact_id, d.stage, (SELECT COUNT(*) FROM tasks t WHERE t.deal_id = d.id) "
        "FROM deals d WHERE d.id = ?",
        {e.entity_id});
    if (!rows) return rows.error();
    if (rows->empty()) return out;
    const auto& r = rows->front();
    std::string stage = r.Str(2);
    if (stage == "Closed Won" || stage == "Closed Lost" || r.Int(3) > 0) return out;
    Candidate c;
    c.dedupe_key = Key(id(), e.entity_id);
    c.fingerprint = std::to_string(e.id);
    c.message = fmt::format("New deal '{}': add a follow-up task while it's fresh?", r.Str(0));
    c.suggested_action = "create_task";
    c.action_params = {{"title", fmt::format("Follow up on {}", r.Str(0))},
                       {"priority", "high"},
                       {"deal_id", e.entity_id}};
    if (!r.IsNull(1)) c.action_params["contact_id"] = r.Int(1);
    c.entity_type = "deal";
    c.entity_id = e.entity_id;
    c.expires_at = ctx.now + kMsPerDay;
    out.push_back(std::move(c));
    return out;
  }

  Result<Resolutions> ResolvedBy(store::Connection&, const crm::Event& e) const override {
    Resolutions r;
    if (e.action == "task_created" && MetaInt(e, "deal_id")) r.emplace_back(e.user_id, Key(id(), MetaInt(e, "deal_id")));
    if (e.action == "deal_deleted" || e.action == "deal_closed") r.emplace_back(e.user_id, Key(id(), e.entity_id));
    return r;
  }
};

}  // namespace

std::unique_ptr<Rule> MakeDealCreatedFollowup() { return std::make_unique<DealCreatedFollowup>(); }

}  // namespace chosen::coach
