// The lead priority model, database side: per org, which contacts it learns
// from and at which moment (so nothing known only after a conversion leaks
// in), where the fitted model is kept (`lead_models`), and the ranked open
// leads of an officer with the reasons behind each estimate. The rules are
// in docs/coaching-rules.md ("Lead priority"). Thread-safe.
#pragma once

#include <mutex>
#include <unordered_map>

#include "auth/actor.h"
#include "common/clock.h"
#include "common/time_util.h"
#include "common/json_util.h"
#include "pattern/lead_model.h"
#include "store/db.h"

namespace chosen::pattern {

class LeadModels {
 public:
  // A call converts when a loan (deal) is opened for the contact within
  // this long after it.
  static constexpr TimestampMs kHorizon = 30 * kMsPerDay;
  static constexpr TimestampMs kMaxAge = 24 * 3600 * 1000;  // scheduled retraining: daily per org
  static constexpr int kMaxLimit = 100;
  // Calls an org's model learns from at most; a larger org's contacts are
  // sampled (by a hash of their id), which bounds memory and time.
  static constexpr std::int64_t kMaxExamples = 60'000;

  // `db` and `clock` must outlive this.
  LeadModels(store::Database& db, const Clock& clock, LeadModelOptions options = {},
             std::int64_t max_examples = kMaxExamples)
      : db_(db), clock_(clock), options_(options), max_examples_(max_examples) {}

  // What the org's model learns from, as of now: every call to a contact
  // (not a referral partner) while it had no loan yet, as the CRM saw the
  // contact just before the call, labelled converted if the contact's first
  // loan was opened within kHorizon after it. Calls less than kHorizon ago
  // whose contact has no loan yet are not labelled yet; a contact past the
  // lead stages without any loan (when it converted is unknown) gives none.
  Result<std::vector<LabeledLead>> Examples(std::int64_t org_id);

  // The org's stored model, trained first if it never was: {"org_id",
  // "trained_at", "horizon_days", "status" (ready | not_predictive |
  // insufficient_data), "message" (a plain sentence), "model" (the fit, or
  // null)}. Any member of the org may read it: it holds no one's records.
  Result<json::object> Get(const auth::Actor& actor);

  // Retrains and stores the org's model now; same shape as Get.
  Result<json::object> Refresh(std::int64_t org_id);

  // The open leads and prospects (no loan yet) of `user_id` (the caller, a
  // team member for a manager, anyone in an admin's org; kNotFound naming
  // user_id otherwise), most likely to convert first, at most `limit`: each
  // with contact_id, name, status, source, probability and reasons. No
  // items unless the model is ready (status and message say why).
  Result<json::object> Scores(const auth::Actor& actor, std::int64_t user_id, int limit);

  // One contact's estimate and reasons (readable as any contact is).
  Result<json::object> ContactScore(const auth::Actor& actor, std::int64_t contact_id);

  // Retrains every org whose model is older than kMaxAge or missing.
  // Returns how many were trained.
  Result<int> RefreshStale();

 private:
  struct Stored {
    TimestampMs trained_at = 0;
    std::string status, reason;
    std::optional<LeadModelFit> fit;
  };
  Result<std::optional<Stored>> Load(std::int64_t org_id);
  // Loaded, or trained when there is none.
  Result<Stored> Current(std::int64_t org_id);
  Result<Stored> Train(std::int64_t org_id);
  json::object ToJson(std::int64_t org_id, const Stored& s) const;

  std::mutex train_mu_;  // trainings (first use, scheduled), one at a time
  // Scores' last answer per user, with what it depends on.
  struct CachedScores {
    TimestampMs trained_at = 0;
    std::int64_t last_event = 0, owned = 0;
    int limit = 0;
    TimestampMs computed_at = 0;
    json::object result;
  };
  static constexpr TimestampMs kScoresMaxAge = 2 * 60 * 1000;
  static constexpr std::size_t kMaxCachedScores = 10'000;
  std::mutex cache_mu_;
  std::unordered_map<std::int64_t, CachedScores> cache_;  // guarded by cache_mu_
  store::Database& db_;
  const Clock& clock_;
  const LeadModelOptions options_;
  const std::int64_t max_examples_;
};

}  // namespace chosen::pattern
