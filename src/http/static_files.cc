#include "http/static_files.h"

#include <cstdint>
#include <fstream>
#include <iterator>
#include <system_error>
#include <utility>

#include <fmt/format.h>

namespace chosen::http {
namespace {

constexpr std::string_view kContentSecurityPolicy =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self' data:; "
    "connect-src 'self'; manifest-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'";

// FNV-1a, 64 bits: an ETag only has to change when the bytes do.
std::uint64_t Fnv1a(std::string_view data) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : data) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  return h;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

std::string_view Extension(std::string_view name) {
  auto slash = name.rfind('/');
  if (slash != std::string_view::npos) name.remove_prefix(slash + 1);
  auto dot = name.rfind('.');
  if (dot == std::string_view::npos || dot == 0) return {};
  return name.substr(dot + 1);
}

// True when If-None-Match (a list of entity tags, or "*") matches `etag`.
// Weak comparison, as RFC 9110 asks for If-None-Match.
bool EtagMatches(std::string_view header, std::string_view etag) {
  auto trim = [](std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
  };
  while (!header.empty()) {
    auto comma = header.find(',');
    std::string_view tag = trim(header.substr(0, comma));
    if (tag == "*") return true;
    if (tag.starts_with("W/")) tag.remove_prefix(2);
    if (tag == etag) return true;
    if (comma == std::string_view::npos) break;
    header.remove_prefix(comma + 1);
  }
  return false;
}

// Checks a request path. Empty when fine, else why not.
std::string BadPath(const Request& request) {
  const std::string& path = request.path;
  if (path.empty() || path.front() != '/') return "the path must start with '/'";
  if (path.size() > 1024) return "the path is too long";
  for (unsigned char c : path)
    if (c < 0x20 || c == 0x7f || c == '\\') return "the path contains a control character or a backslash";
  // Encoded separators and NUL would decode into something else than the
  // client's own segments; no file name needs them.
  for (std::size_t i = 0; i + 2 < request.raw_path.size(); ++i) {
    if (request.raw_path[i] != '%') continue;
    std::string_view hex = std::string_view(request.raw_path).substr(i + 1, 2);
    if (EqualsIgnoreCase(hex, "2f") || EqualsIgnoreCase(hex, "5c") || hex == "00")
      return "the path contains an encoded '/', '\\' or NUL";
  }
  std::size_t i = 1;
  while (i <= path.size()) {
    std::size_t j = path.find('/', i);
    if (j == std::string::npos) j = path.size();
    std::string_view seg = std::string_view(path).substr(i, j - i);
    bool last = j == path.size();
    if ((seg.empty() && !last) || seg == "." || seg == "..") return "the path has an empty, '.' or '..' segment";
    i = j + 1;
  }
  return {};
}

bool IsApiPath(std::string_view path) { return path == "/api" || path.starts_with("/api/"); }

}  // namespace

std::string_view StaticFiles::ContentTypeFor(std::string_view name) {
  static constexpr std::pair<std::string_view, std::string_view> kTypes[] = {
      {"html", "text/html; charset=utf-8"},
      {"htm", "text/html; charset=utf-8"},
      {"js", "text/javascript; charset=utf-8"},
      {"mjs", "text/javascript; charset=utf-8"},
      {"css", "text/css; charset=utf-8"},
      {"json", "application/json"},
      {"map", "application/json"},
      {"webmanifest", "application/manifest+json"},
      {"txt", "text/plain; charset=utf-8"},
      {"xml", "application/xml"},
      {"svg", "image/svg+xml"},
      {"png", "image/png"},
      {"jpg", "image/jpeg"},
      {"jpeg", "image/jpeg"},
      {"gif", "image/gif"},
      {"webp", "image/webp"},
      {"avif", "image/avif"},
      {"ico", "image/x-icon"},
      {"woff", "font/woff"},
      {"woff2", "font/woff2"},
      {"ttf", "font/ttf"},
      {"otf", "font/otf"},
      {"wasm", "application/wasm"},
      {"pdf", "application/pdf"},
  };
  std::string_view ext = Extension(name);
  for (const auto& [e, type] : kTypes)
    if (EqualsIgnoreCase(e, ext)) return type;
  return "application/octet-stream";
}

