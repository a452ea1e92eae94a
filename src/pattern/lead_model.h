// The lead priority model, pure part: what the CRM knew about a contact at
// one moment (a LeadSnapshot), the binary features made of it, an
// L2-regularised logistic regression fitted by Newton's method, its held-out
// AUC with a 95% interval, and per-lead scores with the reasons behind them.
// The database side (which contacts, which moment, where the model is kept)
// is in leads.h. Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <variant>
#include <string>
#include <vector>

#include "common/json_util.h"
#include "pattern/stats.h"

namespace chosen::pattern {

// A contact as the CRM saw it just before a moment: its lead fields and the
// touches logged before then.
struct LeadSnapshot {
  std::int64_t contact_id = 0;
  std::string source;              // empty: none
  std::vector<std::string> tags;
  bool referred = false;           // referred by another contact
  std::int64_t calls = 0;          // call attempts
  std::int64_t reached = 0;        // calls answered (or that set an appointment / took an application)
  std::int64_t voicemails = 0;
  std::int64_t texts = 0, emails = 0, meetings = 0;
};

// The snapshot's binary features, each as {key, label}: "source=zillow"
// ("Source: Zillow"), "tag=va loan", "referred", "calls=0", "calls=1",
// "calls=2", "calls=3", "calls=4-5", "calls=6+", "reached=0", "reached=1",
// "reached=2+", "voicemail", "texted", "emailed", "met". Sources and tags
// are compared without case; the label keeps the spelling given.
struct Feature {
  std::string key, label;
};
std::vector<Feature> FeaturesOf(const LeadSnapshot& s);

// A training example: a contact as the CRM saw it just before a call, and
// whether it converted soon after (leads.h says how soon).
struct LabeledLead {
  LeadSnapshot snapshot;
  bool converted = false;
};

struct LeadModelOptions {
  int min_support = 10;      // a feature must be present, and absent, in this many examples
  int max_features = 200;    // the most frequent beyond that are dropped
  double l2 = 1.0;           // Gaussian prior N(0, 1/l2) on each weight (not the intercept)
  int holdout_one_in = 4;    // contacts whose id hashes to 0 mod this are held out to measure
  int min_class = 30;        // converted and not-converted examples needed to train
  int min_holdout_class = 10;
};

// A fitted model and how well it ranked the held-out leads.
struct LeadModelFit {
  std::vector<Feature> features;
  std::vector<double> weights;      // per feature, log-odds
  std::vector<double> prevalence;   // share of training examples with the feature
  double intercept = 0;
  std::int64_t examples = 0, converted = 0;  // all labelled examples (the served fit uses them all)
  std::int64_t holdout = 0, holdout_converted = 0;
  std::int64_t holdout_contacts = 0;  // the contacts those held-out calls went to
  double auc = 0.5;
  Interval auc_interval{0, 1};
  // The held-out AUC's interval lies above 0.5: it ranks better than chance.
  bool predictive = false;

  json::object ToJson() const;
  static std::optional<LeadModelFit> FromJson(const json::value& v);
};

// Why not: too few examples of a class (with the counts), in words.
struct NoModel {
  std::string reason;
};

// Trains on `leads`: features with enough support, a fit on the contacts not
// held out to measure AUC on those that are, then the served fit on all of
// them. NoModel when either class has fewer than min_class examples (or the
// holdout fewer than min_holdout_class).
std::variant<LeadModelFit, NoModel> TrainLeadModel(const std::vector<LabeledLead>& leads,
                                                   const LeadModelOptions& options = {});

// One lead's estimate and the features that move it most against the
// average lead: up to three that raise it and two that lower it.
struct LeadReason {
  Feature feature;
  double effect = 0;  // log-odds against the average lead
};
struct LeadScore {
  double probability = 0;
  std::vector<LeadReason> reasons;
  json::object ToJson() const;
};
LeadScore Score(const LeadModelFit& model, const LeadSnapshot& s);

// Logistic regression with an unpenalised intercept: rows are the indices
// of the features present (binary), `l2` as in LeadModelOptions. Newton's
// method to convergence. Returns {intercept, weights...}.
std::vector<double> FitLogistic(const std::vector<std::vector<int>>& rows, const std::vector<bool>& labels,
                                int n_features, double l2);

// The area under the ROC curve of `scores` for `labels` (Mann-Whitney, ties
// counted half); 0.5 when a class is empty.
double Auc(const std::vector<double>& scores, const std::vector<bool>& labels);

// A 95% interval for that AUC when examples come in clusters (a contact's
// calls share its label and most features, so they are not independent):
// the 2.5th and 97.5th percentiles of the AUC over `resamples` resamples of
// whole clusters with replacement (a fixed seed: the same data give the
// same interval).
Interval ClusterBootstrapAuc(const std::vector<double>& scores, const std::vector<bool>& labels,
                             const std::vector<std::int64_t>& cluster, int resamples = 200);

}  // namespace chosen::pattern
