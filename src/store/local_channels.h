// In-process delivery of Connection::Notify payloads: the SQLite backend's
// implementation of Notify/Listen. Internal to src/store.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "store/db.h"

namespace chosen::store {

// Thread-safe. Listeners may outlive it.
class LocalChannels {
 public:
  LocalChannels() : state_(std::make_shared<State>()) {}

  Result<std::unique_ptr<Listener>> Listen(std::string_view channel, NotifyHandler fn);

  // Calls every handler of `channel` with `payload`, one at a time, under
  // the registry's lock (so a Listener's destructor waits for a running
  // handler).
  void Deliver(const std::string& channel, const std::string& payload);

 private:
  struct Handler {
    std::string channel;
    NotifyHandler fn;
  };
  struct State {
    std::mutex mu;
    std::map<std::uint64_t, Handler> handlers;  // guarded by mu
    std::uint64_t next_id = 0;                  // guarded by mu
  };
  class Subscription;

  std::shared_ptr<State> state_;
};

}  // namespace chosen::store
