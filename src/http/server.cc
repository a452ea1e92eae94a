#include "http/server.h"

#include <pthread.h>

#include <algorithm>
#include <atomic>
#include <csignal>
#include <cstdint>
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

#include "common/defer.h"
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

bool ChangesData(std::string_view method) { return method != "GET" && method != "HEAD" && method != "OPTIONS"; }

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

using SteadyClock = std::chrono::steady_clock;

// Nanoseconds on the steady clock, for the atomics the SSE ticker reads.
std::int64_t SteadyNow() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(SteadyClock::now().time_since_epoch()).count();
}

// Plain operator new at the exact size. Bound to a handler, it keeps Asio
// from using its per-thread recycling allocator (which reuses any cached
// block large enough) for that operation.
template <class T>
struct ExactAllocator {
  using value_type = T;
  ExactAllocator() = default;
  template <class U>
  ExactAllocator(const ExactAllocator<U>&) noexcept {}  // implicit: Asio rebinds it
  T* allocate(std::size_t n) { return std::allocator<T>().allocate(n); }
  void deallocate(T* p, std::size_t n) noexcept { std::allocator<T>().deallocate(p, n); }
  template <class U>
  bool operator==(const ExactAllocator<U>&) const noexcept {
    return true;
  }
};

}  // namespace

struct Server::Impl {
  // A live connection between requests or producing a response, tracked so
  // shutdown can close idle ones. (An event stream, once its header is
  // written, is an SseConn instead.)
  struct Conn {
    beast::tcp_stream* stream = nullptr;  // guarded by conns_mu
    std::atomic<bool> busy{false};        // a response is being produced or written
  };

  struct SseConn;
  struct SseWake;

  ServerOptions options;
  const Router& router;
  asio::io_context ioc;
  // Declared after ioc, so destroyed (joined) before it.
  asio::thread_pool writers{static_cast<std::size_t>(std::max(1, options.write_threads))};
  tcp::acceptor acceptor{ioc};
  std::vector<std::thread> threads;
  std::atomic<bool> stopping{false};
  std::atomic<bool> stopped{false};
  std::mutex conns_mu;
  std::list<std::shared_ptr<Conn>> conns;  // guarded by conns_mu
  std::atomic<int> active{0};  // connections, open event streams included
  std::atomic<int> shared_in_flight{0};  // requests handed to options.shared_commit, not yet reported
  // Their responses, reported and not yet posted to their strands (Answer).
  // Declared after ioc: what is still here when the server goes is freed
  // while the io_context its handlers refer to still exists.
  std::mutex answers_mu;
  std::vector<std::function<void()>> answers;  // guarded by answers_mu
  // Open event streams, for the shared ticker and for Stop(). Each knows its
  // index here (swap-removed in O(1)).
  std::mutex sse_mu;
  std::vector<std::shared_ptr<SseConn>> sse_conns;  // guarded by sse_mu
  // One timer for all event streams: every tick it finds the streams due a
  // keep-alive comment and the writes that have run past read_timeout, and
  // posts to those streams' strands. One timer, not one per stream.
  asio::steady_timer sse_ticker{asio::make_strand(ioc)};

  Impl(ServerOptions o, const Router& r) : options(std::move(o)), router(r) {}

