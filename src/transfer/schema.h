// How each record type of the import format maps onto the CRM: its keys (with
// the CRM's own field rules), table and columns. Built from the resources'
// field tables, so import validates exactly as the API does and export writes
// every column the API shows. Internal to the transfer library.
#pragma once

#include <array>
#include <optional>
#include <string_view>
#include <vector>

#include "crm/resource.h"
#include "store/db.h"
#include "transfer/transfer.h"

namespace chosen::transfer {

std::optional<Kind> ParseKind(std::string_view name);

// One key of a line.
struct Key {
  std::string_view name;     // as written in the file
  crm::Field field;          // the rules its value follows (field.name == name)
  int column = -1;           // index into Layout::columns
  std::optional<Kind> ref = std::nullopt;  // the value is the external id of a record of this kind
  bool required = false;
};

struct Layout {
  Kind kind = Kind::kUser;
  std::string_view table;
  // Inserted in this order. Index 0 is always org_id; 1 owner_id (users:
  // team_id, which the file gives by name).
  std::vector<std::string_view> columns;
  std::vector<Key> keys;  // in export order

  // The index of `column`; aborts if there is none (a programming error).
  int Column(std::string_view column) const;
  const Key* FindKey(std::string_view name) const;
};

// The five layouts.
class Schema {
 public:
  // `db` only serves to instantiate the resources whose field tables are
  // read; nothing is queried.
  explicit Schema(store::Database& db);

  const Layout& Of(Kind kind) const { return layouts_[static_cast<std::size_t>(kind)]; }

 private:
  std::array<Layout, kKindCount> layouts_;
};

}  // namespace chosen::transfer
