#include "server/args.h"

namespace engram::server {

std::string StringArg(const Json& args, const char* key, const std::string& fallback) {
  return OptStringArg(args, key).value_or(fallback);
}

std::optional<std::string> OptStringArg(const Json& args, const char* key) {
  auto it = args.find(key);
  if (it == args.end() || !it->is_string()) return std::nullopt;
  return it->get<std::string>();
}

std::int64_t IntArg(const Json& args, const char* key, std::int64_t fallback) {
  return OptIntArg(args, key).value_or(fallback);
}

std::optional<std::int64_t> OptIntArg(const Json& args, const char* key) {
  auto it = args.find(key);
  if (it == args.end() || !it->is_number()) return std::nullopt;
  return it->is_number_float() ? static_cast<std::int64_t>(it->get<double>())
                               : it->get<std::int64_t>();
}

std::optional<double> OptNumberArg(const Json& args, const char* key) {
  auto it = args.find(key);
  if (it == args.end() || !it->is_number()) return std::nullopt;
  return it->get<double>();
}

bool BoolArg(const Json& args, const char* key, bool fallback) {
  return OptBoolArg(args, key).value_or(fallback);
}

std::optional<bool> OptBoolArg(const Json& args, const char* key) {
  auto it = args.find(key);
  if (it == args.end() || !it->is_boolean()) return std::nullopt;
  return it->get<bool>();
}

std::vector<std::string> StringListArg(const Json& args, const char* key) {
  std::vector<std::string> out;
  auto it = args.find(key);
  if (it == args.end() || !it->is_array()) return out;
  for (const auto& v : *it) {
    if (v.is_string()) out.push_back(v.get<std::string>());
  }
  return out;
}

Json ObjectArg(const Json& args, const char* key) {
  auto it = args.find(key);
  return (it != args.end() && it->is_object()) ? *it : Json::object();
}

Json ListResult(const char* key, Json items) {
  const std::size_t n = items.size();
  return {{key, std::move(items)}, {"count", n}};
}

}  // namespace engram::server
