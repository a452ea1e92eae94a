// The web app's built files (web/dist), served from memory: read once at
// start-up, looked up by exact path at request time, so no request can reach
// the file system, let alone leave the folder.
#pragma once

#include <cstddef>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "common/error.h"
#include "http/message.h"

namespace chosen::http {

struct StaticFilesOptions {
  std::size_t max_files = 10000;
  std::size_t max_file_bytes = 32 * 1024 * 1024;
  std::size_t max_total_bytes = 128 * 1024 * 1024;
};

// Serves a single-page app's built folder.
//
// - GET and HEAD only (405 with Allow otherwise).
// - An exact file path answers the file with its Content-Type and an ETag;
//   a matching If-None-Match answers 304.
// - Files under /assets/ (content-hashed by the bundler) are cached for a
//   year as immutable; everything else is `no-cache` (revalidated by ETag).
// - Any other path that is not under /api and whose last segment has no dot
//   (a client-side route such as /contacts/12) answers index.html, so a
//   reloaded or bookmarked page works. /api/... and missing files answer the
//   JSON 404.
// - HTML carries the security headers (Content-Security-Policy without inline
//   scripts, X-Frame-Options DENY, Referrer-Policy, ...).
// - A path with "..", ".", empty or encoded-slash segments, a backslash or a
//   control character is a 400; it could never name a file anyway.
//
// Immutable after Load(); Serve is thread-safe.
class StaticFiles {
 public:
  // Reads every regular file under `root` (recursively; symbolic links and
  // other special files are skipped). Errors (kInvalidArgument): `root` is
  // not a directory, has no index.html, or exceeds a bound in `options`; or
  // a file cannot be read (kInternal).
  static Result<std::unique_ptr<StaticFiles>> Load(const std::filesystem::path& root,
                                                   StaticFilesOptions options = {});

  // Answers `request` as described above. Never throws for any input.
  Response Serve(const Request& request) const;

  // A Router handler that calls Serve; `this` must outlive the router.
  Handler AsHandler() const;

  std::size_t file_count() const { return files_.size(); }
  std::size_t total_bytes() const { return total_bytes_; }

  // The Content-Type for a file name, by extension (application/octet-stream
  // when unknown).
  static std::string_view ContentTypeFor(std::string_view name);

 private:
  struct File {
    std::string content;
    std::string content_type;
    std::string etag;  // quoted, strong
  };
  StaticFiles() = default;
  Response FileResponse(const Request& request, const std::string& path, const File& file) const;

  std::map<std::string, File, std::less<>> files_;  // "/index.html" → file
  std::size_t total_bytes_ = 0;
};

}  // namespace chosen::http
