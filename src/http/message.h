// HTTP requests and responses as plain values, and the router that maps
// them to handlers. Nothing here depends on Beast, so handlers can be tested
// without sockets and most of the code base compiles without Asio.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/error.h"
#include "common/json_util.h"

namespace chosen::http {

class EventStream;  // http/event_stream.h

using QueryParams = std::vector<std::pair<std::string, std::string>>;

struct Request {
  std::string method;  // "GET", "POST", ...
  std::string path;    // percent-decoded, without the query
  std::string raw_path;  // as sent (still percent-encoded); empty when built in code
  QueryParams query;   // percent-decoded, in order
  std::string body;
  std::string content_type;
  std::string authorization;
  std::string cookie;
  std::string csrf_token;  // X-CSRF-Token
  std::string if_none_match;  // If-None-Match
  std::string remote_address;

  // The value of query parameter `key`, or empty.
  std::string_view Query(std::string_view key) const;
};

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  // When set, the response is a Server-Sent Events stream: the server
  // answers 200 with Content-Type text/event-stream (status, content_type and
  // body are ignored; `headers` are kept), then writes what is pushed to the
  // stream until it is closed, the client goes away or the server stops. The
  // session shares ownership for that time.
  std::shared_ptr<EventStream> stream;
};

// The HTTP status for an error code: one switch, no default.
int HttpStatus(ErrorCode code);

// {"error":{"code":"...","message":"...","field":"..."}} with its status.
Response ErrorResponse(const Error& error);

Response JsonResponse(int status, const json::value& body);

// Captured {name} path segments, in order.
using PathParams = std::vector<std::string>;
using Handler = std::function<Response(const Request&, const PathParams&)>;

struct RouteOptions {
  // The handler is a short write that may run whole inside a transaction
  // shared with other requests' (ServerOptions::shared_commit): no password
  // hashing, no large bodies, nothing that waits for another writer.
  bool shares_commit = false;
};

// Routes by method and path pattern ("/api/deals/{id}"). Add all routes
// before serving; Dispatch is then thread-safe.
class Router {
 public:
  // Adds a route. Among routes with the same method and pattern, the one
  // added first wins.
  void Add(std::string method, std::string_view pattern, Handler handler, RouteOptions options = {});

  // Whether the route `request` would be dispatched to was added with
  // shares_commit.
  bool SharesCommit(const Request& request) const;

  // Sets the handler for requests no pattern matches (instead of the JSON
  // 404), e.g. the web app's static files. It gets empty PathParams and
  // decides everything itself, including 404s of its own.
  void SetFallback(Handler handler) { fallback_ = std::move(handler); }

  // Runs the matching handler. Literal segments beat captures (the pattern
  // with the fewest captures wins). When no pattern matches: the fallback if
  // set, else 404; 405 (with an Allow header) when the path matches but the
  // method does not. A handler that throws yields a logged 500.
  Response Dispatch(const Request& request) const;

 private:
  struct Route {
    std::string method;
    std::vector<std::string> segments;  // "{}" marks a capture
    Handler handler;
    RouteOptions options;
  };
  // The route for `request`'s method and path (`segments`), or null; then
  // `allowed` (if given) lists the methods the path does allow.
  const Route* Match(const Request& request, const std::vector<std::string_view>& segments,
                     std::string* allowed) const;
  std::vector<Route> routes_;
  Handler fallback_;  // may be empty
};

}  // namespace chosen::http
