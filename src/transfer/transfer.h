// Import and export of an org's history in the JSON-lines format of
// docs/import-format.md: users, contacts, deals, tasks and activities with
// their historical timestamps. Shared by `chosen import` / `chosen export`
// and POST /api/import. Thread-safe (stateless; all state is per call).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.h"
#include "common/error.h"
#include "common/json_util.h"
#include "store/db.h"

namespace chosen::transfer {

// The record types of the format, in the order a file usually lists them.
enum class Kind { kUser, kContact, kDeal, kTask, kActivity };
constexpr std::size_t kKindCount = 5;
constexpr std::array<Kind, kKindCount> kAllKinds = {Kind::kUser, Kind::kContact, Kind::kDeal, Kind::kTask,
                                                    Kind::kActivity};

// "user", "contact", "deal", "task", "activity".
std::string_view KindName(Kind kind);

constexpr std::size_t kMaxReportedErrors = 100;

struct ImportOptions {
  std::string org;        // the org to import into; created if missing
  bool partial = false;   // skip invalid lines (and report them) instead of writing nothing
  std::size_t max_errors = kMaxReportedErrors;  // errors listed in the report; all are counted
};

// One rejected line.
struct LineError {
  std::int64_t line = 0;  // 1-based line number in the input
  std::string field;      // the offending key, or "" when the whole line is bad
  std::string message;

  // "line 12: owner: no user with external_id 'u9'".
  std::string ToString() const;
};

struct KindCounts {
  std::int64_t imported = 0;         // written by this import
  std::int64_t already_present = 0;  // external id already imported (or, for a user, email already in the org)
  std::int64_t rejected = 0;         // invalid lines of this type
};

struct ImportReport {
  std::string org;
  bool partial = false;
  // True when the import's transaction committed. False when a line was
  // invalid without `partial`: then nothing was written and every `imported`
  // count is 0.
  bool committed = false;
  std::int64_t lines = 0;  // non-blank lines read
  std::array<KindCounts, kKindCount> counts{};
  std::int64_t rejected_lines = 0;  // every rejected line, including those of no known type
  std::int64_t events = 0;          // events derived from the imported records
  std::vector<LineError> errors;    // the first `max_errors` rejected lines, in order
  std::int64_t error_count = 0;     // all of them (== rejected_lines)
  double seconds = 0;

  const KindCounts& Of(Kind kind) const { return counts[static_cast<std::size_t>(kind)]; }
  json::object ToJson() const;
  // A human-readable summary, several lines, each ending in '\n'.
  std::string Summary() const;
};

// Imports `text` (JSON lines) into the org named `options.org` (created if
// missing) in one transaction. Every line is validated with the API's field
// rules; a line that references another record must come after it (or the
// record must have been imported before). Records whose external id was
// imported before are skipped. Without `partial`, one invalid line means
// nothing is written (the report lists the errors, `committed` is false);
// with it, invalid lines are skipped and the rest is written. Events are
// derived at the historical instants with metadata "imported": true and
// reach no observer, so the coach's action rules never fire on them. An
// import that writes drops the org's stored lead model and success patterns
// (they are learned again from the whole history on the next read or sweep).
// Returns an error only when the import cannot run at all (a bad org name,
// a database failure); invalid lines are in the report.
Result<ImportReport> Import(store::Database& db, const Clock& clock, std::string_view text,
                            const ImportOptions& options);

struct ExportStats {
  std::array<std::int64_t, kKindCount> counts{};
  std::int64_t lines = 0;
  // Contacts whose referred_by was left out because the referrers formed a
  // cycle (a file must name a record before referring to it).
  std::int64_t dropped_references = 0;
};

// Writes every user, contact, deal, task and activity of the org named
// `org` to `out` in the import format, users first, each type in id order
// (a contact's referrer before the contact). Records carry the external id
// they were imported with, or a generated stable one ("contact-42", the
// local id). One consistent snapshot. kNotFound if there is no such org.
Result<ExportStats> Export(store::Database& db, std::string_view org, std::ostream& out);

// A read-only view of a whole file (memory-mapped; empty files are fine).
class MappedFile {
 public:
  static Result<MappedFile> Open(const std::string& path);
  MappedFile(MappedFile&& other) noexcept;
  MappedFile& operator=(MappedFile&& other) noexcept;
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;
  ~MappedFile();

  std::string_view text() const { return {data_, size_}; }

 private:
  MappedFile() = default;
  const char* data_ = nullptr;
  std::size_t size_ = 0;
};

}  // namespace chosen::transfer
