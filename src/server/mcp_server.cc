#include "server/mcp_server.h"

#include <string>

#include "engram/json_limits.h"

#include "engram/version.h"

namespace engram::server {

const char* const kMcpProtocolVersions[3] = {"2025-11-25", "2025-06-18", "2024-11-05"};

namespace {

// JSON-RPC 2.0 and MCP error codes.
constexpr int kParseError = -32700;
constexpr int kInvalidRequest = -32600;
constexpr int kMethodNotFound = -32601;
constexpr int kInvalidParams = -32602;
constexpr int kInternalError = -32603;
constexpr int kResourceNotFound = -32002;

Json ErrorResponse(const Json& id, int code, const std::string& message) {
  return {{"jsonrpc", "2.0"}, {"id", id}, {"error", {{"code", code}, {"message", message}}}};
}

// Serialises a reply; invalid UTF-8 (echoed from a client's bytes) becomes
// U+FFFD instead of an exception.

int RpcCodeFor(const Status& st) {
  switch (st.code()) {
    case ErrorCode::kInvalidArgument:
      return kInvalidParams;
    case ErrorCode::kNotFound:
      return kResourceNotFound;
    default:
      return kInternalError;
  }
}

// What an agent should do with engram, sent with initialize. Every
// snake_case word in it is an operation of the table (tests/server/
// mcp_tools_test.cc checks it), so it cannot point to a tool that is gone.
constexpr const char* kInstructions =
    "engram is your long-term memory across tasks. Before a task, call retrieve_context with "
    "the task in a sentence: similar past episodes (what worked, what failed, what to try "
    "next) and the lessons that apply. Whenever you need to know something, call "
    "search_lessons with it in words or identifiers: it finds lessons by meaning, not only by "
    "keywords. Record the task as an episode: start_episode (keep the id), log_step after each "
    "meaningful action, and complete_episode with the outcome at the end; engram scores it and "
    "writes a reflection. After applying a lesson, call lesson_feedback with its id and "
    "whether it helped, so helpful lessons gain confidence and misleading ones lose it. Use "
    "add_lesson to remember reusable knowledge; kv_put and kv_get keep small pieces of state.";

}  // namespace

McpServer::McpServer(const OperationTable& table, Engine& engine)
    : table_(table), engine_(engine) {}

std::string McpServer::OversizedResponse(std::size_t bytes, std::size_t limit) const {
  return DumpJsonLine(ErrorResponse(nullptr, kInvalidRequest,
                                    "message of " + std::to_string(bytes) +
                                        " bytes exceeds the limit of " + std::to_string(limit) +
                                        " bytes"));
}

std::optional<std::string> McpServer::HandleLine(std::string_view line) {
  // Nothing a client sends may end the server: a handler that still throws
  // (a defect) answers internal error and the next message is served.
  try {
    std::optional<Json> reply = HandleLineJson(line);
    if (!reply) return std::nullopt;
    return DumpJsonLine(*reply);
  } catch (const std::exception& e) {
    return DumpJsonLine(ErrorResponse(
        nullptr, kInternalError, std::string("internal error: ") + CapJsonErrorMessage(e.what())));
  }
}

std::optional<Json> McpServer::HandleLineJson(std::string_view line) {
  Result<Json> parsed = ParseJson(line, "message");
  if (!parsed.ok()) {
    return ErrorResponse(nullptr, kParseError, "Parse error: " + parsed.status().message());
  }
  Json msg = std::move(parsed).value();
  if (msg.is_array()) {  // JSON-RPC batch (2024-11-05 clients)
    if (msg.empty()) return ErrorResponse(nullptr, kInvalidRequest, "empty batch");
    Json out = Json::array();
    for (const auto& m : msg) {
      if (auto r = HandleMessage(m)) out.push_back(std::move(*r));
    }
    if (out.empty()) return std::nullopt;
    return out;
  }
  return HandleMessage(msg);
}

std::optional<Json> McpServer::HandleMessage(const Json& msg) {
  if (!msg.is_object()) {
    return ErrorResponse(nullptr, kInvalidRequest, "a message must be a JSON object");
  }
  const bool has_id = msg.contains("id");
  Json id = has_id ? msg["id"] : Json(nullptr);
  if (has_id && !id.is_string() && !id.is_number_integer()) {
    return ErrorResponse(nullptr, kInvalidRequest, "id must be a string or an integer");
  }
  auto method_it = msg.find("method");
  if (method_it == msg.end()) {
    // A response from the client (to a request we never send): nothing to
    // do. Anything else without a method is an invalid request, answered
    // even without an id so the client does not wait forever.
    if (msg.contains("result") || msg.contains("error")) return std::nullopt;
    return ErrorResponse(id, kInvalidRequest, "a request needs a method (a string)");
  }
  auto jsonrpc = msg.find("jsonrpc");
  if (jsonrpc == msg.end() || !jsonrpc->is_string() || jsonrpc->get<std::string>() != "2.0") {
    return ErrorResponse(id, kInvalidRequest, "jsonrpc must be \"2.0\"");
  }
  if (!method_it->is_string()) {
    return ErrorResponse(id, kInvalidRequest, "method must be a string");
  }
  const std::string method = method_it->get<std::string>();
  if (!has_id) return std::nullopt;  // notifications (initialized, cancelled, ...) need no reply
  const Json params = msg.value("params", Json::object());
  if (!params.is_object()) return ErrorResponse(id, kInvalidParams, "params must be an object");

  if (method == "tools/call") {
    Status protocol_error;
    Json result = CallTool(params, &protocol_error);
    if (!protocol_error.ok()) return ErrorResponse(id, kInvalidParams, protocol_error.message());
    return Json{{"jsonrpc", "2.0"}, {"id", id}, {"result", std::move(result)}};
  }
  if (!IsKnownMethod(method))
    return ErrorResponse(id, kMethodNotFound, "Method not found: " + method);
  Result<Json> result = Dispatch(method, params);
  if (!result.ok())
    return ErrorResponse(id, RpcCodeFor(result.status()), result.status().message());
  return Json{{"jsonrpc", "2.0"}, {"id", id}, {"result", std::move(result).value()}};
}

bool McpServer::IsKnownMethod(const std::string& method) {
  return method == "initialize" || method == "ping" || method == "tools/list" ||
         method == "resources/list" || method == "resources/templates/list" ||
         method == "resources/read";
}

Result<Json> McpServer::Dispatch(const std::string& method, const Json& params) {
  if (method == "initialize") return Initialize(params);
  if (method == "ping") return Json::object();
  if (method == "tools/list") return ListTools();
  if (method == "resources/list") return ListResources(params);
  if (method == "resources/templates/list") return ListResourceTemplates();
  if (method == "resources/read") return ReadResource(params);
  return Status::Internal("no dispatch for " + method);
}

Result<Json> McpServer::Initialize(const Json& params) {
  auto requested_it = params.find("protocolVersion");
  if (requested_it != params.end() && !requested_it->is_string()) {
    return Status::InvalidArgument("initialize params.protocolVersion must be a string");
  }
  const std::string requested =
      requested_it == params.end() ? "" : requested_it->get<std::string>();
  version_ = kMcpProtocolVersions[0];
  for (const char* v : kMcpProtocolVersions) {
    if (requested == v) version_ = v;
  }
  return Json{
      {"protocolVersion", version_},
      {"capabilities",
       {{"tools", {{"listChanged", false}}},
        {"resources", {{"subscribe", false}, {"listChanged", false}}}}},
      {"serverInfo", {{"name", "engram"}, {"title", "engram memory"}, {"version", kEngramVersion}}},
      {"instructions", kInstructions}};
}

Json McpServer::ListTools() const {
  Json tools = Json::array();
  for (const Operation& op : table_.operations()) {
    Json tool = {{"name", op.name},
                 {"title", op.title},
                 {"description", op.description},
                 {"inputSchema", op.input_schema},
                 {"annotations",
                  {{"title", op.title},
                   {"readOnlyHint", op.read_only},
                   {"destructiveHint", op.destructive},
                   {"openWorldHint", false}}}};
    // outputSchema arrived in 2025-06-18; older clients don't expect it.
    if (version_ != "2024-11-05") tool["outputSchema"] = op.output_schema;
    tools.push_back(std::move(tool));
  }
  return {{"tools", std::move(tools)}};
}

Json McpServer::CallTool(const Json& params, Status* protocol_error) const {
  auto name = params.find("name");
  if (name == params.end() || !name->is_string()) {
    *protocol_error = Status::InvalidArgument("tools/call needs params.name (a string)");
    return nullptr;
  }
  // By name or by any alias the operation declares (tools/list shows names
  // only; NDJSON and `engram call` accept the aliases too).
  const Operation* op = table_.Find(name->get<std::string>());
  if (op == nullptr) {
    *protocol_error = Status::InvalidArgument("Unknown tool: " + name->get<std::string>());
    return nullptr;
  }
  const Json args = params.value("arguments", Json::object());
  if (!args.is_object()) {
    *protocol_error = Status::InvalidArgument("tools/call params.arguments must be an object");
    return nullptr;
  }
  Result<Json> result = table_.Call(op->name, args);
  if (!result.ok()) {
    return {{"content", {{{"type", "text"}, {"text", result.status().ToString()}}}},
            {"isError", true}};
  }
  Json out = {{"content", {{{"type", "text"}, {"text", DumpJsonLine(*result)}}}},
              {"isError", false}};
  if (version_ != "2024-11-05") out["structuredContent"] = std::move(result).value();
  return out;
}

}  // namespace engram::server
