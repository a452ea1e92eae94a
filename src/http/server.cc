#include "http/server.h"

#include <atomic>
#include <csignal>
#include <list>
#include <mutex>
#include <thread>
#include <vector>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/url/parse.hpp>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

namespace chosen::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using asio::awaitable;
using asio::use_awaitable;
constexpr auto kTuple = asio::as_tuple(use_awaitable);

std::string HeaderValue(const bhttp::request<bhttp::string_body>& req, std::string_view name) {
  auto it = req.find(name);
  return it == req.end() ? std::string() : std::string(it->value());
}

// Converts a Beast request to our Request. Returns false for a target that
// is not a valid origin-form URL.
bool Convert(bhttp::request<bhttp::string_body>& in, const std::string& remote, Request& out, std::string& why) {
  auto url = boost::urls::parse_origin_form(in.target());
  if (!url) {
    why = "the request target is not a valid URL path";
    return false;
  }
  out.method = std::string(in.method_string());
  out.path = std::string(url->path());
  for (auto p : url->params()) out.query.emplace_back(std::string(p.key), std::string(p.value));
  out.content_type = HeaderValue(in, "Content-Type");
  out.authorization = HeaderValue(in, "Authorization");
  out.cookie = HeaderValue(in, "Cookie");
  out.csrf_token = HeaderValue(in, "X-CSRF-Token");
  out.remote_address = remote;
  out.body = std::move(in.body());
  return true;
}

bhttp::response<bhttp::string_body> ToBeast(const Response& r, unsigned version, bool keep_alive, bool head) {
  bhttp::response<bhttp::string_body> res{static_cast<bhttp::status>(r.status), version};
  res.set(bhttp::field::server, "ChosenCRM");
  res.set(bhttp::field::content_type, r.content_type);
  res.set("X-Content-Type-Options", "nosniff");
  if (r.content_type.starts_with("application/json")) res.set(bhttp::field::cache_control, "no-store");
  for (const auto& [k, v] : r.headers) res.insert(k, v);
  res.keep_alive(keep_alive);
  res.body() = head ? std::string() : r.body;
  res.prepare_payload();
  if (head) res.content_length(r.body.size());
  return res;
}

}  // namespace

struct Server::Impl {
  // A live connection, tracked so shutdown can close idle ones.
  struct Conn {
    beast::tcp_stream* stream = nullptr;
    std::atomic<bool> busy{false};
  };

  ServerOptions options;
  const Router& router;
  asio::io_context ioc;
  tcp::acceptor acceptor{ioc};
  std::vector<std::thread> threads;
  std::atomic<bool> stopping{false};
  std::atomic<bool> stopped{false};
  std::mutex conns_mu;
  std::list<std::shared_ptr<Conn>> conns;  // guarded by conns_mu
  std::atomic<int> active{0};

  Impl(ServerOptions o, const Router& r) : options(std::move(o)), router(r) {}

  awaitable<void> Accept() {
    for (;;) {
      auto [ec, socket] = co_await acceptor.async_accept(asio::make_strand(ioc), kTuple);
      if (ec) {
        if (stopping || ec == asio::error::operation_aborted) co_return;
        spdlog::warn("accept failed: {}", ec.message());
        continue;
      }
      if (active >= options.max_connections) {
        // Over the limit: answer 503 and close rather than queue unbounded work.
        asio::co_spawn(socket.get_executor(), Refuse(beast::tcp_stream(std::move(socket))), asio::detached);
        continue;
      }
      asio::co_spawn(socket.get_executor(), Session(beast::tcp_stream(std::move(socket))), asio::detached);
    }
  }

  awaitable<void> WriteError(beast::tcp_stream& stream, int status, ErrorCode code, std::string message) {
    Response r = ErrorResponse({code, std::move(message), {}});
    r.status = status;
    auto res = ToBeast(r, 11, false, false);
    stream.expires_after(std::chrono::seconds(5));
    co_await bhttp::async_write(stream, res, kTuple);
  }

  awaitable<void> Refuse(beast::tcp_stream stream) {
    co_await WriteError(stream, 503, ErrorCode::kUnavailable, "server is at its connection limit; retry shortly");
    beast::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
  }

