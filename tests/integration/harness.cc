#include "integration/harness.h"

#include <cerrno>
#include <random>
#include <stdexcept>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <gtest/gtest.h>

#include "auth/accounts.h"

namespace chosen::testing {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;

std::string HttpResult::ErrorCode() const {
  if (!json.is_object() || !json.as_object().contains("error")) return "";
  return std::string(json.at("error").at("code").as_string());
}

std::string HttpResult::ErrorField() const {
  if (!json.is_object() || !json.as_object().contains("error")) return "";
  const auto& e = json.at("error").as_object();
  return e.contains("field") ? std::string(e.at("field").as_string()) : "";
}

TestServer::TestServer() {
  database_ = std::make_unique<store::TestDatabase>(store::TestPostgresUrl().empty() ? store::Dialect::kSqlite
                                                                                     : store::Dialect::kPostgres);
  auto db = store::OpenDatabase(database_->url(), 4);
  if (!db) throw std::runtime_error(db.error().message);
  db_ = std::move(*db);
  auto v = store::Migrate(*db_);
  if (!v) throw std::runtime_error(v.error().message);
  api_ = std::make_unique<api::Api>(*db_, clock_);
  api_->Register(router_);
  http::ServerOptions opt;
  opt.port = 0;
  opt.threads = 2;
  opt.body_limit = 8 * 1024 * 1024;
  opt.read_timeout = std::chrono::seconds(5);
  opt.shutdown_grace = std::chrono::seconds(3);
  opt.shared_commit = api_->SharedCommit();
  server_ = std::make_unique<http::Server>(opt, router_);
  port_ = server_->Start();
}

TestServer::~TestServer() {
  server_->Stop();
  server_.reset();
  api_.reset();
  db_.reset();
  database_.reset();
}

std::int64_t TestServer::AddUser(const std::string& email, const std::string& role, const std::string& org,
                                 const std::string& team, const std::string& password) {
  auth::NewUser u;
  u.email = email;
  u.name = email.substr(0, email.find('@'));
  u.password = password;
  auth::ParseRole(role, &u.role);
  u.org = org;
  u.team = team;
  u.timezone = "America/Chicago";
  auto r = api_->accounts().AddUser(u);
  if (!r) throw std::runtime_error(r.error().message);
  return r->id;
}

void Client::Login(const std::string& email, const std::string& password) {
  auto r = Post("/api/auth/login", json::object{{"email", email}, {"password", password}});
  ASSERT_EQ(r.status, 200) << r.body;
  csrf_ = std::string(r.json.at("csrf_token").as_string());
  std::string set_cookie = r.headers["set-cookie"];
  cookie_ = set_cookie.substr(0, set_cookie.find(';'));
}

namespace {

HttpResult ToResult(const bhttp::response<bhttp::string_body>& res) {
  HttpResult out;
  out.status = res.result_int();
  out.body = res.body();
  for (const auto& f : res) {
    std::string name(f.name_string());
    for (char& c : name) c = static_cast<char>(std::tolower(c));
    out.headers[name] = std::string(f.value());
  }
  if (!out.body.empty()) {
    auto parsed = ParseJson(out.body);
    if (parsed) out.json = std::move(*parsed);
  }
  return out;
}

}  // namespace

HttpResult Client::Send(const std::string& method, const std::string& target, const std::string& body,
                        const std::map<std::string, std::string>& extra) {
  asio::io_context ioc;
  beast::tcp_stream stream(ioc);
  stream.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port_));
  stream.expires_after(std::chrono::seconds(30));
  bhttp::request<bhttp::string_body> req{bhttp::string_to_verb(method), target, 11};
  req.set(bhttp::field::host, "127.0.0.1");
  if (!body.empty()) req.set(bhttp::field::content_type, "application/json");
  if (!cookie_.empty()) req.set(bhttp::field::cookie, cookie_);
  if (!csrf_.empty()) req.set("X-CSRF-Token", csrf_);
  if (!bearer_.empty()) req.set(bhttp::field::authorization, "Bearer " + bearer_);
  for (const auto& [k, v] : extra) req.set(k, v);
  req.body() = body;
  req.prepare_payload();
  bhttp::write(stream, req);
  beast::flat_buffer buffer;
  bhttp::response_parser<bhttp::string_body> parser;
  parser.body_limit(64 * 1024 * 1024);
  bhttp::read(stream, buffer, parser);
  HttpResult out = ToResult(parser.get());
  beast::error_code ec;
  stream.socket().shutdown(tcp::socket::shutdown_both, ec);
  return out;
}

