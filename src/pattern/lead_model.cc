#include "pattern/lead_model.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <set>
#include <unordered_map>

#include <fmt/format.h>

namespace chosen::pattern {
namespace {

double Sigmoid(double eta) { return 1.0 / (1.0 + std::exp(-eta)); }

// splitmix64 of the contact id: which contacts are held out does not depend
// on the order they were read in, and ids in sequence scatter.
bool HeldOut(std::int64_t id, int one_in) {
  std::uint64_t z = static_cast<std::uint64_t>(id) + 0x9E3779B97F4A7C15ULL;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  z ^= z >> 31;
  return one_in > 1 && z % static_cast<std::uint64_t>(one_in) == 0;
}

// Solves A x = b for a symmetric positive definite A (n x n, row-major) by
// Cholesky; false if A is not positive definite.
bool SolveSpd(std::vector<double> a, std::vector<double>& b, std::size_t n) {
  for (std::size_t j = 0; j < n; ++j) {
    double d = a[j * n + j];
    for (std::size_t k = 0; k < j; ++k) d -= a[j * n + k] * a[j * n + k];
    if (!(d > 0)) return false;
    d = std::sqrt(d);
    a[j * n + j] = d;
    for (std::size_t i = j + 1; i < n; ++i) {
      double s = a[i * n + j];
      for (std::size_t k = 0; k < j; ++k) s -= a[i * n + k] * a[j * n + k];
      a[i * n + j] = s / d;
    }
  }
  for (std::size_t i = 0; i < n; ++i) {  // L y = b
    double s = b[i];
    for (std::size_t k = 0; k < i; ++k) s -= a[i * n + k] * b[k];
    b[i] = s / a[i * n + i];
  }
  for (std::size_t i = n; i-- > 0;) {  // L^T x = y
    double s = b[i];
    for (std::size_t k = i + 1; k < n; ++k) s -= a[k * n + i] * b[k];
    b[i] = s / a[i * n + i];
  }
  return true;
}

// The penalised log-likelihood FitLogistic maximises.
double Objective(const std::vector<std::vector<int>>& rows, const std::vector<bool>& labels,
                 const std::vector<double>& beta, double l2) {
  double f = 0;
  for (std::size_t r = 0; r < rows.size(); ++r) {
    double eta = beta[0];
    for (int k : rows[r]) eta += beta[static_cast<std::size_t>(k) + 1];
    // y*eta - log(1 + e^eta), without overflow.
    f += (labels[r] ? eta : 0.0) - (eta > 0 ? eta + std::log1p(std::exp(-eta)) : std::log1p(std::exp(eta)));
  }
  for (std::size_t i = 1; i < beta.size(); ++i) f -= l2 * beta[i] * beta[i] / 2;
  return f;
}

std::string CallsBin(std::int64_t calls) {
  if (calls <= 3) return std::to_string(calls);
  return calls <= 5 ? "4-5" : "6+";
}

// Features of which a lead has exactly one (or, for reached, at most one).
std::string_view GroupOf(std::string_view key) {
  for (std::string_view group : {"source=", "calls=", "reached="})
    if (key.starts_with(group)) return group;
  return key;
}

}  // namespace

std::vector<Feature> FeaturesOf(const LeadSnapshot& s) {
  std::vector<Feature> out;
  if (s.source.empty()) out.push_back({"source=(none)", "No lead source"});
  else out.push_back({"source=" + ToLower(s.source), "Source: " + s.source});
  std::set<std::string> seen;
  for (const auto& tag : s.tags) {
    std::string key = "tag=" + ToLower(tag);
    if (seen.insert(key).second) out.push_back({std::move(key), "Tagged " + tag});
  }
  if (s.referred) out.push_back({"referred", "Referred by a contact"});
  const std::string calls = CallsBin(s.calls);
  out.push_back({"calls=" + calls, s.calls == 0   ? std::string("No calls yet")
                                   : s.calls == 1 ? std::string("1 call so far")
                                                  : calls + " calls so far"});
  if (s.calls > 0) {
    if (s.reached == 0) out.push_back({"reached=0", "Not reached on a call yet"});
    else if (s.reached == 1) out.push_back({"reached=1", "Reached on 1 call"});
    else out.push_back({"reached=2+", "Reached on 2 or more calls"});
  }
  if (s.voicemails > 0) out.push_back({"voicemail", "Left a voicemail"});
  if (s.texts > 0) out.push_back({"texted", "Texted"});
  if (s.emails > 0) out.push_back({"emailed", "Emailed"});
  if (s.meetings > 0) out.push_back({"met", "Had a meeting"});
  return out;
}

std::vector<double> FitLogistic(const std::vector<std::vector<int>>& rows, const std::vector<bool>& labels,
                                int n_features, double l2) {
  const std::size_t n = static_cast<std::size_t>(n_features) + 1;
  std::vector<double> beta(n, 0.0);
  const double pos = static_cast<double>(std::count(labels.begin(), labels.end(), true));
  const double total = static_cast<double>(labels.size());
  if (pos > 0 && pos < total) beta[0] = std::log(pos / (total - pos));
  std::vector<double> h(n * n), g(n);
  for (int iter = 0; iter < 50; ++iter) {
    std::fill(h.begin(), h.end(), 0.0);
    std::fill(g.begin(), g.end(), 0.0);
    for (std::size_t r = 0; r < rows.size(); ++r) {
      double eta = beta[0];
      for (int k : rows[r]) eta += beta[static_cast<std::size_t>(k) + 1];
      const double mu = Sigmoid(eta), resid = (labels[r] ? 1.0 : 0.0) - mu, w = mu * (1 - mu);
      g[0] += resid;
      h[0] += w;
      for (int k : rows[r]) {
        const std::size_t i = static_cast<std::size_t>(k) + 1;
        g[i] += resid;
        h[i] += w;  // row 0, column i (mirrored below)
        for (int l : rows[r]) h[i * n + static_cast<std::size_t>(l) + 1] += w;
      }
    }
    for (std::size_t i = 1; i < n; ++i) {
      h[i * n] = h[i];
      g[i] -= l2 * beta[i];
      h[i * n + i] += l2;
    }
    if (!SolveSpd(h, g, n)) break;  // only with l2 = 0 and a feature that never varies
    // Damped: halve the step until the objective does not fall (a full
    // Newton step can overshoot when features are collinear).
    const double before = Objective(rows, labels, beta, l2);
    std::vector<double> next(n);
    double t = 1;
    for (int halvings = 0; halvings < 40; ++halvings, t /= 2) {
      for (std::size_t i = 0; i < n; ++i) next[i] = beta[i] + t * g[i];
      if (Objective(rows, labels, next, l2) >= before - 1e-12 * std::abs(before)) break;
    }
    double step = 0;
    for (std::size_t i = 0; i < n; ++i) step = std::max(step, std::abs(next[i] - beta[i]));
    beta = std::move(next);
    if (!(step > 1e-8)) break;
  }
  return beta;
}

double Auc(const std::vector<double>& scores, const std::vector<bool>& labels) {
  std::vector<std::size_t> order(scores.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return scores[a] < scores[b]; });
  double rank_sum = 0, positives = 0;
  for (std::size_t i = 0; i < order.size();) {
    std::size_t j = i;
    while (j < order.size() && scores[order[j]] == scores[order[i]]) ++j;
    const double mid_rank = (static_cast<double>(i) + static_cast<double>(j) + 1) / 2;  // ranks i+1..j
    for (std::size_t k = i; k < j; ++k)
      if (labels[order[k]]) {
        rank_sum += mid_rank;
        ++positives;
      }
    i = j;
  }
  const double negatives = static_cast<double>(scores.size()) - positives;
  if (positives == 0 || negatives == 0) return 0.5;
  return (rank_sum - positives * (positives + 1) / 2) / (positives * negatives);
}

