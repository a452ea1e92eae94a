#include "api/handlers.h"

#include <algorithm>
#include <charconv>
#include <iterator>

#include <fmt/format.h>

#include "common/time_util.h"
#include "crm/query.h"

namespace chosen::api {

using http::Request;
using http::Response;

// Checks the content type and parses the body as JSON.
Result<json::value> JsonBody(const Request& req) {
  std::string ct = ToLower(req.content_type);
  if (!ct.starts_with("application/json"))
    return Error{ErrorCode::kUnsupportedMediaType,
                 fmt::format("Content-Type must be application/json, not '{}'", req.content_type), {}};
  if (req.body.empty()) return Error::Invalid("the request body is empty; send a JSON document");
  return ParseJson(req.body);
}

Result<json::object> JsonObjectBody(const Request& req) {
  auto v = JsonBody(req);
  if (!v) return v.error();
  if (!v->is_object()) return Error::Invalid("the request body must be a JSON object");
  return std::move(v->as_object());
}

Response Created(const json::object& o, const std::string& base) {
  Response r = http::JsonResponse(201, o);
  r.headers.emplace_back("Location", fmt::format("{}/{}", base, o.at("id").as_int64()));
  return r;
}

Response NoContent() {
  Response r;
  r.status = 204;
  return r;
}

// Parses an optional integer query parameter in [lo, hi].
Result<std::optional<int>> IntParam(const Request& req, std::string_view name, int lo, int hi) {
  std::string_view v = req.Query(name);
  if (v.empty()) return std::optional<int>();
  int n = 0;
  auto r = std::from_chars(v.data(), v.data() + v.size(), n);
  if (r.ec != std::errc() || r.ptr != v.data() + v.size() || n < lo || n > hi)
    return Error::Invalid(fmt::format("{} must be a whole number from {} to {}", name, lo, hi), std::string(name));
  return std::optional<int>(n);
}

// Rejects query parameters outside `allowed`.
Status OnlyParams(const Request& req, std::initializer_list<std::string_view> allowed) {
  for (const auto& [k, v] : req.query)
    if (std::find(allowed.begin(), allowed.end(), k) == allowed.end())
      return Error::Invalid(fmt::format("unknown query parameter '{}'", k), k);
  return {};
}

// A JSON body already serialised (list pages).
Response JsonText(std::string body) {
  Response r;
  r.body = std::move(body);
  return r;
}

std::string MemoKey(std::string_view route, std::int64_t user_id, const http::Request& req) {
  std::string key = fmt::format("{}|{}|", route, user_id);
  for (const auto& [k, v] : req.query) fmt::format_to(std::back_inserter(key), "{}:{}{}:{}", k.size(), k, v.size(), v);
  return key;
}

Response Success() { return http::JsonResponse(200, json::object{{"success", true}}); }


Result<std::int64_t> UserParam(const Request& req, std::int64_t caller) {
  if (auto v = req.Query("user_id"); !v.empty()) return crm::ParseId(v, "user_id");
  return caller;
}

}  // namespace chosen::api
