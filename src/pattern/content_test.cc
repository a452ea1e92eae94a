#include "pattern/content.h"

#include <gtest/gtest.h>

namespace chosen::pattern {
namespace {

constexpr TimestampMs kDay = 24 * 3600 * 1000LL;
constexpr TimestampMs kNow = 1'800'000'000'000;

std::vector<OpenContact> Open(int n, std::vector<std::string> topics, const std::string& status = "LEAD") {
  return std::vector<OpenContact>(static_cast<std::size_t>(n), OpenContact{status, std::move(topics)});
}

TEST(ContentTest, TopicWordsFoldCaseAndTheLoanSuffix) {
  EXPECT_EQ(TopicWords("VA loan"), (std::vector<std::string>{"va"}));
  EXPECT_EQ(TopicWords("VA"), (std::vector<std::string>{"va"}));
  EXPECT_EQ(TopicWords("First-time Buyer"), (std::vector<std::string>{"first", "time", "buyer"}));
  EXPECT_EQ(TopicWords("loan"), (std::vector<std::string>{"loan"}));  // nothing else to keep
  EXPECT_TRUE(TopicWords(" - ").empty());
  EXPECT_TRUE(Mentions("3 myths about VA loans", TopicWords("VA loan")));
  EXPECT_FALSE(Mentions("An evaluation checklist", TopicWords("VA")));  // words, not letters
  EXPECT_TRUE(Mentions("Tips for first time buyers, part 2", TopicWords("first-time buyer")));
  EXPECT_TRUE(Mentions("Tips for a first-time buyer", TopicWords("first time buyer")));
}

TEST(ContentTest, SharedTopicsWithoutARecentPostAreClaimedMostSharedFirst) {
  auto open = Open(4, {"VA loan"}, "LEAD");
  auto more = Open(2, {"VA", "Jumbo"}, "PROSPECT");  // the loan type of an open deal: the same topic
  open.insert(open.end(), more.begin(), more.end());
  auto fha = Open(5, {"FHA"});
  open.insert(open.end(), fha.begin(), fha.end());
  auto found = FindContentDemand(open, {}, kNow);
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0].at("topic").as_string(), "VA loans");
  EXPECT_EQ(found[0].at("evidence").at("contacts").as_int64(), 6);
  EXPECT_EQ(found[0].at("evidence").at("leads").as_int64(), 4);
  EXPECT_EQ(found[0].at("evidence").at("prospects").as_int64(), 2);
  EXPECT_EQ(found[0].at("evidence").at("open_contacts").as_int64(), 11);
  EXPECT_TRUE(found[0].at("evidence").at("last_post_at").is_null());
  EXPECT_EQ(found[0].at("message").as_string(),
            "Create a video about VA loans: 6 of your open leads and prospects share it, and you have not posted "
            "about it in 180 days.");
  EXPECT_EQ(found[1].at("topic").as_string(), "FHA loans");
  // Jumbo: 2 contacts, under the minimum of 5.
}

TEST(ContentTest, ARecentPostCoversATopicAnOldOneDoesNot) {
  auto open = Open(6, {"VA loan"});
  EXPECT_TRUE(FindContentDemand(open, {{kNow - 10 * kDay, "Myths about VA loans #va"}}, kNow).empty());
  auto old = FindContentDemand(open, {{kNow - 45 * kDay, "Myths about VA loans"}}, kNow);
  ASSERT_EQ(old.size(), 1u);
  EXPECT_NE(old[0].at("message").as_string().find("your last post about it was 45 days ago"), std::string::npos);
  // A post about something else covers nothing.
  EXPECT_EQ(FindContentDemand(open, {{kNow - kDay, "Jumbo loans explained"}}, kNow).size(), 1u);
}

TEST(ContentTest, EachContactCountsOncePerTopicAndTheCapHolds) {
  // One contact tagged "VA loan" with an open VA deal is one contact.
  auto open = Open(4, {"VA loan", "VA", "va loans"});
  EXPECT_TRUE(FindContentDemand(open, {}, kNow).empty());
  std::vector<OpenContact> many;
  for (const char* t : {"a", "b", "c", "d"}) {
    auto group = Open(5, {std::string("topic ") + t});
    many.insert(many.end(), group.begin(), group.end());
  }
  EXPECT_EQ(FindContentDemand(many, {}, kNow).size(), 3u);
  EXPECT_TRUE(FindContentDemand({}, {}, kNow).empty());
}

}  // namespace
}  // namespace chosen::pattern
