// GET /api/stream: each officer's insights reach their open tabs over SSE
// within a second, and nobody else's.
#include <chrono>
#include <thread>

#include <gtest/gtest.h>

#include "integration/harness.h"

namespace chosen::testing {
namespace {

using namespace std::chrono_literals;

class StreamTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_.AddUser("ana@acme.test", "officer", "Acme Lending", "East");
    server_.AddUser("ben@acme.test", "officer", "Acme Lending", "East");
    ana_token_ = *server_.api().accounts().CreateApiToken("ana@acme.test", "t");
    ben_token_ = *server_.api().accounts().CreateApiToken("ben@acme.test", "t");
    ana_.UseBearer(ana_token_);
  }

  std::string Auth(const std::string& token) { return "Authorization: Bearer " + token + "\r\n"; }

  TestServer server_;
  std::string ana_token_, ben_token_;
  Client ana_{server_.port()};
};

TEST_F(StreamTest, NeedsAuthentication) {
  StreamClient anonymous(server_.port(), "/api/stream");
  ASSERT_TRUE(anonymous.ReadUntilContains("UNAUTHENTICATED", 3s)) << anonymous.received();
  EXPECT_NE(anonymous.header().find(" 401 "), std::string::npos) << anonymous.received();
  EXPECT_NE(anonymous.body().find("UNAUTHENTICATED"), std::string::npos);
}

TEST_F(StreamTest, PushesEachNewInsightToItsOfficerOnlyWithinASecond) {
  StreamClient ana_tab(server_.port(), "/api/stream", 0, Auth(ana_token_));
  StreamClient ana_other_tab(server_.port(), "/api/stream", 0, Auth(ana_token_));
  StreamClient ben_tab(server_.port(), "/api/stream", 0, Auth(ben_token_));
  for (auto* tab : {&ana_tab, &ana_other_tab, &ben_tab}) {
    ASSERT_TRUE(tab->ReadUntilContains("event: ready", 3s)) << tab->received();
    EXPECT_NE(tab->header().find("text/event-stream"), std::string::npos);
  }

  auto t0 = std::chrono::steady_clock::now();
  auto lead = ana_.Post("/api/contacts", json::object{{"name", "Jennifer Park"}, {"source", "Zillow"}});
  ASSERT_EQ(lead.status, 201);
  for (auto* tab : {&ana_tab, &ana_other_tab}) {
    ASSERT_TRUE(tab->ReadUntilContains("event: insight\n", 1s)) << tab->received();
    EXPECT_NE(tab->body().find("Jennifer Park"), std::string::npos);
    EXPECT_NE(tab->body().find("new_lead_speed"), std::string::npos);
  }
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 1s);

  // Reaching the lead resolves the nudge in every tab.
  std::int64_t contact = lead.json.at("id").as_int64();
  ASSERT_EQ(ana_.Post("/api/activities", json::object{{"type", "call"}, {"contact_id", contact}}).status, 201);
  ASSERT_TRUE(ana_tab.ReadUntilContains("event: insight_resolved", 1s)) << ana_tab.received();

  // Ben's tab heard nothing of Ana's business.
  std::this_thread::sleep_for(200ms);
  ben_tab.ReadUntil([](const std::string&) { return false; }, 100ms);
  EXPECT_EQ(ben_tab.body().find("Jennifer"), std::string::npos) << ben_tab.body();
  EXPECT_EQ(ben_tab.body().find("event: insight"), std::string::npos) << ben_tab.body();
}

TEST_F(StreamTest, DismissingInOneTabTellsTheOthers) {
  StreamClient tab(server_.port(), "/api/stream", 0, Auth(ana_token_));
  ASSERT_TRUE(tab.ReadUntilContains("event: ready", 3s));
  ASSERT_EQ(ana_.Post("/api/contacts", json::object{{"name", "Lee Park"}}).status, 201);
  auto pending = ana_.Get("/api/coach/insights");
  ASSERT_EQ(pending.status, 200);
  ASSERT_EQ(pending.json.as_array().size(), 1u) << pending.body;
  std::int64_t id = pending.json.as_array()[0].at("id").as_int64();
  auto r = ana_.Post("/api/coach/insights/" + std::to_string(id) + "/dismiss", json::object{});
  ASSERT_EQ(r.status, 200) << r.body;
  ASSERT_TRUE(tab.ReadUntilContains("event: insight_dismissed\ndata: {\"id\":" + std::to_string(id) + "}", 1s))
      << tab.received();
}

}  // namespace
}  // namespace chosen::testing
