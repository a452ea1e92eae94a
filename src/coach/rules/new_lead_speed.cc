// Speed to lead: a new lead (created or assigned) is the top-priority nudge
// until someone calls, texts, emails or meets them.
#include "coach/rule.h"
#include "coach/rules/util.h"
#include "common/time_util.h"

namespace chosen::coach {
namespace {

class NewLeadSpeed final : public Rule {
 public:
  std::string_view id() const override { return "new_lead_speed"; }
  InsightType type() const override { return InsightType::kAction; }
  Priority priority() const override { return Priority::kHigh; }
  int min_level() const override { return 1; }
  int weight() const override { return 50; }  // above every other high insight
  TimestampMs dedupe_window() const override { return kMsPerDay; }

  Result<std::vector<Candidate>> OnEvent(RuleContext& ctx, const crm::Event& e) const override {
    std::vector<Candidate> out;
    bool created = e.action == "contact_created";
    bool assigned = e.action == "contact_assigned" && MetaInt(e, "to_owner_id") == e.user_id;
    if ((!created && !assigned) || MetaStr(e, "status") != "LEAD") return out;
    auto rows = ctx.conn.Query(
        "SELECT name, phone, source, last_contacted_at FROM contacts WHERE id = ? AND owner_id = ?",
        {e.entity_id, e.user_id});
    if (!rows) return rows.error();
    if (rows->empty() || !rows->front().IsNull(3)) return out;  // already reached
    const auto& r = rows->front();
    std::string from = r.IsNull(2) ? "" : fmt::format(" from {}", r.Str(2));
    Candidate c;
    c.dedupe_key = Key(id(), e.entity_id);
    c.fingerprint = std::to_string(e.id);
    c.message = fmt::format("New lead{}: {}. Call within the hour, while they are still looking.", from, r.Str(0));
    c.suggested_action = "call_contact";
    c.action_params = {{"contact_id", e.entity_id}, {"name", r.Str(0)}};
    if (!r.IsNull(1)) c.action_params["phone"] = r.Str(1);
    c.entity_type = "contact";
    c.entity_id = e.entity_id;
    c.expires_at = ctx.now + kMsPerDay;
    out.push_back(std::move(c));
    return out;
  }

  Result<Resolutions> ResolvedBy(store::Connection&, const crm::Event& e) const override {
    Resolutions r;
    if (IsContactTouch(e.action) && MetaInt(e, "contact_id")) r.emplace_back(e.user_id, Key(id(), MetaInt(e, "contact_id")));
    if (e.action == "contact_deleted") r.emplace_back(e.user_id, Key(id(), e.entity_id));
    if (e.action == "contact_status_changed" && MetaStr(e, "new_status") != "LEAD")
      r.emplace_back(e.user_id, Key(id(), e.entity_id));
    if (e.action == "contact_assigned" && MetaInt(e, "from_owner_id"))
      r.emplace_back(MetaInt(e, "from_owner_id"), Key(id(), e.entity_id));
    return r;
  }
};

}  // namespace

std::unique_ptr<Rule> MakeNewLeadSpeed() { return std::make_unique<NewLeadSpeed>(); }

}  // namespace chosen::coach
