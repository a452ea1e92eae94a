#include "notify/hub.h"

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

namespace chosen::notify {
namespace {

using StreamPtr = std::shared_ptr<http::EventStream>;

StreamPtr Open(Hub& hub, std::int64_t user) {
  auto r = hub.Subscribe(user, /*org_id=*/user % 2 ? 1 : 2);
  EXPECT_TRUE(r) << (r ? "" : r.error().message);
  return r ? *r : nullptr;
}

std::string Joined(http::EventStream& s) {
  std::string out;
  for (const auto& f : s.Drain()) out += *f;
  return out;
}

TEST(HubTest, PublishReachesEveryStreamOfThatUserOnly) {
  Hub hub;
  auto a1 = Open(hub, 1);
  auto a2 = Open(hub, 1);
  auto b = Open(hub, 2);
  hub.Publish(1, "deal.closed", boost::json::object{{"id", 7}});
  EXPECT_EQ(Joined(*a1), "event: deal.closed\ndata: {\"id\":7}\n\n");
  EXPECT_EQ(Joined(*a2), "event: deal.closed\ndata: {\"id\":7}\n\n");
  EXPECT_EQ(Joined(*b), "") << "user 2 must never see user 1's events";
  hub.Publish(2, "task.created", boost::json::object{{"secret", "of user 2"}});
  EXPECT_EQ(Joined(*a1), "");
  EXPECT_EQ(Joined(*a2), "");
  EXPECT_NE(Joined(*b).find("of user 2"), std::string::npos);
}

// A broadcast formats its frame once: every stream queues the same bytes,
// not a copy each (10,000 streams hold one frame, not 10,000).
TEST(HubTest, ABroadcastSharesOneFrameAmongItsStreams) {
  Hub hub;
  auto a = *hub.Subscribe(1, 7);
  auto b = *hub.Subscribe(1, 7);
  auto c = *hub.Subscribe(2, 7);
  hub.PublishToOrg(7, "announcement", boost::json::object{{"text", "hi"}});
  auto fa = a->Drain(), fb = b->Drain(), fc = c->Drain();
  ASSERT_EQ(fa.size(), 1u);
  ASSERT_EQ(fb.size(), 1u);
  ASSERT_EQ(fc.size(), 1u);
  EXPECT_EQ(*fa[0], "event: announcement\ndata: {\"text\":\"hi\"}\n\n");
  EXPECT_EQ(fa[0].get(), fb[0].get());
  EXPECT_EQ(fa[0].get(), fc[0].get());
  hub.Publish(1, "insight", boost::json::object{{"id", 3}});
  fa = a->Drain();
  fb = b->Drain();
  ASSERT_EQ(fa.size(), 1u);
  ASSERT_EQ(fb.size(), 1u);
  EXPECT_EQ(fa[0].get(), fb[0].get()) << "one user's tabs share the frame too";
  EXPECT_TRUE(c->Drain().empty());
}

TEST(HubTest, PublishingToAUserWithoutStreamsDoesNothing) {
  Hub hub;
  auto b = Open(hub, 2);
  hub.Publish(1, "e", boost::json::value(nullptr));
  EXPECT_EQ(Joined(*b), "");
  EXPECT_EQ(hub.size(), 1u);
}

TEST(HubTest, PublishToOrgReachesEveryStreamOfThatOrgOnly) {
  Hub hub;
  auto a = Open(hub, 1);   // org 1
  auto a2 = Open(hub, 1);  // org 1, second tab
  auto c = Open(hub, 3);   // org 1
  auto b = Open(hub, 2);   // org 2
  hub.PublishToOrg(1, "tick", boost::json::array{1, 2});
  EXPECT_EQ(Joined(*a), "event: tick\ndata: [1,2]\n\n");
  EXPECT_EQ(Joined(*a2), "event: tick\ndata: [1,2]\n\n");
  EXPECT_EQ(Joined(*c), "event: tick\ndata: [1,2]\n\n");
  EXPECT_EQ(Joined(*b), "") << "another org must never see it";
  hub.PublishToOrg(3, "tick", 1);
  EXPECT_EQ(Joined(*a) + Joined(*b), "") << "an org with no streams reaches no one";
}

TEST(HubTest, AUserAtTheLimitLosesTheirOldestStreamNotTheNewOne) {
  Hub hub(/*max_streams_per_user=*/3);
  std::vector<StreamPtr> tabs;
  for (int i = 0; i < 3; ++i) tabs.push_back(Open(hub, 1));
  auto other = Open(hub, 2);
  auto newest = Open(hub, 1);
  ASSERT_TRUE(newest);
  EXPECT_TRUE(tabs[0]->closed()) << "the oldest tab is dropped";
  EXPECT_FALSE(tabs[1]->closed());
  EXPECT_FALSE(tabs[2]->closed());
  EXPECT_FALSE(other->closed()) << "another user's streams are untouched";
  EXPECT_EQ(hub.size(), 4u);
  hub.Publish(1, "e", 1);
  EXPECT_EQ(Joined(*tabs[0]), "");
  EXPECT_NE(Joined(*newest), "");
  EXPECT_NE(Joined(*tabs[1]), "");
}

TEST(HubTest, TheTotalLimitRefusesNewStreamsUntilOneGoes) {
  Hub hub(/*max_streams_per_user=*/8, /*max_streams_total=*/3);
  auto a = Open(hub, 1);
  auto b = Open(hub, 2);
  auto c = Open(hub, 3);
  auto refused = hub.Subscribe(4, 1);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kUnavailable);
  EXPECT_FALSE(a->closed() || b->closed() || c->closed()) << "refusing closes no one";
  // User 1 is below the per-user limit, so nothing of theirs is replaced and
  // the total limit applies to them too.
  EXPECT_FALSE(hub.Subscribe(1, 1));
  b.reset();  // its session ended
  auto d = hub.Subscribe(4, 1);
  ASSERT_TRUE(d) << "a freed slot is reusable";
  c->Close();  // closed, though someone still holds it
  auto e = hub.Subscribe(5, 1);
  EXPECT_TRUE(e) << "a closed stream frees its slot";
  EXPECT_EQ(hub.size(), 3u);
}

TEST(HubTest, PublishPrunesClosedAndAbandonedStreams) {
  Hub hub;
  auto keep = Open(hub, 1);
  auto closed = Open(hub, 1);
  auto dropped = Open(hub, 1);
  EXPECT_EQ(hub.size(), 3u);
  closed->Close();
  dropped.reset();
  EXPECT_EQ(hub.size(), 1u) << "size counts open streams only";
  hub.Publish(1, "e", 1);
  EXPECT_NE(Joined(*keep), "");
  EXPECT_EQ(Joined(*closed), "");
  // After pruning, user 1 has one entry, so seven more fit under the limit
  // of eight without evicting `keep`.
  std::vector<StreamPtr> more;
  for (int i = 0; i < 7; ++i) more.push_back(Open(hub, 1));
  EXPECT_FALSE(keep->closed()) << "pruned entries no longer count against the user";
  EXPECT_EQ(hub.size(), 8u);
}

TEST(HubTest, ASlowSubscriberIsDroppedWithoutAffectingOthers) {
  Hub hub;
  auto slow = Open(hub, 1);
  auto fast = Open(hub, 1);
  int pushed = 0;
  while (!slow->closed() && pushed < 10000) {
    hub.Publish(1, "e", pushed++);
    fast->Drain();  // this one keeps up
  }
  EXPECT_TRUE(slow->closed());
  EXPECT_LT(pushed, 10000) << "the queue bound must trip";
  EXPECT_FALSE(fast->closed());
  EXPECT_EQ(hub.size(), 1u);
}

TEST(HubTest, ConcurrentPublishSubscribeAndCloseIsSafe) {
  Hub hub(/*max_streams_per_user=*/4, /*max_streams_total=*/64);
  std::atomic<bool> done{false};
  std::atomic<long> published{0};
  std::vector<std::thread> publishers;
  for (int t = 0; t < 4; ++t)
    publishers.emplace_back([&, t] {
      for (int i = 0; !done; ++i) {
        hub.Publish(i % 8, "e", boost::json::object{{"t", t}, {"i", i}});
        if (i % 16 == 0) hub.PublishToOrg(1, "b", i);
        ++published;
      }
    });
  std::thread churn([&] {
    std::vector<StreamPtr> held;
    for (int i = 0; i < 3000; ++i) {
      auto r = hub.Subscribe(i % 8, 1);
      if (r) held.push_back(*r);
      if (held.size() > 20) {
        held.front()->Close();
        held.erase(held.begin());
      }
      if (i % 7 == 0 && !held.empty()) held.pop_back();  // its session ended
      for (auto& s : held) s->Drain();
    }
  });
  churn.join();
  done = true;
  for (auto& p : publishers) p.join();
  EXPECT_GT(published.load(), 0);
  EXPECT_LE(hub.size(), 32u) << "8 users x 4 streams at most";
}

TEST(HubTest, StreamsOnlyReceiveTheirOwnUsersEventsUnderConcurrency) {
  Hub hub;
  auto one = Open(hub, 1);
  auto two = Open(hub, 2);
  std::vector<std::thread> publishers;
  for (int user = 1; user <= 2; ++user)
    publishers.emplace_back([&hub, user] {
      for (int i = 0; i < 100; ++i) hub.Publish(user, "e", boost::json::object{{"user", user}});
    });
  for (auto& p : publishers) p.join();
  auto frames1 = one->Drain();
  auto frames2 = two->Drain();
  EXPECT_EQ(frames1.size(), 100u);
  EXPECT_EQ(frames2.size(), 100u);
  for (const auto& f : frames1) EXPECT_EQ(*f, "event: e\ndata: {\"user\":1}\n\n");
  for (const auto& f : frames2) EXPECT_EQ(*f, "event: e\ndata: {\"user\":2}\n\n");
}

}  // namespace
}  // namespace chosen::notify
