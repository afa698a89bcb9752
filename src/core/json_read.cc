#include "core/json_read.h"

#include <limits>

namespace engram::json_internal {

FieldReader::FieldReader(const Json& object, std::string path)
    : object_(object), path_(std::move(path)) {
  if (!object_.is_object()) Fail(path_ + " must be an object");
}

std::string FieldReader::FieldPath(std::string_view name) const {
  std::string out = path_;
  out += '.';
  out += name;
  return out;
}

void FieldReader::Fail(std::string message) {
  if (ok()) status_ = Status::InvalidArgument(std::move(message));
}

const Json* FieldReader::Find(std::string_view name) const {
  if (!object_.is_object()) return nullptr;
  auto it = object_.find(name);
  if (it == object_.end() || it->is_null()) return nullptr;
  return &*it;
}

const Json* FieldReader::Get(std::string_view name, Presence p) {
  if (!ok()) return nullptr;
  const Json* v = Find(name);
  if (v == nullptr && p == Presence::kRequired) Fail(FieldPath(name) + " is required");
  return v;
}

const Json* FieldReader::GetArray(std::string_view name) {
  const Json* v = Get(name, Presence::kOptional);
  if (v != nullptr && !v->is_array()) {
    Fail(FieldPath(name) + " must be an array");
    return nullptr;
  }
  return v;
}

void FieldReader::String(std::string_view name, std::string& out, Presence p) {
  const Json* v = Get(name, p);
  if (v == nullptr) return;
  if (!v->is_string()) return Fail(FieldPath(name) + " must be a string");
  out = v->get_ref<const std::string&>();
}

void FieldReader::Int(std::string_view name, std::int64_t& out, Presence p) {
  const Json* v = Get(name, p);
  if (v == nullptr) return;
  if (!v->is_number_integer()) return Fail(FieldPath(name) + " must be an integer");
  if (v->is_number_unsigned() &&
      v->get<std::uint64_t>() >
          static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
    return Fail(FieldPath(name) + " is out of range");
  }
  out = v->get<std::int64_t>();
}

void FieldReader::Int(std::string_view name, int& out, Presence p) {
  std::int64_t wide = out;
  Int(name, wide, p);
  if (!ok()) return;
  if (wide < std::numeric_limits<int>::min() || wide > std::numeric_limits<int>::max()) {
    return Fail(FieldPath(name) + " is out of range");
  }
  out = static_cast<int>(wide);
}

void FieldReader::Double(std::string_view name, double& out, Presence p) {
  const Json* v = Get(name, p);
  if (v == nullptr) return;
  if (!v->is_number()) return Fail(FieldPath(name) + " must be a number");
  out = v->get<double>();
}

void FieldReader::Bool(std::string_view name, bool& out) {
  const Json* v = Get(name, Presence::kOptional);
  if (v == nullptr) return;
  if (!v->is_boolean()) return Fail(FieldPath(name) + " must be a boolean");
  out = v->get<bool>();
}

void FieldReader::OptionalInt(std::string_view name, std::optional<std::int64_t>& out) {
  if (Get(name, Presence::kOptional) == nullptr) return;
  std::int64_t value = 0;
  Int(name, value);
  if (ok()) out = value;
}

void FieldReader::OptionalDouble(std::string_view name, std::optional<double>& out) {
  if (Get(name, Presence::kOptional) == nullptr) return;
  double value = 0;
  Double(name, value);
  if (ok()) out = value;
}

void FieldReader::OptionalString(std::string_view name, std::optional<std::string>& out) {
  if (Get(name, Presence::kOptional) == nullptr) return;
  std::string value;
  String(name, value);
  if (ok()) out = std::move(value);
}

void FieldReader::StringList(std::string_view name, std::vector<std::string>& out) {
  const Json* v = GetArray(name);
  if (v == nullptr) return;
  std::vector<std::string> items;
  items.reserve(v->size());
  for (std::size_t i = 0; i < v->size(); ++i) {
    const Json& item = (*v)[i];
    if (!item.is_string()) {
      return Fail(FieldPath(name) + "[" + std::to_string(i) + "] must be a string");
    }
    items.push_back(item.get_ref<const std::string&>());
  }
  out = std::move(items);
}

void FieldReader::Object(std::string_view name, Json& out) {
  const Json* v = Get(name, Presence::kOptional);
  if (v == nullptr) return;
  if (!v->is_object()) return Fail(FieldPath(name) + " must be an object");
  out = *v;
}

void FieldReader::Any(std::string_view name, Json& out) {
  if (!ok() || !object_.is_object()) return;
  auto it = object_.find(name);
  if (it != object_.end()) out = *it;
}

}  // namespace engram::json_internal