  std::chrono::nanoseconds SseKeepAlive() const { return std::max(options.sse_keepalive, std::chrono::seconds(1)); }

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
      if (!Convert(msg, remote, req, why)) {
        res = ErrorResponse(Error::Invalid(why));
      } else if (ChangesData(req.method) && options.shared_commit && router.SharesCommit(req)) {
        res = co_await SharedCommit(req);
      } else if (ChangesData(req.method)) {
        // The coroutine waits, its strand and I/O thread free, while a
        // write-pool thread runs the handler (it may block on a commit).
        res = co_await asio::co_spawn(
            writers, [&]() -> awaitable<Response> { co_return router.Dispatch(req); }, use_awaitable);
      } else {
        res = router.Dispatch(req);
      }
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
    bool handed_over = false;
    if (sse.stream) {
      buffer = beast::flat_buffer();
      handed_over = co_await StartStream(stream, *conn, sse, sse_version, sse_head);
    }
    if (!handed_over) {
      beast::error_code ignored;
      stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
      stream.close();
    }
    {
      std::lock_guard lock(conns_mu);
      conn->stream = nullptr;
      conns.erase(self);
    }
    // An event stream keeps its connection slot; its SseConn gives it back.
    if (!handed_over) --active;
  }

  // Starts a Server-Sent Events response: writes the header, then hands the
  // socket to a new SseConn, which writes whatever is pushed to r.stream
  // until it ends, so this session's frame and buffers are freed while the
  // stream lives on. Returns true if it handed the socket over (the caller
  // must then leave it, and the connection slot, alone); false if the stream
  // ended here (HEAD, or the header could not be written), with r.stream
  // closed.
  // Hands the request to options.shared_commit and waits, its strand and
  // I/O thread free, for the response it reports (from another thread).
  awaitable<Response> SharedCommit(const Request& req) {
    ++shared_in_flight;
    return asio::async_initiate<const asio::use_awaitable_t<>&, void(Response)>(
        [this, &req](auto handler) {
          // std::function needs a copyable callable; the handler is not.
          auto h = std::make_shared<decltype(handler)>(std::move(handler));
          options.shared_commit([this, &req] { return router.Dispatch(req); },
                                [this, h](Response r) {
                                  auto ex = asio::get_associated_executor(*h);
                                  Answer([ex, h, r = std::move(r)]() mutable {
                                    asio::post(ex, [h, r = std::move(r)]() mutable { std::move(*h)(std::move(r)); });
                                  });
                                  --shared_in_flight;
                                });
        },
        use_awaitable);
  }

  // Queues `post` (which posts one response to its session's strand) for an
  // I/O thread. Answers reported in one round (see common/defer.h: the
  // writer's batch) wake an I/O thread once: posting each from the writer
  // would wake it, and on a busy core switch to it, once per response.
  void Answer(std::function<void()> post) {
    bool first = false;
    {
      std::lock_guard lock(answers_mu);
      first = answers.empty();
      answers.push_back(std::move(post));
    }
    if (!first) return;  // a delivery is already due
    Defer([this] {
      asio::post(ioc, [this] {
        std::vector<std::function<void()>> due;
        {
          std::lock_guard lock(answers_mu);
          due.swap(answers);
        }
        for (auto& f : due) f();
      });
    });
  }

  awaitable<bool> StartStream(beast::tcp_stream& stream, Conn& conn, const Response& r, unsigned version, bool head) {
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
      if (hec || head) {
        r.stream->Close();
        co_return false;
      }
    }
    // release_socket() cancels the stream's timers; the socket keeps its
    // strand executor.
    auto c = std::make_shared<SseConn>(*this, stream.release_socket(), r.stream);
    c->Start();
    co_return true;
  }

  // A Server-Sent Events connection once its header is written: the socket,
  // the stream and a little state, with no coroutine, no parser, no buffers
  // and no timer of its own, so an open stream costs a few hundred bytes.
  // Everything but Wake() runs on the socket's strand. Kept alive by the
  // server's list (sse_conns) and by its pending handlers; ends (End())
  // when the stream is closed and flushed, when a write fails or runs past
  // read_timeout, or when the client leaves.
  struct SseConn : std::enable_shared_from_this<SseConn> {
    SseConn(Impl& s, tcp::socket sock, std::shared_ptr<EventStream> e)
        : server(s), socket(std::move(sock)), events(std::move(e)) {}
    SseConn(const SseConn&) = delete;
    SseConn& operator=(const SseConn&) = delete;
    // However it ends, including abandoned with the io_context at shutdown:
    // publishers see the stream closed and drop it.
    ~SseConn() {
      events->SetWaker(nullptr);
      events->Close();
    }

    Impl& server;
    tcp::socket socket;
    const std::shared_ptr<EventStream> events;
    const std::shared_ptr<SseWake> wake = std::make_shared<SseWake>();

    // Read by the ticker (any thread), written on the strand. 0 = not writing.
    std::atomic<std::int64_t> write_started{0};  // SteadyNow() when the current write began
    std::atomic<std::int64_t> last_write{0};     // SteadyNow() when the last write ended

    // Strand only.
    std::vector<EventStream::Frame> writing;  // frames of the write in flight
    bool write_pending = false;
    bool ended = false;
    char peek_byte = 0;     // the watcher's one-byte buffer
    std::size_t index = 0;  // in server.sse_conns; guarded by server.sse_mu

    // Registers, arms the watcher and writes what is already queued. Runs
    // on the strand: the session that calls it is on the socket's strand.
    void Start() {
      auto self = shared_from_this();
      last_write = SteadyNow();
      wake->conn = self;
      events->SetWaker(wake);
      {
        std::lock_guard lock(server.sse_mu);
        index = server.sse_conns.size();
        server.sse_conns.push_back(self);
      }
      // Stop() sets `stopping` before it looks for streams to close, so
      // either it sees this one or this sees `stopping`.
      if (server.stopping) events->Close();

      // Watch the socket while writing: a client that leaves (FIN or RST)
      // ends the pending receive, which closes the stream, and the writer
      // ends at once, freeing the slot and the stream, rather than when a
      // write fails 15-30 s later. So does a client that sends anything
      // (nothing is expected on an event stream). A one-byte peek, not a
      // bare wait_read: a receive re-checks the socket, so a stale readiness
      // event from the request's own bytes cannot end a healthy stream.
      // Closing the socket in End() cancels it.
      // Its operation lives as long as the stream, so it is allocated at its
      // own size (ExactAllocator): Asio's default recycling allocator would
      // hand it a cached block left by the request's read, twice its size.
      socket.async_receive(asio::buffer(&peek_byte, 1), tcp::socket::message_peek,
                           asio::bind_allocator(ExactAllocator<void>(),
                                                [self](const boost::system::error_code& ec, std::size_t) {
                                                  if (ec == asio::error::operation_aborted) return;  // ended first
                                                  self->events->Close();
                                                  self->Pump();
                                                }));
      Pump();
    }

    // Writes whatever is queued, unless a write is in flight (its completion
    // pumps again); ends once the stream is closed and drained.
    void Pump() {
      if (ended || write_pending) return;
      // closed() before Drain(): once closed, nothing more can be queued, so
      // this drain gets the last frames.
      bool closed = events->closed();
      writing = events->Drain();
      if (writing.empty()) {
        if (closed || server.stopping) End();
        return;
      }
      if (writing.size() == 1) {
        Write(asio::buffer(*writing.front()));
      } else {
        std::vector<asio::const_buffer> buffers;
        buffers.reserve(writing.size());
        for (const auto& f : writing) buffers.push_back(asio::buffer(*f));
        Write(buffers);
      }
    }

    // On the strand, from the ticker: a keep-alive comment if nothing was
    // written for the keep-alive interval.
    void KeepAlive() {
      if (ended || write_pending) return;
      if (SteadyNow() - last_write.load() < server.SseKeepAlive().count()) return;  // written since
      Write(asio::buffer(kKeepAlive));
    }

    // On the strand, from the ticker: the write that began at `started` is
    // still running past read_timeout, so the client is not reading; ends
    // the connection (the write completes with an error).
    void TimeOut(std::int64_t started) {
      if (!ended && write_pending && write_started.load() == started) End();
    }

    template <class Buffers>
    void Write(const Buffers& buffers) {
      write_pending = true;
      write_started = SteadyNow();
      asio::async_write(socket, buffers, [self = shared_from_this()](const boost::system::error_code& ec, std::size_t) {
        self->write_pending = false;
        self->writing.clear();
        self->last_write = SteadyNow();
        self->write_started = 0;
        if (ec) self->End();
        else self->Pump();
      });
    }

    // Closes the socket (cancelling the watcher and any write) and gives
    // back the connection slot. Idempotent. Callers hold a reference:
    // leaving sse_conns may drop the last but theirs.
    void End() {
      if (ended) return;
      ended = true;
      wake->Retire();
      events->SetWaker(nullptr);
      events->Close();
      beast::error_code ignored;
      socket.shutdown(tcp::socket::shutdown_send, ignored);
      socket.close(ignored);
      {
        std::lock_guard lock(server.sse_mu);
        auto& v = server.sse_conns;
        // The caller's reference keeps this alive past the erase.
        if (index < v.size() && v[index].get() == this) {
          if (index + 1 != v.size()) {
            v[index] = std::move(v.back());
            v[index]->index = index;
          }
          v.pop_back();
        }
      }
      --server.active;
    }
  };

  // What an EventStream's waker holds: it reaches the SseConn's strand from
  // any thread. Apart from the SseConn, and tied to nothing of the
  // io_context, because a publisher may hold it after the server is gone;
  // `live` turns false when the connection ends or the server retires it,
  // after which a wake does nothing.
  struct SseWake final : EventStream::Waker {
    std::mutex mu;
    bool live = true;             // guarded by mu
    std::weak_ptr<SseConn> conn;  // guarded by mu (set once, before the waker)

    // Called by the stream after Push/Close, from any thread and outside the
    // stream's lock: runs the connection's Pump() on its strand.
    void Wake() override {
      std::lock_guard lock(mu);
      if (!live) return;
      auto c = conn.lock();
      if (!c) return;
      // The handler holds the connection, never this thread: a strand
      // executor and a socket must not outlive the io_context, and `live`
      // (checked under mu, which Retire() takes) says it is still running.
      // Posting never runs the handler inline, so holding mu is safe.
      auto strand = c->socket.get_executor();
      asio::post(strand, [c = std::move(c)] { c->Pump(); });
    }

    // Makes later wakes do nothing. Call while the io_context is alive.
    void Retire() {
      std::lock_guard lock(mu);
      live = false;
    }
  };

  // How often the ticker looks: a quarter of the shorter of the keep-alive
  // interval and the write timeout, between 50 ms and 1 s. So a keep-alive
  // goes out within one tick after it is due (15-16 s by default) and a
  // stalled write ends within one tick after read_timeout.
  std::chrono::nanoseconds SseTick() const {
    std::chrono::nanoseconds shorter = std::min<std::chrono::nanoseconds>(SseKeepAlive(), options.read_timeout);
    return std::clamp<std::chrono::nanoseconds>(shorter / 4, std::chrono::milliseconds(50), std::chrono::seconds(1));
  }

  void ArmSseTicker() {
    sse_ticker.expires_after(SseTick());
    // Runs until the io_context stops (also while stopping: a stream whose
    // client stopped reading must still time out then).
    sse_ticker.async_wait([this](const boost::system::error_code& ec) {
      if (ec) return;
      SseScan();
      ArmSseTicker();
    });
  }

  // Posts a keep-alive to every idle stream that is due one and a time-out
  // to every stream whose write has run past read_timeout.
  void SseScan() {
    const std::int64_t now = SteadyNow();
    const std::int64_t keepalive = SseKeepAlive().count();
    const std::int64_t timeout = std::chrono::nanoseconds(options.read_timeout).count();
    std::lock_guard lock(sse_mu);
    for (const auto& c : sse_conns) {
      std::int64_t started = c->write_started.load();
      if (started != 0) {
        if (now - started >= timeout) asio::post(c->socket.get_executor(), [c, started] { c->TimeOut(started); });
      } else if (now - c->last_write.load() >= keepalive) {
        asio::post(c->socket.get_executor(), [c] { c->KeepAlive(); });
      }
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
  im.ArmSseTicker();
  int n = std::max(1, im.options.threads);
  for (int i = 0; i < n; ++i)
    im.threads.emplace_back([&im] {
      pthread_setname_np(pthread_self(), "http-io");  // for top and perf
      im.ioc.run();
    });
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
  // Event streams are closed: each flushes what is queued and ends.
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
    std::vector<std::shared_ptr<EventStream>> streams;
    {
      std::lock_guard lock(im.sse_mu);
      for (auto& c : im.sse_conns) streams.push_back(c->events);
    }
    // Outside sse_mu: Close() runs the connection's waker.
    for (auto& s : streams) s->Close();
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  // Streams still open now are abandoned with the io_context: make their
  // wakers inert before it stops, so publishers never post to it again.
  std::vector<std::shared_ptr<EventStream>> abandoned;
  {
    std::lock_guard lock(im.sse_mu);
    for (auto& c : im.sse_conns) {
      c->wake->Retire();
      abandoned.push_back(c->events);
    }
  }
  for (auto& s : abandoned) s->Close();
  im.ioc.stop();
  for (auto& t : im.threads)
    if (t.joinable()) t.join();
  im.threads.clear();
  im.writers.join();
  // A request handed over still refers to its session's frame, which lives
  // until the io_context is destroyed: wait for every one to report.
  while (im.shared_in_flight > 0) std::this_thread::sleep_for(std::chrono::milliseconds(1));
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
