// FieldReader: the one helper every *FromJson function uses to read the
// fields of a JSON object with type checks and field-naming errors.
//
// A reader walks one object; each call reads one field into an output
// variable. The first failure is recorded ("invalid_argument:
// step.latency_ms must be an integer") and every later call becomes a no-op,
// so a FromJson function reads all fields and checks status() once. Missing
// (or null) optional fields leave the output untouched, i.e. at its default.
// No call throws: values are type-checked before they are accessed.
//
// Ownership: borrows the Json object, which must outlive the reader.
// Thread safety: a reader is used by one thread; distinct readers are
// independent.
#pragma once

#include <cstdint>
#include <exception>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engram/json.h"
#include "engram/status.h"

namespace engram::json_internal {

enum class Presence { kOptional, kRequired };

class FieldReader {
 public:
  // `path` names the object in errors: "step", "episode.steps[2]".
  FieldReader(const Json& object, std::string path);

  bool ok() const { return status_.ok(); }
  const Status& status() const { return status_; }
  const std::string& path() const { return path_; }
  // "<path>.<name>"
  std::string FieldPath(std::string_view name) const;

  void String(std::string_view name, std::string& out, Presence p = Presence::kOptional);
  void Int(std::string_view name, std::int64_t& out, Presence p = Presence::kOptional);
  void Int(std::string_view name, int& out, Presence p = Presence::kOptional);
  void Double(std::string_view name, double& out, Presence p = Presence::kOptional);
  void Bool(std::string_view name, bool& out);
  void OptionalInt(std::string_view name, std::optional<std::int64_t>& out);
  void OptionalDouble(std::string_view name, std::optional<double>& out);
  void OptionalString(std::string_view name, std::optional<std::string>& out);
  void StringList(std::string_view name, std::vector<std::string>& out);
  void Object(std::string_view name, Json& out);  // must be a JSON object
  void Any(std::string_view name, Json& out);     // any JSON value, null included

  // An enum stored as its string name, parsed by `parse` (e.g. ParseTaskType).
  template <typename E>
  void Enum(std::string_view name, E& out, Result<E> (*parse)(std::string_view),
            Presence p = Presence::kOptional) {
    const Json* v = Get(name, p);
    if (v == nullptr) return;
    if (!v->is_string()) return Fail(FieldPath(name) + " must be a string");
    Result<E> parsed = parse(v->template get_ref<const std::string&>());
    if (!parsed.ok()) return Fail(FieldPath(name) + ": " + parsed.status().message());
    out = *parsed;
  }

  // A nested object read by `from(value, path)`, which names its own fields
  // under this field's path.
  template <typename T>
  void Nested(std::string_view name, T& out, Result<T> (*from)(const Json&, std::string_view),
              Presence p = Presence::kOptional) {
    const Json* v = Get(name, p);
    if (v == nullptr) return;
    Result<T> r = from(*v, FieldPath(name));
    if (!r.ok()) {
      status_ = r.status();
      return;
    }
    out = std::move(r).value();
  }

  template <typename T>
  void NestedOptional(std::string_view name, std::optional<T>& out,
                      Result<T> (*from)(const Json&, std::string_view)) {
    if (Get(name, Presence::kOptional) == nullptr) return;
    T value{};
    Nested(name, value, from);
    if (ok()) out = std::move(value);
  }

  // An array of nested objects; element i is named "<path>.<name>[i]".
  template <typename T>
  void List(std::string_view name, std::vector<T>& out,
            Result<T> (*from)(const Json&, std::string_view)) {
    const Json* v = GetArray(name);
    if (v == nullptr) return;
    std::vector<T> items;
    items.reserve(v->size());
    for (std::size_t i = 0; i < v->size(); ++i) {
      Result<T> r = from((*v)[i], FieldPath(name) + "[" + std::to_string(i) + "]");
      if (!r.ok()) {
        status_ = r.status();
        return;
      }
      items.push_back(std::move(r).value());
    }
    out = std::move(items);
  }

  // Records `message` as the error unless one is already recorded.
  void Fail(std::string message);

 private:
  // The field's value, or nullptr when absent/null (failing if required) or
  // when an error is already recorded.
  const Json* Get(std::string_view name, Presence p);
  const Json* GetArray(std::string_view name);
  const Json* Find(std::string_view name) const;

  const Json& object_;
  std::string path_;
  Status status_;
};

// Runs `fn` (returning Result<T>), converting any exception into
// InvalidArgument so no library exception escapes a FromJson function.
template <typename T, typename Fn>
Result<T> NoThrow(std::string_view what, Fn&& fn) {
  try {
    return fn();
  } catch (const std::exception& e) {
    return Status::InvalidArgument(std::string(what) + ": " + e.what());
  }
}

}  // namespace engram::json_internal
