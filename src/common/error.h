// Error values shared by every layer. Expected failures (bad input, not found,
// conflict, busy) travel as values in Result<T>; exceptions are reserved for
// startup and third-party calls.
#pragma once

#include <string>
#include <utility>

#include <boost/assert/source_location.hpp>
#include <boost/system/result.hpp>

namespace chosen {

// The kinds of failure a caller can act on. The HTTP layer maps each to one
// status in a single switch without default, so adding a code forces a
// decision there (-Werror=switch).
enum class ErrorCode {
  kInvalidArgument,       // 400: malformed input or a bad field value
  kUnauthenticated,       // 401: no or bad credentials
  kPermissionDenied,      // 403: authenticated but not allowed
  kNotFound,              // 404: no such resource visible to the caller
  kMethodNotAllowed,      // 405
  kConflict,              // 409: uniqueness or state conflict
  kPayloadTooLarge,       // 413
  kUnsupportedMediaType,  // 415
  kRateLimited,           // 429
  kUnavailable,           // 503: shutting down or overloaded, retry later
  kInternal,              // 500: a bug or an unexpected third-party failure
};

// A failure: a code, a human message, and the offending input field if any.
// `code` must stay the first member (boost::system::result relies on nothing
// here, but aggregate initialisation across the code base does).
struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string message;
  std::string field;

  static Error Invalid(std::string message, std::string field = {}) {
    return {ErrorCode::kInvalidArgument, std::move(message), std::move(field)};
  }
  static Error NotFound(std::string message) { return {ErrorCode::kNotFound, std::move(message), {}}; }
  static Error Conflict(std::string message, std::string field = {}) {
    return {ErrorCode::kConflict, std::move(message), std::move(field)};
  }
  static Error Forbidden(std::string message, std::string field = {}) {
    return {ErrorCode::kPermissionDenied, std::move(message), std::move(field)};
  }
  static Error Internal(std::string message) { return {ErrorCode::kInternal, std::move(message), {}}; }
};

// The stable wire name of a code, e.g. "INVALID_ARGUMENT".
const char* ErrorCodeName(ErrorCode code);

// Thrown by Result<T>::value() on an error; carries the Error.
struct ErrorException : std::exception {
  explicit ErrorException(Error e) : error(std::move(e)) {}
  const char* what() const noexcept override { return error.message.c_str(); }
  Error error;
};

// Found by ADL from boost::system::result<T, Error>::value().
[[noreturn]] void throw_exception_from_error(const Error& e, const boost::source_location& loc);

template <class T>
using Result = boost::system::result<T, Error>;
using Status = Result<void>;

}  // namespace chosen
