// Small helpers shared by the rule files.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "common/text.h"
#include "crm/events.h"

namespace chosen::coach {

// metadata[key] as an integer id, or 0 when absent/null.
inline std::int64_t MetaInt(const crm::Event& e, std::string_view key) {
  auto it = e.metadata.find(key);
  return it != e.metadata.end() && it->value().is_int64() ? it->value().as_int64() : 0;
}

inline std::string MetaStr(const crm::Event& e, std::string_view key) {
  auto it = e.metadata.find(key);
  return it != e.metadata.end() && it->value().is_string() ? std::string(it->value().as_string()) : std::string();
}

inline bool IsContactTouch(std::string_view action) {
  return action == "call_logged" || action == "text_logged" || action == "email_logged" ||
         action == "meeting_logged";
}

inline std::string Key(std::string_view rule, std::int64_t id) { return fmt::format("{}:{}", rule, id); }

}  // namespace chosen::coach