Interval ClusterBootstrapAuc(const std::vector<double>& scores, const std::vector<bool>& labels,
                             const std::vector<std::int64_t>& cluster, int resamples) {
  std::unordered_map<std::int64_t, std::size_t> index;
  std::vector<std::vector<std::size_t>> members;
  for (std::size_t i = 0; i < scores.size(); ++i) {
    auto [it, added] = index.emplace(cluster[i], members.size());
    if (added) members.emplace_back();
    members[it->second].push_back(i);
  }
  if (members.empty() || resamples < 2) return {0, 1};
  std::uint64_t state = 0x5EED5EED5EED5EEDULL;  // splitmix64
  auto next = [&state] {
    std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  };
  std::vector<double> aucs, s;
  std::vector<bool> l;
  for (int r = 0; r < resamples; ++r) {
    s.clear();
    l.clear();
    for (std::size_t k = 0; k < members.size(); ++k)
      for (std::size_t i : members[next() % members.size()]) {
        s.push_back(scores[i]);
        l.push_back(labels[i]);
      }
    aucs.push_back(Auc(s, l));
  }
  std::sort(aucs.begin(), aucs.end());
  auto at = [&](double q) { return aucs[static_cast<std::size_t>(std::lround(q * static_cast<double>(aucs.size() - 1)))]; };
  return {at(0.025), at(0.975)};
}

