// Runs the `chosen` binary (CHOSEN_BINARY) from tests, capturing its output.
#pragma once

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

extern char** environ;

namespace chosen::testing {

// A child process with its stdout+stderr captured.
class Child {
 public:
  explicit Child(std::vector<std::string> args) {
    int fds[2];
    if (pipe(fds) != 0) throw std::runtime_error("pipe failed");
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, fds[1], 1);
    posix_spawn_file_actions_adddup2(&fa, fds[1], 2);
    posix_spawn_file_actions_addclose(&fa, fds[0]);
    args.insert(args.begin(), CHOSEN_BINARY);
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    if (posix_spawn(&pid_, CHOSEN_BINARY, &fa, nullptr, argv.data(), environ) != 0)
      throw std::runtime_error("spawn failed");
    posix_spawn_file_actions_destroy(&fa);
    close(fds[1]);
    fd_ = fds[0];
  }
  ~Child() {
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
    if (fd_ >= 0) close(fd_);
  }

  // Reads output until `marker` appears or `timeout` passes; returns the
  // text after it up to the end of its line, or nullopt.
  std::optional<std::string> WaitFor(const std::string& marker, std::chrono::seconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
      std::size_t at = output_.find(marker);
      if (at != std::string::npos) {
        std::size_t end = output_.find('\n', at);
        if (end != std::string::npos) return output_.substr(at + marker.size(), end - at - marker.size());
      }
      if (std::chrono::steady_clock::now() >= deadline || !ReadSome(200)) return std::nullopt;
    }
  }

  // Waits for exit (reading all output); returns the exit code or -1.
  int Wait(std::chrono::seconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      ReadSome(100);
      int status = 0;
      pid_t r = waitpid(pid_, &status, WNOHANG);
      if (r == pid_) {
        while (ReadSome(50)) {
        }
        pid_ = -1;
        return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
      }
    }
    return -1;
  }

  void Signal(int sig) { kill(pid_, sig); }
  const std::string& output() const { return output_; }

 private:
  bool ReadSome(int ms) {
    pollfd p{fd_, POLLIN, 0};
    if (poll(&p, 1, ms) <= 0) return true;  // nothing yet; keep waiting
    char buf[4096];
    ssize_t n = read(fd_, buf, sizeof buf);
    if (n <= 0) return false;
    output_.append(buf, n);
    return true;
  }

  pid_t pid_ = -1;
  int fd_ = -1;
  std::string output_;
};

inline int RunChosen(std::vector<std::string> args, std::string* out = nullptr) {
  Child c(std::move(args));
  int code = c.Wait(std::chrono::seconds(120));
  if (out) *out = c.output();
  return code;
}

}  // namespace chosen::testing
