// The exporter: an org's records in the import format, one read snapshot,
// streamed a page at a time.
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include <fmt/format.h>

#include "transfer/schema.h"
#include "transfer/transfer.h"

namespace chosen::transfer {
namespace {

constexpr std::int64_t kPage = 5000;

// The external ids of one kind: the imported ones, else "<kind>-<local id>"
// (with a suffix in the rare case an imported id already looks like that).
class ExternalIds {
 public:
  Status Load(store::Connection& c, std::int64_t org_id, Kind kind) {
    kind_ = kind;
    std::string after;
    for (;;) {
      auto rows = c.Query(
          "SELECT external_id, local_id FROM external_ids WHERE org_id = ? AND type = ? AND external_id > ? "
          "ORDER BY external_id LIMIT ?",
          {org_id, std::string(KindName(kind)), after, kPage});
      if (!rows) return rows.error();
      for (const auto& r : *rows) {
        const std::string& ext = *used_.insert(r.Str(0)).first;
        by_local_.try_emplace(r.Int(1), &ext);  // several ids for one record: the first in order
      }
      if (static_cast<std::int64_t>(rows->size()) < kPage) return {};
      after = rows->back().Str(0);
    }
  }

  std::string Of(std::int64_t local_id) {
    if (auto it = by_local_.find(local_id); it != by_local_.end()) return *it->second;
    std::string id = fmt::format("{}-{}", KindName(kind_), local_id);
    if (!used_.contains(id)) return id;
    for (int n = 2;; ++n) {
      std::string alt = fmt::format("{}-{}-{}", KindName(kind_), local_id, n);
      if (used_.contains(alt)) continue;
      const std::string& stored = *used_.insert(std::move(alt)).first;
      by_local_.emplace(local_id, &stored);
      return stored;
    }
  }

 private:
  Kind kind_ = Kind::kUser;
  std::unordered_set<std::string> used_;
  std::unordered_map<std::int64_t, const std::string*> by_local_;
};

class Exporter {
 public:
  Exporter(store::Connection& c, const Schema& schema, std::int64_t org_id, std::ostream& out)
      : c_(c), schema_(schema), org_id_(org_id), out_(out) {}

  Status Run() {
    for (Kind k : kAllKinds)
      if (auto st = ids_[Idx(k)].Load(c_, org_id_, k); !st) return st;
    for (Kind k : kAllKinds)
      if (auto st = Section(k); !st) return st;
    out_.flush();
    if (!out_) return Error::Internal("export: writing the output failed");
    return {};
  }

  const ExportStats& stats() const { return stats_; }

 private:
  static std::size_t Idx(Kind k) { return static_cast<std::size_t>(k); }

  // "SELECT id, <every column but org_id> FROM ...": column i of the layout
  // is then value i of each row.
  std::string Select(Kind kind) const {
    if (kind == Kind::kUser)
      return "SELECT u.id, COALESCE(t.name, ''), u.email, u.name, u.role, '', u.timezone, u.created_at, "
             "u.updated_at FROM users u LEFT JOIN teams t ON t.id = u.team_id";
    const Layout& l = schema_.Of(kind);
    std::string s = "SELECT id";
    for (std::size_t i = 1; i < l.columns.size(); ++i) s += fmt::format(", {}", l.columns[i]);
    return s + fmt::format(" FROM {}", l.table);
  }

  Status Section(Kind kind) {
    std::string prefix = kind == Kind::kUser ? "u." : "";
    // Pages in id order. The unary + keeps planners from taking an index
    // led by org_id (e.g. activities (org_id, occurred_at)) and sorting the
    // whole org for every page; the primary key gives the order for free.
    std::string sql = fmt::format("{} WHERE {}id > ? AND +{}org_id = ? ORDER BY {}id LIMIT ?", Select(kind), prefix,
                                  prefix, prefix);
    std::int64_t after = 0;
    for (;;) {
      auto rows = c_.Query(sql, {after, org_id_, kPage});
      if (!rows) return rows.error();
      for (const auto& r : *rows) {
        stream_pos_ = r.Int(0);
        if (kind == Kind::kContact) {
          if (early_.contains(stream_pos_)) continue;
          chain_.clear();
          if (auto st = Contact(r); !st) return st;
        } else {
          Write(kind, r);
        }
      }
      if (static_cast<std::int64_t>(rows->size()) < kPage) return {};
      after = rows->back().Int(0);
    }
  }

