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
  // One formatted frame. Immutable and shared: a broadcast formats its frame
  // once and every stream's queue holds a reference to the same bytes.
  using Frame = std::shared_ptr<const std::string>;

  // At most `max_queued` frames wait to be written (values below 1 are
  // raised to 1).
  explicit EventStream(std::size_t max_queued = 256);
  EventStream(const EventStream&) = delete;
  EventStream& operator=(const EventStream&) = delete;

  // Formats one frame, "event: <event>\ndata: <data>\n\n". Data with line
  // breaks (LF, CRLF or CR) becomes one "data:" line per line, which the
  // client joins back with "\n". An empty `event` omits the event line (the
  // client sees a "message" event); line breaks in `event` are removed so a
  // name can never inject a frame. Never null.
  static Frame Format(std::string_view event, std::string_view data);

  // Push(Format(event, data)).
  bool Push(std::string_view event, std::string_view data);

  // Queues `frame` (from Format; must not be null). Returns true if queued.
  // Returns false if the stream is closed, or if the queue is full: then the
  // subscriber is too slow, so the stream closes and drops what it held.
  // Wakes the writer when the queue was empty.
  bool Push(Frame frame);

  // Closes the stream: later pushes fail; frames already queued are still
  // drained (the session flushes them, then ends the response). Wakes the
  // writer. Idempotent.
  void Close();

  // True once Close() was called or the queue overflowed.
  bool closed() const;

  // Takes every queued frame, oldest first (empty if none).
  std::vector<Frame> Drain();

  // Wakes the writer (the server session) after a Push or Close. Wake() is
  // always called outside this stream's lock, so it may call back into the
  // stream, and it may be called from any thread, possibly after the session
  // ended: it must check for that itself.
  class Waker {
   public:
    virtual ~Waker() = default;
    virtual void Wake() = 0;
  };

  // Sets the waker; the stream holds a reference to it. Null clears it.
  void SetWaker(std::shared_ptr<Waker> waker);
  void SetWaker(std::nullptr_t) { SetWaker(std::shared_ptr<Waker>()); }
  // As above, with a function as the waker (an empty one clears it).
  void SetWaker(std::function<void()> waker);

 private:

  const std::size_t max_queued_;
  mutable std::mutex mu_;
  std::vector<Frame> queue_;  // guarded by mu_; no allocation while empty (most streams, most of the time)
  bool closed_ = false;       // guarded by mu_
  // Shared so Push can take a reference under mu_ and call it outside.
  // Guarded by mu_.
  std::shared_ptr<Waker> waker_;
};

}  // namespace chosen::http
