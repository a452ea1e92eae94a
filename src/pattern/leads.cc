#include "pattern/leads.h"

#include <algorithm>
#include <array>
#include <unordered_map>

#include <fmt/format.h>

#include "common/time_util.h"
#include "pattern/patterns.h"

namespace chosen::pattern {
namespace {

// Contacts read per query while training: bounds memory on a large org.
constexpr std::int64_t kChunk = 1000;

constexpr std::string_view kOpenStatuses = "('LEAD', 'PROSPECT')";
// The contact statuses the model learns from: all but REFERRAL_PARTNER.
constexpr std::array<std::string_view, 5> kLearnedStatuses = {"LEAD", "PROSPECT", "APPLICANT", "CLIENT",
                                                              "PAST_CLIENT"};

std::vector<std::string> TagsOf(const std::string& text) {
  std::vector<std::string> out;
  json::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_array()) return out;
  for (const auto& t : v.as_array())
    if (t.is_string()) out.emplace_back(t.as_string());
  return out;
}

// Adds `n` touches of `type` with `outcome` to `s`.
void AddTouch(LeadSnapshot& s, std::string_view type, std::string_view outcome, std::int64_t n = 1) {
  if (type == "call") {
    s.calls += n;
    if (outcome == "answered" || outcome == "appointment_set" || outcome == "application_taken") s.reached += n;
    if (outcome == "voicemail") s.voicemails += n;
  } else if (type == "text") {
    s.texts += n;
  } else if (type == "email") {
    s.emails += n;
  } else if (type == "meeting") {
    s.meetings += n;
  }
}

// The contact columns a snapshot starts from, in this order.
constexpr std::string_view kContactColumns =
    "c.id, COALESCE(c.source, ''), c.tags, CASE WHEN c.referred_by IS NULL THEN 0 ELSE 1 END";

LeadSnapshot SnapshotOf(const store::Row& r) {
  LeadSnapshot s;
  s.contact_id = r.Int(0);
  s.source = r.Str(1);
  s.tags = TagsOf(r.Str(2));
  s.referred = r.Int(3) != 0;
  return s;
}

// A contact's place in [0, 1): which contacts a large org's model samples
// (independent of the hold-out split, which hashes the id differently).
double SampleKey(std::int64_t id) {
  std::uint64_t z = static_cast<std::uint64_t>(id) * 0xD1B54A32D192ED03ULL + 0x632BE59BD9B4E019ULL;
  z = (z ^ (z >> 32)) * 0x9E3779B97F4A7C15ULL;
  z ^= z >> 29;
  return static_cast<double>(z >> 11) * 0x1.0p-53;
}

}  // namespace

Result<std::vector<LabeledLead>> LeadModels::Examples(std::int64_t org_id) {
  const TimestampMs now = clock_.Now();
  std::vector<LabeledLead> out;
  // Which share of the contacts to learn from.
  double share = 1;
  auto st = db_.Read([&](store::Connection& c) -> Status {
    // Per officer, from the (owner_id, type, occurred_at) index alone.
    auto rows = c.Query(
        "SELECT COUNT(*) FROM activities a JOIN users u ON u.id = a.owner_id WHERE u.org_id = ? AND a.type = 'call'",
        {org_id});
    if (!rows) return rows.error();
    const auto calls = rows->front().Int(0);
    if (calls > max_examples_) share = static_cast<double>(max_examples_) / static_cast<double>(calls);
    return {};
  });
  if (!st) return st.error();
  // One status at a time, so each chunk is a range of the (org_id, status,
  // id) index: no sort, and the loan lookup only for the chunk's rows.
  for (std::string_view status : kLearnedStatuses) {
    std::int64_t after = 0;
    for (bool more = true; more;) {
      st = db_.Read([&](store::Connection& c) -> Status {
        auto contacts = c.Query(fmt::format("SELECT {}, (SELECT MIN(d.created_at) FROM deals d WHERE d.contact_id = "
                                            "c.id) FROM contacts c WHERE c.org_id = ? AND c.status = ? "
                                            "AND c.id > ? ORDER BY c.id LIMIT ?",
                                            kContactColumns),
                                {org_id, std::string(status), after, kChunk});
        if (!contacts) return contacts.error();
        more = static_cast<std::int64_t>(contacts->size()) == kChunk;
        if (contacts->empty()) return {};
        after = contacts->back().Int(0);
        struct Learning {
          LeadSnapshot snapshot;
          std::optional<TimestampMs> first_loan;
        };
        std::unordered_map<std::int64_t, Learning> learning;
        for (const auto& r : *contacts) {
          const bool has_loan = !r.IsNull(4);
          // Past the lead stages without a loan: when it converted is unknown.
          if (!has_loan && status != "LEAD" && status != "PROSPECT") continue;
          if (share < 1 && SampleKey(r.Int(0)) >= share) continue;
          learning.emplace(r.Int(0), Learning{SnapshotOf(r), has_loan ? std::optional(r.Int(4)) : std::nullopt});
        }
        if (learning.empty()) return {};
        // The touches of those contacts only (a large org samples a few).
        std::string in;
        std::vector<store::Value> params;
        for (const auto& [id, l] : learning) {
          in += in.empty() ? "?" : ", ?";
          params.emplace_back(id);
        }
        // (No org_id term: these contacts are the org's, and the planner
        // might prefer the org's index over the contacts'.)
        auto touches = c.Query(fmt::format("SELECT contact_id, type, COALESCE(outcome, ''), occurred_at FROM activities "
                                           "WHERE contact_id IN ({}) ORDER BY contact_id, occurred_at, id",
                                           in),
                               params);
        if (!touches) return touches.error();
        for (const auto& t : *touches) {
          auto it = learning.find(t.Int(0));
          if (it == learning.end()) continue;
          Learning& l = it->second;
          const TimestampMs at = t.Int(3);
          if (l.first_loan && *l.first_loan <= at) continue;  // converted already
          const std::string type = t.Str(1);
          if (type == "call") {
            const bool converted = l.first_loan && *l.first_loan <= at + kHorizon;
            if (converted || at + kHorizon <= now) out.push_back({l.snapshot, converted});
          }
          AddTouch(l.snapshot, type, t.Str(2));
        }
        return {};
      });
      if (!st) return st.error();
    }
  }
  return out;
}

