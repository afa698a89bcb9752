#include "server/ndjson_server.h"

#include <string>

#include "engram/json_limits.h"
#include "server/ndjson_dropin.h"

namespace engram::server {
namespace {

Json Error(const Json& id, std::string_view code, const std::string& message) {
  return {{"id", id}, {"ok", false}, {"error", {{"code", code}, {"message", message}}}};
}

}  // namespace

std::string NdjsonServer::OversizedResponse(std::size_t bytes, std::size_t limit) const {
  return DumpJsonLine(Error(nullptr, "payload_too_large",
                            "message of " + std::to_string(bytes) + " bytes exceeds the limit of " +
                                std::to_string(limit) + " bytes"));
}

std::optional<std::string> NdjsonServer::HandleLine(std::string_view line) const {
  // Nothing a client sends may end the server: a handler that still throws
  // (a defect) answers internal and the next request is served.
  try {
    return DumpJsonLine(HandleRequest(line));
  } catch (const std::exception& e) {
    return DumpJsonLine(Error(nullptr, "internal",
                              std::string("internal error: ") + CapJsonErrorMessage(e.what())));
  }
}

Json NdjsonServer::HandleRequest(std::string_view line) const {
  Result<Json> parsed = ParseJson(line, "request");
  if (!parsed.ok()) return Error(nullptr, "parse_error", parsed.status().message());
  const Json msg = std::move(parsed).value();
  if (!msg.is_object()) return Error(nullptr, "invalid_request", "a request must be a JSON object");
  const Json id = msg.value("id", Json(nullptr));
  auto action = msg.find("action");
  if (action == msg.end() || !action->is_string()) {
    return Error(id, "invalid_request", "request.action must be a string");
  }
  const Json payload = msg.value("payload", Json::object());
  if (!payload.is_object()) {
    return Error(id, "invalid_request", "request.payload must be an object");
  }
  const std::string name = action->get<std::string>();
  if (name == "describe") return Json{{"id", id}, {"ok", true}, {"result", Describe()}};
  if (table_.Find(name) == nullptr) {
    return Error(id, "unknown_action", "unknown action '" + name + "'");
  }
  Result<Json> result = table_.Call(name, payload);
  if (!result.ok()) {
    return Error(id, ErrorCodeName(result.status().code()), result.status().message());
  }
  Json out = std::move(result).value();
  if (IsDropInAction(name)) AddDropInLists(name, out);
  return Json{{"id", id}, {"ok", true}, {"result", std::move(out)}};
}

Json NdjsonServer::Describe() const {
  Json actions = Json::array();
  for (const Operation& op : table_.operations()) {
    actions.push_back({{"name", op.name},
                       {"aliases", op.aliases},
                       {"description", op.description},
                       {"input_schema", op.input_schema},
                       {"output_schema", op.output_schema},
                       {"read_only", op.read_only}});
  }
  return {{"actions", std::move(actions)}};
}

}  // namespace engram::server
