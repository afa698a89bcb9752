// McpServer: the Model Context Protocol (JSON-RPC 2.0) framing of the
// operation table.
//
// Handles initialize (protocol versions 2025-11-25, 2025-06-18, 2024-11-05),
// ping, tools/list, tools/call, resources/list, resources/templates/list and
// resources/read; ignores notifications and client responses. Each operation
// of the table is one tool with its inputSchema and outputSchema; a tool's
// success carries structuredContent plus the same JSON as text; a failure is
// a tool result with isError and a message (so the model can correct
// itself). Protocol errors are JSON-RPC errors with standard codes. No
// line ends the server: malformed JSON, nesting deeper than kMaxJsonDepth,
// numbers out of range, invalid UTF-8, wrong member types and messages
// without a method each get an error reply (id null when it has none),
// and an exception that still escapes a handler answers internal error.
//
// Ownership: borrows the OperationTable and Engine, which must outlive it.
// Thread safety: HandleMessage is not reentrant (it keeps session state).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "engram/engine.h"
#include "server/operation.h"

namespace engram::server {

class McpServer {
 public:
  McpServer(const OperationTable& table, Engine& engine);

  // One incoming line -> the response line, or nullopt for notifications.
  std::optional<std::string> HandleLine(std::string_view line);
  // The response to a message that exceeded the size limit.
  std::string OversizedResponse(std::size_t bytes, std::size_t limit) const;

  const std::string& negotiated_version() const { return version_; }

 private:
  static bool IsKnownMethod(const std::string& method);
  std::optional<Json> HandleLineJson(std::string_view line);
  std::optional<Json> HandleMessage(const Json& msg);
  Result<Json> Dispatch(const std::string& method, const Json& params);
  Result<Json> Initialize(const Json& params);
  Json ListTools() const;
  Json CallTool(const Json& params, Status* protocol_error) const;
  // params.project (a string, optional): global lessons and episodes plus
  // that project's; without it, global ones only (docs/MCP.md, "Projects").
  Result<Json> ListResources(const Json& params);
  Json ListResourceTemplates() const;
  Result<Json> ReadResource(const Json& params);

  const OperationTable& table_;
  Engine& engine_;
  std::string version_;  // empty until initialize
};

// Supported protocol versions, newest first.
extern const char* const kMcpProtocolVersions[3];

}  // namespace engram::server