std::variant<LeadModelFit, NoModel> TrainLeadModel(const std::vector<LabeledLead>& leads,
                                                   const LeadModelOptions& options) {
  // Every feature seen, by number (examples can be many; keys are few).
  std::unordered_map<std::string, int> id_of;
  std::vector<Feature> seen;
  std::vector<std::int64_t> support;
  std::vector<std::vector<int>> present(leads.size());
  for (std::size_t i = 0; i < leads.size(); ++i)
    for (auto& f : FeaturesOf(leads[i].snapshot)) {
      auto [it, added] = id_of.emplace(f.key, static_cast<int>(seen.size()));
      if (added) {
        seen.push_back(std::move(f));
        support.push_back(0);
      }
      ++support[static_cast<std::size_t>(it->second)];
      present[i].push_back(it->second);
    }
  // Those with support on both sides, the most frequent first...
  const auto n = static_cast<std::int64_t>(leads.size());
  std::vector<int> kept;
  for (std::size_t k = 0; k < seen.size(); ++k)
    if (support[k] >= options.min_support && n - support[k] >= options.min_support) kept.push_back(static_cast<int>(k));
  std::sort(kept.begin(), kept.end(), [&](int a, int b) {
    return support[static_cast<std::size_t>(a)] != support[static_cast<std::size_t>(b)]
               ? support[static_cast<std::size_t>(a)] > support[static_cast<std::size_t>(b)]
               : seen[static_cast<std::size_t>(a)].key < seen[static_cast<std::size_t>(b)].key;
  });
  if (kept.size() > static_cast<std::size_t>(options.max_features))
    kept.resize(static_cast<std::size_t>(options.max_features));
  // ...numbered in key order, so the stored model reads alphabetically.
  std::sort(kept.begin(), kept.end(), [&](int a, int b) {
    return seen[static_cast<std::size_t>(a)].key < seen[static_cast<std::size_t>(b)].key;
  });
  std::vector<int> column(seen.size(), -1);
  LeadModelFit fit;
  for (int k : kept) {
    column[static_cast<std::size_t>(k)] = static_cast<int>(fit.features.size());
    fit.features.push_back(seen[static_cast<std::size_t>(k)]);
    fit.prevalence.push_back(static_cast<double>(support[static_cast<std::size_t>(k)]) / static_cast<double>(n));
  }
  const int p = static_cast<int>(fit.features.size());

  std::vector<std::vector<int>> rows(leads.size());
  std::vector<bool> labels(leads.size());
  std::vector<std::vector<int>> train_rows, test_rows;
  std::vector<bool> train_labels, test_labels;
  std::vector<std::int64_t> test_contacts;
  for (std::size_t i = 0; i < leads.size(); ++i) {
    for (int k : present[i])
      if (int col = column[static_cast<std::size_t>(k)]; col >= 0) rows[i].push_back(col);
    present[i] = {};
    labels[i] = leads[i].converted;
    fit.converted += labels[i];
    const bool held_out = HeldOut(leads[i].snapshot.contact_id, options.holdout_one_in);
    (held_out ? test_rows : train_rows).push_back(rows[i]);
    (held_out ? test_labels : train_labels).push_back(labels[i]);
    if (held_out) test_contacts.push_back(leads[i].snapshot.contact_id);
  }
  fit.examples = n;
  auto count = [](const std::vector<bool>& v) { return static_cast<std::int64_t>(std::count(v.begin(), v.end(), true)); };
  const std::int64_t train_pos = count(train_labels), train_neg = static_cast<std::int64_t>(train_labels.size()) - train_pos;
  fit.holdout = static_cast<std::int64_t>(test_labels.size());
  fit.holdout_converted = count(test_labels);
  const std::int64_t test_neg = fit.holdout - fit.holdout_converted;
  if (train_pos < options.min_class || train_neg < options.min_class || fit.holdout_converted < options.min_holdout_class ||
      test_neg < options.min_holdout_class)
    return NoModel{fmt::format("too little history to learn from: {} leads converted and {} did not (a model needs "
                               "at least {} of each to train and {} more of each to test on)",
                               fit.converted, n - fit.converted, options.min_class, options.min_holdout_class)};

  // Measured on contacts it never saw...
  const auto measured = FitLogistic(train_rows, train_labels, p, options.l2);
  std::vector<double> test_scores;
  test_scores.reserve(test_rows.size());
  for (const auto& row : test_rows) {
    double eta = measured[0];
    for (int k : row) eta += measured[static_cast<std::size_t>(k) + 1];
    test_scores.push_back(eta);
  }
  fit.auc = Auc(test_scores, test_labels);
  fit.auc_interval = ClusterBootstrapAuc(test_scores, test_labels, test_contacts);
  fit.holdout_contacts =
      static_cast<std::int64_t>(std::set<std::int64_t>(test_contacts.begin(), test_contacts.end()).size());
  fit.predictive = fit.auc_interval.low > 0.5;
  // ...then served from all of them.
  const auto served = FitLogistic(rows, labels, p, options.l2);
  fit.intercept = served[0];
  fit.weights.assign(served.begin() + 1, served.end());
  return fit;
}