  // Writes a contact after its referrer, fetching the referrer first when it
  // comes later in id order.
  Status Contact(store::Row row) {
    std::int64_t id = row.Int(0);
    const std::size_t ref = static_cast<std::size_t>(schema_.Of(Kind::kContact).Column("referred_by"));
    chain_.insert(id);
    if (!row.IsNull(ref)) {
      std::int64_t r = row.Int(ref);
      bool written = r < stream_pos_ || early_.contains(r);
      if (!written && chain_.contains(r)) {
        row.values[ref] = store::Value{};  // a cycle of referrers
        ++stats_.dropped_references;
      } else if (!written) {
        auto rows = c_.Query(Select(Kind::kContact) + " WHERE id = ? AND org_id = ?", {r, org_id_});
        if (!rows) return rows.error();
        if (rows->empty()) row.values[ref] = store::Value{};
        else if (auto st = Contact(std::move(rows->front())); !st) return st;
      }
    }
    Write(Kind::kContact, row);
    if (id != stream_pos_) early_.insert(id);
    return {};
  }

  void Write(Kind kind, const store::Row& row) {
    const Layout& l = schema_.Of(kind);
    json::object o;
    o["type"] = KindName(kind);
    o["external_id"] = ids_[Idx(kind)].Of(row.Int(0));
    for (const Key& key : l.keys) {
      auto col = static_cast<std::size_t>(key.column);
      if (row.IsNull(col)) continue;
      if (key.ref) {
        o[key.name] = ids_[Idx(*key.ref)].Of(row.Int(col));
        continue;
      }
      json::value v = crm::ColumnToJson(key.field, row, col);
      if ((v.is_string() && v.as_string().empty()) || (v.is_array() && v.as_array().empty())) continue;
      o[key.name] = std::move(v);
    }
    out_ << json::serialize(o) << '\n';
    ++stats_.counts[Idx(kind)];
    ++stats_.lines;
  }

  store::Connection& c_;
  const Schema& schema_;
  const std::int64_t org_id_;
  std::ostream& out_;
  std::array<ExternalIds, kKindCount> ids_;
  ExportStats stats_;
  std::int64_t stream_pos_ = 0;              // id of the row the stream is at
  std::unordered_set<std::int64_t> early_;   // contacts written ahead of the stream
  std::unordered_set<std::int64_t> chain_;   // contacts being written (cycle guard)
};

}  // namespace

Result<ExportStats> Export(store::Database& db, std::string_view org, std::ostream& out) {
  Schema schema(db);
  ExportStats stats;
  auto st = db.Read([&](store::Connection& c) -> Status {
    auto rows = c.Query("SELECT id FROM orgs WHERE name = ?", {Trim(org)});
    if (!rows) return rows.error();
    if (rows->empty()) return Error::NotFound(fmt::format("no org named '{}'", Trim(org)));
    Exporter exporter(c, schema, rows->front().Int(0), out);
    if (auto s = exporter.Run(); !s) return s;
    stats = exporter.stats();
    return {};
  });
  if (!st) return st.error();
  return stats;
}

Result<MappedFile> MappedFile::Open(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Error::Invalid(fmt::format("cannot open {}: {}", path, std::strerror(errno)), "file");
  struct stat sb {};
  if (::fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
    ::close(fd);
    return Error::Invalid(fmt::format("{} is not a regular file", path), "file");
  }
  MappedFile f;
  f.size_ = static_cast<std::size_t>(sb.st_size);
  if (f.size_ > 0) {
    void* p = ::mmap(nullptr, f.size_, PROT_READ, MAP_PRIVATE, fd, 0);
    if (p == MAP_FAILED) {
      int err = errno;
      ::close(fd);
      return Error::Internal(fmt::format("cannot map {}: {}", path, std::strerror(err)));
    }
    ::madvise(p, f.size_, MADV_SEQUENTIAL);
    f.data_ = static_cast<const char*>(p);
  }
  ::close(fd);
  return f;
}

MappedFile::MappedFile(MappedFile&& other) noexcept
    : data_(std::exchange(other.data_, nullptr)), size_(std::exchange(other.size_, 0)) {}

MappedFile& MappedFile::operator=(MappedFile&& other) noexcept {
  if (this != &other) {
    if (data_) ::munmap(const_cast<char*>(data_), size_);
    data_ = std::exchange(other.data_, nullptr);
    size_ = std::exchange(other.size_, 0);
  }
  return *this;
}

MappedFile::~MappedFile() {
  if (data_) ::munmap(const_cast<char*>(data_), size_);
}

}  // namespace chosen::transfer
