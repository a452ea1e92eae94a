// A contact's best time to call: their own history speaks when it is strong
// enough, the officer's curve when the contact has none, and nothing is
// claimed when the data are even (checked over many synthetic histories).
#include "pattern/best_time.h"

#include <gtest/gtest.h>

#include "pattern/synthetic_rng.h"

namespace chosen::pattern {
namespace {

using testing::Rng;

constexpr TimestampMs kMonday9am = 1'795'251'600'000;  // any instant; slots only carry it

// Every hour from 9 AM to 4 PM, the same hour for contact and officer.
std::vector<CallSlot> OfficeHours() {
  std::vector<CallSlot> slots;
  for (int h = 9; h <= 16; ++h) slots.push_back({h, h, kMonday9am + (h - 9) * 3'600'000});
  return slots;
}

// An officer (and org) answered at `rate` at every hour, `calls` calls an hour.
void Even(BestTimeInput& in, double rate, std::int64_t calls) {
  for (int h = 8; h <= 18; ++h) {
    in.officer[h] = {static_cast<std::int64_t>(rate * calls), calls};
    in.org[h] = {static_cast<std::int64_t>(rate * calls * 10), calls * 10};
  }
}

TEST(BestTimeTest, AContactWhoAnswersInTheAfternoonIsToldSo) {
  BestTimeInput in;
  Even(in, 0.35, 100);
  in.slots = OfficeHours();
  in.contact[14] = {6, 7};
  in.contact[10] = {0, 6};
  in.contact[11] = {1, 4};
  json::object r = FindBestTime(in, "Jennifer");
  EXPECT_EQ(r.at("basis").as_string(), "contact");
  EXPECT_TRUE(r.at("claim").as_bool()) << ToJson(r);
  const auto& best = r.at("windows").as_array().at(0).as_object();
  EXPECT_EQ(best.at("contact_hour").as_int64(), 14);
  EXPECT_EQ(best.at("contact_calls").as_int64(), 7);
  EXPECT_EQ(best.at("contact_reached").as_int64(), 6);
  // Shrunk toward the officer's 35%: (6 + 5 * 0.35) / (7 + 5), not 6/7.
  EXPECT_NEAR(best.at("answer_rate").as_double(), (6 + 5 * 0.35) / 12, 0.01);
  EXPECT_NE(r.at("message").as_string().find("Call Jennifer around 2 PM"), std::string::npos) << r.at("message");
  EXPECT_EQ(r.at("windows").as_array().size(), 3u);
  EXPECT_EQ(r.at("evidence").at("contact_calls").as_int64(), 17);
}

TEST(BestTimeTest, FewCallsToTheContactDoNotMakeAClaimOnAnEvenOfficer) {
  BestTimeInput in;
  Even(in, 0.4, 100);
  in.slots = OfficeHours();
  in.contact[9] = {2, 2};
  json::object r = FindBestTime(in, "Ann");
  EXPECT_EQ(r.at("basis").as_string(), "officer");
  EXPECT_FALSE(r.at("claim").as_bool()) << ToJson(r);
  EXPECT_EQ(r.at("windows").as_array().at(0).at("contact_hour").as_int64(), 9) << "still ranked first";
  EXPECT_NE(r.at("message").as_string().find("Not enough history"), std::string::npos);
}

TEST(BestTimeTest, WithoutHistoryTheOfficersStrongHourLeads) {
  BestTimeInput in;
  Even(in, 0.3, 200);
  in.officer[10] = {120, 200};  // 60% at 10 AM
  in.slots = OfficeHours();
  json::object r = FindBestTime(in, "Bo");
  EXPECT_EQ(r.at("basis").as_string(), "officer");
  EXPECT_TRUE(r.at("claim").as_bool()) << ToJson(r);
  EXPECT_EQ(r.at("windows").as_array().at(0).at("contact_hour").as_int64(), 10);
  EXPECT_NE(r.at("message").as_string().find("around 10 AM"), std::string::npos) << r.at("message");
}

TEST(BestTimeTest, OnlyTheOfferedSlotsAreSuggested) {
  BestTimeInput in;
  Even(in, 0.3, 200);
  in.officer[10] = {150, 200};
  in.slots = {{15, 14, kMonday9am}, {16, 15, kMonday9am + 3'600'000}};  // 10 AM is not offered
  json::object r = FindBestTime(in, "Cy");
  for (const auto& w : r.at("windows").as_array()) EXPECT_NE(w.at("contact_hour").as_int64(), 10);
  EXPECT_EQ(r.at("windows").as_array().size(), 2u);

  in.slots.clear();
  json::object none = FindBestTime(in, "Cy");
  EXPECT_EQ(none.at("basis").as_string(), "none");
  EXPECT_FALSE(none.at("claim").as_bool());
  EXPECT_TRUE(none.at("windows").as_array().empty());
}

// A new org (no calls yet): no prior to shrink toward, so an hour is only
// what the contact's own calls say, and unknown without them; no claim.
TEST(BestTimeTest, WithNoCallsAnywhereNothingIsEstimated) {
  BestTimeInput in;
  in.slots = OfficeHours();
  json::object none = FindBestTime(in, "Ann");
  EXPECT_FALSE(none.at("claim").as_bool());
  ASSERT_EQ(none.at("windows").as_array().size(), 3u);
  for (const auto& w : none.at("windows").as_array()) {
    EXPECT_TRUE(w.at("answer_rate").is_null()) << ToJson(w);
    EXPECT_TRUE(w.at("ci95").is_null());
  }
  EXPECT_EQ(none.at("windows").as_array()[0].at("contact_hour").as_int64(), 9) << "in time order";
  EXPECT_TRUE(none.at("evidence").at("average_rate").is_null());

  in.contact[15] = {1, 1};  // one answered call at 3 PM
  json::object one = FindBestTime(in, "Ann");
  EXPECT_FALSE(one.at("claim").as_bool());
  const auto& first = one.at("windows").as_array()[0];
  EXPECT_EQ(first.at("contact_hour").as_int64(), 15);
  EXPECT_DOUBLE_EQ(first.at("answer_rate").as_double(), 1.0);
  EXPECT_LT(first.at("ci95").as_array()[0].as_double(), 0.3) << "one call: a wide interval";
}

// Contacts who answer 30% of the time at every hour, 5-20 calls each spread
// over the office hours, with an officer answered 30% at every hour: a best
// time is claimed for fewer than 5% of them.
TEST(BestTimeTest, EvenContactsRarelyGetAClaim) {
  Rng rng(2026);
  int claims = 0;
  constexpr int kContacts = 400;
  for (int i = 0; i < kContacts; ++i) {
    BestTimeInput in;
    Even(in, 0.3, 150);
    in.slots = OfficeHours();
    int calls = 5 + static_cast<int>(rng.Uniform() * 16);
    for (int c = 0; c < calls; ++c) {
      int h = 9 + static_cast<int>(rng.Uniform() * 8);
      ++in.contact[h].trials;
      in.contact[h].successes += rng.Uniform() < 0.3;
    }
    claims += FindBestTime(in, "X").at("claim").as_bool();
  }
  EXPECT_LT(claims, kContacts / 20) << claims << " claims";
}

// A contact who really answers at 2 PM (70% then, 15% otherwise) is found
// once there are a dozen calls then (and a dozen at other hours).
TEST(BestTimeTest, ARealAfternoonHabitIsFound) {
  Rng rng(7);
  int found = 0;
  constexpr int kContacts = 100;
  for (int i = 0; i < kContacts; ++i) {
    BestTimeInput in;
    Even(in, 0.3, 150);
    in.slots = OfficeHours();
    for (int c = 0; c < 24; ++c) {
      int h = c % 2 == 0 ? 14 : 9 + static_cast<int>(rng.Uniform() * 5);
      ++in.contact[h].trials;
      in.contact[h].successes += rng.Uniform() < (h == 14 ? 0.7 : 0.15);
    }
    json::object r = FindBestTime(in, "X");
    found += r.at("claim").as_bool() && r.at("windows").as_array().at(0).at("contact_hour").as_int64() == 14;
  }
  EXPECT_GE(found, 80) << found << " of " << kContacts;
}

}  // namespace
}  // namespace chosen::pattern
