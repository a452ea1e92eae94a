#include "store/db.h"

#include <fmt/format.h>

#include "store/local_channels.h"
#include "store/postgres_db.h"
#include "store/sqlite_db.h"

namespace chosen::store {

std::int64_t Row::Int(std::size_t i) const {
  const Value& v = values.at(i);
  if (auto p = std::get_if<std::int64_t>(&v)) return *p;
  if (auto p = std::get_if<double>(&v)) return static_cast<std::int64_t>(*p);
  if (auto p = std::get_if<std::string>(&v)) return std::strtoll(p->c_str(), nullptr, 10);
  return 0;
}

double Row::Real(std::size_t i) const {
  const Value& v = values.at(i);
  if (auto p = std::get_if<double>(&v)) return *p;
  if (auto p = std::get_if<std::int64_t>(&v)) return static_cast<double>(*p);
  if (auto p = std::get_if<std::string>(&v)) return std::strtod(p->c_str(), nullptr);
  return 0;
}

std::string Row::Str(std::size_t i) const {
  const Value& v = values.at(i);
  if (auto p = std::get_if<std::string>(&v)) return *p;
  if (auto p = std::get_if<std::int64_t>(&v)) return std::to_string(*p);
  if (auto p = std::get_if<double>(&v)) return fmt::format("{}", *p);
  return {};
}

Status CheckChannelName(std::string_view channel) {
  auto ok_first = [](char ch) { return (ch >= 'a' && ch <= 'z') || ch == '_'; };
  bool ok = !channel.empty() && channel.size() <= 63 && ok_first(channel[0]);
  for (char ch : channel) ok = ok && (ok_first(ch) || (ch >= '0' && ch <= '9'));
  if (!ok) return Error::Invalid("a channel name is 1-63 characters of a-z, 0-9 and _, not starting with a digit",
                                 "channel");
  return {};
}

Status CheckNotification(std::string_view channel, std::string_view payload) {
  if (auto st = CheckChannelName(channel); !st) return st;
  if (payload.size() > kMaxNotifyPayload)
    return Error::Invalid(fmt::format("notification payload over {} bytes", kMaxNotifyPayload), "payload");
  return {};
}

class LocalChannels::Subscription final : public Listener {
 public:
  Subscription(std::shared_ptr<State> state, std::uint64_t id) : state_(std::move(state)), id_(id) {}
  ~Subscription() override {
    std::lock_guard lock(state_->mu);
    state_->handlers.erase(id_);
  }

 private:
  std::shared_ptr<State> state_;
  std::uint64_t id_;
};

Result<std::unique_ptr<Listener>> LocalChannels::Listen(std::string_view channel, NotifyHandler fn) {
  if (auto st = CheckChannelName(channel); !st) return st.error();
  std::lock_guard lock(state_->mu);
  std::uint64_t id = ++state_->next_id;
  state_->handlers.emplace(id, Handler{std::string(channel), std::move(fn)});
  return std::unique_ptr<Listener>(std::make_unique<Subscription>(state_, id));
}

void LocalChannels::Deliver(const std::string& channel, const std::string& payload) {
  std::lock_guard lock(state_->mu);
  for (auto& [id, h] : state_->handlers)
    if (h.channel == channel) h.fn(payload);
}

Result<std::unique_ptr<Database>> OpenDatabase(std::string_view url, int pool_size) {
  if (url.starts_with("sqlite:")) return OpenSqlite(url.substr(7), pool_size);
  if (url.starts_with("postgresql://") || url.starts_with("postgres://")) return OpenPostgres(url, pool_size);
  // Not echoed back: a URL may carry a password.
  return Error::Invalid("unknown database URL: expected sqlite:PATH or postgresql://user@host:port/dbname", "db");
}

}  // namespace chosen::store
