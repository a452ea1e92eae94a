// A deal closed won: the happiest moment to ask for a referral.
#include "coach/rule.h"
#include "coach/rules/util.h"
#include "common/time_util.h"

namespace chosen::coach {
namespace {

class DealWonReferral final : public Rule {
 public:
  std::string_view id() const override { return "deal_won_referral"; }
  InsightType type() const override { return InsightType::kAction; }
  Priority priority() const override { return Priority::kHigh; }
  int min_level() const override { return 1; }
  int weight() const override { return 10; }
  TimestampMs dedupe_window() const override { return 365 * kMsPerDay; }  // once per deal

  Result<std::vector<Candidate>> OnEvent(RuleContext& ctx, const crm::Event& e) const override {
    std::vector<Candidate> out;
    if (e.action != "deal_closed") return out;
    auto won = e.metadata.find("won");
    if (won == e.metadata.end() || !won->value().is_bool() || !won->value().as_bool()) return out;
    // The contact comes from the deal itself: clients need not send it.
    auto rows = ctx.conn.Query(
        "SELECT d.contact_id, c.name FROM deals d LEFT JOIN contacts c ON c.id = d.contact_id WHERE d.id = ?",
        {e.entity_id});
    if (!rows) return rows.error();
    std::int64_t contact_id = !rows->empty() && !rows->front().IsNull(0) ? rows->front().Int(0) : 0;
    std::string name = !rows->empty() && !rows->front().IsNull(1) ? rows->front().Str(1) : "the client";
    Candidate c;
    c.dedupe_key = Key(id(), e.entity_id);
    c.fingerprint = std::to_string(e.id);
    c.message = fmt::format(
        "Great close! This is the perfect moment to ask {} for a referral while they're happy.", name);
    c.suggested_action = "create_task";
    c.action_params = {{"title", fmt::format("Ask {} for referral", name)},
                       {"priority", "high"},
                       {"deal_id", e.entity_id}};
    if (contact_id) c.action_params["contact_id"] = contact_id;
    c.entity_type = "deal";
    c.entity_id = e.entity_id;
    c.expires_at = ctx.now + 7 * kMsPerDay;
    out.push_back(std::move(c));
    return out;
  }

  Result<Resolutions> ResolvedBy(store::Connection&, const crm::Event& e) const override {
    Resolutions r;
    // Taking the suggestion (a task on the deal) or reopening the deal.
    if (e.action == "task_created" && MetaInt(e, "deal_id")) r.emplace_back(e.user_id, Key(id(), MetaInt(e, "deal_id")));
    if (e.action == "deal_reopened" || e.action == "deal_deleted") r.emplace_back(e.user_id, Key(id(), e.entity_id));
    return r;
  }
};

}  // namespace

std::unique_ptr<Rule> MakeDealWonReferral() { return std::make_unique<DealWonReferral>(); }

}  // namespace chosen::coach
