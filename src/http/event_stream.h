// One Server-Sent Events subscriber: a bounded queue of formatted frames
// between the code that publishes events (any thread) and the server session
// that writes them to the socket. Nothing here depends on Beast or Asio.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace chosen::http {

// A handler opens a stream by returning a Response whose `stream` is set; the
// server session then owns a reference and writes whatever is pushed, until
// the stream is closed, the client goes away or the server stops. Publishers
// (e.g. notify::Hub) should hold only weak pointers, so a finished session
// frees the stream.
//
// Memory is bounded: at most `max_queued` frames wait at any time. A client
// that reads too slowly for that is dropped (the stream closes), never
// buffered without limit; a browser's EventSource reconnects by itself.
//
// Thread-safe: every member may be called from any thread.
class EventStream {
 public:
  // At most `max_queued` frames wait to be written (values below 1 are
  // raised to 1).
  explicit EventStream(std::size_t max_queued = 256);
  EventStream(const EventStream&) = delete;
  EventStream& operator=(const EventStream&) = delete;

  // Formats one frame, "event: <event>\ndata: <data>\n\n", and queues it.
  // Data with line breaks (LF, CRLF or CR) becomes one "data:" line per line,
  // which the client joins back with "\n". An empty `event` omits the event
  // line (the client sees a "message" event); line breaks in `event` are
  // removed so a name can never inject a frame. Returns true if queued.
  // Returns false if the stream is closed, or if the queue is full: then the
  // subscriber is too slow, so the stream closes and drops what it held.
  // Wakes the writer when the queue was empty.
  bool Push(std::string_view event, std::string_view data);

  // Closes the stream: later pushes fail; frames already queued are still
  // drained (the session flushes them, then ends the response). Wakes the
  // writer. Idempotent.
  void Close();

  // True once Close() was called or the queue overflowed.
  bool closed() const;

  // Takes every queued frame, oldest first (empty if none).
  std::vector<std::string> Drain();

  // Sets the function that wakes the writer (the server session) after a
  // Push or Close; an empty function clears it. The waker is always called
  // outside this stream's lock, so it may call back into the stream, and it
  // may be called from any thread, possibly after the session ended: it must
  // check for that itself.
  void SetWaker(std::function<void()> waker);

 private:
  using Waker = std::shared_ptr<const std::function<void()>>;
  static void Wake(const Waker& waker);

  const std::size_t max_queued_;
  mutable std::mutex mu_;
  std::vector<std::string> queue_;  // guarded by mu_; no allocation while empty (most streams, most of the time)
  bool closed_ = false;            // guarded by mu_
  // Shared so Push can take a reference under mu_ and call it outside
  // without copying the function. Guarded by mu_.
  Waker waker_;
};

}  // namespace chosen::http
