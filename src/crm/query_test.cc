#include "crm/query.h"

#include <memory>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "store/db.h"

namespace chosen::crm {
namespace {

using Ids = std::vector<std::int64_t>;

const std::vector<SortKey>& Keys() {
  static const std::vector<SortKey> kKeys = {
      {"id", "id"},
      {"name", "name", /*text=*/true},
      {"score", "score", /*text=*/false, /*nullable=*/true, "9223372036854775807", "-9223372036854775808"},
  };
  return kKeys;
}

Result<ListQuery> Make(std::string_view sort, std::string_view cursor = "", std::string_view limit = "") {
  return ListQuery::Make(Keys(), sort, "id", cursor, limit);
}

TEST(ListQueryTest, AcceptsKnownSortKeysInEitherDirection) {
  for (const char* sort : {"", "id", "-id", "name", "-name", "score", "-score"}) {
    auto q = Make(sort);
    ASSERT_TRUE(q) << sort << ": " << q.error().message;
    EXPECT_EQ(q->limit(), kDefaultPageSize);
  }
  auto [sql, params] = Make("-name")->Build("SELECT id FROM items");
  EXPECT_EQ(sql, "SELECT id FROM items ORDER BY name DESC, id DESC LIMIT ?");
  ASSERT_EQ(params.size(), 1u);
  EXPECT_EQ(params[0], store::Value{std::int64_t{kDefaultPageSize + 1}});
}

TEST(ListQueryTest, RejectsUnknownSortKeys) {
  for (const char* sort : {"email", "-email", "--name", "Name", "name ", "-", "id;DROP TABLE items"}) {
    auto q = Make(sort);
    ASSERT_FALSE(q) << sort;
    EXPECT_EQ(q.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(q.error().field, "sort");
  }
  // The message lists what is allowed.
  EXPECT_NE(Make("email").error().message.find("id, name, score"), std::string::npos);
}

TEST(ListQueryTest, ValidatesTheLimit) {
  struct Case {
    const char* limit;
    int want;  // 0: rejected
  };
  const Case cases[] = {
      {"", kDefaultPageSize}, {"1", 1},     {"200", 200}, {"0", 0},     {"201", 0},  {"-1", 0},   {"abc", 0},
      {"10abc", 0},           {" 10", 0},   {"10 ", 0},   {"+10", 0},   {"1e2", 0},  {"2.5", 0},
      {"99999999999999999999", 0},
  };
  for (const auto& c : cases) {
    auto q = Make("id", "", c.limit);
    if (c.want == 0) {
      ASSERT_FALSE(q) << "'" << c.limit << "'";
      EXPECT_EQ(q.error().field, "limit");
    } else {
      ASSERT_TRUE(q) << "'" << c.limit << "'";
      EXPECT_EQ(q->limit(), c.want);
    }
  }
}

TEST(ListQueryTest, AcceptsItsOwnCursors) {
  auto q = Make("name", "", "2");
  ASSERT_TRUE(q);
  store::Rows rows = {
      {{std::int64_t{4}, std::string("Ann")}},
      {{std::int64_t{9}, std::string("Ann|Lee")}},
      {{std::int64_t{2}, std::string("Bob")}},
  };
  std::string cursor = q->TakePage(rows, 1, 0);
  ASSERT_FALSE(cursor.empty());
  ASSERT_EQ(rows.size(), 2u) << "the extra row is trimmed";
  auto next = Make("name", cursor, "2");
  ASSERT_TRUE(next) << next.error().message;
  auto [sql, params] = next->Build("SELECT id, name FROM items");
  EXPECT_EQ(sql, "SELECT id, name FROM items WHERE (name > ? OR (name = ? AND id > ?)) ORDER BY name ASC, id ASC "
                 "LIMIT ?");
  // A '|' inside the value survives the round trip.
  ASSERT_EQ(params.size(), 4u);
  EXPECT_EQ(params[0], store::Value{std::string("Ann|Lee")});
  EXPECT_EQ(params[1], store::Value{std::string("Ann|Lee")});
  EXPECT_EQ(params[2], store::Value{std::int64_t{9}});
  EXPECT_EQ(params[3], store::Value{std::int64_t{3}});
}

TEST(ListQueryTest, TakePageReturnsNoCursorOnTheLastPage) {
  auto q = Make("id", "", "2");
  ASSERT_TRUE(q);
  store::Rows rows = {{{std::int64_t{1}}}, {{std::int64_t{2}}}};
  EXPECT_EQ(q->TakePage(rows, 0, 0), "");
  EXPECT_EQ(rows.size(), 2u);
  store::Rows none;
  EXPECT_EQ(q->TakePage(none, 0, 0), "");
}

TEST(ListQueryTest, RejectsTamperedAndForeignCursors) {
  auto cursor = [](std::string_view raw) { return HexEncode(raw); };
  struct Case {
    const char* what;
    std::string sort;
    std::string cursor;
  };
  const Case cases[] = {
      {"not hex", "id", "zz"},
      {"odd length", "id", cursor("id|a|5|5").substr(1)},
      {"upper-case hex", "id", "69647C617C357C35"},
      {"other sort key", "name", cursor("id|a|5|5")},
      {"other direction", "-id", cursor("id|a|5|5")},
      {"missing parts", "id", cursor("id|a|5")},
      {"no separators", "id", cursor("garbage")},
      {"zero id", "id", cursor("id|a|0|5")},
      {"negative id", "id", cursor("id|a|-5|5")},
      {"non-numeric id", "id", cursor("id|a|x|5")},
      {"non-numeric value", "id", cursor("id|a|5|five")},
      {"empty numeric value", "score", cursor("score|a|5|")},
      {"value with junk", "id", cursor("id|a|5|5x")},
      {"too long", "name", cursor("name|a|5|" + std::string(2000, 'x'))},
  };
  for (const auto& c : cases) {
    auto q = Make(c.sort, c.cursor);
    ASSERT_FALSE(q) << c.what;
    EXPECT_EQ(q.error().code, ErrorCode::kInvalidArgument) << c.what;
    EXPECT_EQ(q.error().field, "cursor") << c.what;
  }
  EXPECT_TRUE(Make("id", cursor("id|a|5|5")));
  EXPECT_TRUE(Make("-name", cursor("name|d|5|")));
}

TEST(HexTest, RoundTripsAnyBytes) {
  std::string all;
  for (int c = 0; c < 256; ++c) all += static_cast<char>(c);
  for (const std::string& s : {std::string(), std::string("a"), std::string("name|a|1|x"), all}) {
    std::string hex = HexEncode(s);
    EXPECT_EQ(hex.size(), s.size() * 2);
    EXPECT_EQ(hex.find_first_not_of("0123456789abcdef"), std::string::npos);
    auto back = HexDecode(hex);
    ASSERT_TRUE(back);
    EXPECT_EQ(*back, s);
  }
  EXPECT_EQ(HexEncode("\x01\xAB"), "01ab");
  for (const char* bad : {"0", "abc", "0g", "zz", "AB", " 0", "0 "}) EXPECT_FALSE(HexDecode(bad)) << bad;
}

TEST(ParseIdTest, AcceptsOnlyPositiveIntegers) {
  EXPECT_EQ(ParseId("1", "id").value(), 1);
  EXPECT_EQ(ParseId("42", "id").value(), 42);
  EXPECT_EQ(ParseId("9223372036854775807", "id").value(), INT64_MAX);
  for (const char* bad : {"", "0", "-1", "+1", "abc", "1.5", " 1", "1 ", "1e3", "0x10", "9223372036854775808"}) {
    auto r = ParseId(bad, "contact_id");
    ASSERT_FALSE(r) << "'" << bad << "'";
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(r.error().field, "contact_id");
  }
}

TEST(ParseBoolTest, AcceptsTrueFalseOneZero) {
  EXPECT_TRUE(ParseBool("true", "b").value());
  EXPECT_TRUE(ParseBool("1", "b").value());
  EXPECT_FALSE(ParseBool("false", "b").value());
  EXPECT_FALSE(ParseBool("0", "b").value());
  for (const char* bad : {"", "TRUE", "yes", "no", "2", " true"}) {
    auto r = ParseBool(bad, "done");
    ASSERT_FALSE(r) << "'" << bad << "'";
    EXPECT_EQ(r.error().field, "done");
  }
}

TEST(PageTest, SerialisesItemsAndCursor) {
  Page last;
  last.Add(1);
  last.AddWith([](std::string& out) { out += R"({"a":"b"})"; });
  EXPECT_EQ(last.Body(), R"({"items":[1,{"a":"b"}],"next_cursor":null})");
  Page more;
  more.next_cursor = "abcd";
  EXPECT_EQ(more.Body(), R"({"items":[],"next_cursor":"abcd"})");
}

TEST(ReadScopeTest, BuildsTheClauseForEachRole) {
  auth::Actor officer{7, 3, 5, auth::Role::kOfficer, "UTC"};
  auth::Actor manager{8, 3, 5, auth::Role::kManager, "UTC"};
  auth::Actor lone_manager{9, 3, 0, auth::Role::kManager, "UTC"};
  auth::Actor admin{10, 3, 0, auth::Role::kAdmin, "UTC"};
  using Params = std::vector<store::Value>;
  auto [o_sql, o_params] = ReadScope(officer);
  EXPECT_EQ(o_sql, "org_id = ? AND owner_id = ?");
  EXPECT_EQ(o_params, (Params{std::int64_t{3}, std::int64_t{7}}));
  auto [m_sql, m_params] = ReadScope(manager, "c.owner_id", "c.org_id");
  EXPECT_EQ(m_sql, "c.org_id = ? AND c.owner_id IN (SELECT id FROM users WHERE team_id = ?)");
  EXPECT_EQ(m_params, (Params{std::int64_t{3}, std::int64_t{5}}));
  auto [l_sql, l_params] = ReadScope(lone_manager);
  EXPECT_EQ(l_sql, "org_id = ? AND owner_id = ?") << "a manager without a team sees only their own";
  EXPECT_EQ(l_params, (Params{std::int64_t{3}, std::int64_t{9}}));
  auto [a_sql, a_params] = ReadScope(admin);
  EXPECT_EQ(a_sql, "org_id = ?");
  EXPECT_EQ(a_params, (Params{std::int64_t{3}}));
}

// Runs the clauses against a real schema.
class QueryDbTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = store::OpenDatabase("sqlite::memory:");
    ASSERT_TRUE(db) << db.error().message;
    db_ = std::move(*db);
    ASSERT_TRUE(store::Migrate(*db_));
  }

