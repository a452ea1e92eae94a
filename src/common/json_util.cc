#include "common/json_util.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

namespace chosen {

Result<json::value> ParseJson(std::string_view body) {
  json::parse_options opt;
  opt.max_depth = 32;
  boost::system::error_code ec;
  json::value v = json::parse(body, ec, {}, opt);
  if (ec) return Error::Invalid(fmt::format("malformed JSON: {}", ec.message()));
  return v;
}

Result<json::object> ParseJsonObject(std::string_view body) {
  auto v = ParseJson(body);
  if (!v) return v.error();
  if (!v->is_object()) return Error::Invalid("the request body must be a JSON object");
  return std::move(v->as_object());
}

bool IsCleanText(std::string_view s, bool multiline) {
  std::size_t i = 0;
  while (i < s.size()) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      if ((c < 0x20 && !(multiline && (c == '\n' || c == '\t' || c == '\r'))) || c == 0x7f) return false;
      ++i;
      continue;
    }
    int len = (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
    if (len == 0 || i + len > s.size()) return false;
    std::uint32_t cp = c & (0xFF >> (len + 1));
    for (int k = 1; k < len; ++k) {
      auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    // Reject overlong forms, surrogates, out-of-range code points and the C1
    // control characters (U+0080-U+009F).
    if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) || cp > 0x10FFFF ||
        (cp >= 0xD800 && cp <= 0xDFFF) || (cp >= 0x80 && cp <= 0x9F))
      return false;
    i += len;
  }
  return true;
}

std::size_t CharCount(std::string_view s) {
  // Every byte but a UTF-8 continuation byte (10xxxxxx) starts a character.
  return static_cast<std::size_t>(
      std::count_if(s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

std::string StringOr(const json::object& o, std::string_view key) {
  auto it = o.find(key);
  return it != o.end() && it->value().is_string() ? std::string(it->value().as_string()) : std::string();
}

std::string Trim(std::string_view s) {
  auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return std::string(s);
}

std::string ToLower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

Result<std::optional<std::string>> GetString(const json::object& o, std::string_view key, std::size_t max_len) {
  auto it = o.find(key);
  if (it == o.end() || it->value().is_null()) return std::optional<std::string>();
  if (!it->value().is_string())
    return Error::Invalid(fmt::format("{} must be a string", key), std::string(key));
  std::string s = Trim(it->value().as_string());
  if (CharCount(s) > max_len)
    return Error::Invalid(fmt::format("{} is longer than {} characters", key, max_len), std::string(key));
  if (!IsCleanText(s, false))
    return Error::Invalid(fmt::format("{} contains control characters or invalid UTF-8", key), std::string(key));
  return std::optional<std::string>(std::move(s));
}

Result<std::string> RequireString(const json::object& o, std::string_view key, std::size_t max_len) {
  auto v = GetString(o, key, max_len);
  if (!v) return v.error();
  if (!*v || (*v)->empty()) return Error::Invalid(fmt::format("{} is required", key), std::string(key));
  return std::move(**v);
}

Result<std::optional<std::int64_t>> GetInt(const json::object& o, std::string_view key, std::int64_t min,
                                           std::int64_t max) {
  auto it = o.find(key);
  if (it == o.end() || it->value().is_null()) return std::optional<std::int64_t>();
  const json::value& v = it->value();
  std::int64_t n = 0;
  if (v.is_int64()) {
    n = v.as_int64();
  } else if (v.is_uint64() && v.as_uint64() <= static_cast<std::uint64_t>(INT64_MAX)) {
    n = static_cast<std::int64_t>(v.as_uint64());
  } else if (v.is_double() && std::isfinite(v.as_double()) && std::floor(v.as_double()) == v.as_double() &&
             std::fabs(v.as_double()) < 9e15) {
    n = static_cast<std::int64_t>(v.as_double());
  } else {
    return Error::Invalid(fmt::format("{} must be a whole number", key), std::string(key));
  }
  if (n < min || n > max)
    return Error::Invalid(fmt::format("{} must be between {} and {}", key, min, max), std::string(key));
  return std::optional<std::int64_t>(n);
}

std::string ToJson(const json::value& v) { return json::serialize(v); }

void AppendJsonString(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  out.reserve(out.size() + s.size() + 2);
  out += '"';
  std::size_t run = 0;  // start of the bytes not yet copied
  for (std::size_t i = 0; i < s.size(); ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(s, run, i - run);
    run = i + 1;
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        out += "\\u00";
        out += kHex[c >> 4];
        out += kHex[c & 15];
    }
  }
  out.append(s, run, s.size() - run);
  out += '"';
}

}  // namespace chosen
