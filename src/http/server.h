// The HTTP server: Beast over Asio with C++20 coroutines. N threads run one
// io_context; each connection is a coroutine on its own strand that reads a
// request (bounded header and body, with a timeout), dispatches it through
// the Router (reads on the I/O thread; writes on the write pool, or handed to
// shared_commit) and writes the response. A response with an EventStream
// turns the connection into a Server-Sent Events stream (see
// Response::stream).
// Thread-safe.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "http/message.h"

namespace chosen::http {

struct ServerOptions {
  std::string address = "127.0.0.1";
  std::uint16_t port = 8080;  // 0 picks a free port
  int threads = 2;
  // Requests that can change data (every method but GET, HEAD and OPTIONS)
  // run on a pool of this many threads instead of an I/O thread: a write
  // waiting for its group commit's fsync never holds an I/O thread, and as
  // many writes as wait together share one commit.
  int write_threads = 64;
  // When set, a request that changes data and whose route shares_commit is
  // handed to it instead of the write pool: it must run `job` (on any
  // thread, once) and then call `done` with the response to send, e.g. with
  // a different one if the job's transaction failed to commit. The app
  // passes store::Database::Submit, which runs the job on the database's
  // writer thread inside a transaction shared with the requests beside it.
  std::function<void(std::function<Response()> job, std::function<void(Response)> done)> shared_commit;
  std::size_t body_limit = 8 * 1024 * 1024;
  std::size_t header_limit = 16 * 1024;
  std::chrono::seconds read_timeout{30};  // also bounds each write: a client that stops reading is dropped
  std::chrono::seconds sse_keepalive{15};  // an idle event stream sends a ": keep-alive" comment this often
  std::chrono::seconds shutdown_grace{10};
  int max_connections = 1024;  // beyond this, new connections get 503 and are closed
};

class Server {
 public:
  // `router` must outlive the server.
  Server(ServerOptions options, const Router& router);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and starts the worker threads; returns the bound port. Throws
  // std::system_error if the address cannot be bound.
  std::uint16_t Start();

  // Stops accepting, lets in-flight requests finish (up to shutdown_grace),
  // closes idle connections, closes every open event stream (each flushes
  // what it has queued, then ends) and joins the threads. Idempotent.
  void Stop();

  // Blocks SIGINT and SIGTERM in the calling thread (and so in the worker
  // threads Start() creates): call once, before Start(), in main.
  static void BlockSignals();

  // Blocks until SIGINT or SIGTERM, then Stop()s. Needs BlockSignals().
  void WaitForSignal();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace chosen::http