Result<LeadModels::Stored> LeadModels::Train(std::int64_t org_id) {
  auto examples = Examples(org_id);
  if (!examples) return examples.error();
  Stored s;
  s.trained_at = clock_.Now();
  auto trained = TrainLeadModel(*examples, options_);
  if (auto* no = std::get_if<NoModel>(&trained)) {
    s.status = "insufficient_data";
    s.reason = no->reason;
  } else {
    s.fit = std::move(std::get<LeadModelFit>(trained));
    s.status = s.fit->predictive ? "ready" : "not_predictive";
  }
  const std::string model = s.fit ? json::serialize(s.fit->ToJson()) : std::string();
  auto st = db_.Write([&](store::Connection& c) -> Status {
    auto r = c.Exec(
        "INSERT INTO lead_models (org_id, trained_at, status, reason, model) VALUES (?, ?, ?, ?, ?) "
        "ON CONFLICT (org_id) DO UPDATE SET trained_at = excluded.trained_at, status = excluded.status, "
        "reason = excluded.reason, model = excluded.model",
        {org_id, s.trained_at, s.status, s.reason.empty() ? store::Value{} : store::Value{s.reason},
         model.empty() ? store::Value{} : store::Value{model}});
    if (!r) return r.error();
    return {};
  });
  if (!st) return st.error();
  return s;
}

Result<std::optional<LeadModels::Stored>> LeadModels::Load(std::int64_t org_id) {
  std::optional<Stored> out;
  auto st = db_.Read([&](store::Connection& c) -> Status {
    auto rows = c.Query("SELECT trained_at, status, COALESCE(reason, ''), model FROM lead_models WHERE org_id = ?",
                        {org_id});
    if (!rows) return rows.error();
    if (rows->empty()) return {};
    const auto& r = rows->front();
    Stored s{r.Int(0), r.Str(1), r.Str(2), std::nullopt};
    if (!r.IsNull(3)) {
      json::error_code ec;
      auto v = json::parse(r.Str(3), ec);
      if (!ec) s.fit = LeadModelFit::FromJson(v);
      if (!s.fit) return Error::Internal(fmt::format("stored lead model of org {} is unreadable", org_id));
    }
    out = std::move(s);
    return {};
  });
  if (!st) return st.error();
  return out;
}

Result<LeadModels::Stored> LeadModels::Current(std::int64_t org_id) {
  auto loaded = Load(org_id);
  if (!loaded) return loaded.error();
  if (*loaded) return std::move(**loaded);
  // One training at a time: requests that find no model wait for the first
  // one's and read it, rather than each training their own (a herd).
  std::lock_guard<std::mutex> lock(train_mu_);
  loaded = Load(org_id);
  if (!loaded) return loaded.error();
  if (*loaded) return std::move(**loaded);
  return Train(org_id);
}

