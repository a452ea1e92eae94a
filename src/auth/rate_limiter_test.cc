#include "auth/rate_limiter.h"

#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "common/clock.h"

namespace chosen::auth {
namespace {

constexpr TimestampMs kStart = 1'795'245'441'000;  // 2026-11-21T07:17:21Z
constexpr TimestampMs kWindow = 60'000;

TEST(RateLimiterTest, AllowsUpToMaxFailures) {
  FakeClock clock(kStart);
  RateLimiter limiter(clock, 3, kWindow);
  EXPECT_EQ(limiter.RetryAfter("a"), 0) << "an unknown key may try";
  limiter.RecordFailure("a");
  EXPECT_EQ(limiter.RetryAfter("a"), 0);
  limiter.RecordFailure("a");
  EXPECT_EQ(limiter.RetryAfter("a"), 0);
  limiter.RecordFailure("a");
  EXPECT_GT(limiter.RetryAfter("a"), 0) << "the third failure of three blocks";
  EXPECT_EQ(limiter.RetryAfter("b"), 0) << "keys are independent";
}

TEST(RateLimiterTest, RetryAfterCountsDownToTheOldestFailureLeavingTheWindow) {
  FakeClock clock(kStart);
  RateLimiter limiter(clock, 3, kWindow);
  limiter.RecordFailure("a");  // t = 0
  clock.Advance(10'000);
  limiter.RecordFailure("a");  // t = 10 s
  clock.Advance(10'000);
  limiter.RecordFailure("a");  // t = 20 s
  EXPECT_EQ(limiter.RetryAfter("a"), 40'000);
  clock.Advance(10'000);
  EXPECT_EQ(limiter.RetryAfter("a"), 30'000);
  clock.Set(kStart + kWindow - 1);
  EXPECT_EQ(limiter.RetryAfter("a"), 1);
  clock.Set(kStart + kWindow);
  EXPECT_EQ(limiter.RetryAfter("a"), 0) << "the first failure has left the window";
}

TEST(RateLimiterTest, WindowSlides) {
  FakeClock clock(kStart);
  RateLimiter limiter(clock, 3, kWindow);
  limiter.RecordFailure("a");  // t = 0
  clock.Advance(10'000);
  limiter.RecordFailure("a");  // t = 10 s
  clock.Advance(10'000);
  limiter.RecordFailure("a");  // t = 20 s
  clock.Set(kStart + kWindow);
  ASSERT_EQ(limiter.RetryAfter("a"), 0);
  // One more failure now makes three within the window (10 s, 20 s, 60 s):
  // blocked until the one at 10 s leaves it.
  limiter.RecordFailure("a");
  EXPECT_EQ(limiter.RetryAfter("a"), 10'000);
  clock.Set(kStart + 10'000 + kWindow);
  EXPECT_EQ(limiter.RetryAfter("a"), 0);
}

TEST(RateLimiterTest, FailuresSpreadBeyondTheWindowNeverBlock) {
  FakeClock clock(kStart);
  RateLimiter limiter(clock, 3, kWindow);
  for (int i = 0; i < 20; ++i) {
    limiter.RecordFailure("a");
    EXPECT_EQ(limiter.RetryAfter("a"), 0) << "failure " << i;
    clock.Advance(kWindow / 2);
  }
}

TEST(RateLimiterTest, ManyFailuresBlockOnlyForTheWindow) {
  FakeClock clock(kStart);
  RateLimiter limiter(clock, 3, kWindow);
  for (int i = 0; i < 1000; ++i) limiter.RecordFailure("a");
  EXPECT_EQ(limiter.RetryAfter("a"), kWindow);
  clock.Advance(kWindow);
  EXPECT_EQ(limiter.RetryAfter("a"), 0);
}

TEST(RateLimiterTest, ResetClearsAKey) {
  FakeClock clock(kStart);
  RateLimiter limiter(clock, 3, kWindow);
  for (int i = 0; i < 3; ++i) {
    limiter.RecordFailure("a");
    limiter.RecordFailure("b");
  }
  ASSERT_GT(limiter.RetryAfter("a"), 0);
  limiter.Reset("a");
  EXPECT_EQ(limiter.RetryAfter("a"), 0);
  EXPECT_GT(limiter.RetryAfter("b"), 0) << "other keys keep their failures";
  limiter.RecordFailure("a");
  limiter.RecordFailure("a");
  EXPECT_EQ(limiter.RetryAfter("a"), 0) << "counting restarts from zero";
  limiter.Reset("never-seen");  // no effect, no crash
}

TEST(RateLimiterTest, StaysBoundedAndCorrectWithManyKeys) {
  FakeClock clock(kStart);
  RateLimiter limiter(clock, 2, kWindow, /*max_keys=*/3);
  for (int k = 0; k < 10; ++k) {
    std::string key = "k" + std::to_string(k);
    EXPECT_EQ(limiter.RetryAfter(key), 0) << key << " is fresh";
    limiter.RecordFailure(key);
    EXPECT_EQ(limiter.RetryAfter(key), 0) << key << " has one failure of two";
    limiter.RecordFailure(key);
    EXPECT_GT(limiter.RetryAfter(key), 0) << key << " has two failures of two";
    EXPECT_EQ(limiter.RetryAfter("fresh"), 0) << "after " << key;
    clock.Advance(1'000);
  }
  // The most recently failing keys are the ones kept.
  for (const char* key : {"k7", "k8", "k9"}) EXPECT_GT(limiter.RetryAfter(key), 0) << key;
  // Evicted keys start over rather than keeping a stale count: one failure
  // must not block.
  limiter.RecordFailure("k0");
  EXPECT_EQ(limiter.RetryAfter("k0"), 0);
}

TEST(RateLimiterTest, EvictsExpiredKeysBeforeLiveOnes) {
  FakeClock clock(kStart);
  RateLimiter limiter(clock, 2, kWindow, /*max_keys=*/3);
  limiter.RecordFailure("old1");
  limiter.RecordFailure("old2");
  clock.Advance(kWindow + 1);  // old1 and old2 have expired
  limiter.RecordFailure("blocked");
  limiter.RecordFailure("blocked");
  ASSERT_GT(limiter.RetryAfter("blocked"), 0);
  for (const char* key : {"new1", "new2"}) {
    limiter.RecordFailure(key);
    EXPECT_GT(limiter.RetryAfter("blocked"), 0) << "adding " << key << " evicted a live key";
  }
}

TEST(RateLimiterTest, IsSafeUnderConcurrentUse) {
  FakeClock clock(kStart);
  RateLimiter limiter(clock, 5, kWindow, /*max_keys=*/16);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&limiter, t] {
      for (int i = 0; i < 2000; ++i) {
        std::string key = "t" + std::to_string(t) + "-" + std::to_string(i % 40);
        limiter.RecordFailure(key);
        (void)limiter.RetryAfter(key);
        if (i % 7 == 0) limiter.Reset(key);
      }
    });
  }
  for (auto& th : threads) th.join();
  limiter.RecordFailure("after");
  EXPECT_EQ(limiter.RetryAfter("after"), 0);
}

}  // namespace
}  // namespace chosen::auth