  awaitable<void> Session(beast::tcp_stream stream) {
    auto conn = std::make_shared<Conn>();
    conn->stream = &stream;
    std::list<std::shared_ptr<Conn>>::iterator self;
    {
      std::lock_guard lock(conns_mu);
      self = conns.insert(conns.end(), conn);
    }
    ++active;
    std::string remote;
    {
      beast::error_code ec;
      auto ep = stream.socket().remote_endpoint(ec);
      if (!ec) remote = ep.address().to_string();
    }
    beast::flat_buffer buffer;
    while (!stopping) {
      bhttp::request_parser<bhttp::string_body> parser;
      parser.header_limit(static_cast<std::uint32_t>(options.header_limit));
      parser.body_limit(options.body_limit);
      stream.expires_after(options.read_timeout);
      auto [ec, n] = co_await bhttp::async_read(stream, buffer, parser, kTuple);
      if (ec) {
        if (ec == bhttp::error::body_limit) {
          co_await WriteError(stream, 413, ErrorCode::kPayloadTooLarge,
                              fmt::format("request body exceeds {} bytes", options.body_limit));
        } else if (ec == bhttp::error::header_limit) {
          co_await WriteError(stream, 431, ErrorCode::kInvalidArgument, "request headers are too large");
        } else if (ec.category() == bhttp::make_error_code(bhttp::error::bad_target).category() && ec != bhttp::error::end_of_stream &&
                   ec != bhttp::error::partial_message) {
          co_await WriteError(stream, 400, ErrorCode::kInvalidArgument, "malformed HTTP request: " + ec.message());
        }
        break;
      }
      conn->busy = true;
      auto& msg = parser.get();
      bool keep_alive = msg.keep_alive();
      bool head = msg.method() == bhttp::verb::head;
      unsigned version = msg.version();
      Request req;
      std::string why;
      Response res;
      if (Convert(msg, remote, req, why)) res = router.Dispatch(req);
      else res = ErrorResponse(Error::Invalid(why));
      keep_alive = keep_alive && !stopping;
      auto out = ToBeast(res, version, keep_alive, head);
      stream.expires_after(options.read_timeout);
      auto [wec, wn] = co_await bhttp::async_write(stream, out, kTuple);
      conn->busy = false;
      if (wec || !keep_alive) break;
    }
    beast::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream.close();
    {
      std::lock_guard lock(conns_mu);
      conn->stream = nullptr;
      conns.erase(self);
    }
    --active;
  }
};

Server::Server(ServerOptions options, const Router& router) : impl_(std::make_unique<Impl>(std::move(options), router)) {}

Server::~Server() { Stop(); }

std::uint16_t Server::Start() {
  auto& im = *impl_;
  tcp::endpoint ep{asio::ip::make_address(im.options.address), im.options.port};
  im.acceptor.open(ep.protocol());
  im.acceptor.set_option(asio::socket_base::reuse_address(true));
  im.acceptor.bind(ep);
  im.acceptor.listen(asio::socket_base::max_listen_connections);
  std::uint16_t port = im.acceptor.local_endpoint().port();
  asio::co_spawn(im.acceptor.get_executor(), im.Accept(), asio::detached);
  int n = std::max(1, im.options.threads);
  for (int i = 0; i < n; ++i) im.threads.emplace_back([&im] { im.ioc.run(); });
  return port;
}

void Server::Stop() {
  auto& im = *impl_;
  if (im.stopped.exchange(true)) return;
  im.stopping = true;
  asio::post(im.acceptor.get_executor(), [&im] {
    beast::error_code ec;
    im.acceptor.close(ec);
  });
  // Close idle connections now; busy ones finish their response and close.
  auto deadline = std::chrono::steady_clock::now() + im.options.shutdown_grace;
  while (im.active > 0 && std::chrono::steady_clock::now() < deadline) {
    {
      std::lock_guard lock(im.conns_mu);
      for (auto& c : im.conns) {
        if (c->busy || !c->stream) continue;
        auto stream = c->stream;
        auto keep = c;
        asio::post(stream->get_executor(), [keep] {
          if (keep->stream && !keep->busy) keep->stream->socket().cancel();
        });
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  im.ioc.stop();
  for (auto& t : im.threads)
    if (t.joinable()) t.join();
  im.threads.clear();
}

void Server::BlockSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

void Server::WaitForSignal() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  int sig = 0;
  sigwait(&set, &sig);
  spdlog::info("signal {} received; finishing in-flight requests", sig);
  Stop();
}

}  // namespace chosen::http
