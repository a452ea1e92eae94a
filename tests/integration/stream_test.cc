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

namespace chosen::testing {
namespace {

// Announcements: a manager's message reaches every open stream of their org
// at once, is kept for the feed, and never crosses orgs.
class AnnouncementTest : public StreamTest {
 protected:
  void SetUp() override {
    StreamTest::SetUp();
    server_.AddUser("mia@acme.test", "manager", "Acme Lending", "East");
    server_.AddUser("zed@other.test", "officer", "Other Bank");
    mia_.UseBearer(*server_.api().accounts().CreateApiToken("mia@acme.test", "t"));
    zed_token_ = *server_.api().accounts().CreateApiToken("zed@other.test", "t");
  }
  Client mia_{server_.port()};
  std::string zed_token_;
};

TEST_F(AnnouncementTest, AManagersMessageReachesTheWholeOrgOnlyAndIsKept) {
  StreamClient ana_tab(server_.port(), "/api/stream", 0, Auth(ana_token_));
  StreamClient ben_tab(server_.port(), "/api/stream", 0, Auth(ben_token_));
  StreamClient zed_tab(server_.port(), "/api/stream", 0, Auth(zed_token_));
  for (auto* tab : {&ana_tab, &ben_tab, &zed_tab}) ASSERT_TRUE(tab->ReadUntilContains("event: ready", 3s));

  auto posted = mia_.Post("/api/announcements", json::object{{"message", "  Rates dropped 0.25%:\ncall your rate-watch list  "}});
  ASSERT_EQ(posted.status, 201) << posted.body;
  EXPECT_EQ(posted.json.at("message").as_string(), "Rates dropped 0.25%:\ncall your rate-watch list");
  EXPECT_EQ(posted.json.at("author").at("name").as_string(), "mia");
  for (auto* tab : {&ana_tab, &ben_tab}) {
    ASSERT_TRUE(tab->ReadUntilContains("event: announcement\n", 1s)) << tab->received();
    EXPECT_NE(tab->body().find("call your rate-watch list"), std::string::npos) << tab->body();
  }
  zed_tab.ReadUntil([](const std::string&) { return false; }, 200ms);
  EXPECT_EQ(zed_tab.body().find("announcement"), std::string::npos) << "another org heard it: " << zed_tab.body();

  // Kept, newest first, paged; never shown to another org.
  ASSERT_EQ(mia_.Post("/api/announcements", json::object{{"message", "Second"}}).status, 201);
  auto feed = ana_.Get("/api/announcements?limit=1");
  ASSERT_EQ(feed.status, 200) << feed.body;
  ASSERT_EQ(feed.json.at("items").as_array().size(), 1u);
  EXPECT_EQ(feed.json.at("items").as_array()[0].at("message").as_string(), "Second");
  auto before = feed.json.at("next_before").as_int64();
  auto older = ana_.Get("/api/announcements?before=" + std::to_string(before));
  ASSERT_EQ(older.json.at("items").as_array().size(), 1u) << older.body;
  EXPECT_TRUE(older.json.at("next_before").is_null());
  Client zed(server_.port());
  zed.UseBearer(zed_token_);
  EXPECT_TRUE(zed.Get("/api/announcements").json.at("items").as_array().empty());
}

TEST_F(AnnouncementTest, OnlyManagersAndAdminsPostAndBadMessagesAreRefused) {
  auto r = ana_.Post("/api/announcements", json::object{{"message", "Hi all"}});
  EXPECT_EQ(r.status, 403) << r.body;
  struct Case {
    json::value body;
    const char* field;
  };
  for (const auto& c : {Case{json::object{}, "message"}, Case{json::object{{"message", "   "}}, "message"},
                        Case{json::object{{"message", 5}}, "message"},
                        Case{json::object{{"message", std::string(501, 'x')}}, "message"},
                        Case{json::object{{"message", "bell\x07"}}, "message"},
                        Case{json::object{{"message", "ok"}, {"pinned", true}}, "pinned"}}) {
    auto bad = mia_.Post("/api/announcements", c.body);
    EXPECT_EQ(bad.status, 400) << serialize(c.body) << " " << bad.body;
    EXPECT_EQ(bad.ErrorField(), c.field) << bad.body;
  }
  EXPECT_EQ(mia_.Post("/api/announcements", json::object{{"message", std::string(500, 'x')}}).status, 201);
  EXPECT_EQ(ana_.Get("/api/announcements?limit=0").status, 400);
  EXPECT_EQ(ana_.Get("/api/announcements?limit=51").status, 400);
  EXPECT_EQ(ana_.Get("/api/announcements?since=1").ErrorField(), "since");
  EXPECT_EQ(ana_.Get("/api/announcements").json.at("items").as_array().size(), 1u) << "nothing refused was kept";
}

}  // namespace
}  // namespace chosen::testing
