// The API's request and response helpers, shared by its route files.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include "common/error.h"
#include "common/json_util.h"
#include "http/message.h"

namespace chosen::api {

// For the short writes a user waits on (a CRM record, a coach check, a
// plan item, an insight or notification marked): each runs whole inside a
// transaction shared with the requests beside it (Api::SharedCommit).
inline constexpr http::RouteOptions kSharesCommit{.shares_commit = true};

// Checks the content type and parses the body as JSON.
Result<json::value> JsonBody(const http::Request& req);
Result<json::object> JsonObjectBody(const http::Request& req);

// 201 with `o` and a Location of base/id.
http::Response Created(const json::object& o, const std::string& base);
http::Response NoContent();

// Parses an optional integer query parameter in [lo, hi].
Result<std::optional<int>> IntParam(const http::Request& req, std::string_view name, int lo, int hi);

// Rejects query parameters outside `allowed`.
Status OnlyParams(const http::Request& req, std::initializer_list<std::string_view> allowed);

// Whose record a request reads: ?user_id= when given (the services check
// access and answer 404 naming user_id), else the caller's own.
Result<std::int64_t> UserParam(const http::Request& req, std::int64_t caller);

// A JSON body already serialised (list pages).
http::Response JsonText(std::string body);

// Names `route`'s answer for `user_id` with this request's query (length-
// prefixed, so no two queries share a key), for Api::Memoized.
std::string MemoKey(std::string_view route, std::int64_t user_id, const http::Request& req);

http::Response Success();

template <class T>
http::Response Or(const Result<T>& r, int status = 200) {
  if (!r) return http::ErrorResponse(r.error());
  return http::JsonResponse(status, *r);
}

}  // namespace chosen::api