  void Script(const std::string& sql) {
    auto st = db_->Write([&](store::Connection& c) { return c.ExecScript(sql); });
    ASSERT_TRUE(st) << st.error().message;
  }

  store::Rows Query(const std::string& sql, const std::vector<store::Value>& params) {
    store::Rows out;
    auto st = db_->Read([&](store::Connection& c) -> Status {
      auto rows = c.Query(sql, params);
      if (!rows) return rows.error();
      out = std::move(*rows);
      return {};
    });
    EXPECT_TRUE(st) << sql << ": " << st.error().message;
    return out;
  }

  std::unique_ptr<store::Database> db_;
};

TEST_F(QueryDbTest, ReadScopeRestrictsRowsByRole) {
  // Org 1: team 1 (users 1, 2 and manager 3), team 2 (user 4), admin 5 with
  // no team. Org 2: user 6 in team 3. Contact n is owned by user n.
  Script(R"(
INSERT INTO orgs (id, name, created_at) VALUES (1, 'Acme', 0), (2, 'Other', 0);
INSERT INTO teams (id, org_id, name, created_at) VALUES (1, 1, 'East', 0), (2, 1, 'West', 0), (3, 2, 'East', 0);
INSERT INTO users (id, org_id, team_id, email, name, role, password_hash, created_at, updated_at) VALUES
  (1, 1, 1, 'u1@x.test', 'U1', 'officer', 'h', 0, 0),
  (2, 1, 1, 'u2@x.test', 'U2', 'officer', 'h', 0, 0),
  (3, 1, 1, 'u3@x.test', 'U3', 'manager', 'h', 0, 0),
  (4, 1, 2, 'u4@x.test', 'U4', 'officer', 'h', 0, 0),
  (5, 1, NULL, 'u5@x.test', 'U5', 'admin', 'h', 0, 0),
  (6, 2, 3, 'u6@x.test', 'U6', 'officer', 'h', 0, 0);
INSERT INTO contacts (id, org_id, owner_id, name, status, created_at, updated_at) VALUES
  (1, 1, 1, 'C1', 'lead', 0, 0), (2, 1, 2, 'C2', 'lead', 0, 0), (3, 1, 3, 'C3', 'lead', 0, 0),
  (4, 1, 4, 'C4', 'lead', 0, 0), (5, 1, 5, 'C5', 'lead', 0, 0), (6, 2, 6, 'C6', 'lead', 0, 0);
)");
  struct Case {
    auth::Actor actor;
    Ids want;
  };
  const Case cases[] = {
      {{1, 1, 1, auth::Role::kOfficer, "UTC"}, {1}},
      {{3, 1, 1, auth::Role::kManager, "UTC"}, {1, 2, 3}},
      {{5, 1, 0, auth::Role::kAdmin, "UTC"}, {1, 2, 3, 4, 5}},
      {{6, 2, 3, auth::Role::kOfficer, "UTC"}, {6}},
      // A forged actor naming another org's team still sees nothing there.
      {{3, 1, 3, auth::Role::kManager, "UTC"}, {}},
  };
  for (const auto& c : cases) {
    auto [clause, params] = ReadScope(c.actor);
    Ids got;
    for (const auto& row : Query("SELECT id FROM contacts WHERE " + clause + " ORDER BY id", params))
      got.push_back(row.Int(0));
    EXPECT_EQ(got, c.want) << "user " << c.actor.user_id;
  }
}

TEST_F(QueryDbTest, CursorsWalkEveryRowExactlyOnce) {
  Script(R"(
CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL, score INTEGER);
INSERT INTO items (id, name, score) VALUES
  (1, 'Cara', 5), (2, 'Ann', NULL), (3, 'Ben', 5), (4, 'Ann', 1), (5, 'Dan', NULL),
  (6, 'Ann|x', 9), (7, 'Ben', -3), (8, 'Eve', 5), (9, 'Ann', NULL), (10, 'Ann', 0);
)");
  struct Case {
    const char* sort;
    const char* order_by;  // the same order written by hand
  };
  const Case cases[] = {
      {"id", "id"},
      {"-id", "id DESC"},
      {"name", "name, id"},
      {"-name", "name DESC, id DESC"},
      {"score", "score IS NULL, score, id"},
      {"-score", "score IS NULL, score DESC, id DESC"},
  };
  for (const auto& c : cases) {
    Ids want;
    for (const auto& row : Query(fmt::format("SELECT id FROM items ORDER BY {}", c.order_by), {}))
      want.push_back(row.Int(0));
    for (const char* limit : {"1", "3", "4", "200"}) {
      Ids got;
      std::string cursor;
      int pages = 0;
      do {
        auto q = Make(c.sort, cursor, limit);
        ASSERT_TRUE(q) << c.sort << " page " << pages << ": " << q.error().message;
        q->Where("id <> ?", {std::int64_t{999}});
        auto [sql, params] = q->Build("SELECT id, " + q->SortExpr() + " FROM items");
        auto rows = Query(sql, params);
        cursor = q->TakePage(rows, 1, 0);
        ASSERT_LE(static_cast<int>(rows.size()), q->limit());
        for (const auto& row : rows) got.push_back(row.Int(0));
        ASSERT_LT(++pages, 20) << "no progress";
      } while (!cursor.empty());
      EXPECT_EQ(got, want) << "sort " << c.sort << ", limit " << limit;
    }
  }
}

}  // namespace
}  // namespace chosen::crm