json::object LeadModels::ToJson(std::int64_t org_id, const Stored& s) const {
  std::string message;
  if (s.status == "insufficient_data") {
    message = "No lead ranking yet: " + s.reason + ".";
  } else {
    const auto& f = *s.fit;
    const std::string measured =
        fmt::format("AUC {:.2f} (95% CI {:.2f}-{:.2f}) on {} held-out calls to {} contacts, {} of them followed "
                    "by a loan",
                    f.auc, f.auc_interval.low, f.auc_interval.high, f.holdout, f.holdout_contacts, f.holdout_converted);
    message = s.status == "ready"
                  ? "Ranks leads better than chance: " + measured + "."
                  : "Not used: it ranked held-out calls no better than chance could (" + measured + ").";
  }
  return {{"org_id", org_id},
          {"trained_at", FormatIso(s.trained_at)},
          {"horizon_days", kHorizon / kMsPerDay},
          {"status", s.status},
          {"message", std::move(message)},
          {"model", s.fit ? json::value(s.fit->ToJson()) : json::value(nullptr)}};
}

Result<json::object> LeadModels::Get(const auth::Actor& actor) {
  auto s = Current(actor.org_id);
  if (!s) return s.error();
  return ToJson(actor.org_id, *s);
}

Result<json::object> LeadModels::Refresh(std::int64_t org_id) {
  std::lock_guard<std::mutex> lock(train_mu_);  // one training at a time
  auto s = Train(org_id);
  if (!s) return s.error();
  return ToJson(org_id, *s);
}

Result<int> LeadModels::RefreshStale() {
  auto orgs = StaleOrgs(db_, "lead_models", "trained_at", clock_.Now() - kMaxAge);
  if (!orgs) return orgs.error();
  for (std::int64_t org : *orgs) {
    // Under the same lock as Current's first-use training: a request that
    // finds no model meanwhile waits for this one instead of training too.
    std::lock_guard<std::mutex> lock(train_mu_);
    if (auto s = Train(org); !s) return s.error();
  }
  return static_cast<int>(orgs->size());
}

Result<json::object> LeadModels::Scores(const auth::Actor& actor, std::int64_t user_id, int limit) {
  bool allowed = false;
  std::vector<std::pair<LeadSnapshot, std::pair<std::string, std::string>>> open;  // snapshot, (name, status)
  std::int64_t last_event = 0, owned = 0;
  std::optional<json::object> cached;
  auto st = db_.Read([&](store::Connection& c) -> Status {
    auto user = c.Query("SELECT org_id, COALESCE(team_id, 0) FROM users WHERE id = ?", {user_id});
    if (!user) return user.error();
    allowed = !user->empty() && user->front().Int(0) == actor.org_id && MayRead(actor, user_id, user->front().Int(1));
    if (!allowed) return {};
    // The scores change only with the model or the officer's records. A
    // change to their records appends an event for them, and a contact
    // reassigned away changes how many they own; a loan someone else opens
    // on their lead does neither, so an answer is also kept at most
    // kScoresMaxAge. (Three index reads, against scoring every open lead.)
    auto marks = c.Query(
        "SELECT (SELECT COALESCE(MAX(id), 0) FROM events WHERE user_id = ?), (SELECT trained_at FROM lead_models WHERE "
        "org_id = ?), (SELECT COUNT(*) FROM contacts WHERE owner_id = ?)",
        {user_id, actor.org_id, user_id});
    if (!marks) return marks.error();
    last_event = marks->front().Int(0);
    owned = marks->front().Int(2);
    if (!marks->front().IsNull(1)) {
      std::lock_guard<std::mutex> lock(cache_mu_);
      auto it = cache_.find(user_id);
      if (it != cache_.end() && it->second.trained_at == marks->front().Int(1) && it->second.last_event == last_event &&
          it->second.owned == owned && it->second.limit == limit &&
          clock_.Now() - it->second.computed_at < kScoresMaxAge) {
        cached = it->second.result;
        return {};
      }
    }
    const std::string open_clause =
        fmt::format("c.owner_id = ? AND c.status IN {} AND NOT EXISTS (SELECT 1 FROM deals d WHERE d.contact_id = c.id)",
                    kOpenStatuses);
    auto contacts = c.Query(
        fmt::format("SELECT {}, c.name, c.status FROM contacts c WHERE {} ORDER BY c.id", kContactColumns, open_clause),
        {user_id});
    if (!contacts) return contacts.error();
    std::unordered_map<std::int64_t, std::size_t> index;
    for (const auto& r : *contacts) {
      index.emplace(r.Int(0), open.size());
      open.push_back({SnapshotOf(r), {r.Str(4), r.Str(5)}});
    }
    // Counted by the database: a row per contact, type and outcome, not
    // one per activity (an officer's open leads may have tens of thousands).
    auto touches = c.Query(fmt::format("SELECT a.contact_id, a.type, COALESCE(a.outcome, ''), COUNT(*) FROM activities a "
                                       "JOIN contacts c ON c.id = a.contact_id WHERE {} GROUP BY a.contact_id, a.type, "
                                       "COALESCE(a.outcome, '')",
                                       open_clause),
                           {user_id});
    if (!touches) return touches.error();
    for (const auto& t : *touches)
      if (auto it = index.find(t.Int(0)); it != index.end())
        AddTouch(open[it->second].first, t.Str(1), t.Str(2), t.Int(3));
    return {};
  });
  if (!st) return st.error();
  if (!allowed) return Error{ErrorCode::kNotFound, fmt::format("user {} not found", user_id), "user_id"};
  if (cached) return std::move(*cached);
  auto model = Current(actor.org_id);
  if (!model) return model.error();
  json::object out = ToJson(actor.org_id, *model);
  out.erase("model");
  out["user_id"] = user_id;
  out["open_leads"] = static_cast<std::int64_t>(open.size());
  json::array items;
  if (model->status == "ready") {
    std::vector<std::pair<LeadScore, std::size_t>> scored;
    scored.reserve(open.size());
    for (std::size_t i = 0; i < open.size(); ++i) scored.emplace_back(Score(*model->fit, open[i].first), i);
    const std::size_t n = std::min(scored.size(), static_cast<std::size_t>(limit));
    std::partial_sort(scored.begin(), scored.begin() + static_cast<std::ptrdiff_t>(n), scored.end(),
                      [](const auto& a, const auto& b) {
                        return a.first.probability != b.first.probability ? a.first.probability > b.first.probability
                                                                          : a.second < b.second;
                      });
    for (std::size_t i = 0; i < n; ++i) {
      const auto& [snapshot, who] = open[scored[i].second];
      json::object item = scored[i].first.ToJson();
      item["contact_id"] = snapshot.contact_id;
      item["name"] = who.first;
      item["status"] = who.second;
      item["source"] = snapshot.source.empty() ? json::value(nullptr) : json::value(snapshot.source);
      items.push_back(std::move(item));
    }
    out["base_rate"] = Round(static_cast<double>(model->fit->converted) / static_cast<double>(model->fit->examples), 4);
  }
  out["items"] = std::move(items);
  {
    std::lock_guard<std::mutex> lock(cache_mu_);
    if (cache_.size() >= kMaxCachedScores) cache_.clear();  // bounded; refilled on the next reads
    cache_[user_id] = {model->trained_at, last_event, owned, limit, clock_.Now(), out};
  }
  return out;
}

