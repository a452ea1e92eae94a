// JSON parsing with limits, and small helpers for reading typed fields with
// errors that name the field. Thread-safe (stateless).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <boost/json.hpp>

#include "common/error.h"

namespace chosen {

namespace json = boost::json;

// Parses a request body: must be valid JSON, nesting at most 32 deep.
Result<json::value> ParseJson(std::string_view body);

// As ParseJson, and the top level must be an object.
Result<json::object> ParseJsonObject(std::string_view body);

// Reads an optional string field: absent or null → nullopt; a non-string,
// one longer than `max_len` characters, or one that is not clean single-line text
// (IsCleanText with multiline = false) → kInvalidArgument naming it. Leading
// and trailing white space is trimmed first.
Result<std::optional<std::string>> GetString(const json::object& o, std::string_view key, std::size_t max_len);

// Reads a required non-empty string (after trimming).
Result<std::string> RequireString(const json::object& o, std::string_view key, std::size_t max_len);

// Reads an optional integer (a JSON number with no fraction within
// [min, max]).
Result<std::optional<std::int64_t>> GetInt(const json::object& o, std::string_view key, std::int64_t min,
                                           std::int64_t max);

// Checks that a string is reasonable user text: valid UTF-8 and no control
// characters (C0, DEL or C1), except \n, \r and \t when `multiline`.
bool IsCleanText(std::string_view s, bool multiline);

// The number of characters (code points) in UTF-8 text: length limits on
// text are in characters, not bytes.
std::size_t CharCount(std::string_view s);

// The string at `key`, or "" when absent or not a string.
std::string StringOr(const json::object& o, std::string_view key);

// Trims ASCII white space at both ends.
std::string Trim(std::string_view s);

// Lower-cases ASCII letters.
std::string ToLower(std::string_view s);

// Serialises compactly.
std::string ToJson(const json::value& v);

// Appends `s` as a JSON string literal (quotes and escapes exactly as
// boost::json::serialize does), for responses written without a DOM.
void AppendJsonString(std::string& out, std::string_view s);

}  // namespace chosen
