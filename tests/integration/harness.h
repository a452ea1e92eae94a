// Integration-test harness: a real server (a real database, real HTTP on an
// ephemeral loopback port) and a small blocking HTTP client. The database is
// a fresh SQLite file, or a fresh PostgreSQL database when
// CHOSEN_TEST_POSTGRES_URL is set (scripts/with-postgres.sh).
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <ostream>
#include <string>

#include "api/api.h"
#include "common/clock.h"
#include "common/json_util.h"
#include "http/server.h"
#include "store/db.h"
#include "store/test_database.h"

namespace chosen::testing {

// 2026-11-20T15:00:00Z, a Friday: the fixed "now" of integration tests.
constexpr TimestampMs kTestNow = 1795186800000;

struct HttpResult {
  int status = 0;
  std::string body;
  std::map<std::string, std::string> headers;  // lower-case names
  json::value json;                            // null unless the body parsed

  // error.code / error.field of an error body, or "".
  std::string ErrorCode() const;
  std::string ErrorField() const;
};

class TestServer {
 public:
  // Creates the database (throws std::runtime_error if it cannot), migrates
  // it and starts the server.
  TestServer();
  // Stops the server and drops the database.
  ~TestServer();

  std::uint16_t port() const { return port_; }
  store::Database& db() { return *db_; }
  // The URL of the server's database, for opening it a second time (as
  // another server process would).
  const std::string& database_url() const { return database_->url(); }
  store::Dialect dialect() const { return database_->dialect(); }
  api::Api& api() { return *api_; }
  FakeClock& clock() { return clock_; }

  // Creates a user through the real accounts service; returns its id.
  std::int64_t AddUser(const std::string& email, const std::string& role, const std::string& org,
                       const std::string& team = "", const std::string& password = "password123");

 private:
  std::unique_ptr<store::TestDatabase> database_;
  FakeClock clock_{kTestNow};
  std::unique_ptr<store::Database> db_;
  std::unique_ptr<api::Api> api_;
  http::Router router_;
  std::unique_ptr<http::Server> server_;
  std::uint16_t port_ = 0;
};

// One logged-in browser-like client (cookie + CSRF) or an anonymous one.
class Client {
 public:
  explicit Client(std::uint16_t port) : port_(port) {}

  // Logs in; asserts success (ADD_FAILURE otherwise).
  void Login(const std::string& email, const std::string& password = "password123");
  // Uses a bearer token instead of the cookie.
  void UseBearer(const std::string& token) { bearer_ = token; }

  HttpResult Get(const std::string& target) { return Send("GET", target, ""); }
  HttpResult Post(const std::string& target, const json::value& body) { return Send("POST", target, ToJson(body)); }
  HttpResult Patch(const std::string& target, const json::value& body) {
    return Send("PATCH", target, ToJson(body));
  }
  HttpResult Put(const std::string& target, const json::value& body) { return Send("PUT", target, ToJson(body)); }
  HttpResult Delete(const std::string& target) { return Send("DELETE", target, ""); }

  // Sends a request with the session cookie, CSRF token and bearer token
  // this client holds, plus `extra` headers (which override).
  HttpResult Send(const std::string& method, const std::string& target, const std::string& body,
                  const std::map<std::string, std::string>& extra = {});

  const std::string& csrf() const { return csrf_; }
  const std::string& cookie() const { return cookie_; }

 private:
  std::uint16_t port_;
  std::string cookie_, csrf_, bearer_;
};

// Sends raw bytes on a fresh connection and returns whatever the server
// answers before closing (or within 5 s).
std::string RawExchange(std::uint16_t port, const std::string& bytes);

// Parses the first HTTP response in `raw` (e.g. from RawExchange); status 0
// if it holds no complete response.
HttpResult ParseResponse(const std::string& raw);

// A raw client for streaming responses (Server-Sent Events): connects to
// 127.0.0.1:port, sends "GET target HTTP/1.1" and then reads only when asked,
// with real timeouts. Not thread-safe.
class StreamClient {
 public:
  // Throws std::runtime_error if it cannot connect. A non-zero
  // `receive_buffer` shrinks the socket's receive buffer (SO_RCVBUF), so a
  // client that never reads stalls the server sooner.
  // `extra_headers` are added verbatim, each line ending in "\r\n".
  StreamClient(std::uint16_t port, const std::string& target, int receive_buffer = 0,
               const std::string& extra_headers = "");
  ~StreamClient();
  StreamClient(const StreamClient&) = delete;
  StreamClient& operator=(const StreamClient&) = delete;

  // Reads until `done(received())` holds, the server ends the connection,
  // or `timeout` passes; returns done's final value.
  bool ReadUntil(const std::function<bool(const std::string&)>& done, std::chrono::milliseconds timeout);
  // Reads until `needle` has been received (anywhere, from the start).
  bool ReadUntilContains(const std::string& needle, std::chrono::milliseconds timeout);
  // Reads until the server ends the connection; false on timeout.
  bool ReadUntilClosed(std::chrono::milliseconds timeout);

  // Everything received so far: the response header, then the body bytes.
  const std::string& received() const { return received_; }
  // The response header block (up to the blank line), or "" if incomplete.
  std::string header() const;
  // received() after the header block.
  std::string body() const;
  // True once the server closed (or reset) the connection.
  bool closed() const { return closed_; }
  // Closes the socket now, as a browser tab that goes away.
  void Disconnect();

 private:
  int fd_ = -1;
  std::string received_;
  bool closed_ = false;
};

// A client acting as `email` (a user of `server`) through a new API token;
// throws std::runtime_error if the token cannot be made.
Client ClientAs(TestServer& server, const std::string& email);

}  // namespace chosen::testing

// Readable GoogleTest failure messages for JSON values (found by ADL).
namespace boost::json {
inline void PrintTo(const value& v, std::ostream* os) { *os << serialize(v); }
inline void PrintTo(const object& o, std::ostream* os) { *os << serialize(o); }
inline void PrintTo(const array& a, std::ostream* os) { *os << serialize(a); }
}  // namespace boost::json
