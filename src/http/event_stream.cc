#include "http/event_stream.h"

#include <algorithm>
#include <utility>

namespace chosen::http {

// "event: <name>\ndata: <line>\n...\n\n". SSE accepts LF, CRLF and CR as line
// ends, so each of them starts a new data: line.
EventStream::Frame EventStream::Format(std::string_view event, std::string_view data) {
  auto frame = std::make_shared<std::string>();
  std::string& out = *frame;
  out.reserve(event.size() + data.size() + 16);
  if (!event.empty()) {
    out += "event: ";
    for (char c : event)
      if (c != '\n' && c != '\r') out += c;
    out += '\n';
  }
  std::size_t i = 0;
  for (;;) {
    std::size_t j = data.find_first_of("\r\n", i);
    out += "data: ";
    out.append(data.substr(i, j == std::string_view::npos ? std::string_view::npos : j - i));
    out += '\n';
    if (j == std::string_view::npos) break;
    i = j + 1;
    if (data[j] == '\r' && i < data.size() && data[i] == '\n') ++i;  // CRLF is one break
  }
  out += '\n';
  return frame;
}

EventStream::EventStream(std::size_t max_queued) : max_queued_(std::max<std::size_t>(1, max_queued)) {}

bool EventStream::Push(std::string_view event, std::string_view data) { return Push(Format(event, data)); }

bool EventStream::Push(Frame frame) {
  std::shared_ptr<Waker> waker;
  bool queued = false;
  {
    std::lock_guard lock(mu_);
    if (closed_) return false;
    if (queue_.size() >= max_queued_) {
      // Too slow: drop the subscriber rather than grow. Its frames go too;
      // the session stops without flushing them to a client that is not
      // reading anyway.
      closed_ = true;
      queue_.clear();
    } else {
      queue_.push_back(std::move(frame));
      queued = true;
    }
    // The writer drains the whole queue before it waits, so only the push
    // that makes the queue non-empty (or the close) needs to wake it.
    if (!queued || queue_.size() == 1) waker = waker_;
  }
  if (waker) waker->Wake();
  return queued;
}

void EventStream::Close() {
  std::shared_ptr<Waker> waker;
  {
    std::lock_guard lock(mu_);
    if (closed_) return;
    closed_ = true;
    waker = waker_;
  }
  if (waker) waker->Wake();
}

bool EventStream::closed() const {
  std::lock_guard lock(mu_);
  return closed_;
}

std::vector<EventStream::Frame> EventStream::Drain() {
  std::lock_guard lock(mu_);
  std::vector<Frame> out;
  out.swap(queue_);
  return out;
}

void EventStream::SetWaker(std::shared_ptr<Waker> waker) {
  {
    std::lock_guard lock(mu_);
    waker_.swap(waker);
  }
  // The old waker, now in `waker`, is released here, outside the lock.
}

void EventStream::SetWaker(std::function<void()> waker) {
  struct FunctionWaker final : Waker {
    explicit FunctionWaker(std::function<void()> fn) : f(std::move(fn)) {}
    void Wake() override { f(); }
    std::function<void()> f;
  };
  SetWaker(waker ? std::make_shared<FunctionWaker>(std::move(waker)) : std::shared_ptr<Waker>());
}

}  // namespace chosen::http
