// sse_fanout: opens many concurrent GET /api/stream connections and measures
// how long the server takes to deliver one insight to all of them.
//
//   sse_fanout --port P --tokens FILE [--per-user 8] [--users N]
//              [--triggers 16] [--inflight 256] [--timeout 60] [--announce TOKEN]
//
// FILE holds one API token per line, one user each. The tool opens
// `per-user` streams for each of the first N users (at most `inflight`
// connections waiting for their `event: ready` at a time, so the accept
// backlog never overflows), counts how many the server accepted, refused
// (HTTP 503) or dropped. With --announce (a manager's or admin's token of
// the streams' org) it then sends one `POST /api/announcements` and reports
// the time until every stream has received that one `event: announcement`
// (a true broadcast). Otherwise it causes one insight per user: it sends one
// `POST /api/contacts {"status":"LEAD",...}` per user (the coach's
// new_lead_speed rule answers it with an `insight` event pushed to every
// stream of that user), over `triggers` keep-alive connections opened
// before the streams. It reports the time from the first trigger request to
// the last stream receiving its `event: insight`, each stream's latency from
// its own user's trigger request, and the trigger requests' own latency.
//
// Single-threaded epoll, non-blocking sockets; prints `key=value` lines.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;
double Ms(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

enum class State { kIdle, kConnecting, kWaitReady, kReady, kGotInsight, kRefused, kFailed };

struct Stream {
  int fd = -1;
  int user = 0;
  State state = State::kIdle;
  std::string buf;  // unparsed tail
  Clock::time_point got;
};

struct Trigger {
  int fd = -1;
  bool connected = false;
  std::string out;  // unsent bytes
  std::string in;
  int user = -1;  // in flight for this user, or -1
};

struct User {
  std::string token;
  int ready = 0;
  Clock::time_point sent, acked;
  int status = 0;
};

int Connect(std::uint16_t port) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) < 0 && errno != EINPROGRESS) {
    ::close(fd);
    return -1;
  }
  return fd;
}

double Percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  auto i = static_cast<std::size_t>(p / 100.0 * static_cast<double>(v.size() - 1) + 0.5);
  return v[std::min(i, v.size() - 1)];
}

// Parses one complete HTTP response from the front of `in` (Content-Length
// bodies only, which is what the server sends for JSON); returns its status
// and erases it, or 0 if incomplete.
int TakeResponse(std::string& in) {
  auto end = in.find("\r\n\r\n");
  if (end == std::string::npos) return 0;
  std::size_t len = 0;
  std::string_view head(in.data(), end);
  for (std::size_t p = 0; p < head.size();) {
    auto nl = head.find("\r\n", p);
    std::string_view line = head.substr(p, nl == std::string_view::npos ? std::string_view::npos : nl - p);
    if (line.size() > 15 && strncasecmp(line.data(), "content-length:", 15) == 0)
      len = std::strtoull(std::string(line.substr(15)).c_str(), nullptr, 10);
    if (nl == std::string_view::npos) break;
    p = nl + 2;
  }
  if (in.size() < end + 4 + len) return 0;
  int status = in.size() > 12 ? std::atoi(in.c_str() + 9) : -1;
  in.erase(0, end + 4 + len);
  return status;
}

}  // namespace

