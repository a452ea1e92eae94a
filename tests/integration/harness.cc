#include "integration/harness.h"

#include <random>

#include <sys/socket.h>

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
  std::random_device rd;
  dir_ = std::filesystem::temp_directory_path() / ("chosen-test-" + std::to_string(rd()) + std::to_string(rd()));
  std::filesystem::create_directories(dir_);
  auto db = store::OpenDatabase("sqlite:" + (dir_ / "test.db").string(), 4);
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
  server_ = std::make_unique<http::Server>(opt, router_);
  port_ = server_->Start();
}

TestServer::~TestServer() {
  server_->Stop();
  server_.reset();
  api_.reset();
  db_.reset();
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
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

}  // namespace chosen::testing
