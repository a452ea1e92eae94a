// The HTTP server itself: graceful shutdown with a request in flight, idle
// connections closed on shutdown, keep-alive, limits, Server-Sent Events.
#include "http/server.h"

#include <atomic>
#include <cctype>
#include <chrono>
#include <condition_variable>
#include <future>
#include <mutex>
#include <thread>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "common/defer.h"
#include "http/event_stream.h"
#include "integration/harness.h"
#include "notify/hub.h"

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

// Requests that change data run on the write pool: with one I/O thread,
// several writes blocked at once (as on a group commit's fsync) neither
// serialise nor stop reads from being served.
TEST(ServerWritePoolTest, BlockedWritesLeaveTheIoThreadToReads) {
  http::Router router;
  std::atomic<int> inside{0};
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  router.Add("POST", "/write", [&](const http::Request&, const http::PathParams&) {
    ++inside;
    released.wait_for(10s);
    return http::JsonResponse(201, json::object{{"written", true}});
  });
  router.Add("GET", "/read", [&](const http::Request&, const http::PathParams&) {
    return http::JsonResponse(200, json::object{{"inside", inside.load()}});
  });
  http::ServerOptions opt;
  opt.port = 0;
  opt.threads = 1;
  opt.write_threads = 4;
  http::Server server(opt, router);
  const auto port = server.Start();
  std::vector<std::future<HttpResult>> writes;
  for (int i = 0; i < 3; ++i)
    writes.push_back(std::async(std::launch::async, [port] { return Client(port).Post("/write", json::object{}); }));
  const auto deadline = std::chrono::steady_clock::now() + 5s;
  while (inside < 3 && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(5ms);
  EXPECT_EQ(inside.load(), 3) << "the writes must run at the same time";
  auto read = Client(port).Get("/read");
  EXPECT_EQ(read.status, 200);
  EXPECT_EQ(read.json.at("inside"), 3);
  release.set_value();
  for (auto& w : writes) {
    auto r = w.get();
    EXPECT_EQ(r.status, 201);
    EXPECT_EQ(r.json.at("written"), true);
  }
  server.Stop();
}

// ServerOptions::shared_commit gets the writes whose route shares_commit
// (here: run on a thread of the test's, the first reported as a failed
// commit); other writes still run on the write pool; Stop waits for every
// request handed over.
TEST(ServerWritePoolTest, SharedCommitRoutesAreHandedOverAndAnsweredWithWhatItReports) {
  http::Router router;
  std::atomic<int> shared_ran{0};
  router.Add("POST", "/shared", [&](const http::Request& req, const http::PathParams&) {
    ++shared_ran;
    return http::JsonResponse(201, json::object{{"body", req.body}});
  }, {.shares_commit = true});
  router.Add("POST", "/pooled", [](const http::Request&, const http::PathParams&) {
    return http::JsonResponse(201, json::object{{"pooled", true}});
  });
  std::mutex mu;
  std::vector<std::thread> runners;
  std::atomic<int> handed{0};
  http::ServerOptions opt;
  opt.port = 0;
  opt.threads = 1;
  opt.shared_commit = [&](std::function<http::Response()> job, std::function<void(http::Response)> done) {
    const int n = ++handed;
    std::lock_guard lock(mu);
    runners.emplace_back([n, job = std::move(job), done = std::move(done)] {
      std::this_thread::sleep_for(20ms);
      http::Response r = job();
      if (n == 1) r = http::ErrorResponse({ErrorCode::kUnavailable, "commit failed", {}});
      done(std::move(r));
    });
  };
  http::Server server(opt, router);
  const auto port = server.Start();
  auto failed = Client(port).Post("/shared", json::object{{"n", 1}});
  EXPECT_EQ(failed.status, 503);
  EXPECT_EQ(failed.ErrorCode(), "UNAVAILABLE");
  auto ok = Client(port).Post("/shared", json::object{{"n", 2}});
  EXPECT_EQ(ok.status, 201);
  EXPECT_EQ(ok.json.at("body"), "{\"n\":2}");
  auto pooled = Client(port).Post("/pooled", json::object{});
  EXPECT_EQ(pooled.status, 201);
  EXPECT_EQ(handed.load(), 2) << "only the routes that share commits are handed over";
  // One still in flight when the server stops: Stop returns only once it
  // has been reported.
  auto late = std::async(std::launch::async, [port] { return Client(port).Post("/shared", json::object{{"n", 3}}); });
  while (handed.load() < 3) std::this_thread::sleep_for(1ms);
  server.Stop();
  EXPECT_EQ(shared_ran.load(), 3);
  late.wait();
  std::lock_guard lock(mu);
  for (auto& t : runners) t.join();
}

// Answers reported in one round (the SQLite writer's batch) wake the I/O
// thread once, when the round ends: none goes out before, all go out then.
TEST(ServerWritePoolTest, AnswersReportedInOneRoundGoOutWhenItEnds) {
  http::Router router;
  router.Add("POST", "/shared", [](const http::Request& req, const http::PathParams&) {
    return http::JsonResponse(201, json::object{{"body", req.body}});
  }, {.shares_commit = true});
  std::mutex mu;
  std::condition_variable cv;
  std::vector<std::pair<std::function<http::Response()>, std::function<void(http::Response)>>> handed;
  http::ServerOptions opt;
  opt.port = 0;
  opt.threads = 1;
  opt.shared_commit = [&](std::function<http::Response()> job, std::function<void(http::Response)> done) {
    std::lock_guard lock(mu);
    handed.emplace_back(std::move(job), std::move(done));
    cv.notify_all();
  };
  http::Server server(opt, router);
  const auto port = server.Start();
  std::vector<std::future<HttpResult>> answers;
  for (int n = 0; n < 3; ++n)
    answers.push_back(std::async(std::launch::async, [port, n] { return Client(port).Post("/shared", json::object{{"n", n}}); }));
  {
    std::unique_lock lock(mu);
    ASSERT_TRUE(cv.wait_for(lock, 10s, [&] { return handed.size() == 3; }));
  }
  {
    DeferScope round;
    for (auto& [job, done] : handed) done(job());
    for (auto& a : answers) EXPECT_EQ(a.wait_for(300ms), std::future_status::timeout) << "answered before the round ended";
  }
  for (int n = 0; n < 3; ++n) {
    ASSERT_EQ(answers[n].wait_for(10s), std::future_status::ready);
    auto r = answers[n].get();
    EXPECT_EQ(r.status, 201);
    EXPECT_EQ(r.json.at("body").as_string(), fmt::format("{{\"n\":{}}}", n));
  }
  server.Stop();
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

// An open event stream holds its connection slot until its client leaves.
TEST(ServerLimitsTest, OpenEventStreamsCountAgainstTheLimit) {
  http::Router router;
  std::vector<std::shared_ptr<http::EventStream>> kept;  // guarded by mu; the test holds every stream
  std::mutex mu;
  router.Add("GET", "/events", [&](const http::Request&, const http::PathParams&) {
    auto stream = std::make_shared<http::EventStream>();
    {
      std::lock_guard lock(mu);
      kept.push_back(stream);
    }
    http::Response r;
    r.stream = stream;
    return r;
  });
  router.Add("GET", "/fast", [](const http::Request&, const http::PathParams&) {
    return http::JsonResponse(200, json::object{{"ok", true}});
  });
  http::ServerOptions opt;
  opt.port = 0;
  opt.max_connections = 2;
  opt.read_timeout = 3s;
  http::Server server(opt, router);
  std::uint16_t port = server.Start();
  StreamClient a(port, "/events");
  ASSERT_TRUE(a.ReadUntilContains("\r\n\r\n", 2s)) << a.received();
  auto b = std::make_unique<StreamClient>(port, "/events");
  ASSERT_TRUE(b->ReadUntilContains("\r\n\r\n", 2s)) << b->received();
  std::string refused = RawExchange(port, "GET /fast HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_NE(refused.find("HTTP/1.1 503"), std::string::npos) << refused;
  b->Disconnect();
  int status = 0;
  auto deadline = std::chrono::steady_clock::now() + 2s;
  while (status != 200 && std::chrono::steady_clock::now() < deadline) {
    std::string out = RawExchange(port, "GET /fast HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    status = out.starts_with("HTTP/1.1 200") ? 200 : 0;
    if (status != 200) std::this_thread::sleep_for(20ms);
  }
  EXPECT_EQ(status, 200) << "the slot of the stream whose client left is free again";
  EXPECT_FALSE(a.closed());
  server.Stop();
}

// Server-Sent Events over real sockets. GET /events hands out a stream the
// test creates and keeps, so the test can push to it from its own threads.
class SseTest : public ::testing::Test {
 protected:
  void Start(std::chrono::seconds keepalive = 15s) {
    router_.Add("GET", "/events", [this](const http::Request&, const http::PathParams&) {
      auto stream = std::make_shared<http::EventStream>();
      {
        std::lock_guard lock(mu_);
        streams_.push_back(stream);
      }
      cv_.notify_all();
      http::Response r;
      r.stream = stream;
      r.headers.emplace_back("X-Test", "sse");
      return r;
    });
    router_.Add("GET", "/fast", [](const http::Request&, const http::PathParams&) {
      return http::JsonResponse(200, json::object{{"ok", true}});
    });
    // A stream of user 1 in org 1 from a real hub, which holds only weak
    // pointers (as GET /api/stream does); the test keeps weak ones too.
    router_.Add("GET", "/hub", [this](const http::Request&, const http::PathParams&) {
      auto stream = hub_.Subscribe(1, 1);
      if (!stream) return http::ErrorResponse(stream.error());
      {
        std::lock_guard lock(mu_);
        hub_streams_.push_back(*stream);
      }
      cv_.notify_all();
      http::Response r;
      r.stream = std::move(*stream);
      return r;
    });
    http::ServerOptions opt;
    opt.port = 0;
    opt.threads = 2;
    opt.read_timeout = 1s;  // also the write timeout
    opt.shutdown_grace = 5s;
    opt.sse_keepalive = keepalive;
    server_ = std::make_unique<http::Server>(opt, router_);
    port_ = server_->Start();
  }

  void TearDown() override {
    if (server_) server_->Stop();
  }

  // The stream of the n-th /events request (from 0), once it has arrived.
  std::shared_ptr<http::EventStream> StreamNo(std::size_t n) {
    std::unique_lock lock(mu_);
    cv_.wait_for(lock, 5s, [&] { return streams_.size() > n; });
    return streams_.size() > n ? streams_[n] : nullptr;
  }

  static std::string Lower(std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
  }

  static void ExpectStreamHeader(const StreamClient& client) {
    std::string head = Lower(client.header());
    EXPECT_TRUE(head.starts_with("http/1.1 200")) << head;
    EXPECT_NE(head.find("content-type: text/event-stream\r\n"), std::string::npos) << head;
    EXPECT_NE(head.find("cache-control: no-store\r\n"), std::string::npos) << head;
    EXPECT_NE(head.find("x-accel-buffering: no\r\n"), std::string::npos) << head;
    EXPECT_NE(head.find("x-test: sse\r\n"), std::string::npos) << "the handler's headers are kept\n" << head;
    EXPECT_EQ(head.find("content-length"), std::string::npos) << head;
    EXPECT_EQ(head.find("transfer-encoding"), std::string::npos) << head;
  }

  // The n-th /hub stream (from 0), once it has arrived; expired once the
  // server has let go of it.
  std::weak_ptr<http::EventStream> HubStreamNo(std::size_t n) {
    std::unique_lock lock(mu_);
    cv_.wait_for(lock, 5s, [&] { return hub_streams_.size() > n; });
    return hub_streams_.size() > n ? hub_streams_[n] : std::weak_ptr<http::EventStream>();
  }

  // Declared before the server, so the server (which holds the streams)
  // goes first.
  notify::Hub hub_;
  http::Router router_;
  std::unique_ptr<http::Server> server_;
  std::uint16_t port_ = 0;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::shared_ptr<http::EventStream>> streams_;     // guarded by mu_
  std::vector<std::weak_ptr<http::EventStream>> hub_streams_;  // guarded by mu_
};

TEST_F(SseTest, DeliversFramesPushedFromAnotherThreadWithinASecond) {
  Start();
  StreamClient client(port_, "/events");
  ASSERT_TRUE(client.ReadUntilContains("\r\n\r\n", 2s)) << client.received();
  ExpectStreamHeader(client);
  auto stream = StreamNo(0);
  ASSERT_TRUE(stream);
  std::this_thread::sleep_for(100ms);  // the session is now idle, waiting
  for (int i = 0; i < 3; ++i) {
    std::string frame = "event: deal.closed\ndata: {\"n\":" + std::to_string(i) + "}\n\n";
    auto t0 = std::chrono::steady_clock::now();
    std::thread([&] { EXPECT_TRUE(stream->Push("deal.closed", "{\"n\":" + std::to_string(i) + "}")); }).join();
    ASSERT_TRUE(client.ReadUntilContains(frame, 1s)) << client.body();
    EXPECT_LT(std::chrono::steady_clock::now() - t0, 1s);
  }
  ASSERT_TRUE(stream->Push("note", "line one\nline two"));
  EXPECT_TRUE(client.ReadUntilContains("event: note\ndata: line one\ndata: line two\n\n", 1s)) << client.body();
  EXPECT_FALSE(client.closed());
}

TEST_F(SseTest, AnIdleStreamOutlivesTheReadTimeout) {
  Start();
  StreamClient client(port_, "/events");
  ASSERT_TRUE(client.ReadUntilContains("\r\n\r\n", 2s));
  auto stream = StreamNo(0);
  ASSERT_TRUE(stream);
  std::this_thread::sleep_for(1500ms);  // longer than read_timeout (1 s)
  EXPECT_FALSE(stream->closed());
  ASSERT_TRUE(stream->Push("late", "still here"));
  EXPECT_TRUE(client.ReadUntilContains("event: late\ndata: still here\n\n", 1s)) << client.body();
}

TEST_F(SseTest, SendsKeepAliveCommentsWhenIdle) {
  Start(/*keepalive=*/1s);
  StreamClient client(port_, "/events");
  ASSERT_TRUE(client.ReadUntilContains("\r\n\r\n", 2s));
  auto t0 = std::chrono::steady_clock::now();
  ASSERT_TRUE(client.ReadUntilContains(": keep-alive\n\n", 3s)) << client.body();
  EXPECT_GE(std::chrono::steady_clock::now() - t0, 500ms) << "not before the interval";
  auto stream = StreamNo(0);
  ASSERT_TRUE(stream->Push("after", "keep-alive"));
  EXPECT_TRUE(client.ReadUntilContains("event: after\ndata: keep-alive\n\n", 1s)) << client.body();
}

// One timer serves every stream's keep-alives: each idle stream gets its
// own, again and again, and a stream written to in between still does.
TEST_F(SseTest, EveryIdleStreamGetsKeepAlivesFromTheSharedTimer) {
  Start(/*keepalive=*/1s);
  constexpr int kStreams = 12;
  std::vector<std::unique_ptr<StreamClient>> clients;
  for (int i = 0; i < kStreams; ++i) {
    clients.push_back(std::make_unique<StreamClient>(port_, "/events"));
    ASSERT_TRUE(clients.back()->ReadUntilContains("\r\n\r\n", 2s)) << clients.back()->received();
  }
  auto busy = StreamNo(kStreams - 1);
  ASSERT_TRUE(busy);
  auto two_keepalives = [](const std::string& got) {
    auto first = got.find(": keep-alive\n\n");
    return first != std::string::npos && got.find(": keep-alive\n\n", first + 1) != std::string::npos;
  };
  ASSERT_TRUE(busy->Push("work", "1"));
  for (auto& c : clients) EXPECT_TRUE(c->ReadUntil(two_keepalives, 5s)) << c->body();
  ASSERT_TRUE(busy->Push("work", "2"));
  EXPECT_TRUE(clients.back()->ReadUntilContains("event: work\ndata: 2\n\n", 1s)) << clients.back()->body();
  for (auto& c : clients) EXPECT_FALSE(c->closed());
}

// A tab that goes away leaves the hub at once (publishers stop seeing it)
// and the server lets go of its stream, while the user's other tabs still
// get every event.
TEST_F(SseTest, AClientThatLeavesLeavesTheHubAndFreesItsStream) {
  Start();
  std::vector<std::unique_ptr<StreamClient>> tabs;
  for (int i = 0; i < 3; ++i) {  // one at a time, so hub stream i is tab i's
    tabs.push_back(std::make_unique<StreamClient>(port_, "/hub"));
    ASSERT_TRUE(tabs.back()->ReadUntilContains("\r\n\r\n", 2s)) << tabs.back()->received();
    ASSERT_FALSE(HubStreamNo(static_cast<std::size_t>(i)).expired());
  }
  EXPECT_EQ(hub_.size(), 3u);
  auto gone = HubStreamNo(1);
  tabs[1]->Disconnect();
  auto deadline = std::chrono::steady_clock::now() + 2s;
  while ((hub_.size() != 2 || !gone.expired()) && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(10ms);
  EXPECT_EQ(hub_.size(), 2u);
  EXPECT_TRUE(gone.expired()) << "the server still holds the stream of a client that left";
  hub_.PublishToOrg(1, "announcement", json::object{{"text", "hello"}});
  for (int i : {0, 2})
    EXPECT_TRUE(tabs[static_cast<std::size_t>(i)]->ReadUntilContains("event: announcement\ndata: {\"text\":\"hello\"}\n\n", 1s))
        << tabs[static_cast<std::size_t>(i)]->body();
}

TEST_F(SseTest, ClosingTheStreamFlushesWhatIsQueuedAndEndsTheConnection) {
  Start();
  StreamClient client(port_, "/events");
  ASSERT_TRUE(client.ReadUntilContains("\r\n\r\n", 2s));
  auto stream = StreamNo(0);
  ASSERT_TRUE(stream->Push("e", "1"));
  ASSERT_TRUE(stream->Push("e", "2"));
  ASSERT_TRUE(stream->Push("e", "3"));
  stream->Close();
  ASSERT_TRUE(client.ReadUntilClosed(2s)) << client.body();
  EXPECT_EQ(client.body(), "event: e\ndata: 1\n\nevent: e\ndata: 2\n\nevent: e\ndata: 3\n\n");
}

TEST_F(SseTest, AClientThatLeavesClosesItsStream) {
  Start();
  auto client = std::make_unique<StreamClient>(port_, "/events");
  ASSERT_TRUE(client->ReadUntilContains("\r\n\r\n", 2s));
  auto stream = StreamNo(0);
  client->Disconnect();
  // The server watches the socket, so it notices without writing anything:
  // publishers see closed() and the connection slot is free at once (not at
  // the next keep-alive, 15-30 s later).
  auto deadline = std::chrono::steady_clock::now() + 5s;
  while (!stream->closed() && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(10ms);
  EXPECT_TRUE(stream->closed());
  EXPECT_FALSE(stream->Push("ping", "2"));
}

TEST_F(SseTest, StopEndsOpenStreamsPromptlyAfterFlushingThem) {
  Start();
  // One at a time, so stream 0 is surely a's and stream 1 b's.
  StreamClient a(port_, "/events");
  ASSERT_TRUE(a.ReadUntilContains("\r\n\r\n", 2s));
  StreamClient b(port_, "/events");
  ASSERT_TRUE(b.ReadUntilContains("\r\n\r\n", 2s));
  auto sa = StreamNo(0);
  auto sb = StreamNo(1);
  ASSERT_TRUE(sa && sb);
  ASSERT_TRUE(sa->Push("bye", "a"));
  auto t0 = std::chrono::steady_clock::now();
  server_->Stop();
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 2s) << "SSE clients must not hold shutdown for the grace period";
  EXPECT_TRUE(sa->closed());
  EXPECT_TRUE(sb->closed());
  EXPECT_FALSE(sb->Push("late", "x")) << "publishers see the stream gone";
  EXPECT_TRUE(a.ReadUntilClosed(2s));
  EXPECT_TRUE(b.ReadUntilClosed(2s));
  EXPECT_NE(a.body().find("event: bye\ndata: a\n\n"), std::string::npos) << a.body();
}

TEST_F(SseTest, AClientThatStopsReadingIsDroppedAndOthersAreStillServed) {
  Start();
  StreamClient stalled(port_, "/events", /*receive_buffer=*/4096);  // and never reads
  auto stream = StreamNo(0);
  ASSERT_TRUE(stream);
  const std::string payload(1024, 'x');
  int pushed = 0;
  bool refused = false;
  auto deadline = std::chrono::steady_clock::now() + 20s;
  while (!refused && std::chrono::steady_clock::now() < deadline) {
    // Bursts well below the queue bound, so only a stalled socket can trip it.
    for (int i = 0; i < 100 && !refused; ++i) {
      if (stream->Push("bulk", payload)) ++pushed;
      else refused = true;
    }
    std::this_thread::sleep_for(1ms);
  }
  RecordProperty("frames_pushed", pushed);
  ASSERT_TRUE(refused) << "after " << pushed << " frames, the stream should have been dropped";
  EXPECT_GE(pushed, 256);
  EXPECT_TRUE(stream->closed());

  EXPECT_EQ(Client(port_).Get("/fast").status, 200);
  StreamClient other(port_, "/events");
  ASSERT_TRUE(other.ReadUntilContains("\r\n\r\n", 2s));
  auto fresh = StreamNo(1);
  ASSERT_TRUE(fresh && fresh->Push("hello", "again"));
  EXPECT_TRUE(other.ReadUntilContains("event: hello\ndata: again\n\n", 1s)) << other.body();

  // The write timeout ends the stalled connection: once it reads, it finds
  // an end rather than a session that waits forever.
  EXPECT_TRUE(stalled.ReadUntilClosed(10s));
}

// A client that stops reading while a write is pending: the write times
// out after read_timeout (the shared timer's job, there is no timer per
// stream), so the server lets go of the connection and its stream even
// though the client never reads again.
TEST_F(SseTest, AWriteStalledPastTheReadTimeoutEndsTheConnection) {
  Start();
  StreamClient stalled(port_, "/hub", /*receive_buffer=*/4096);  // and never reads
  auto weak = HubStreamNo(0);
  {
    auto stream = weak.lock();
    ASSERT_TRUE(stream);
    const std::string payload(64 * 1024, 'x');
    // 12 MiB: more than the socket buffers take (the kernel grows the send
    // buffer up to 4 MiB by default), fewer frames than the queue holds, so
    // the session keeps a write pending that can never complete.
    for (int i = 0; i < 192; ++i) ASSERT_TRUE(stream->Push("bulk", payload)) << i;
  }
  auto t0 = std::chrono::steady_clock::now();
  auto deadline = t0 + 5s;
  while (!weak.expired() && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(20ms);
  EXPECT_TRUE(weak.expired()) << "the stalled connection still holds its stream";
  EXPECT_EQ(hub_.size(), 0u);
}

TEST_F(SseTest, HeadGetsTheStreamHeaderOnly) {
  Start();
  std::string out = RawExchange(port_, "HEAD /events HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_TRUE(out.starts_with("HTTP/1.1 200")) << out;
  EXPECT_NE(Lower(out).find("content-type: text/event-stream"), std::string::npos) << out;
  EXPECT_TRUE(out.ends_with("\r\n\r\n")) << "no body: " << out;
  auto stream = StreamNo(0);
  ASSERT_TRUE(stream);
  EXPECT_TRUE(stream->closed());
}

}  // namespace
}  // namespace chosen::testing
