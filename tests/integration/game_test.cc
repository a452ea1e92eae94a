// Gamification over real HTTP with a fixed clock: the points ledger (once
// per event, priced by the table in force, recomputable and audited), levels
// and badges, streaks on working days with freezes, the reward marketplace
// (never negative, a double click redeems once, rejections refund, under
// concurrency), kudos and the feed, leaderboards (anonymous unless the org
// opts in) and competitions.
#include <atomic>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "common/time_util.h"
#include "integration/harness.h"

namespace chosen::testing {
namespace {

constexpr const char* kTz = "America/Chicago";

class GameTest : public ::testing::Test {
 protected:
  void SetUp() override {
    alice_id_ = server_.AddUser("alice@acme.test", "officer", "Acme Lending", "East");
    server_.AddUser("ada@acme.test", "admin", "Acme Lending");
    server_.AddUser("mia@acme.test", "manager", "Acme Lending", "East");
    alice_ = As("alice@acme.test");
    ada_ = As("ada@acme.test");
    mia_ = As("mia@acme.test");
  }

  Client As(const std::string& email) { return ClientAs(server_, email); }

  void Call(Client& c, const std::string& outcome, std::optional<TimestampMs> at = std::nullopt) {
    json::object body{{"type", "call"}, {"outcome", outcome}};
    if (at) body["occurred_at"] = FormatIso(*at);
    auto r = c.Post("/api/activities", body);
    ASSERT_EQ(r.status, 201) << r.body;
  }

  std::int64_t Points(Client& c, const char* which = "balance") {
    auto p = c.Get("/api/game/profile");
    EXPECT_EQ(p.status, 200) << p.body;
    return p.json.at("points").at(which).as_int64();
  }

  json::array Kind(Client& c, const std::string& kind) {
    auto r = c.Get("/api/notifications?limit=100");
    json::array out;
    for (const auto& n : r.json.at("items").as_array())
      if (n.at("data").is_object() && n.at("data").as_object().contains("kind") && n.at("data").at("kind") == json::value(kind))
        out.push_back(n);
    return out;
  }

  void SetNow(const std::string& date, int hour) { server_.clock().Set(LocalTimeOn(date, hour * 60, kTz)); }