std::string RawExchange(std::uint16_t port, const std::string& bytes) {
  asio::io_context ioc;
  beast::tcp_stream stream(ioc);
  stream.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
  // Blocking reads ignore expires_after; bound them with SO_RCVTIMEO.
  timeval tv{5, 0};
  setsockopt(stream.socket().native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  beast::error_code ec;
  asio::write(stream.socket(), asio::buffer(bytes), ec);
  std::string out;
  char buf[4096];
  for (;;) {
    std::size_t n = stream.socket().read_some(asio::buffer(buf), ec);
    if (ec) break;
    out.append(buf, n);
  }
  return out;
}

HttpResult ParseResponse(const std::string& raw) {
  bhttp::response_parser<bhttp::string_body> parser;
  parser.eager(true);
  parser.body_limit(64 * 1024 * 1024);
  std::size_t used = 0;
  while (!parser.is_done() && used < raw.size()) {
    beast::error_code ec;
    std::size_t n = parser.put(asio::buffer(raw.data() + used, raw.size() - used), ec);
    if (ec && ec != bhttp::error::need_more) return {};
    if (n == 0) break;
    used += n;
  }
  if (!parser.is_done()) return {};
  return ToResult(parser.get());
}

StreamClient::StreamClient(std::uint16_t port, const std::string& target, int receive_buffer,
                           const std::string& extra_headers) {
  fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd_ < 0) throw std::runtime_error("socket() failed");
  // Before connect(), so the advertised window is small from the start.
  if (receive_buffer > 0) setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &receive_buffer, sizeof receive_buffer);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd_, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd_);
    throw std::runtime_error("connect() failed");
  }
  std::string request =
      "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n" + extra_headers + "\r\n";
  std::size_t sent = 0;
  while (sent < request.size()) {
    ssize_t n = ::send(fd_, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) throw std::runtime_error("send() failed");
    sent += static_cast<std::size_t>(n);
  }
}

StreamClient::~StreamClient() { Disconnect(); }

void StreamClient::Disconnect() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

bool StreamClient::ReadUntil(const std::function<bool(const std::string&)>& done, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  char buf[16384];
  while (!done(received_)) {
    if (closed_ || fd_ < 0) return false;
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    pollfd p{fd_, POLLIN, 0};
    int r = ::poll(&p, 1, static_cast<int>(left.count()));
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return done(received_);
    ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
    if (n > 0) received_.append(buf, static_cast<std::size_t>(n));
    else if (n == 0 || (errno != EINTR && errno != EAGAIN)) closed_ = true;
  }
  return true;
}

bool StreamClient::ReadUntilContains(const std::string& needle, std::chrono::milliseconds timeout) {
  return ReadUntil([&needle](const std::string& s) { return s.find(needle) != std::string::npos; }, timeout);
}

bool StreamClient::ReadUntilClosed(std::chrono::milliseconds timeout) {
  ReadUntil([this](const std::string&) { return closed_; }, timeout);
  return closed_;
}

std::string StreamClient::header() const {
  std::size_t end = received_.find("\r\n\r\n");
  return end == std::string::npos ? std::string() : received_.substr(0, end + 4);
}

std::string StreamClient::body() const {
  std::size_t end = received_.find("\r\n\r\n");
  return end == std::string::npos ? std::string() : received_.substr(end + 4);
}

Client ClientAs(TestServer& server, const std::string& email) {
  auto token = server.api().accounts().CreateApiToken(email, "test");
  if (!token) throw std::runtime_error(token.error().message);
  Client c(server.port());
  c.UseBearer(*token);
  return c;
}

}  // namespace chosen::testing