int main(int argc, char** argv) {
  std::uint16_t port = 0;
  std::string tokens_path;
  int per_user = 8, max_users = -1, ntriggers = 16, inflight = 256;
  std::string announce_token;  // broadcast mode when set
  double timeout_s = 60;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string_view k = argv[i];
    const char* v = argv[i + 1];
    if (k == "--port") port = static_cast<std::uint16_t>(std::atoi(v));
    else if (k == "--tokens") tokens_path = v;
    else if (k == "--per-user") per_user = std::atoi(v);
    else if (k == "--users") max_users = std::atoi(v);
    else if (k == "--triggers") ntriggers = std::atoi(v);
    else if (k == "--inflight") inflight = std::atoi(v);
    else if (k == "--timeout") timeout_s = std::atof(v);
    else if (k == "--announce") announce_token = v;
    else {
      std::fprintf(stderr, "unknown argument %s\n", argv[i]);
      return 2;
    }
  }
  if (!port || tokens_path.empty()) {
    std::fprintf(stderr, "usage: sse_fanout --port P --tokens FILE [--per-user 8] [--users N] [--triggers 16]\n");
    return 2;
  }
  std::vector<User> users;
  {
    std::ifstream f(tokens_path);
    for (std::string line; std::getline(f, line);)
      if (!line.empty() && (max_users < 0 || static_cast<int>(users.size()) < max_users)) users.push_back(User{line, 0, {}, {}, 0});
  }
  const std::size_t nstreams = users.size() * static_cast<std::size_t>(per_user);
  rlimit rl{};
  ::getrlimit(RLIMIT_NOFILE, &rl);
  rl.rlim_cur = rl.rlim_max;
  ::setrlimit(RLIMIT_NOFILE, &rl);
  if (rl.rlim_cur < nstreams + static_cast<std::size_t>(ntriggers) + 16)
    std::fprintf(stderr, "warning: RLIMIT_NOFILE %llu is below %zu streams\n",
                 static_cast<unsigned long long>(rl.rlim_cur), nstreams);

  int ep = ::epoll_create1(EPOLL_CLOEXEC);
  constexpr std::uint64_t kTriggerTag = 1ULL << 40;
  std::vector<Trigger> triggers(static_cast<std::size_t>(ntriggers));
  for (std::size_t i = 0; i < triggers.size(); ++i) {
    triggers[i].fd = Connect(port);
    if (triggers[i].fd < 0) {
      std::perror("connect");
      return 1;
    }
    epoll_event e{};
    e.events = EPOLLIN | EPOLLOUT;
    e.data.u64 = kTriggerTag | i;
    ::epoll_ctl(ep, EPOLL_CTL_ADD, triggers[i].fd, &e);
  }

  std::vector<Stream> streams(nstreams);
  for (std::size_t i = 0; i < nstreams; ++i) streams[i].user = static_cast<int>(i / static_cast<std::size_t>(per_user));
  std::size_t next_stream = 0, pending = 0, settled = 0;
  // ready: streams that got `event: ready`; of those, insight got theirs and
  // dropped were closed before it came.
  std::size_t n_ready = 0, n_refused = 0, n_failed = 0, n_insight = 0, n_dropped = 0;
  auto close_stream = [&](Stream& s) {
    ::epoll_ctl(ep, EPOLL_CTL_DEL, s.fd, nullptr);
    ::close(s.fd);
    s.fd = -1;
  };
  auto settle = [&](Stream& s, State st) {
    const bool was_pending = s.state == State::kConnecting || s.state == State::kWaitReady;
    if (was_pending) {
      --pending;
      ++settled;
    }
    if (st == State::kReady) ++n_ready;
    if (st == State::kGotInsight) ++n_insight;
    if (st == State::kRefused) ++n_refused;
    if (st == State::kFailed) ++(was_pending ? n_failed : n_dropped);
    s.state = st;
    if (st == State::kRefused || st == State::kFailed) close_stream(s);
  };
  auto open_more = [&] {
    while (next_stream < nstreams && pending < static_cast<std::size_t>(inflight)) {
      Stream& s = streams[next_stream];
      s.fd = Connect(port);
      ++pending;
      s.state = State::kConnecting;
      if (s.fd < 0) {
        settle(s, State::kFailed);
      } else {
        epoll_event e{};
        e.events = EPOLLIN | EPOLLOUT;
        e.data.u64 = next_stream;
        ::epoll_ctl(ep, EPOLL_CTL_ADD, s.fd, &e);
      }
      ++next_stream;
    }
  };

  // Phase: triggers, then streams, wait for every stream to settle.
  bool triggering = false;
  std::size_t next_trigger_user = 0, acked = 0, to_trigger = 0;
  Clock::time_point t_open = Clock::now(), t_settled{}, t_first_send{}, t_last_insight{};
  Clock::time_point deadline = t_open + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(timeout_s));
  std::vector<epoll_event> events(1024);
  char rbuf[16384];

  const bool announce = !announce_token.empty();
  const std::string want_event = announce ? "event: announcement\n" : "event: insight\n";
  bool announced = false;
  auto send_trigger = [&](Trigger& t) {
    if (announce) {
      if (announced) return;
      announced = true;
      const std::string body = R"({"message":"Rates dropped 0.25% this morning: call your rate-watch list."})";
      t.out = "POST /api/announcements HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + announce_token +
              "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" +
              body;
      t.user = 0;  // the announcement's timing is kept on users[0]
      users[0].sent = t_first_send = Clock::now();
      ssize_t w = ::send(t.fd, t.out.data(), t.out.size(), MSG_NOSIGNAL);
      if (w > 0) t.out.erase(0, static_cast<std::size_t>(w));
      return;
    }
    while (next_trigger_user < users.size() && users[next_trigger_user].ready == 0) ++next_trigger_user;
    if (next_trigger_user >= users.size()) return;
    const int u = static_cast<int>(next_trigger_user++);
    char body[160];
    int n = std::snprintf(body, sizeof body, R"({"name":"Stream Lead %04d","status":"LEAD","source":"Zillow","phone":"(312) 555-%04d"})",
                          u + 1, u % 10000);
    t.out = "POST /api/contacts HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " +
            users[static_cast<std::size_t>(u)].token + "\r\nContent-Type: application/json\r\nContent-Length: " +
            std::to_string(n) + "\r\n\r\n" + std::string(body, static_cast<std::size_t>(n));
    t.user = u;
    users[static_cast<std::size_t>(u)].sent = Clock::now();
    if (t_first_send == Clock::time_point{}) t_first_send = users[static_cast<std::size_t>(u)].sent;
    ssize_t w = ::send(t.fd, t.out.data(), t.out.size(), MSG_NOSIGNAL);
    if (w > 0) t.out.erase(0, static_cast<std::size_t>(w));
  };

  open_more();
  bool settled_all = false;
  for (;;) {
    auto now = Clock::now();
    if (now > deadline) break;
    if (!settled_all && settled == nstreams) {
      settled_all = true;
      t_settled = now;
      std::printf("streams_attempted=%zu\nstreams_ready=%zu\nstreams_refused_503=%zu\nstreams_failed=%zu\n"
                  "open_ms=%.1f\n",
                  nstreams, n_ready, n_refused, n_failed, Ms(t_settled - t_open));
      std::fflush(stdout);
    }
    // Start triggering one second after the streams settled (their sessions idle).
    if (settled_all && !triggering && now - t_settled > std::chrono::seconds(1)) {
      triggering = true;
      if (announce) to_trigger = 1;
      else
        for (auto& u : users) to_trigger += u.ready > 0;
      for (auto& t : triggers) send_trigger(t);
    }
    if (triggering && acked == to_trigger && n_insight + n_dropped == n_ready) break;
    int n = ::epoll_wait(ep, events.data(), static_cast<int>(events.size()), 50);
    for (int i = 0; i < n; ++i) {
      const std::uint64_t tag = events[static_cast<std::size_t>(i)].data.u64;
      const std::uint32_t ev = events[static_cast<std::size_t>(i)].events;
      if (tag & kTriggerTag) {
        Trigger& t = triggers[tag & 0xffffffff];
        if (ev & EPOLLOUT) {
          if (!t.connected) {
            t.connected = true;
            epoll_event e{};
            e.events = EPOLLIN;
            e.data.u64 = tag;
            ::epoll_ctl(ep, EPOLL_CTL_MOD, t.fd, &e);
          }
          if (!t.out.empty()) {
            ssize_t w = ::send(t.fd, t.out.data(), t.out.size(), MSG_NOSIGNAL);
            if (w > 0) t.out.erase(0, static_cast<std::size_t>(w));
          }
        }
        if (ev & (EPOLLIN | EPOLLHUP | EPOLLERR)) {
          ssize_t r = ::recv(t.fd, rbuf, sizeof rbuf, 0);
          if (r <= 0) {
            std::fprintf(stderr, "trigger connection closed by the server\n");
            return 1;
          }
          t.in.append(rbuf, static_cast<std::size_t>(r));
          while (int status = TakeResponse(t.in)) {
            if (t.user >= 0) {
              auto& u = users[static_cast<std::size_t>(t.user)];
              u.acked = Clock::now();
              u.status = status;
              ++acked;
              t.user = -1;
            }
            send_trigger(t);
          }
        }
        continue;
      }
      Stream& s = streams[tag];
      if (s.fd < 0) continue;
      if (s.state == State::kConnecting && (ev & EPOLLOUT)) {
        int err = 0;
        socklen_t len = sizeof err;
        ::getsockopt(s.fd, SOL_SOCKET, SO_ERROR, &err, &len);
        if (err) {
          settle(s, State::kFailed);
          open_more();
          continue;
        }
        std::string req = "GET /api/stream HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\nAuthorization: Bearer " +
                          users[static_cast<std::size_t>(s.user)].token + "\r\n\r\n";
        ::send(s.fd, req.data(), req.size(), MSG_NOSIGNAL);  // fits in an empty socket buffer
        s.state = State::kWaitReady;
        epoll_event e{};
        e.events = EPOLLIN;
        e.data.u64 = tag;
        ::epoll_ctl(ep, EPOLL_CTL_MOD, s.fd, &e);
        continue;
      }
      if (!(ev & (EPOLLIN | EPOLLHUP | EPOLLERR))) continue;
      ssize_t r = ::recv(s.fd, rbuf, sizeof rbuf, 0);
      if (r <= 0) {
        if (r < 0 && errno == EAGAIN) continue;
        if (s.state == State::kWaitReady || s.state == State::kConnecting) {
          bool refused = s.buf.starts_with("HTTP/1.1 503");
          settle(s, refused ? State::kRefused : State::kFailed);
          open_more();
        } else if (s.state == State::kReady) {
          settle(s, State::kFailed);  // dropped before its insight
        } else {
          close_stream(s);
        }
        continue;
      }
      s.buf.append(rbuf, static_cast<std::size_t>(r));
      if (s.state == State::kWaitReady) {
        if (s.buf.size() >= 12 && !s.buf.starts_with("HTTP/1.1 200")) {
          if (s.buf.find("\r\n\r\n") == std::string::npos) continue;  // wait for the whole head
          settle(s, s.buf.starts_with("HTTP/1.1 503") ? State::kRefused : State::kFailed);
          open_more();
          continue;
        }
        if (auto p = s.buf.find("event: ready\n"); p != std::string::npos) {
          s.buf.erase(0, p + 13);
          settle(s, State::kReady);
          ++users[static_cast<std::size_t>(s.user)].ready;
          open_more();
        }
      }
      if (s.state == State::kReady) {
        if (s.buf.find(want_event) != std::string::npos) {
          s.got = Clock::now();
          t_last_insight = std::max(t_last_insight, s.got);
          settle(s, State::kGotInsight);
          s.buf.clear();
        } else if (s.buf.size() > 64) {
          s.buf.erase(0, s.buf.size() - 64);
        }
      }
    }
  }

  if (!settled_all) {
    std::printf("streams_attempted=%zu\nstreams_ready=%zu\nstreams_refused_503=%zu\nstreams_failed=%zu\nopen_ms=timeout\n",
                nstreams, n_ready, n_refused, n_failed);
  }
  std::vector<double> stream_lat, trigger_lat;
  for (const auto& s : streams)
    if (s.state == State::kGotInsight)
      stream_lat.push_back(Ms(s.got - (announce ? t_first_send : users[static_cast<std::size_t>(s.user)].sent)));
  std::size_t ok = 0;
  for (const auto& u : users)
    if (u.status) {
      trigger_lat.push_back(Ms(u.acked - u.sent));
      ok += u.status >= 200 && u.status < 300;
    }
  if (announce) std::printf("mode=announcement\n");
  std::printf("users_triggered=%zu\ntrigger_2xx=%zu\nstreams_with_insight=%zu\nstreams_dropped=%zu\n"
              "streams_without_insight=%zu\n",
              acked, ok, n_insight, n_dropped, n_ready - n_insight - n_dropped);
  if (n_insight) {
    std::printf("fanout_all_ms=%.1f\n", Ms(t_last_insight - t_first_send));
    std::printf("stream_latency_p50_ms=%.2f\nstream_latency_p99_ms=%.2f\nstream_latency_max_ms=%.2f\n",
                Percentile(stream_lat, 50), Percentile(stream_lat, 99), Percentile(stream_lat, 100));
  }
  if (!trigger_lat.empty())
    std::printf("trigger_latency_p50_ms=%.2f\ntrigger_latency_p99_ms=%.2f\n", Percentile(trigger_lat, 50),
                Percentile(trigger_lat, 99));
  for (auto& s : streams)
    if (s.fd >= 0) ::close(s.fd);
  return 0;
}
