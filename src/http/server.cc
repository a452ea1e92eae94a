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

#include "http/event_stream.h"

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
  out.raw_path = std::string(url->encoded_path());
  for (auto p : url->params()) out.query.emplace_back(std::string(p.key), std::string(p.value));
  out.content_type = HeaderValue(in, "Content-Type");
  out.authorization = HeaderValue(in, "Authorization");
  out.cookie = HeaderValue(in, "Cookie");
  out.csrf_token = HeaderValue(in, "X-CSRF-Token");
  out.if_none_match = HeaderValue(in, "If-None-Match");
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
  // A 304 has no body; a Content-Length would have to be the 200's, so none.
  if (r.status == 304) res.erase(bhttp::field::content_length);
  return res;
}

constexpr std::string_view kKeepAlive = ": keep-alive\n\n";

// Lets an EventStream's waker reach the writing session from any thread.
// The timer lives in the session's coroutine frame; `live` turns false when
// the session ends or the server stops, after which a waker does nothing. So
// a publisher that outlives the session, or the whole server, never touches
// a dead timer or posts to a stopped io_context.
struct SseWake {
  SseWake(asio::any_io_executor s, asio::steady_timer* t) : strand(std::move(s)), timer(t) {}

  std::mutex mu;
  // All guarded by mu. Retire() resets `strand` too: a strand executor must
  // not outlive its io_context, and a publisher may hold the last reference
  // to this object after the server is gone.
  asio::any_io_executor strand;  // the session's strand
  asio::steady_timer* timer;     // the session's keep-alive timer
  bool live = true;

  // Called by the stream after Push/Close, from any thread and outside the
  // stream's lock: cancels the session's wait, on its strand.
  static void Wake(const std::weak_ptr<SseWake>& weak) {
    auto self = weak.lock();
    if (!self) return;
    std::lock_guard lock(self->mu);
    if (!self->live) return;
    // Posting never runs the handler inline, so holding mu here is safe; it
    // keeps Stop() from shutting the io_context down between the check and
    // the post.
    asio::post(self->strand, [self] {
      std::lock_guard inner(self->mu);
      if (self->live && self->timer) self->timer->cancel();
    });
  }

  // Makes later wakes do nothing. Call while the io_context is alive.
  void Retire() {
    std::lock_guard lock(mu);
    live = false;
    timer = nullptr;
    strand = asio::any_io_executor();
  }
};

// Ends an SSE session's ties to its stream however the coroutine ends,
// including when its frame is destroyed with the io_context: wakers go
// quiet and the stream closes, so publishers drop it.
struct SseSessionEnd {
  SseSessionEnd(std::shared_ptr<SseWake> w, std::shared_ptr<EventStream> e)
      : wake(std::move(w)), events(std::move(e)) {}
  std::shared_ptr<SseWake> wake;
  std::shared_ptr<EventStream> events;
  SseSessionEnd(const SseSessionEnd&) = delete;
  SseSessionEnd& operator=(const SseSessionEnd&) = delete;
  ~SseSessionEnd() {
    wake->Retire();
    events->SetWaker(nullptr);
    events->Close();
  }
};

}  // namespace

