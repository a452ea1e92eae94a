#include "pattern/lead_model.h"

#include <cmath>
#include <set>

#include <gtest/gtest.h>

#include "pattern/synthetic_rng.h"

namespace chosen::pattern {
namespace {

using testing::Rng;

double Logit(double p) { return std::log(p / (1 - p)); }
double Sigmoid(double x) { return 1 / (1 + std::exp(-x)); }

// Synthetic leads: a source, a tag or not, some calls of which some reached.
// Planted: Zillow and referrals convert more, reaching someone helps; or,
// with `planted` false, conversion ignores everything (base rate 20%).
std::vector<LabeledLead> Leads(std::uint64_t seed, int n, bool planted) {
  Rng rng(seed);
  const char* sources[] = {"Zillow", "Website", "Open house", ""};
  std::vector<LabeledLead> out;
  for (int i = 0; i < n; ++i) {
    LabeledLead l;
    l.snapshot.contact_id = i + 1;
    l.snapshot.source = sources[static_cast<int>(rng.Uniform() * 4)];
    if (rng.Uniform() < 0.3) l.snapshot.tags.push_back("VA loan");
    l.snapshot.referred = rng.Uniform() < 0.2;
    l.snapshot.calls = static_cast<int>(rng.Uniform() * 5);
    for (int c = 0; c < l.snapshot.calls; ++c) l.snapshot.reached += rng.Uniform() < 0.4;
    double eta = Logit(0.2);
    if (planted) {
      eta = Logit(0.1) + (l.snapshot.source == "Zillow" ? 1.2 : 0) + (l.snapshot.referred ? 1.0 : 0) +
            (l.snapshot.reached > 0 ? 0.8 : 0);
    }
    l.converted = rng.Uniform() < Sigmoid(eta);
    out.push_back(std::move(l));
  }
  return out;
}

TEST(AucTest, CountsPairsAndTiesHalf) {
  EXPECT_DOUBLE_EQ(Auc({0.1, 0.2, 0.3, 0.4}, {false, false, true, true}), 1.0);
  EXPECT_DOUBLE_EQ(Auc({0.4, 0.3, 0.2, 0.1}, {false, false, true, true}), 0.0);
  EXPECT_DOUBLE_EQ(Auc({0.5, 0.5, 0.5, 0.5}, {false, true, false, true}), 0.5);
  // Positives at 0.3 and 0.8 against negatives 0.1, 0.3, 0.5: (0.5 + 1) + 3 = 4.5 of 6.
  EXPECT_DOUBLE_EQ(Auc({0.1, 0.3, 0.5, 0.3, 0.8}, {false, false, false, true, true}), 4.5 / 6);
  EXPECT_DOUBLE_EQ(Auc({0.1, 0.2}, {true, true}), 0.5);  // one class only
}

TEST(AucTest, ClusterBootstrapIntervalWidensWhenExamplesAreCopies) {
  Rng rng(5);
  std::vector<double> scores;
  std::vector<bool> labels;
  std::vector<std::int64_t> one_each, in_tens;
  for (int i = 0; i < 2000; ++i) {
    const bool y = rng.Uniform() < 0.3;
    labels.push_back(y);
    scores.push_back(rng.Uniform() + (y ? 0.3 : 0));
    one_each.push_back(i);
  }
  // The same 200 examples, each repeated ten times: as much information as
  // 200, not 2,000.
  std::vector<double> copied_scores;
  std::vector<bool> copied_labels;
  for (int i = 0; i < 200; ++i)
    for (int k = 0; k < 10; ++k) {
      copied_scores.push_back(scores[static_cast<std::size_t>(i)]);
      copied_labels.push_back(labels[static_cast<std::size_t>(i)]);
      in_tens.push_back(i);
    }
  Interval independent = ClusterBootstrapAuc(scores, labels, one_each);
  Interval clustered = ClusterBootstrapAuc(copied_scores, copied_labels, in_tens);
  const double auc = Auc(scores, labels);
  EXPECT_LT(independent.low, auc);
  EXPECT_GT(independent.high, auc);
  EXPECT_LT(independent.high - independent.low, 0.1);
  EXPECT_GT(clustered.high - clustered.low, 2 * (independent.high - independent.low));
  EXPECT_GE(clustered.low, 0.0);
  EXPECT_LE(clustered.high, 1.0);
  // Deterministic.
  Interval again = ClusterBootstrapAuc(scores, labels, one_each);
  EXPECT_EQ(again.low, independent.low);
  EXPECT_EQ(again.high, independent.high);
}

TEST(FitLogisticTest, RecoversPlantedLogOdds) {
  // Feature 0 adds +1 log-odds, feature 1 subtracts 0.5, intercept -1.
  Rng rng(7);
  std::vector<std::vector<int>> rows;
  std::vector<bool> labels;
  for (int i = 0; i < 40000; ++i) {
    std::vector<int> row;
    double eta = -1;
    if (rng.Uniform() < 0.5) {
      row.push_back(0);
      eta += 1;
    }
    if (rng.Uniform() < 0.5) {
      row.push_back(1);
      eta -= 0.5;
    }
    rows.push_back(row);
    labels.push_back(rng.Uniform() < Sigmoid(eta));
  }
  auto beta = FitLogistic(rows, labels, 2, 0.01);
  ASSERT_EQ(beta.size(), 3u);
  EXPECT_NEAR(beta[0], -1, 0.06);
  EXPECT_NEAR(beta[1], 1, 0.06);
  EXPECT_NEAR(beta[2], -0.5, 0.06);
}

TEST(FitLogisticTest, StaysFiniteWhenAFeatureSeparatesPerfectly) {
  std::vector<std::vector<int>> rows{{0}, {0}, {}, {}};
  auto beta = FitLogistic(rows, {true, true, false, false}, 1, 1.0);
  EXPECT_TRUE(std::isfinite(beta[1]));
  EXPECT_GT(beta[1], 0);
}

TEST(FeaturesTest, BinsCallsAndFoldsCase) {
  LeadSnapshot s;
  s.source = "Zillow";
  s.tags = {"VA loan", "va LOAN"};
  s.calls = 4;
  s.reached = 1;
  s.texts = 2;
  auto f = FeaturesOf(s);
  std::vector<std::string> keys;
  for (const auto& x : f) keys.push_back(x.key);
  EXPECT_EQ(keys, (std::vector<std::string>{"source=zillow", "tag=va loan", "calls=4-5", "reached=1", "texted"}));
  EXPECT_EQ(f[0].label, "Source: Zillow");
  LeadSnapshot none;
  auto g = FeaturesOf(none);
  ASSERT_EQ(g.size(), 2u);  // no source, no calls (and no reached bin without calls)
  EXPECT_EQ(g[0].key, "source=(none)");
  EXPECT_EQ(g[1].key, "calls=0");
}

TEST(LeadModelTest, FindsPlantedDriversAndRanksHeldOutLeads) {
  auto trained = TrainLeadModel(Leads(11, 4000, true));
  ASSERT_TRUE(std::holds_alternative<LeadModelFit>(trained)) << std::get<NoModel>(trained).reason;
  const auto& fit = std::get<LeadModelFit>(trained);
  EXPECT_TRUE(fit.predictive);
  EXPECT_GT(fit.auc, 0.65);
  EXPECT_GT(fit.auc_interval.low, 0.6);
  EXPECT_NEAR(static_cast<double>(fit.holdout) / static_cast<double>(fit.examples), 0.25, 0.03);
  auto weight = [&](const std::string& key) {
    for (std::size_t i = 0; i < fit.features.size(); ++i)
      if (fit.features[i].key == key) return fit.weights[i];
    ADD_FAILURE() << "no feature " << key;
    return 0.0;
  };
  EXPECT_GT(weight("source=zillow") - weight("source=website"), 0.8);
  EXPECT_GT(weight("referred"), 0.6);
  EXPECT_NEAR(weight("tag=va loan"), 0, 0.25);  // planted nothing

  // A referred Zillow lead who answered: a high estimate, for those reasons.
  LeadSnapshot hot;
  hot.source = "Zillow";
  hot.referred = true;
  hot.calls = 2;
  hot.reached = 1;
  LeadSnapshot cold;
  cold.source = "Website";
  cold.calls = 4;
  auto h = Score(fit, hot), c = Score(fit, cold);
  EXPECT_GT(h.probability, 0.4);
  EXPECT_LT(c.probability, 0.12);
  ASSERT_GE(h.reasons.size(), 2u);
  // Zillow against the average lead's source; a referral against none.
  std::set<std::string> top{h.reasons[0].feature.key, h.reasons[1].feature.key};
  EXPECT_EQ(top, (std::set<std::string>{"source=zillow", "referred"}));
  ASSERT_FALSE(c.reasons.empty());
  EXPECT_LT(c.reasons.back().effect, 0);

  // The stored form reads back to the same scores.
  auto back = LeadModelFit::FromJson(fit.ToJson());
  ASSERT_TRUE(back.has_value());
  EXPECT_NEAR(Score(*back, hot).probability, h.probability, 1e-3);
  EXPECT_EQ(back->predictive, fit.predictive);
}

TEST(LeadModelTest, NothingPlantedIsRarelyCalledPredictive) {
  // The interval's lower bound is one-sided 2.5%: across 40 seeds of pure
  // noise, at most a few models may look better than chance.
  int predictive = 0;
  for (std::uint64_t seed = 1; seed <= 40; ++seed) {
    auto trained = TrainLeadModel(Leads(seed * 977, 1500, false));
    ASSERT_TRUE(std::holds_alternative<LeadModelFit>(trained));
    predictive += std::get<LeadModelFit>(trained).predictive;
  }
  EXPECT_LE(predictive, 2);  // under 5% of runs
}

TEST(LeadModelTest, TooFewConversionsIsNoModelWithTheCounts) {
  auto leads = Leads(3, 60, true);
  auto trained = TrainLeadModel(leads);
  ASSERT_TRUE(std::holds_alternative<NoModel>(trained));
  EXPECT_NE(std::get<NoModel>(trained).reason.find("too little history"), std::string::npos);
  EXPECT_NE(std::get<NoModel>(trained).reason.find("at least 30"), std::string::npos);
}

TEST(LeadModelTest, RareFeaturesAreLeftOut) {
  auto leads = Leads(5, 2000, true);
  leads[0].snapshot.tags.push_back("once");
  auto fit = std::get<LeadModelFit>(TrainLeadModel(leads));
  for (const auto& f : fit.features) EXPECT_NE(f.key, "tag=once");
}

}  // namespace
}  // namespace chosen::pattern
