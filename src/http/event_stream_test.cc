#include "http/event_stream.h"

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

namespace chosen::http {
namespace {

std::string Joined(EventStream& s) {
  std::string out;
  for (const auto& f : s.Drain()) out += *f;
  return out;
}

TEST(EventStreamTest, FormatsAnEventFrame) {
  EventStream s;
  ASSERT_TRUE(s.Push("deal.closed", R"({"id":7})"));
  EXPECT_EQ(Joined(s), "event: deal.closed\ndata: {\"id\":7}\n\n");
}

TEST(EventStreamTest, SplitsMultiLineDataIntoSeveralDataLines) {
  struct Case {
    std::string data;
    std::string frame;
  };
  const std::vector<Case> cases = {
      {"one\ntwo", "event: e\ndata: one\ndata: two\n\n"},
      {"one\r\ntwo\rthree", "event: e\ndata: one\ndata: two\ndata: three\n\n"},
      {"trailing\n", "event: e\ndata: trailing\ndata: \n\n"},
      {"a\n\nb", "event: e\ndata: a\ndata: \ndata: b\n\n"},
      {"", "event: e\ndata: \n\n"},
  };
  for (const auto& c : cases) {
    EventStream s;
    ASSERT_TRUE(s.Push("e", c.data));
    EXPECT_EQ(Joined(s), c.frame) << c.data;
  }
}

TEST(EventStreamTest, AnEventNameCannotInjectAFrame) {
  EventStream s;
  ASSERT_TRUE(s.Push("x\n\ndata: forged", "real"));
  EXPECT_EQ(Joined(s), "event: xdata: forged\ndata: real\n\n");
}

TEST(EventStreamTest, AnEmptyEventNameOmitsTheEventLine) {
  EventStream s;
  ASSERT_TRUE(s.Push("", "hello"));
  EXPECT_EQ(Joined(s), "data: hello\n\n");
}

TEST(EventStreamTest, DrainTakesEveryFrameInOrder) {
  EventStream s;
  ASSERT_TRUE(s.Push("a", "1"));
  ASSERT_TRUE(s.Push("b", "2"));
  auto frames = s.Drain();
  ASSERT_EQ(frames.size(), 2u);
  EXPECT_EQ(*frames[0], "event: a\ndata: 1\n\n");
  EXPECT_EQ(*frames[1], "event: b\ndata: 2\n\n");
  EXPECT_TRUE(s.Drain().empty()) << "drained frames are gone";
  ASSERT_TRUE(s.Push("c", "3"));
  EXPECT_EQ(s.Drain().size(), 1u);
}

TEST(EventStreamTest, AFullQueueClosesTheStreamAndDropsItsFrames) {
  EventStream s(3);
  EXPECT_TRUE(s.Push("e", "1"));
  EXPECT_TRUE(s.Push("e", "2"));
  EXPECT_TRUE(s.Push("e", "3"));
  EXPECT_FALSE(s.closed());
  EXPECT_FALSE(s.Push("e", "4")) << "the subscriber is too slow";
  EXPECT_TRUE(s.closed());
  EXPECT_TRUE(s.Drain().empty()) << "a dropped subscriber's backlog is freed";
  EXPECT_FALSE(s.Push("e", "5")) << "a closed stream stays closed";
}

TEST(EventStreamTest, DrainingMakesRoomAgain) {
  EventStream s(2);
  for (int round = 0; round < 10; ++round) {
    EXPECT_TRUE(s.Push("e", "x"));
    EXPECT_TRUE(s.Push("e", "y"));
    EXPECT_EQ(s.Drain().size(), 2u);
  }
  EXPECT_FALSE(s.closed());
}

TEST(EventStreamTest, CloseKeepsQueuedFramesForTheFinalFlush) {
  EventStream s;
  ASSERT_TRUE(s.Push("e", "last words"));
  s.Close();
  EXPECT_TRUE(s.closed());
  EXPECT_FALSE(s.Push("e", "too late"));
  auto frames = s.Drain();
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_EQ(*frames[0], "event: e\ndata: last words\n\n");
}

TEST(EventStreamTest, TheWakerRunsWhenTheQueueBecomesNonEmptyAndOnClose) {
  EventStream s;
  int wakes = 0;
  s.SetWaker([&wakes] { ++wakes; });
  ASSERT_TRUE(s.Push("e", "1"));
  EXPECT_EQ(wakes, 1);
  ASSERT_TRUE(s.Push("e", "2"));
  EXPECT_EQ(wakes, 1) << "the writer drains everything before it waits: one wake suffices";
  s.Drain();
  ASSERT_TRUE(s.Push("e", "3"));
  EXPECT_EQ(wakes, 2);
  s.Close();
  EXPECT_EQ(wakes, 3);
  s.Close();
  EXPECT_EQ(wakes, 3) << "closing twice wakes once";
}

TEST(EventStreamTest, TheWakerRunsWhenAnOverflowDropsTheStream) {
  EventStream s(1);
  int wakes = 0;
  s.SetWaker([&wakes] { ++wakes; });
  ASSERT_TRUE(s.Push("e", "1"));
  ASSERT_FALSE(s.Push("e", "2"));
  EXPECT_EQ(wakes, 2) << "the writer must learn that the stream closed";
}

TEST(EventStreamTest, TheWakerRunsOutsideTheLock) {
  EventStream s;
  std::vector<std::string> seen;
  // Calling back into the stream would deadlock if the waker ran under its lock.
  s.SetWaker([&] {
    for (auto& f : s.Drain()) seen.push_back(*f);
    (void)s.closed();
  });
  ASSERT_TRUE(s.Push("e", "1"));
  s.Close();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0], "event: e\ndata: 1\n\n");
}

TEST(EventStreamTest, AClearedWakerIsNotCalled) {
  EventStream s;
  int wakes = 0;
  s.SetWaker([&wakes] { ++wakes; });
  s.SetWaker(nullptr);
  ASSERT_TRUE(s.Push("e", "1"));
  s.Close();
  EXPECT_EQ(wakes, 0);
}

TEST(EventStreamTest, ConcurrentPushesAreAllDeliveredOnce) {
  constexpr int kThreads = 4;
  constexpr int kPerThread = 500;
  EventStream s(kThreads * kPerThread);
  std::atomic<int> wakes{0};
  s.SetWaker([&wakes] { ++wakes; });
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&s, t] {
      for (int i = 0; i < kPerThread; ++i) EXPECT_TRUE(s.Push("e", std::to_string(t * kPerThread + i)));
    });
  std::size_t drained = 0;
  while (drained < kThreads * kPerThread) drained += s.Drain().size();
  for (auto& th : threads) th.join();
  EXPECT_EQ(drained, static_cast<std::size_t>(kThreads * kPerThread));
  EXPECT_TRUE(s.Drain().empty());
  EXPECT_GE(wakes.load(), 1);
}

}  // namespace
}  // namespace chosen::http