Result<json::object> LeadModels::ContactScore(const auth::Actor& actor, std::int64_t contact_id) {
  bool found = false, open = false;
  std::string name;
  LeadSnapshot snapshot;
  auto st = db_.Read([&](store::Connection& c) -> Status {
    auto rows = c.Query(
        fmt::format("SELECT {}, c.name, c.owner_id, COALESCE(u.team_id, 0), CASE WHEN c.status IN {} AND NOT EXISTS "
                    "(SELECT 1 FROM deals d WHERE d.contact_id = c.id) THEN 1 ELSE 0 END FROM contacts c JOIN users u "
                    "ON u.id = c.owner_id WHERE c.id = ? AND c.org_id = ?",
                    kContactColumns, kOpenStatuses),
        {contact_id, actor.org_id});
    if (!rows) return rows.error();
    if (rows->empty()) return {};
    const auto& r = rows->front();
    found = MayRead(actor, r.Int(5), r.Int(6));
    if (!found) return {};
    snapshot = SnapshotOf(r);
    name = r.Str(4);
    open = r.Int(7) != 0;
    auto touches = c.Query("SELECT type, COALESCE(outcome, '') FROM activities WHERE contact_id = ?", {contact_id});
    if (!touches) return touches.error();
    for (const auto& t : *touches) AddTouch(snapshot, t.Str(0), t.Str(1));
    return {};
  });
  if (!st) return st.error();
  if (!found) return Error::NotFound(fmt::format("contact {} not found", contact_id));
  auto model = Current(actor.org_id);
  if (!model) return model.error();
  json::object out = ToJson(actor.org_id, *model);
  out.erase("model");
  out["contact_id"] = contact_id;
  out["name"] = name;
  out["scored"] = open && model->status == "ready";
  out["probability"] = nullptr;
  out["reasons"] = json::array();
  if (!open) {
    out["message"] = "Only open leads and prospects without a loan are ranked.";
  } else if (model->status == "ready") {
    auto score = Score(*model->fit, snapshot).ToJson();
    out["probability"] = score["probability"];
    out["reasons"] = score["reasons"];
    out["base_rate"] = Round(static_cast<double>(model->fit->converted) / static_cast<double>(model->fit->examples), 4);
  }
  return out;
}

}  // namespace chosen::pattern
