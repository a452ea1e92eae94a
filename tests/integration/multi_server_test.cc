// Several `chosen serve` processes on one PostgreSQL database behave as one
// server: an SSE client on one receives what a request to another caused,
// and scheduled sweeps run once per slot across them. Real processes, real
// HTTP; skipped without CHOSEN_TEST_POSTGRES_URL.
#include <signal.h>

#include <chrono>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "integration/child_process.h"
#include "integration/harness.h"

namespace chosen::testing {
namespace {

using namespace std::chrono_literals;

constexpr const char* kListening = "listening on http://localhost:";

class MultiServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (store::TestPostgresUrl().empty())
      GTEST_SKIP() << "needs CHOSEN_TEST_POSTGRES_URL (scripts/with-postgres.sh sets it)";
    database_ = std::make_unique<store::TestDatabase>(store::Dialect::kPostgres);
    std::string out;
    ASSERT_EQ(RunChosen({"user", "add", "--db", url(), "--email", "ann@test.example", "--name", "Ann Officer",
                         "--password", "password123", "--org", "Acme Lending"},
                        &out),
              0)
        << out;
    ASSERT_EQ(RunChosen({"token", "create", "--db", url(), "--email", "ann@test.example"}, &out), 0) << out;
    out.erase(out.find_last_not_of('\n') + 1);
    token_ = out.substr(out.find_last_of('\n') + 1);
    ASSERT_EQ(token_.rfind("chs_", 0), 0u) << out;
  }

  const std::string& url() const { return database_->url(); }

  // Starts `chosen serve` on the shared database; returns its port.
  std::uint16_t Start(std::unique_ptr<Child>& child, const std::string& coach_interval = "3600") {
    child = std::make_unique<Child>(std::vector<std::string>{"serve", "--db", url(), "--port", "0", "--coach-interval",
                                                             coach_interval});
    auto port = child->WaitFor(kListening, 60s);
    EXPECT_TRUE(port) << child->output();
    return port ? static_cast<std::uint16_t>(std::stoi(*port)) : 0;
  }

  std::string Bearer() const { return "Authorization: Bearer " + token_ + "\r\n"; }

  std::unique_ptr<store::TestDatabase> database_;
  std::string token_;
};

TEST_F(MultiServerTest, AnInsightCausedOnOneServerReachesStreamsOnTheOther) {
  std::unique_ptr<Child> a, b;
  std::uint16_t port_a = Start(a), port_b = Start(b);
  ASSERT_TRUE(port_a && port_b);

  StreamClient on_a(port_a, "/api/stream", 0, Bearer());
  StreamClient on_b(port_b, "/api/stream", 0, Bearer());
  ASSERT_TRUE(on_a.ReadUntilContains("event: ready", 10s)) << on_a.received();
  ASSERT_TRUE(on_b.ReadUntilContains("event: ready", 10s)) << on_b.received();

  // A new lead created through B: the speed-to-lead insight reaches the
  // stream held open on A (and B's own).
  Client via_b(port_b);
  via_b.UseBearer(token_);
  auto made = via_b.Post("/api/contacts", json::object{{"name", "Lena Crossover"}, {"status", "LEAD"}});
  ASSERT_EQ(made.status, 201) << made.body;
  ASSERT_TRUE(on_a.ReadUntilContains("Lena Crossover", 10s)) << on_a.received();
  EXPECT_NE(on_a.body().find("event: insight\n"), std::string::npos) << on_a.body();
  ASSERT_TRUE(on_b.ReadUntilContains("Lena Crossover", 10s)) << on_b.received();

  // B memoises its answer to the insights read...
  for (int i = 0; i < 2; ++i) {
    auto on_b_list = via_b.Get("/api/coach/insights");
    ASSERT_EQ(on_b_list.status, 200) << on_b_list.body;
    ASSERT_EQ(on_b_list.json.as_array().size(), 1u) << on_b_list.body;
  }

  // Dismissed through A: B's stream hears it, once.
  Client via_a(port_a);
  via_a.UseBearer(token_);
  auto list = via_a.Get("/api/coach/insights");
  ASSERT_EQ(list.status, 200) << list.body;
  ASSERT_EQ(list.json.as_array().size(), 1u) << list.body;
  std::int64_t id = list.json.as_array()[0].as_object().at("id").as_int64();
  auto dismissed = via_a.Post("/api/coach/insights/" + std::to_string(id) + "/dismiss", json::object{});
  ASSERT_EQ(dismissed.status, 200) << dismissed.body;
  std::string want = "event: insight_dismissed\ndata: {\"id\":" + std::to_string(id) + "}\n\n";
  ASSERT_TRUE(on_b.ReadUntilContains(want, 10s)) << on_b.received();
  ASSERT_TRUE(on_a.ReadUntilContains(want, 10s)) << on_a.received();
  EXPECT_EQ(on_b.body().find(want), on_b.body().rfind(want)) << "delivered once, not once per server";
  // ...and answers the next one from the database A changed.
  auto after = via_b.Get("/api/coach/insights");
  ASSERT_EQ(after.status, 200) << after.body;
  EXPECT_EQ(after.json.as_array().size(), 0u) << after.body;
}

// The slots each server's log says it swept ("coach sweep of slot N").
std::vector<std::int64_t> SweptSlots(const std::string& log) {
  const std::string marker = "coach sweep of slot ";
  std::vector<std::int64_t> out;
  for (auto at = log.find(marker); at != std::string::npos; at = log.find(marker, at + 1)) {
    std::size_t from = at + marker.size(), to = log.find(' ', from);
    if (to != std::string::npos && log.compare(to, 6, " done ") == 0) out.push_back(std::stoll(log.substr(from, to - from)));
  }
  return out;
}

TEST_F(MultiServerTest, ScheduledSweepsRunOncePerSlotAcrossServers) {
  std::unique_ptr<Child> a, b, c;
  ASSERT_TRUE(Start(a, "1") && Start(b, "1") && Start(c, "1"));
  auto started = std::chrono::steady_clock::now();
  // Let several one-second slots pass, then stop all three cleanly.
  a->WaitFor("never printed", 5s);
  for (auto* s : {a.get(), b.get(), c.get()}) s->Signal(SIGTERM);
  for (auto* s : {a.get(), b.get(), c.get()}) ASSERT_EQ(s->Wait(30s), 0) << s->output();
  auto seconds = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - started).count();

  std::map<std::int64_t, int> runs;
  std::set<const Child*> sweepers;
  for (const Child* s : {a.get(), b.get(), c.get()})
    for (std::int64_t slot : SweptSlots(s->output())) {
      ++runs[slot];
      sweepers.insert(s);
    }
  for (const auto& [slot, n] : runs) EXPECT_EQ(n, 1) << "slot " << slot << " swept " << n << " times";
  EXPECT_GE(runs.size(), 4u) << "one sweep a second for ~" << seconds << " s";
  // Consecutive slots: none skipped while three servers were up.
  ASSERT_FALSE(runs.empty());
  EXPECT_EQ(runs.rbegin()->first - runs.begin()->first + 1, static_cast<std::int64_t>(runs.size()));
}

}  // namespace
}  // namespace chosen::testing
