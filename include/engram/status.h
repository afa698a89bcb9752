// Status and Result<T>: engram's error values.
//
// Every fallible call in engram returns a Status (no value) or a Result<T>
// (a value or an error). Exceptions thrown by libraries are caught at module
// edges and converted into one of these. Both types are [[nodiscard]] so an
// ignored error is a compile-time warning (an error under -Werror).
//
// Thread safety: plain values; safe to copy and move between threads.
#pragma once

#include <cassert>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace engram {

// Error categories. Each maps to a documented CLI exit code (see docs/CLI.md).
enum class ErrorCode {
  kOk = 0,
  kInvalidArgument,     // the caller's input is malformed or out of limits
  kNotFound,            // unknown id / key
  kAlreadyExists,       // id or key already taken
  kFailedPrecondition,  // valid input, wrong state (e.g. completing twice)
  kCorruption,          // stored data or a file failed a check
  kIOError,             // the file system or database failed
  kBusy,                // contention outlasted the retry budget
  kUnavailable,         // a configured resource (model, server) is missing
  kInternal,            // a bug: an invariant did not hold
};

// Stable lower-case name of a code ("invalid_argument", "not_found", ...).
std::string_view ErrorCodeName(ErrorCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;  // OK
  Status(ErrorCode code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status Ok() { return {}; }
  static Status InvalidArgument(std::string m) {
    return {ErrorCode::kInvalidArgument, std::move(m)};
  }
  static Status NotFound(std::string m) { return {ErrorCode::kNotFound, std::move(m)}; }
  static Status AlreadyExists(std::string m) { return {ErrorCode::kAlreadyExists, std::move(m)}; }
  static Status FailedPrecondition(std::string m) {
    return {ErrorCode::kFailedPrecondition, std::move(m)};
  }
  static Status Corruption(std::string m) { return {ErrorCode::kCorruption, std::move(m)}; }
  static Status IOError(std::string m) { return {ErrorCode::kIOError, std::move(m)}; }
  static Status Busy(std::string m) { return {ErrorCode::kBusy, std::move(m)}; }
  static Status Unavailable(std::string m) { return {ErrorCode::kUnavailable, std::move(m)}; }
  static Status Internal(std::string m) { return {ErrorCode::kInternal, std::move(m)}; }

  bool ok() const { return code_ == ErrorCode::kOk; }
  ErrorCode code() const { return code_; }
  const std::string& message() const { return message_; }
  bool IsNotFound() const { return code_ == ErrorCode::kNotFound; }
  bool IsInvalidArgument() const { return code_ == ErrorCode::kInvalidArgument; }

  // "not_found: lesson 'x' does not exist"
  std::string ToString() const;

 private:
  ErrorCode code_ = ErrorCode::kOk;
  std::string message_;
};

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : data_(std::move(value)) {}        // NOLINT(google-explicit-constructor)
  Result(Status status) : data_(std::move(status)) {  // NOLINT(google-explicit-constructor)
    assert(!std::get<Status>(data_).ok() && "Result built from an OK status has no value");
  }

  bool ok() const { return std::holds_alternative<T>(data_); }
  // REQUIRES: ok()
  T& value() & { return std::get<T>(data_); }
  const T& value() const& { return std::get<T>(data_); }
  T&& value() && { return std::get<T>(std::move(data_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  // OK when a value is held.
  Status status() const { return ok() ? Status::Ok() : std::get<Status>(data_); }

 private:
  std::variant<T, Status> data_;
};

}  // namespace engram

// Propagate a non-OK Status from an expression returning Status.
#define ENGRAM_RETURN_IF_ERROR(expr)         \
  do {                                       \
    ::engram::Status engram_st_ = (expr);    \
    if (!engram_st_.ok()) return engram_st_; \
  } while (0)

#define ENGRAM_CONCAT_INNER_(a, b) a##b
#define ENGRAM_CONCAT_(a, b) ENGRAM_CONCAT_INNER_(a, b)
// Assign the value of a Result<T> expression to `lhs`, or return its error.
#define ENGRAM_ASSIGN_OR_RETURN(lhs, expr) \
  ENGRAM_ASSIGN_OR_RETURN_IMPL_(ENGRAM_CONCAT_(engram_res_, __LINE__), lhs, expr)
// `tmp` and `lhs` are declarations / assignment targets, which cannot be
// parenthesised.
// NOLINTBEGIN(bugprone-macro-parentheses)
#define ENGRAM_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                                  \
  if (!tmp.ok()) return tmp.status();                 \
  lhs = std::move(tmp).value()
// NOLINTEND(bugprone-macro-parentheses)
