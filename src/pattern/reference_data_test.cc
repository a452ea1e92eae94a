// The statistics on real data: the UCI bank telemarketing calls
// (../shared/data/bank_marketing/bank-additional-full.csv, 41,188 calls)
// aggregated by weekday, beside the reference numbers that
// ../shared/data/reference_stats.py computed independently. Skipped when the
// data set is absent (it is never copied into the project).
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "pattern/best_days.h"

namespace chosen::pattern {
namespace {

const std::filesystem::path kData = CHOSEN_SHARED_DATA;

// Splits one line of the ';'-separated, double-quoted CSV.
std::vector<std::string> Fields(const std::string& line) {
  std::vector<std::string> out(1);
  bool quoted = false;
  for (char ch : line) {
    if (ch == '"') quoted = !quoted;
    else if (ch == ';' && !quoted) out.emplace_back();
    else if (ch != '\r') out.back() += ch;
  }
  return out;
}

class BankMarketingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::ifstream csv(kData / "bank_marketing" / "bank-additional-full.csv");
    std::ifstream ref(kData / "reference_stats.json");
    if (!csv || !ref) GTEST_SKIP() << "the shared data set is not here: " << kData;
    std::string line;
    std::getline(csv, line);
    auto header = Fields(line);
    auto col = [&](const std::string& name) {
      return static_cast<std::size_t>(std::find(header.begin(), header.end(), name) - header.begin());
    };
    const std::size_t day = col("day_of_week"), y = col("y");
    ASSERT_LT(day, header.size());
    ASSERT_LT(y, header.size());
    const std::map<std::string, int> kDays{{"mon", 1}, {"tue", 2}, {"wed", 3}, {"thu", 4}, {"fri", 5}};
    while (std::getline(csv, line)) {
      auto f = Fields(line);
      ASSERT_GT(f.size(), std::max(day, y)) << line;
      Proportion& p = calls_[static_cast<std::size_t>(kDays.at(f[day]))];
      ++p.trials;
      p.successes += f[y] == "yes";
    }
    std::stringstream text;
    text << ref.rdbuf();
    reference_ = json::parse(text.str()).at("bank_additional_full").at("by_day_of_week").as_array();
  }

  CallsByWeekday calls_{};
  json::array reference_;
};

TEST_F(BankMarketingTest, CountsAndWilsonIntervalsMatchTheReference) {
  const std::map<std::string, int> kDays{{"mon", 1}, {"tue", 2}, {"wed", 3}, {"thu", 4}, {"fri", 5}};
  ASSERT_EQ(reference_.size(), 5u);
  for (const auto& r : reference_) {
    const auto& o = r.as_object();
    const Proportion& p = calls_[static_cast<std::size_t>(kDays.at(std::string(o.at("group").as_string())))];
    EXPECT_EQ(p.trials, o.at("n").as_int64());
    EXPECT_EQ(p.successes, o.at("converted").as_int64());
    Interval w = WilsonInterval(p);
    EXPECT_NEAR(w.low, o.at("ci95_low").as_double(), 1e-12) << o;
    EXPECT_NEAR(w.high, o.at("ci95_high").as_double(), 1e-12) << o;
  }
}

TEST_F(BankMarketingTest, ThursdayIsRealButTooSmallToClaimAndMondayIsTheWorst) {
  // Thursday 12.1% vs 11.0% on other days: significant (q ~ 0.012) but 1.1
  // points, under the 3 points worth telling an officer: silence.
  EXPECT_FALSE(FindBestDays(calls_)) << FindBestDays(calls_)->json;
  // With the bar lowered to 1 point it is the one day claimed, with evidence.
  auto lowered = FindBestDays(calls_, {.min_difference = 0.01});
  ASSERT_TRUE(lowered);
  EXPECT_EQ(lowered->days, std::vector<int>{4});
  const auto& c = lowered->json.at("evidence").at("comparisons").as_array().at(0).as_object();
  EXPECT_NEAR(c.at("difference").as_double(), 0.0108, 1e-4);
  EXPECT_NEAR(c.at("q_value").as_double(), 0.0121, 1e-3);
  EXPECT_GT(c.at("ci95").as_array()[0].as_double(), 0.0);
  // Monday, the reference's lowest weekday, is the clearest difference of all.
  Proportion rest{0, 0};
  for (int d = 2; d <= 5; ++d) {
    rest.successes += calls_[static_cast<std::size_t>(d)].successes;
    rest.trials += calls_[static_cast<std::size_t>(d)].trials;
  }
  EXPECT_LT(calls_[1].rate(), rest.rate());
  EXPECT_LT(TwoProportionPValue(calls_[1], rest), 1e-4);
}

// The Maven "CRM + Sales Opportunities" pipeline (synthetic: engage dates
// spread evenly over all seven weekdays) as a null-effect control: won
// against lost by the weekday a deal was engaged. An engine that named a
// best weekday here would be over-fitting; the reference finds 60.7% to
// 66.0%, no clear effect.
TEST(SalesPipelineTest, NoBestEngageWeekdayIsClaimedInSyntheticData) {
  std::ifstream csv(kData / "crm_sales_opportunities" / "sales_pipeline.csv");
  if (!csv) GTEST_SKIP() << "the shared data set is not here: " << kData;
  std::string line;
  std::getline(csv, line);
  CallsByWeekday deals{};
  std::int64_t closed = 0;
  while (std::getline(csv, line)) {
    std::vector<std::string> f(1);
    for (char ch : line) {
      if (ch == ',') f.emplace_back();
      else if (ch != '\r') f.back() += ch;
    }
    ASSERT_EQ(f.size(), 8u) << line;
    const std::string& stage = f[4];
    if ((stage != "Won" && stage != "Lost") || f[5].size() != 10) continue;
    const int y = std::stoi(f[5].substr(0, 4)), m = std::stoi(f[5].substr(5, 2)), d = std::stoi(f[5].substr(8, 2));
    // ISO weekday of a civil date (Sakamoto's method, Sunday = 0 -> 7).
    static const int t[] = {0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4};
    const int yy = m < 3 ? y - 1 : y;
    int w = (yy + yy / 4 - yy / 100 + yy / 400 + t[m - 1] + d) % 7;
    if (w == 0) w = 7;
    Proportion& p = deals[static_cast<std::size_t>(w)];
    ++p.trials;
    p.successes += stage == "Won";
    ++closed;
  }
  EXPECT_EQ(closed, 6711);  // the reference's closed deals
  for (int w = 1; w <= 7; ++w) EXPECT_GT(deals[static_cast<std::size_t>(w)].trials, 800) << "every weekday, weekends too";
  EXPECT_FALSE(FindBestDays(deals)) << FindBestDays(deals)->json;
  // Not even with the 3-point bar removed.
  EXPECT_FALSE(FindBestDays(deals, {.min_difference = 0})) << FindBestDays(deals, {.min_difference = 0})->json;
}

}  // namespace
}  // namespace chosen::pattern