Result<std::unique_ptr<StaticFiles>> StaticFiles::Load(const std::filesystem::path& root, StaticFilesOptions options) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(root, ec))
    return Error::Invalid(fmt::format("web root '{}' is not a directory", root.string()), "web_root");
  std::unique_ptr<StaticFiles> out(new StaticFiles());
  fs::recursive_directory_iterator it(root, fs::directory_options::none, ec), end;
  if (ec) return Error::Invalid(fmt::format("cannot read web root '{}': {}", root.string(), ec.message()), "web_root");
  for (; it != end; it.increment(ec)) {
    if (ec) return Error::Invalid(fmt::format("cannot read web root '{}': {}", root.string(), ec.message()), "web_root");
    const fs::directory_entry& entry = *it;
    // Links could point outside the folder; the build never makes any.
    if (entry.is_symlink(ec) || !entry.is_regular_file(ec)) continue;
    std::string rel = fs::relative(entry.path(), root, ec).generic_string();
    if (ec || rel.empty() || rel == ".." || rel.starts_with("../")) continue;
    if (out->files_.size() >= options.max_files)
      return Error::Invalid(fmt::format("web root '{}' has more than {} files", root.string(), options.max_files),
                            "web_root");
    auto size = entry.file_size(ec);
    if (ec) return Error::Internal(fmt::format("cannot stat {}: {}", entry.path().string(), ec.message()));
    if (size > options.max_file_bytes)
      return Error::Invalid(fmt::format("{} is larger than {} bytes", entry.path().string(), options.max_file_bytes),
                            "web_root");
    if (out->total_bytes_ + size > options.max_total_bytes)
      return Error::Invalid(
          fmt::format("web root '{}' holds more than {} bytes", root.string(), options.max_total_bytes), "web_root");
    std::ifstream in(entry.path(), std::ios::binary);
    if (!in) return Error::Internal(fmt::format("cannot open {}", entry.path().string()));
    File f;
    f.content.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    if (in.bad()) return Error::Internal(fmt::format("cannot read {}", entry.path().string()));
    f.content_type = std::string(ContentTypeFor(rel));
    f.etag = fmt::format("\"{:016x}-{:x}\"", Fnv1a(f.content), f.content.size());
    out->total_bytes_ += f.content.size();
    out->files_.emplace("/" + rel, std::move(f));
  }
  if (!out->files_.contains("/index.html"))
    return Error::Invalid(fmt::format("web root '{}' has no index.html (build the web app first)", root.string()),
                          "web_root");
  return out;
}

Response StaticFiles::FileResponse(const Request& request, const std::string& path, const File& file) const {
  Response r;
  r.content_type = file.content_type;
  r.headers.emplace_back("ETag", file.etag);
  if (path.starts_with("/assets/")) r.headers.emplace_back("Cache-Control", "public, max-age=31536000, immutable");
  else r.headers.emplace_back("Cache-Control", "no-cache");
  if (file.content_type.starts_with("text/html")) {
    r.headers.emplace_back("Content-Security-Policy", std::string(kContentSecurityPolicy));
    r.headers.emplace_back("X-Frame-Options", "DENY");
    r.headers.emplace_back("Referrer-Policy", "same-origin");
    r.headers.emplace_back("Cross-Origin-Opener-Policy", "same-origin");
    r.headers.emplace_back("Permissions-Policy", "camera=(), microphone=(), geolocation=()");
  }
  if (!request.if_none_match.empty() && EtagMatches(request.if_none_match, file.etag)) {
    r.status = 304;
    return r;
  }
  r.body = file.content;
  return r;
}

Response StaticFiles::Serve(const Request& request) const {
  if (IsApiPath(request.path))
    return ErrorResponse(Error::NotFound(fmt::format("no route for {} {}", request.method, request.path)));
  if (request.method != "GET" && request.method != "HEAD") {
    Response r = ErrorResponse(
        {ErrorCode::kMethodNotAllowed, fmt::format("{} is not allowed on {}", request.method, request.path), {}});
    r.headers.emplace_back("Allow", "GET, HEAD");
    return r;
  }
  if (std::string why = BadPath(request); !why.empty()) return ErrorResponse(Error::Invalid(why, "path"));
  std::string path = request.path;
  if (path.size() > 1 && path.back() == '/') path.pop_back();
  if (path == "/") path = "/index.html";
  if (auto it = files_.find(path); it != files_.end()) return FileResponse(request, path, it->second);
  // A missing file (it has an extension, or is under /assets/) is a 404: the
  // app's HTML in its place would only confuse the browser.
  if (path.starts_with("/assets/") || !Extension(path).empty())
    return ErrorResponse(Error::NotFound(fmt::format("no file {}", path)));
  // A client-side route: the app decides what to show.
  return FileResponse(request, "/index.html", files_.find("/index.html")->second);
}

Handler StaticFiles::AsHandler() const {
  return [this](const Request& request, const PathParams&) { return Serve(request); };
}

}  // namespace chosen::http
