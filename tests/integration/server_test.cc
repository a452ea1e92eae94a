// The HTTP server itself: graceful shutdown with a request in flight, idle
// connections closed on shutdown, keep-alive, limits.
#include "http/server.h"

#include <atomic>
#include <chrono>
#include <future>
#include <thread>

#include <gtest/gtest.h>

#include "integration/harness.h"

namespace chosen::testing {
namespace {

using namespace std::chrono_literals;

class ServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    router_.Add("GET", "/slow", [this](const http::Request&, const http::PathParams&) {
      started_ = true;
      std::this_thread::sleep_for(700ms);
      return http::JsonResponse(200, json::object{{"done", true}});
    });
    router_.Add("GET", "/fast", [](const http::Request&, const http::PathParams&) {
      return http::JsonResponse(200, json::object{{"ok", true}});
    });
    http::ServerOptions opt;
    opt.port = 0;
    opt.threads = 2;
    opt.body_limit = 1024;
    opt.read_timeout = 1s;
    opt.shutdown_grace = 5s;
    server_ = std::make_unique<http::Server>(opt, router_);
    port_ = server_->Start();
  }

  http::Router router_;
  std::unique_ptr<http::Server> server_;
  std::uint16_t port_ = 0;
  std::atomic<bool> started_{false};
};

TEST_F(ServerTest, StopLetsInFlightRequestsFinish) {
  auto pending = std::async(std::launch::async, [this] { return Client(port_).Get("/slow"); });
  while (!started_) std::this_thread::sleep_for(5ms);
  auto t0 = std::chrono::steady_clock::now();
  server_->Stop();
  auto r = pending.get();
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.json.at("done"), true);
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 4s) << "stop must not wait for the full grace period";
}

TEST_F(ServerTest, StopClosesIdleKeepAliveConnectionsPromptly) {
  // A connection that sends nothing holds no request: shutdown closes it.
  auto idle = std::async(std::launch::async, [this] { return RawExchange(port_, ""); });
  std::this_thread::sleep_for(100ms);
  auto t0 = std::chrono::steady_clock::now();
  server_->Stop();
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 2s);
  idle.get();
}

TEST_F(ServerTest, ServesSeveralRequestsOnOneConnection) {
  std::string two = "GET /fast HTTP/1.1\r\nHost: x\r\n\r\nGET /fast HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
  std::string out = RawExchange(port_, two);
  std::size_t first = out.find("HTTP/1.1 200");
  ASSERT_NE(first, std::string::npos) << out;
  EXPECT_NE(out.find("HTTP/1.1 200", first + 1), std::string::npos) << out;
}

TEST_F(ServerTest, BodyOverTheLimitGets413AndTheServerStaysUp) {
  std::string body(4096, 'x');
  std::string req = "POST /fast HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: " +
                    std::to_string(body.size()) + "\r\n\r\n" + body;
  std::string out = RawExchange(port_, req);
  EXPECT_NE(out.find("HTTP/1.1 413"), std::string::npos) << out;
  EXPECT_NE(out.find("PAYLOAD_TOO_LARGE"), std::string::npos) << out;
  EXPECT_EQ(Client(port_).Get("/fast").status, 200);
}

TEST_F(ServerTest, SlowClientsAreDisconnectedAfterTheReadTimeout) {
  auto t0 = std::chrono::steady_clock::now();
  std::string out = RawExchange(port_, "GET /fast HTTP/1.1\r\nHost: x\r\n");  // never finishes its headers
  auto waited = std::chrono::steady_clock::now() - t0;
  EXPECT_LT(waited, 4s);
  EXPECT_EQ(out.find("HTTP/1.1 200"), std::string::npos);
  EXPECT_EQ(Client(port_).Get("/fast").status, 200);
}

TEST(ServerLimitsTest, ConnectionsBeyondTheLimitGet503) {
  http::Router router;
  router.Add("GET", "/fast", [](const http::Request&, const http::PathParams&) {
    return http::JsonResponse(200, json::object{{"ok", true}});
  });
  http::ServerOptions opt;
  opt.port = 0;
  opt.max_connections = 2;
  opt.read_timeout = 3s;
  http::Server server(opt, router);
  std::uint16_t port = server.Start();
  // Two silent connections hold both slots until their read timeout.
  auto a = std::async(std::launch::async, [port] { return RawExchange(port, ""); });
  auto b = std::async(std::launch::async, [port] { return RawExchange(port, ""); });
  std::this_thread::sleep_for(300ms);
  std::string refused = RawExchange(port, "GET /fast HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_NE(refused.find("HTTP/1.1 503"), std::string::npos) << refused;
  a.get();
  b.get();
  EXPECT_EQ(Client(port).Get("/fast").status, 200) << "slots free up again";
  server.Stop();
}

}  // namespace
}  // namespace chosen::testing