LeadScore Score(const LeadModelFit& model, const LeadSnapshot& s) {
  std::unordered_map<std::string_view, std::size_t> index;
  // What the average lead gets from each group of features: a source, a
  // calls bin and a reached bin are one of several; a tag or a flag is
  // alone in its group.
  std::unordered_map<std::string_view, double> average;
  for (std::size_t i = 0; i < model.features.size(); ++i) {
    index.emplace(model.features[i].key, i);
    average[GroupOf(model.features[i].key)] += model.prevalence[i] * model.weights[i];
  }
  LeadScore out;
  double eta = model.intercept;
  std::vector<LeadReason> reasons;
  for (auto& f : FeaturesOf(s)) {
    auto it = index.find(f.key);
    if (it == index.end()) continue;
    const double w = model.weights[it->second];
    eta += w;
    reasons.push_back({model.features[it->second], w - average[GroupOf(model.features[it->second].key)]});
  }
  out.probability = Sigmoid(eta);
  std::sort(reasons.begin(), reasons.end(), [](const auto& a, const auto& b) { return a.effect > b.effect; });
  constexpr double kNoticeable = 0.05;  // log-odds; smaller moves are not worth a reason
  for (std::size_t i = 0; i < reasons.size() && out.reasons.size() < 3 && reasons[i].effect > kNoticeable; ++i)
    out.reasons.push_back(reasons[i]);
  for (std::size_t i = reasons.size(), down = 0; i-- > 0 && down < 2 && reasons[i].effect < -kNoticeable; ++down)
    out.reasons.push_back(reasons[i]);
  return out;
}

json::object LeadScore::ToJson() const {
  json::array r;
  for (const auto& reason : reasons)
    r.push_back(json::object{{"feature", reason.feature.key},
                             {"label", reason.feature.label},
                             {"effect", Round(reason.effect, 3)},
                             {"direction", reason.effect > 0 ? "up" : "down"}});
  return {{"probability", Round(probability, 4)}, {"reasons", std::move(r)}};
}

json::object LeadModelFit::ToJson() const {
  json::array f;
  for (std::size_t i = 0; i < features.size(); ++i)
    f.push_back(json::object{{"key", features[i].key},
                             {"label", features[i].label},
                             {"weight", Round(weights[i], 4)},
                             {"prevalence", Round(prevalence[i], 4)}});
  return {{"examples", examples},
          {"converted", converted},
          {"holdout", holdout},
          {"holdout_converted", holdout_converted},
          {"holdout_contacts", holdout_contacts},
          {"auc", Round(auc, 4)},
          {"auc_interval", json::array{Round(auc_interval.low, 4), Round(auc_interval.high, 4)}},
          {"predictive", predictive},
          {"intercept", Round(intercept, 4)},
          {"features", std::move(f)}};
}

std::optional<LeadModelFit> LeadModelFit::FromJson(const json::value& v) {
  try {
    const auto& o = v.as_object();
    LeadModelFit fit;
    fit.examples = o.at("examples").to_number<std::int64_t>();
    fit.converted = o.at("converted").to_number<std::int64_t>();
    fit.holdout = o.at("holdout").to_number<std::int64_t>();
    fit.holdout_converted = o.at("holdout_converted").to_number<std::int64_t>();
    if (auto it = o.find("holdout_contacts"); it != o.end()) fit.holdout_contacts = it->value().to_number<std::int64_t>();
    fit.auc = o.at("auc").to_number<double>();
    const auto& ci = o.at("auc_interval").as_array();
    fit.auc_interval = {ci.at(0).to_number<double>(), ci.at(1).to_number<double>()};
    fit.predictive = o.at("predictive").as_bool();
    fit.intercept = o.at("intercept").to_number<double>();
    for (const auto& f : o.at("features").as_array()) {
      const auto& fo = f.as_object();
      fit.features.push_back({std::string(fo.at("key").as_string()), std::string(fo.at("label").as_string())});
      fit.weights.push_back(fo.at("weight").to_number<double>());
      fit.prevalence.push_back(fo.at("prevalence").to_number<double>());
    }
    return fit;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

}  // namespace chosen::pattern
