#include "server/json_schema.h"

#include <algorithm>
#include <cmath>

namespace engram::server {
namespace {

std::string TypeOf(const Json& v) {
  switch (v.type()) {
    case Json::value_t::null:
      return "null";
    case Json::value_t::boolean:
      return "boolean";
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned:
      return "integer";
    case Json::value_t::number_float:
      return "number";
    case Json::value_t::string:
      return "string";
    case Json::value_t::array:
      return "array";
    case Json::value_t::object:
      return "object";
    default:
      return "unknown";
  }
}

bool MatchesType(const std::string& type, const Json& v) {
  const std::string actual = TypeOf(v);
  if (type == actual) return true;
  if (type == "number" && actual == "integer") return true;
  // 3.0 is an integer in JSON Schema.
  if (type == "integer" && actual == "number") {
    const double d = v.get<double>();
    return std::isfinite(d) && std::floor(d) == d;
  }
  return false;
}

std::string Article(const std::string& type) {
  return (type == "integer" || type == "array" || type == "object") ? "an " + type : "a " + type;
}

Status Fail(const std::string& path, const std::string& what) {
  return Status::InvalidArgument(path + " " + what);
}

Status CheckType(const Json& schema, const Json& value, const std::string& path) {
  auto it = schema.find("type");
  if (it == schema.end()) return Status::Ok();
  std::vector<std::string> types;
  if (it->is_string()) {
    types.push_back(it->get<std::string>());
  } else if (it->is_array()) {
    for (const auto& t : *it) types.push_back(t.get<std::string>());
  }
  for (const auto& t : types) {
    if (MatchesType(t, value)) return Status::Ok();
  }
  std::string expected;
  for (std::size_t i = 0; i < types.size(); ++i) {
    if (i > 0) expected += i + 1 == types.size() ? " or " : ", ";
    expected += Article(types[i]);
  }
  return Fail(path, "must be " + expected + ", not " + Article(TypeOf(value)));
}

Status CheckBounds(const Json& schema, const Json& value, const std::string& path) {
  if (value.is_number()) {
    const double d = value.get<double>();
    if (auto it = schema.find("minimum"); it != schema.end() && d < it->get<double>()) {
      return Fail(path, "must be >= " + it->dump());
    }
    if (auto it = schema.find("maximum"); it != schema.end() && d > it->get<double>()) {
      return Fail(path, "must be <= " + it->dump());
    }
  }
  if (value.is_string()) {
    // Length in bytes: engram's limits are byte limits.
    const std::size_t n = value.get_ref<const std::string&>().size();
    if (auto it = schema.find("minLength"); it != schema.end() && n < it->get<std::size_t>()) {
      return Fail(path, "must be at least " + it->dump() + " characters long");
    }
    if (auto it = schema.find("maxLength"); it != schema.end() && n > it->get<std::size_t>()) {
      return Fail(path, "is " + std::to_string(n) + " bytes; the limit is " + it->dump());
    }
  }
  if (value.is_array()) {
    if (auto it = schema.find("minItems");
        it != schema.end() && value.size() < it->get<std::size_t>()) {
      return Fail(path, "must have at least " + it->dump() + " items");
    }
    if (auto it = schema.find("maxItems");
        it != schema.end() && value.size() > it->get<std::size_t>()) {
      return Fail(path,
                  "has " + std::to_string(value.size()) + " items; the limit is " + it->dump());
    }
  }
  if (auto it = schema.find("enum"); it != schema.end()) {
    if (std::find(it->begin(), it->end(), value) == it->end()) {
      std::string allowed;
      for (const auto& e : *it) allowed += (allowed.empty() ? "" : ", ") + e.dump();
      return Fail(path, "must be one of " + allowed + ", not " + value.dump());
    }
  }
  return Status::Ok();
}

}  // namespace

Status ValidateJson(const Json& schema, const Json& value, const std::string& root) {
  ENGRAM_RETURN_IF_ERROR(CheckType(schema, value, root));
  ENGRAM_RETURN_IF_ERROR(CheckBounds(schema, value, root));
  if (value.is_object()) {
    const auto props = schema.find("properties");
    if (auto req = schema.find("required"); req != schema.end()) {
      for (const auto& name : *req) {
        if (!value.contains(name.get<std::string>())) {
          return Fail(root + "." + name.get<std::string>(), "is required");
        }
      }
    }
    const auto extra = schema.find("additionalProperties");
    const bool closed = extra != schema.end() && extra->is_boolean() && !extra->get<bool>();
    for (const auto& [key, member] : value.items()) {
      std::string path = root;
      path += '.';
      path += key;
      if (props != schema.end() && props->contains(key)) {
        ENGRAM_RETURN_IF_ERROR(ValidateJson((*props)[key], member, path));
      } else if (closed) {
        return Fail(path, "is not a known field");
      }
    }
  }
  if (value.is_array()) {
    if (auto items = schema.find("items"); items != schema.end()) {
      for (std::size_t i = 0; i < value.size(); ++i) {
        ENGRAM_RETURN_IF_ERROR(
            ValidateJson(*items, value[i], root + "[" + std::to_string(i) + "]"));
      }
    }
  }
  return Status::Ok();
}

namespace js {

Json Str(std::string description, std::optional<std::size_t> max_length) {
  Json j = {{"type", "string"}, {"description", std::move(description)}};
  if (max_length) j["maxLength"] = *max_length;
  return j;
}

Json Enum(const std::vector<std::string>& values, std::string description) {
  return {{"type", "string"}, {"enum", values}, {"description", std::move(description)}};
}

Json Int(std::string description, std::optional<std::int64_t> minimum,
         std::optional<std::int64_t> maximum) {
  Json j = {{"type", "integer"}, {"description", std::move(description)}};
  j["minimum"] = minimum.value_or(-kMaxSafeInteger);
  j["maximum"] = maximum.value_or(kMaxSafeInteger);
  return j;
}

Json Num(std::string description, std::optional<double> minimum, std::optional<double> maximum) {
  Json j = {{"type", "number"}, {"description", std::move(description)}};
  if (minimum) j["minimum"] = *minimum;
  if (maximum) j["maximum"] = *maximum;
  return j;
}

Json Bool(std::string description) {
  return {{"type", "boolean"}, {"description", std::move(description)}};
}

Json Array(Json items, std::string description) {
  return {{"type", "array"}, {"items", std::move(items)}, {"description", std::move(description)}};
}

Json AnyObject(std::string description) {
  return {{"type", "object"}, {"description", std::move(description)}};
}

Json AnyValue(std::string description) { return {{"description", std::move(description)}}; }

Json Object(const std::vector<std::pair<std::string, Json>>& properties,
            const std::vector<std::string>& required, std::string description, bool open) {
  Json props = Json::object();
  for (const auto& [name, schema] : properties) props[name] = schema;
  Json j = {{"type", "object"}, {"properties", std::move(props)}};
  if (!required.empty()) j["required"] = required;
  if (!open) j["additionalProperties"] = false;
  if (!description.empty()) j["description"] = std::move(description);
  return j;
}

Json Nullable(Json schema) {
  if (auto it = schema.find("type"); it != schema.end() && it->is_string()) {
    *it = Json::array({it->get<std::string>(), "null"});
  }
  return schema;
}

}  // namespace js
}  // namespace engram::server
