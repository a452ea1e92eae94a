#include "http/message.h"

#include <cstdint>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

namespace chosen::http {
namespace {

std::vector<std::string_view> Split(std::string_view path) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < path.size()) {
    if (path[i] == '/') {
      ++i;
      continue;
    }
    std::size_t j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    out.push_back(path.substr(i, j - i));
    i = j;
  }
  return out;
}

}  // namespace

std::string_view Request::Query(std::string_view key) const {
  for (const auto& [k, v] : query)
    if (k == key) return v;
  return {};
}

int HttpStatus(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument: return 400;
    case ErrorCode::kUnauthenticated: return 401;
    case ErrorCode::kPermissionDenied: return 403;
    case ErrorCode::kNotFound: return 404;
    case ErrorCode::kMethodNotAllowed: return 405;
    case ErrorCode::kConflict: return 409;
    case ErrorCode::kPayloadTooLarge: return 413;
    case ErrorCode::kUnsupportedMediaType: return 415;
    case ErrorCode::kRateLimited: return 429;
    case ErrorCode::kUnavailable: return 503;
    case ErrorCode::kInternal: return 500;
  }
  return 500;
}

Response JsonResponse(int status, const json::value& body) {
  Response r;
  r.status = status;
  r.body = ToJson(body);
  return r;
}

Response ErrorResponse(const Error& error) {
  json::object e{{"code", ErrorCodeName(error.code)}, {"message", error.message}};
  if (!error.field.empty()) e["field"] = error.field;
  Response r = JsonResponse(HttpStatus(error.code), json::object{{"error", std::move(e)}});
  if (error.code == ErrorCode::kUnavailable) r.headers.emplace_back("Retry-After", "1");
  return r;
}

void Router::Add(std::string method, std::string_view pattern, Handler handler, RouteOptions options) {
  Route route{std::move(method), {}, std::move(handler), options};
  for (auto seg : Split(pattern))
    route.segments.push_back(seg.starts_with('{') ? std::string("{}") : std::string(seg));
  routes_.push_back(std::move(route));
}

const Router::Route* Router::Match(const Request& request, const std::vector<std::string_view>& segments,
                                   std::string* allowed) const {
  // Among the patterns that match the path, the most specific one (fewest
  // captures) decides: "/api/activities/bulk" beats "/api/activities/{id}".
  std::size_t best_captures = SIZE_MAX;
  std::vector<const Route*> candidates;
  for (const auto& route : routes_) {
    if (route.segments.size() != segments.size()) continue;
    std::size_t captures = 0;
    bool match = true;
    for (std::size_t i = 0; i < segments.size() && match; ++i) {
      if (route.segments[i] == "{}") ++captures;
      else match = route.segments[i] == segments[i];
    }
    if (!match || captures > best_captures) continue;
    if (captures < best_captures) candidates.clear();
    best_captures = captures;
    candidates.push_back(&route);
  }
  auto allow = [allowed](std::string_view method) {
    if (allowed && allowed->find(method) == std::string::npos)
      *allowed += fmt::format("{}{}", allowed->empty() ? "" : ", ", method);
  };
  for (const Route* route : candidates) {
    if (route->method == request.method || (route->method == "GET" && request.method == "HEAD")) return route;
    allow(route->method);
    if (route->method == "GET") allow("HEAD");  // GET routes also serve HEAD
  }
  return nullptr;
}

bool Router::SharesCommit(const Request& request) const {
  const Route* route = Match(request, Split(request.path), nullptr);
  return route && route->options.shares_commit;
}

Response Router::Dispatch(const Request& request) const {
  auto segments = Split(request.path);
  std::string allowed;
  const Route* best = Match(request, segments, &allowed);
  auto run = [&request](const Handler& handler, const PathParams& params) {
    try {
      return handler(request, params);
    } catch (const std::exception& e) {
      spdlog::error("{} {} failed: {}", request.method, request.path, e.what());
      return ErrorResponse(Error::Internal("internal error; it has been logged"));
    } catch (...) {
      spdlog::error("{} {} failed: a non-standard exception", request.method, request.path);
      return ErrorResponse(Error::Internal("internal error; it has been logged"));
    }
  };
  if (best) {
    PathParams params;
    for (std::size_t i = 0; i < segments.size(); ++i)
      if (best->segments[i] == "{}") params.emplace_back(segments[i]);
    return run(best->handler, params);
  }
  if (!allowed.empty()) {
    Response r = ErrorResponse(
        {ErrorCode::kMethodNotAllowed, fmt::format("{} is not allowed on {}", request.method, request.path), {}});
    r.headers.emplace_back("Allow", allowed);
    return r;
  }
  if (fallback_) return run(fallback_, {});
  return ErrorResponse(Error::NotFound(fmt::format("no route for {} {}", request.method, request.path)));
}

}  // namespace chosen::http
