// The pattern engine's findings (src/pattern, stored in pattern_runs by its
// refresh) as insights of type `pattern`: one per finding, kept while the
// data support it, updated in place only when it changes materially (other
// days, another hour), never repeated after a dismissal unless it does.
#include "coach/rule.h"
#include "common/time_util.h"

namespace chosen::coach {
namespace {

class PatternInsights final : public Rule {
 public:
  std::string_view id() const override { return "patterns"; }
  InsightType type() const override { return InsightType::kPattern; }
  Priority priority() const override { return Priority::kMedium; }
  int min_level() const override { return 2; }
  TimestampMs dedupe_window() const override { return 7 * kMsPerDay; }
  int max_new_per_sweep() const override { return 1; }  // one new finding at a time
  bool is_time_rule() const override { return true; }

  Result<std::vector<Candidate>> Sweep(RuleContext& ctx) const override {
    std::vector<Candidate> out;
    auto rows = ctx.conn.Query("SELECT result FROM pattern_runs WHERE user_id = ?", {ctx.user.user_id});
    if (!rows) return rows.error();
    if (rows->empty()) return out;
    auto run = ParseJsonObject(rows->front().Str(0));
    if (!run || !run->contains("patterns") || !run->at("patterns").is_array()) return out;
    for (const auto& v : run->at("patterns").as_array()) {
      if (!v.is_object()) continue;
      const json::object& p = v.as_object();
      auto text = [&](std::string_view k) -> std::string {
        auto it = p.find(k);
        return it != p.end() && it->value().is_string() ? std::string(it->value().as_string()) : std::string();
      };
      std::string kind = text("kind"), subject = text("subject");
      // A pace is a description of a habit, not a finding to act on: the
      // nudges and dashboards use it, the coach does not announce it.
      if (kind.empty() || kind == "pace") continue;
      Candidate c;
      c.dedupe_key = "pattern:" + kind + ":" + subject;
      // What makes a finding materially different: which days, which hour,
      // which kind of post; the rates themselves move a little with every call.
      // A content topic stays the same finding as its count of leads moves.
      if (auto it = p.find("days"); it != p.end()) c.fingerprint = ToJson(it->value());
      else if (auto h = p.find("split_hour"); h != p.end()) c.fingerprint = ToJson(h->value());
      else if (auto a = p.find("activity"); a != p.end()) c.fingerprint = ToJson(a->value());
      else if (auto t = p.find("topic"); t != p.end()) c.fingerprint = ToJson(t->value());
      else if (auto ch = p.find("contact_hour"); ch != p.end()) c.fingerprint = ToJson(ch->value());
      else c.fingerprint = text("message");
      c.message = text("message");
      c.action_params = {{"kind", kind}, {"subject", subject}, {"generated_at", text("generated_at")}};
      if (kind == "content_demand") {
        // Something to do: a task to record the video.
        c.suggested_action = "create_task";
        c.action_params["title"] = "Record a video about " + text("topic");
        c.action_params["priority"] = "medium";
      } else if (kind == "best_call_time") {
        c.suggested_action = "call_contact";
        if (auto id = p.find("contact_id"); id != p.end() && id->value().is_int64()) {
          c.entity_type = "contact";
          c.entity_id = id->value().as_int64();
        }
      } else {
        c.suggested_action = "view_patterns";
      }
      // What the finding is about and its evidence, for "why am I seeing this".
      for (std::string_view k :
           {"metric", "days", "split_hour", "activity", "topic", "contact_id", "name", "contact_hour", "officer_hour",
            "contact_timezone", "officer_timezone", "window", "evidence"})
        if (auto it = p.find(k); it != p.end()) c.action_params[k] = it->value();
      out.push_back(std::move(c));
    }
    return out;
  }
};

}  // namespace

std::unique_ptr<Rule> MakePatternInsights() { return std::make_unique<PatternInsights>(); }

}  // namespace chosen::coach
