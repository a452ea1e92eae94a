// List requests: query parameters, keyset (cursor) pagination and access
// scope, shared by every list endpoint.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "auth/actor.h"
#include "common/error.h"
#include "common/json_util.h"
#include "store/db.h"

namespace chosen::crm {

using QueryParams = std::vector<std::pair<std::string, std::string>>;

constexpr int kDefaultPageSize = 50;
constexpr int kMaxPageSize = 200;

// A page of results, kept as JSON text: list endpoints write their rows
// straight into it rather than building a DOM. `next_cursor` is empty on the
// last page.
class Page {
 public:
  // Appends one item; `write` appends exactly one JSON value to its argument.
  template <class F>
  void AddWith(F&& write) {
    items_ += items_.empty() ? '[' : ',';
    write(items_);
  }
  void Add(const json::value& item);

  std::string next_cursor;

  // {"items":[...],"next_cursor":"..." or null}
  std::string Body() const;

 private:
  std::string items_;  // "[item,item" (no closing bracket) or empty
};

// A column a list can be sorted by. Nullable columns sort NULLs last in
// either direction via the two sentinels.
struct SortKey {
  std::string_view name = {};
  std::string_view column = {};
  bool text = false;
  bool nullable = false;
  std::string_view null_high = {};  // sentinel used when ascending
  std::string_view null_low = {};   // sentinel used when descending
};

// Builds "WHERE ... ORDER BY ... LIMIT ?" for keyset pagination.
class ListQuery {
 public:
  // `sort` is the request's sort parameter ("name", "-created_at"), or empty
  // for `default_sort`. kInvalidArgument for an unknown key.
  static Result<ListQuery> Make(const std::vector<SortKey>& keys, std::string_view sort,
                                std::string_view default_sort, std::string_view cursor, std::string_view limit);

  void Where(std::string clause, std::vector<store::Value> params = {});

  // Full SQL and its parameters given "SELECT ... FROM ..."; the query
  // fetches limit + 1 rows so TakePage can tell whether more follow.
  std::pair<std::string, std::vector<store::Value>> Build(std::string_view select_from) const;
  int limit() const { return limit_; }

  // The sort expression's index in the select list is `sort_column_index`;
  // the id column's is `id_index`. Trims the extra row and returns the
  // cursor for the next page (empty if none).
  std::string TakePage(store::Rows& rows, std::size_t sort_column_index, std::size_t id_index) const;

  // The select-list expression for the sort value (append it to SELECT).
  std::string SortExpr() const;

 private:
  const SortKey* key_ = nullptr;
  bool desc_ = false;
  int limit_ = kDefaultPageSize;
  std::vector<std::string> where_;
  std::vector<store::Value> params_;
  std::optional<std::pair<store::Value, std::int64_t>> after_;
};

// The WHERE clause restricting rows (with an `owner_column` and an org_id
// column) to those `actor` may read: own for officers, the team's for
// managers, the org's for admins.
std::pair<std::string, std::vector<store::Value>> ReadScope(const auth::Actor& actor,
                                                            std::string_view owner_column = "owner_id",
                                                            std::string_view org_column = "org_id");

// Parses a positive id from text; kInvalidArgument naming `field` otherwise.
Result<std::int64_t> ParseId(std::string_view text, std::string_view field);

// Parses "true"/"false"/"1"/"0".
Result<bool> ParseBool(std::string_view text, std::string_view field);

// Hex encoding for opaque cursors.
std::string HexEncode(std::string_view s);
std::optional<std::string> HexDecode(std::string_view s);

}  // namespace chosen::crm