struct Server::Impl {
  // A live connection, tracked so shutdown can close idle ones and end
  // event streams.
  struct Conn {
    beast::tcp_stream* stream = nullptr;  // guarded by conns_mu
    std::atomic<bool> busy{false};        // a response is being produced or written
    std::shared_ptr<EventStream> events;  // guarded by conns_mu; set while streaming SSE
    std::shared_ptr<SseWake> wake;        // guarded by conns_mu; set with `events`
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
    Response sse;  // set when a handler answers with an event stream
    unsigned sse_version = 11;
    bool sse_head = false;
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
      if (res.stream) {
        // An event stream takes the connection over until it ends; leaving
        // the loop first frees the request's parser and buffers, which would
        // otherwise stay allocated for the stream's whole life.
        sse = std::move(res);
        sse_version = version;
        sse_head = head;
        break;
      }
      keep_alive = keep_alive && !stopping;
      auto out = ToBeast(res, version, keep_alive, head);
      stream.expires_after(options.read_timeout);
      auto [wec, wn] = co_await bhttp::async_write(stream, out, kTuple);
      conn->busy = false;
      if (wec || !keep_alive) break;
    }
    if (sse.stream) {
      buffer = beast::flat_buffer();
      co_await StreamEvents(stream, *conn, sse, sse_version, sse_head);
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

  // Serves a Server-Sent Events response: writes the header, then whatever
  // is pushed to r.stream, plus a keep-alive comment when idle. Ends when the
  // stream is closed (after flushing what it holds), when a write fails or
  // times out (the client is gone or not reading), or when the server stops
  // (Stop() closes the stream). The connection is not reused afterwards.
  awaitable<void> StreamEvents(beast::tcp_stream& stream, Conn& conn, const Response& r, unsigned version, bool head) {
    std::shared_ptr<EventStream> events = r.stream;
    asio::steady_timer timer(stream.get_executor());
    auto wake = std::make_shared<SseWake>(stream.get_executor(), &timer);
    SseSessionEnd end(wake, events);
    events->SetWaker([weak = std::weak_ptr<SseWake>(wake)] { SseWake::Wake(weak); });
    {
      std::lock_guard lock(conns_mu);
      conn.events = events;
      conn.wake = wake;
    }
    // Stop() sets `stopping` before it looks for streams to close, so either
    // it sees this one or this sees `stopping`.
    if (stopping) events->Close();

    {
      // Scoped: the header's fields are freed once it is written.
      bhttp::response<bhttp::empty_body> res{bhttp::status::ok, version};
      res.set(bhttp::field::server, "ChosenCRM");
      res.set(bhttp::field::content_type, "text/event-stream");
      res.set(bhttp::field::cache_control, "no-store");
      res.set("X-Accel-Buffering", "no");  // nginx and friends must not buffer the stream
      res.set("X-Content-Type-Options", "nosniff");
      for (const auto& [k, v] : r.headers) res.insert(k, v);
      // No Content-Length and not chunked: the body runs until the connection
      // closes, which is how it ends.
      res.keep_alive(false);
      bhttp::response_serializer<bhttp::empty_body> sr{res};
      conn.busy = true;
      stream.expires_after(options.read_timeout);
      auto [hec, hn] = co_await bhttp::async_write_header(stream, sr, kTuple);
      if (hec || head) co_return;
    }

    // Watch the socket while writing: a client that leaves (FIN or RST) ends
    // the pending receive, which closes the stream, and the writer ends at
    // once, freeing the slot and the stream, rather than when a write fails
    // 15-30 s later. So does a client that sends anything (nothing is
    // expected on an event stream). A one-byte peek, not a bare wait_read: a
    // receive re-checks the socket, so a stale readiness event from the
    // request's own bytes cannot end a healthy stream. The byte belongs to
    // the handler; closing the socket when the session ends cancels it.
    auto byte = std::make_shared<char>();
    stream.socket().async_receive(
        asio::buffer(byte.get(), 1), tcp::socket::message_peek,
        [byte, weak = std::weak_ptr<EventStream>(events)](const boost::system::error_code& ec, std::size_t) {
          if (ec == asio::error::operation_aborted) return;  // the session ended first
          if (auto e = weak.lock()) e->Close();
        });

    const auto keepalive = std::max(options.sse_keepalive, std::chrono::seconds(1));
    for (;;) {
      // closed() before Drain(): once closed, nothing more can be queued, so
      // this drain gets the last frames.
      bool closed = events->closed();
      std::vector<std::string> frames = events->Drain();
      if (!frames.empty()) {
        std::vector<asio::const_buffer> buffers;
        buffers.reserve(frames.size());
        for (const auto& f : frames) buffers.push_back(asio::buffer(f));
        conn.busy = true;
        stream.expires_after(options.read_timeout);
        auto [wec, wn] = co_await asio::async_write(stream, buffers, kTuple);
        if (wec) co_return;
        continue;
      }
      if (closed || stopping) co_return;
      // Idle. No suspension between the Drain() above and this wait, and
      // wakers post onto this strand, so a Push after the drain cancels this
      // wait rather than being missed.
      conn.busy = false;
      stream.expires_never();
      timer.expires_after(keepalive);
      auto [tec] = co_await timer.async_wait(kTuple);
      if (tec) continue;  // woken: something was pushed, or the stream closed
      conn.busy = true;
      stream.expires_after(options.read_timeout);
      auto [kec, kn] = co_await asio::async_write(stream, asio::buffer(kKeepAlive), kTuple);
      if (kec) co_return;
    }
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
  // Event streams are closed: each session flushes what is queued and ends.
  auto deadline = std::chrono::steady_clock::now() + im.options.shutdown_grace;
  while (im.active > 0 && std::chrono::steady_clock::now() < deadline) {
    std::vector<std::shared_ptr<EventStream>> streams;
    {
      std::lock_guard lock(im.conns_mu);
      for (auto& c : im.conns) {
        if (c->events) streams.push_back(c->events);
        if (c->busy || !c->stream) continue;
        auto stream = c->stream;
        auto keep = c;
        asio::post(stream->get_executor(), [keep] {
          if (keep->stream && !keep->busy) keep->stream->socket().cancel();
        });
      }
    }
    // Outside conns_mu: Close() runs the session's waker.
    for (auto& s : streams) s->Close();
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  // Sessions still alive now are abandoned with the io_context: make their
  // wakers inert before it stops, so publishers never post to it again.
  std::vector<std::shared_ptr<EventStream>> abandoned;
  {
    std::lock_guard lock(im.conns_mu);
    for (auto& c : im.conns) {
      if (c->wake) c->wake->Retire();
      if (c->events) abandoned.push_back(c->events);
    }
  }
  for (auto& s : abandoned) s->Close();
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
