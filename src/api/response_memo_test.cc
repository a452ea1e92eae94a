#include "api/response_memo.h"

#include <gtest/gtest.h>

namespace chosen::api {
namespace {

TEST(ResponseMemoTest, ServesAnAnswerOnlyUnderItsStampAndBeforeItsTime) {
  ResponseMemo memo;
  EXPECT_FALSE(memo.Find("k", "1", 0));
  memo.Store("k", "1", 1000, "body");
  EXPECT_EQ(memo.Find("k", "1", 999), "body");
  EXPECT_FALSE(memo.Find("k", "2", 999));  // something committed: dropped
  EXPECT_FALSE(memo.Find("k", "1", 999));
  EXPECT_EQ(memo.size(), 0u);
  memo.Store("k", "1", 1000, "body");
  EXPECT_FALSE(memo.Find("k", "1", 1000));  // its time has come
  EXPECT_EQ(memo.bytes(), 0u);
  memo.Store("k", "1", 1000, "old");
  memo.Store("k", "2", 1000, "new");  // replaces
  EXPECT_EQ(memo.Find("k", "2", 0), "new");
  EXPECT_EQ(memo.size(), 1u);
  EXPECT_FALSE(memo.Find("other", "2", 0));
}

TEST(ResponseMemoTest, StaysWithinItsBytesDroppingTheLeastRecentlyUsed) {
  const std::string body(1000, 'x');
  ResponseMemo memo(10 * (1000 + 128 + 2 + 1));  // ten entries with 2-byte keys and 1-byte stamps
  for (int i = 0; i < 10; ++i) memo.Store("k" + std::to_string(i), "s", 1, body);
  EXPECT_EQ(memo.size(), 10u);
  EXPECT_TRUE(memo.Find("k0", "s", 0));  // k0 is now the most recent; k1 the least
  memo.Store("kA", "s", 1, body);
  EXPECT_EQ(memo.size(), 10u);
  EXPECT_FALSE(memo.Find("k1", "s", 0));
  EXPECT_TRUE(memo.Find("k0", "s", 0));
  EXPECT_TRUE(memo.Find("kA", "s", 0));
  EXPECT_LE(memo.bytes(), 10u * (1000 + 128 + 2 + 1));
  // Too big for a quarter of the budget: not kept, nothing evicted for it.
  memo.Store("big", "s", 1, std::string(5000, 'y'));
  EXPECT_FALSE(memo.Find("big", "s", 0));
  EXPECT_EQ(memo.size(), 10u);
}

}  // namespace
}  // namespace chosen::api