  TestServer server_;
  std::int64_t alice_id_ = 0;
  Client alice_{server_.port()}, ada_{server_.port()}, mia_{server_.port()};
};

TEST_F(GameTest, PointsAreALedgerPricedByTheTableInForceAndAudited) {
  Call(alice_, "no_answer");
  Call(alice_, "application_taken");
  ASSERT_EQ(alice_.Post("/api/deals", json::object{{"title", "Ortiz purchase"}}).status, 201);
  EXPECT_EQ(Points(alice_), 1 + 38 + 5);
  auto ledger = alice_.Get("/api/game/ledger");
  ASSERT_EQ(ledger.status, 200) << ledger.body;
  ASSERT_EQ(ledger.json.at("items").as_array().size(), 3u);
  EXPECT_EQ(ledger.json.at("items").as_array()[1].at("reason"),
            json::value("call 1 + conversation 2 + appointment 10 + application 25"));

  // The admin makes a dial worth nothing and an application 40, from now on.
  EXPECT_EQ(alice_.Send("PUT", "/api/game/points-table", R"({"points":{"call":0}})").status, 403);
  for (const char* bad : {R"({"points":{"dial":3}})", R"({"points":{"call":-1}})", R"({"points":{"call":1001}})",
                          R"({"points":{}})", R"({"pts":{}})"}) {
    auto r = ada_.Send("PUT", "/api/game/points-table", bad);
    EXPECT_EQ(r.status, 400) << bad << " " << r.body;
  }
  server_.clock().Set(server_.clock().Now() + 60'000);
  auto table = ada_.Send("PUT", "/api/game/points-table", R"({"points":{"call":0,"application":40}})");
  ASSERT_EQ(table.status, 200) << table.body;
  EXPECT_EQ(table.json.at("actions").as_array()[0].at("points"), json::value(0));
  EXPECT_EQ(table.json.at("actions").as_array()[0].at("default"), json::value(1));
  Call(alice_, "application_taken");  // 0 + 2 + 10 + 40
  EXPECT_EQ(Points(alice_), 44 + 52);
  EXPECT_EQ(Points(alice_, "lifetime"), 96);

  auto audit = ada_.Get("/api/game/audit");
  ASSERT_EQ(audit.status, 200) << audit.body;
  EXPECT_TRUE(audit.json.at("mismatches").as_array().empty()) << audit.body;
  EXPECT_EQ(alice_.Get("/api/game/audit").status, 403);
  // A ledger row changed behind the event log's back is caught.
  ASSERT_TRUE(server_.db().Write([&](store::Connection& c) -> Status {
    auto r = c.Exec("UPDATE points_ledger SET points = points + 7 WHERE id = (SELECT MIN(id) FROM points_ledger)");
    if (!r) return r.error();
    return {};
  }));
  auto caught = ada_.Get("/api/game/audit");
  ASSERT_EQ(caught.json.at("mismatches").as_array().size(), 1u) << caught.body;
  EXPECT_EQ(caught.json.at("mismatches").as_array()[0].at("user_id"), json::value(alice_id_));

  // History that arrived without awards (an import) is awarded by a
  // recompute, once, at the prices of its own time.
  ASSERT_TRUE(server_.db().Write([&](store::Connection& c) -> Status {
    auto org = c.Query("SELECT org_id FROM users WHERE id = ?", {alice_id_});
    if (!org) return org.error();
    auto r = c.Exec("INSERT INTO events (org_id, user_id, action, entity_type, entity_id, metadata, created_at) VALUES "
                    "(?, ?, 'call_logged', 'activity', NULL, ?, ?)",
                    {org->front().Int(0), alice_id_, R"({"outcome":"answered","occurred_at":"2026-01-05T15:00:00Z"})",
                     ParseIso("2026-01-05T15:00:00Z", "t").value()});
    if (!r) return r.error();
    return {};
  }));
  // Closing a deal won, reopening and closing it again pays once; so does a
  // task completed twice.
  auto deal = alice_.Post("/api/deals", json::object{{"title", "Reyes refi"}});
  const auto deal_id = deal.json.at("id").as_int64();
  auto task = alice_.Post("/api/tasks", json::object{{"title", "Order appraisal"}});
  const auto task_id = task.json.at("id").as_int64();
  const auto before_farm = Points(alice_, "lifetime");
  for (int i = 0; i < 2; ++i) {
    ASSERT_EQ(alice_.Send("PATCH", fmt::format("/api/deals/{}", deal_id), R"({"stage":"Closed Won"})").status, 200);
    ASSERT_EQ(alice_.Send("PATCH", fmt::format("/api/deals/{}", deal_id), R"({"stage":"Processing"})").status, 200);
    ASSERT_EQ(alice_.Send("PATCH", fmt::format("/api/tasks/{}", task_id), R"({"status":"completed"})").status, 200);
    ASSERT_EQ(alice_.Send("PATCH", fmt::format("/api/tasks/{}", task_id), R"({"status":"pending"})").status, 200);
  }
  EXPECT_EQ(Points(alice_, "lifetime") - before_farm, 50 + 2);
  EXPECT_EQ(alice_.Get("/api/game/profile").json.at("counters").at("loans_funded"), json::value(1));
  auto once = ada_.Post("/api/game/recompute", json::object{});
  ASSERT_EQ(once.status, 200) << once.body;
  EXPECT_EQ(once.json, json::parse(R"({"awarded":1,"points":3})"));
  EXPECT_EQ(ada_.Post("/api/game/recompute", json::object{}).json.at("awarded"), json::value(0));
  EXPECT_EQ(Points(alice_, "lifetime"), 96 + 5 + 52 + 3);
  auto audited = ada_.Get("/api/game/audit");
  ASSERT_EQ(audited.json.at("mismatches").as_array().size(), 1u) << "only the tampered row: " << audited.body;
}

TEST_F(GameTest, LevelsAndBadgesUnlockOnceWithACelebration) {
  auto empty = alice_.Get("/api/game/profile");
  ASSERT_EQ(empty.status, 200) << empty.body;
  EXPECT_EQ(empty.json.at("level").at("name"), json::value("Rookie"));
  EXPECT_EQ(empty.json.at("points"), json::parse(R"({"lifetime":0,"balance":0})"));
  for (int i = 0; i < 7; ++i) Call(alice_, "application_taken");  // 7 x 38 = 266
  auto profile = alice_.Get("/api/game/profile");
  EXPECT_EQ(profile.json.at("level").at("name"), json::value("Prospector"));
  EXPECT_EQ(profile.json.at("level").at("next").at("points_to_go"), json::value(1000 - 266));
  std::map<std::string, json::value> badges;
  for (const auto& b : profile.json.at("badges").as_array()) badges[std::string(b.at("key").as_string())] = b;
  EXPECT_FALSE(badges["first_application"].at("earned_at").is_null());
  EXPECT_TRUE(badges["ten_conversations_day"].at("earned_at").is_null());
  EXPECT_EQ(badges["ten_conversations_day"].at("progress"), json::parse(R"({"value":7,"threshold":10})"));
  for (int i = 0; i < 3; ++i) Call(alice_, "answered");
  auto unlocked = Kind(alice_, "badge");
  ASSERT_EQ(unlocked.size(), 2u) << "first application, then ten in a day; each once";
  EXPECT_EQ(unlocked[0].at("title"), json::value("Badge unlocked: Ten in a day"));
  Call(alice_, "application_taken");
  EXPECT_EQ(Kind(alice_, "badge").size(), 2u);
  // The day's counts are kept two weeks, then pruned; lifetime ones stay.
  auto& game = server_.api().game();
  EXPECT_EQ(game.Prune().value(), 0);
  server_.clock().Set(server_.clock().Now() + 15 * 24 * 3600 * 1000LL);
  EXPECT_EQ(game.Prune().value(), 2) << "the day's conversations and the week's calls";
  EXPECT_EQ(alice_.Get("/api/game/profile").json.at("counters").at("calls"), json::value(11));
  // A manager sees the officer's points and badges, but not her streak,
  // nor how close she is to the streak badge.
  auto seen = mia_.Get(fmt::format("/api/game/profile?user_id={}", alice_id_));
  ASSERT_EQ(seen.status, 200) << seen.body;
  EXPECT_TRUE(seen.json.at("streak").is_null());
  for (const auto& b : seen.json.at("badges").as_array())
    if (b.at("key") == json::value("four_week_streak")) {
      EXPECT_TRUE(b.at("progress").is_null()) << b;
    }
  EXPECT_TRUE(alice_.Get("/api/game/profile").json.at("streak").is_object());
  server_.AddUser("bob@acme.test", "officer", "Acme Lending", "East");
  EXPECT_EQ(As("bob@acme.test").Get(fmt::format("/api/game/profile?user_id={}", alice_id_)).ErrorField(), "user_id");
}

TEST_F(GameTest, StreaksCountWorkingDaysAcrossWeekendsAndDaylightSavingWithLimitedFreezes) {
  // Thursday 29 October 2026 (CDT) to Monday 2 November (CST).
  for (const char* d : {"2026-10-26", "2026-10-27", "2026-10-28", "2026-10-29"}) {
    SetNow(d, 10);
    Call(alice_, "no_answer");
  }
  SetNow("2026-10-30", 23);  // 11 PM Friday, local: still Friday
  Call(alice_, "no_answer");
  auto five = Kind(alice_, "streak");
  ASSERT_EQ(five.size(), 1u);
  EXPECT_EQ(five[0].at("title"), json::value("5-day call streak"));
  SetNow("2026-11-02", 0);  // 12:30 AM Monday after the clocks went back
  server_.clock().Set(server_.clock().Now() + 30 * 60'000);
  Call(alice_, "no_answer");
  auto streak = alice_.Get("/api/game/profile").json.at("streak");
  EXPECT_EQ(streak.at("current"), json::value(6)) << streak;
  EXPECT_EQ(streak.at("since"), json::value("2026-10-26"));
  // Tuesday missed; Wednesday the streak is gone unless frozen.
  SetNow("2026-11-04", 9);
  EXPECT_EQ(alice_.Get("/api/game/profile").json.at("streak").at("current"), json::value(0));
  auto frozen = alice_.Post("/api/game/streak/freeze", json::object{{"date", "2026-11-03"}});
  ASSERT_EQ(frozen.status, 200) << frozen.body;
  EXPECT_EQ(frozen.json.at("current"), json::value(6));
  EXPECT_EQ(frozen.json.at("freezes_left"), json::value(1));
  struct Case {
    const char* date;
    int status;
  };
  for (const Case& tc : {Case{"2026-11-03", 409}, Case{"2026-11-04", 400}, Case{"2026-10-27", 400},
                         Case{"2026-11-01", 400}, Case{"2026-11-02", 400}, Case{"not-a-day", 400}}) {
    auto r = alice_.Post("/api/game/streak/freeze", json::object{{"date", tc.date}});
    EXPECT_EQ(r.status, tc.status) << tc.date << " " << r.body;
  }
  // Two a month: a third is refused.
  SetNow("2026-11-12", 9);
  ASSERT_EQ(alice_.Post("/api/game/streak/freeze", json::object{{"date", "2026-11-10"}}).status, 200);
  auto third = alice_.Post("/api/game/streak/freeze", json::object{{"date", "2026-11-11"}});
  EXPECT_EQ(third.status, 409) << third.body;
}

TEST_F(GameTest, RewardsAreRedeemedOnceNeverBelowZeroAndRefundedWhenRejected) {
  Call(alice_, "application_taken");  // 38 points
  EXPECT_EQ(alice_.Post("/api/game/rewards", json::object{{"name", "Coffee"}, {"cost", 10}, {"stock", 2}}).status, 403);
  auto coffee = ada_.Post("/api/game/rewards", json::object{{"name", "Coffee card"}, {"cost", 15}, {"stock", 2},
                                                           {"description", "$10 at the corner cafe"}});
  ASSERT_EQ(coffee.status, 201) << coffee.body;
  const auto id = coffee.json.at("id").as_int64();
  for (const char* bad : {R"({"name":"","cost":1,"stock":1})", R"({"name":"x","cost":0,"stock":1})",
                          R"({"name":"x","cost":1,"stock":-1})", R"({"name":"x","cost":1})", R"({"name":"x","cost":1,"stock":1,"color":"red"})"})
    EXPECT_EQ(ada_.Send("POST", "/api/game/rewards", bad).status, 400) << bad;
  const std::string redeem = fmt::format("/api/game/rewards/{}/redeem", id);
  EXPECT_EQ(alice_.Post(redeem, json::object{}).ErrorField(), "request_id");

  auto first = alice_.Post(redeem, json::object{{"request_id", "click-1"}});
  ASSERT_EQ(first.status, 201) << first.body;
  auto again = alice_.Post(redeem, json::object{{"request_id", "click-1"}});  // the double click
  EXPECT_EQ(again.status, 200);
  EXPECT_EQ(again.json.at("id"), first.json.at("id"));
  EXPECT_EQ(Points(alice_), 38 - 15);
  auto second = alice_.Post(redeem, json::object{{"request_id", "click-2"}});
  ASSERT_EQ(second.status, 201);
  auto broke = alice_.Post(redeem, json::object{{"request_id", "click-3"}});
  EXPECT_EQ(broke.status, 409);
  EXPECT_EQ(broke.ErrorField(), "stock") << "two in stock";
  EXPECT_EQ(Points(alice_), 8);

  // The manager approves one and rejects the other: its points and unit return.
  EXPECT_EQ(alice_.Post(fmt::format("/api/game/redemptions/{}/approve", first.json.at("id").as_int64()), json::object{}).status,
            404) << "no one approves their own";
  auto asked = mia_.Get("/api/notifications");
  ASSERT_EQ(asked.json.at("items").as_array().size(), 2u) << "the manager is told of each redemption";
  EXPECT_EQ(asked.json.at("items").as_array()[0].at("kind"), json::value("reward_request"));
  EXPECT_EQ(asked.json.at("items").as_array()[0].at("title"), json::value("alice redeemed Coffee card"));
  EXPECT_TRUE(ada_.Get("/api/notifications").json.at("items").as_array().empty()) << "the team has a manager";
  auto pending = mia_.Get("/api/game/redemptions?to_decide=true");
  ASSERT_EQ(pending.json.at("items").as_array().size(), 2u) << pending.body;
  auto ok = mia_.Post(fmt::format("/api/game/redemptions/{}/approve", first.json.at("id").as_int64()), json::object{});
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(ok.json.at("status"), json::value("approved"));
  auto no = mia_.Post(fmt::format("/api/game/redemptions/{}/reject", second.json.at("id").as_int64()),
                      json::object{{"note", "Out of cards this month"}});
  ASSERT_EQ(no.status, 200) << no.body;
  EXPECT_EQ(Points(alice_), 23);
  EXPECT_EQ(mia_.Post(fmt::format("/api/game/redemptions/{}/reject", first.json.at("id").as_int64()), json::object{}).status,
            409) << "decided once";
  auto list = ada_.Get("/api/game/rewards");
  EXPECT_EQ(list.json.at("items").as_array()[0].at("stock"), json::value(1));
  EXPECT_TRUE(ada_.Get("/api/game/audit").json.at("mismatches").as_array().empty());
  auto told = alice_.Get("/api/notifications");
  int rewards = 0;
  for (const auto& n : told.json.at("items").as_array()) rewards += n.at("kind") == json::value("reward");
  EXPECT_EQ(rewards, 2) << "each decision is told to the officer";
  EXPECT_EQ(told.json.at("items").as_array()[0].at("body"),
            json::value("Your 15 points are back in your balance. Out of cards this month"));
  EXPECT_EQ(alice_.Get("/api/game/redemptions").json.at("items").as_array().size(), 2u);
  EXPECT_EQ(alice_.Get("/api/game/redemptions?to_decide=true").status, 403);
}

TEST_F(GameTest, ConcurrentRedemptionsNeverOverspendAndOneRequestRedeemsOnce) {
  for (int i = 0; i < 2; ++i) Call(alice_, "application_taken");  // 76 points: three 25-point rewards
  auto prize = ada_.Post("/api/game/rewards", json::object{{"name", "Lunch"}, {"cost", 25}, {"stock", 100}});
  ASSERT_EQ(prize.status, 201);
  const std::string redeem = fmt::format("/api/game/rewards/{}/redeem", prize.json.at("id").as_int64());
  std::atomic<int> created{0}, refused{0}, repeats{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 12; ++t)
    threads.emplace_back([&, t] {
      Client c = ClientAs(server_, "alice@acme.test");
      // Even threads race with distinct requests; odd ones all send one.
      const std::string rid = t % 2 == 0 ? fmt::format("distinct-{}", t) : "same-click";
      auto r = c.Post(redeem, json::object{{"request_id", rid}});
      (r.status == 201 ? created : r.status == 409 ? refused : repeats)++;
    });
  for (auto& th : threads) th.join();
  EXPECT_EQ(created.load(), 3) << "76 points buy three";
  EXPECT_EQ(Points(alice_), 1);
  auto mine = alice_.Get("/api/game/redemptions");
  EXPECT_EQ(mine.json.at("items").as_array().size(), 3u);
  EXPECT_EQ(ada_.Get("/api/game/rewards").json.at("items").as_array()[0].at("stock"), json::value(97));
  EXPECT_TRUE(ada_.Get("/api/game/audit").json.at("mismatches").as_array().empty());
}

// The feed pages by position: kudos and badge unlocks sharing one
// millisecond (the test clock stands still) are each listed exactly once.
TEST_F(GameTest, FeedPagesSkipNothingWithinAMillisecond) {
  ASSERT_EQ(ada_.Send("PUT", "/api/game/settings", R"({"named_leaderboards":true})").status, 200);
  for (int i = 0; i < 5; ++i)
    ASSERT_EQ(mia_.Post("/api/kudos", json::object{{"to_user_id", alice_id_}, {"message", fmt::format("k{}", i)}}).status,
              201);
  Call(alice_, "application_taken");  // her first application: a badge, at the same millisecond
  std::vector<std::string> seen;
  std::string before;
  for (int page = 0; page < 10; ++page) {
    auto r = alice_.Get("/api/feed?limit=2" + (before.empty() ? std::string() : "&before=" + before));
    ASSERT_EQ(r.status, 200) << r.body;
    for (const auto& i : r.json.at("items").as_array())
      seen.push_back(i.at("kind") == json::value("kudos") ? std::string(i.at("message").as_string())
                                                          : std::string(i.at("badge").as_string()));
    if (r.json.at("next_before").is_null()) break;
    before = std::string(r.json.at("next_before").as_string());
  }
  ASSERT_GE(seen.size(), 6u);
  EXPECT_EQ(std::vector<std::string>(seen.begin(), seen.begin() + 5),
            (std::vector<std::string>{"k4", "k3", "k2", "k1", "k0"}));
  std::set<std::string> unique(seen.begin(), seen.end());
  EXPECT_EQ(unique.size(), seen.size()) << "nothing twice";
  // A time in ms still pages: everything strictly older.
  auto old = alice_.Get("/api/feed?before=1000");
  ASSERT_EQ(old.status, 200) << old.body;
  EXPECT_TRUE(old.json.at("items").as_array().empty());
}

TEST_F(GameTest, KudosFeedLeaderboardsAndCompetitions) {
  auto kudos = mia_.Post("/api/kudos", json::object{{"to_user_id", alice_id_}, {"message", "Great close on Ortiz!"}});
  ASSERT_EQ(kudos.status, 201) << kudos.body;
  EXPECT_EQ(alice_.Post("/api/kudos", json::object{{"to_user_id", alice_id_}, {"message", "me"}}).ErrorField(),
            "to_user_id");
  EXPECT_EQ(alice_.Post("/api/kudos", json::object{{"to_user_id", 99999}, {"message", "hi"}}).status, 404);
  auto inbox = alice_.Get("/api/notifications");
  EXPECT_EQ(inbox.json.at("items").as_array()[0].at("title"), json::value("Kudos from mia"));
  auto people = alice_.Get("/api/users");
  ASSERT_EQ(people.status, 200) << people.body;
  ASSERT_EQ(people.json.at("items").as_array().size(), 3u) << "the org's people, to pick whom to thank";
  EXPECT_EQ(people.json.at("items").as_array()[0].at("name"), json::value("ada"));
  EXPECT_EQ(people.json.at("items").as_array()[1].as_object().size(), 4u) << "names, roles and teams only";
  server_.AddUser("zed@other.test", "officer", "Other Bank");
  EXPECT_EQ(As("zed@other.test").Get("/api/users").json.at("items").as_array().size(), 1u);
  auto feed = alice_.Get("/api/feed");
  ASSERT_EQ(feed.json.at("items").as_array().size(), 1u) << feed.body;
  EXPECT_EQ(feed.json.at("items").as_array()[0].at("message"), json::value("Great close on Ortiz!"));
  EXPECT_TRUE(feed.json.at("next_before").is_null());
  EXPECT_EQ(alice_.Get("/api/feed?before=12.x.3").ErrorField(), "before");
  EXPECT_EQ(alice_.Get("/api/feed?before=-5").ErrorField(), "before");

  // Five officers on the team; points this week 38, 3, 1, 0, 0.
  std::vector<Client> team;
  for (const char* who : {"b", "c", "d", "e"}) {
    server_.AddUser(fmt::format("{}@acme.test", who), "officer", "Acme Lending", "East");
    team.push_back(As(fmt::format("{}@acme.test", who)));
  }
  Call(alice_, "application_taken");
  Call(team[0], "answered");
  Call(team[1], "no_answer");
  auto board = alice_.Get("/api/game/leaderboard?metric=points&period=week");
  ASSERT_EQ(board.status, 200) << board.body;
  EXPECT_EQ(board.json.at("named"), json::value(false));
  EXPECT_TRUE(board.json.at("items").as_array().empty()) << "no names unless the org opts in";
  EXPECT_EQ(board.json.at("you").at("band"), json::value("top_10"));
  EXPECT_EQ(board.json.at("you").at("value"), json::value(38));
  EXPECT_FALSE(board.json.at("you").as_object().contains("rank"));
  EXPECT_EQ(board.body.find("\"name\""), std::string::npos);
  EXPECT_EQ(alice_.Get("/api/game/leaderboard?metric=conversion_rate").json.at("status"), json::value("too_small"));
  EXPECT_EQ(alice_.Get("/api/game/leaderboard?metric=height").ErrorField(), "metric");
  EXPECT_EQ(alice_.Send("PUT", "/api/game/settings", R"({"named_leaderboards":true})").status, 403);
  ASSERT_EQ(ada_.Send("PUT", "/api/game/settings", R"({"named_leaderboards":true})").status, 200);
  auto named = team[2].Get("/api/game/leaderboard?metric=points&period=week");
  const auto& items = named.json.at("items").as_array();
  ASSERT_EQ(items.size(), 5u) << named.body;
  EXPECT_EQ(items[0].at("name"), json::value("alice"));
  EXPECT_EQ(items[3].at("rank"), json::value(4));
  EXPECT_EQ(items[4].at("rank"), json::value(4)) << "ties share a rank";

  // A team competition over this week: live standings, then winners once.
  EXPECT_EQ(alice_.Post("/api/game/competitions", json::object{{"name", "x"}}).status, 403);
  auto made = mia_.Post("/api/game/competitions",
                        json::object{{"name", "November calls"}, {"metric", "calls"}, {"kind", "individual"},
                                     {"starts_on", "2026-11-16"}, {"ends_on", "2026-11-22"},
                                     {"rules", "Every dial counts."}});
  ASSERT_EQ(made.status, 201) << made.body;
  EXPECT_EQ(made.json.at("status"), json::value("live"));
  EXPECT_EQ(made.json.at("standings").as_array()[0].at("value"), json::value(1));
  for (const char* bad : {R"({"name":"x","metric":"calls","kind":"solo","starts_on":"2026-11-16","ends_on":"2026-11-22"})",
                          R"({"name":"x","metric":"calls","kind":"team","starts_on":"2026-11-16","ends_on":"2026-11-15"})",
                          R"({"name":"x","metric":"vibes","kind":"team","starts_on":"2026-11-16","ends_on":"2026-11-22"})"})
    EXPECT_EQ(mia_.Send("POST", "/api/game/competitions", bad).status, 400) << bad;
  Call(team[1], "no_answer");
  Call(team[1], "no_answer");
  const auto id = made.json.at("id").as_int64();
  SetNow("2026-11-23", 9);
  auto done = alice_.Get(fmt::format("/api/game/competitions/{}", id));
  ASSERT_EQ(done.status, 200) << done.body;
  EXPECT_EQ(done.json.at("status"), json::value("ended"));
  ASSERT_FALSE(done.json.at("winners").is_null()) << done.body;
  EXPECT_EQ(done.json.at("winners").as_array()[0].at("name"), json::value("c"));
  EXPECT_EQ(server_.api().social().FinalizeEnded().value(), 0) << "winners are recorded once";
  EXPECT_EQ(Kind(team[1], "competition").size(), 1u);
  EXPECT_EQ(alice_.Get("/api/game/competitions").json.at("items").as_array().size(), 1u);
}

}  // namespace
}  // namespace chosen::testing
