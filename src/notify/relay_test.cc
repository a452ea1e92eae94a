// The relay on both backends: SQLite within the process, PostgreSQL across
// two database handles (standing in for two server processes).
#include "notify/relay.h"

#include <chrono>
#include <string>
#include <thread>

#include <gtest/gtest.h>

#include "store/test_database.h"

namespace chosen::notify {
namespace {

using namespace std::chrono_literals;
namespace json = boost::json;

// Everything `stream` has received within `wait` (polling its queue).
std::string ReceivedWithin(http::EventStream& stream, std::chrono::milliseconds wait, std::size_t want_frames = 1) {
  std::string out;
  std::size_t frames = 0;
  auto deadline = std::chrono::steady_clock::now() + wait;
  while (std::chrono::steady_clock::now() < deadline && frames < want_frames) {
    for (const auto& f : stream.Drain()) {
      out += *f;
      ++frames;
    }
    if (frames < want_frames) std::this_thread::sleep_for(5ms);
  }
  return out;
}

class RelayTest : public ::testing::TestWithParam<store::Dialect> {
 protected:
  void SetUp() override {
    if (GetParam() == store::Dialect::kPostgres && store::TestPostgresUrl().empty())
      GTEST_SKIP() << "PostgreSQL tests need CHOSEN_TEST_POSTGRES_URL (scripts/with-postgres.sh sets it)";
    database_ = std::make_unique<store::TestDatabase>(GetParam());
    auto a = store::OpenDatabase(database_->url());
    ASSERT_TRUE(a) << a.error().message;
    writer_ = std::move(*a);
    if (GetParam() == store::Dialect::kPostgres) {
      auto b = store::OpenDatabase(database_->url());
      ASSERT_TRUE(b) << b.error().message;
      other_ = std::move(*b);
    }
    auto relay = Relay::Start(listener_db(), hub_);
    ASSERT_TRUE(relay) << relay.error().message;
    relay_ = std::move(*relay);
  }

  // The handle the relay listens on: another "process" on PostgreSQL.
  store::Database& listener_db() { return other_ ? *other_ : *writer_; }

  Status PublishIn(std::int64_t user, std::string_view event, const json::value& data, bool commit = true) {
    return writer_->Write([&](store::Connection& c) -> Status {
      if (auto st = Relay::Publish(c, user, event, data); !st) return st;
      return commit ? Status{} : Error::Invalid("rolled back on purpose");
    });
  }

  std::unique_ptr<store::TestDatabase> database_;
  std::unique_ptr<store::Database> writer_, other_;
  Hub hub_;
  std::unique_ptr<Relay> relay_;
};

TEST_P(RelayTest, CommittedEventsReachTheUsersStreamsOnly) {
  auto mine = hub_.Subscribe(1, 1);
  auto theirs = hub_.Subscribe(2, 1);
  ASSERT_TRUE(mine && theirs);
  EXPECT_FALSE(PublishIn(1, "insight", json::object{{"id", 1}}, /*commit=*/false));
  ASSERT_TRUE(PublishIn(1, "insight", json::object{{"id", 2}, {"message", "Call Sue \"now\""}}));
  EXPECT_EQ(ReceivedWithin(**mine, 5s), "event: insight\ndata: {\"id\":2,\"message\":\"Call Sue \\\"now\\\"\"}\n\n")
      << "the rolled-back event must not arrive; the committed one must";
  EXPECT_EQ(ReceivedWithin(**theirs, 200ms), "");
}

TEST_P(RelayTest, OrgEventsReachEveryStreamOfThatOrgOnly) {
  auto a = hub_.Subscribe(1, 10);
  auto b = hub_.Subscribe(2, 10);
  auto other = hub_.Subscribe(3, 20);
  ASSERT_TRUE(a && b && other);
  ASSERT_TRUE(writer_->Write([](store::Connection& c) {
    return Relay::PublishToOrg(c, 10, "announcement", json::object{{"message", "Rates dropped"}});
  }));
  std::string want = "event: announcement\ndata: {\"message\":\"Rates dropped\"}\n\n";
  EXPECT_EQ(ReceivedWithin(**a, 5s), want);
  EXPECT_EQ(ReceivedWithin(**b, 5s), want);
  EXPECT_EQ(ReceivedWithin(**other, 200ms), "");
}

TEST_P(RelayTest, AnEventTooLargeToNotifyBecomesAResync) {
  auto mine = hub_.Subscribe(7, 1);
  ASSERT_TRUE(mine);
  ASSERT_TRUE(PublishIn(7, "insight", json::object{{"message", std::string(store::kMaxNotifyPayload, 'x')}}));
  EXPECT_EQ(ReceivedWithin(**mine, 5s), "event: resync\ndata: {}\n\n");
}

TEST(RelayDeliverTest, IgnoresPayloadsItCannotRead) {
  Hub hub;
  auto s = hub.Subscribe(1, 1);
  ASSERT_TRUE(s);
  for (std::string_view bad : {"", "not json", "[]", R"({"u":"1","e":"x","d":{}})", R"({"u":1,"e":2,"d":{}})",
                               R"({"u":1,"e":"x"})", R"({"u":1,"o":1,"e":"x","d":{}})"})
    Relay::Deliver(hub, bad);
  EXPECT_TRUE((*s)->Drain().empty());
  Relay::Deliver(hub, R"({"u":1,"e":"x","d":[1]})");
  EXPECT_EQ((*s)->Drain().size(), 1u);
}

std::string BackendName(const ::testing::TestParamInfo<store::Dialect>& p) {
  return p.param == store::Dialect::kSqlite ? "sqlite" : "postgres";
}

INSTANTIATE_TEST_SUITE_P(Backends, RelayTest, ::testing::Values(store::Dialect::kSqlite, store::Dialect::kPostgres),
                         BackendName);

}  // namespace
}  // namespace chosen::notify
