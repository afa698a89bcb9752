// NdjsonServer: the NDJSON stdio framing of the operation table, for
// Electron/Node apps (clients/node).
//
// One JSON object per line: {"id", "action", "payload"} ->
// {"id", "ok": true, "result"} or {"id", "ok": false, "error": {"code",
// "message"}}. Actions are the operation table's names and aliases ("add",
// "search" are lesson aliases whose results also carry the drop-in lists
// ids, documents and metadatas: ndjson_dropin.h), plus "describe", which lists every action
// with its input and output schemas. Error codes are engram's ErrorCode
// names plus "parse_error", "invalid_request", "unknown_action" and
// "payload_too_large". No line ends the server: malformed JSON, nesting
// deeper than kMaxJsonDepth, numbers out of range and invalid UTF-8 are a
// parse_error reply quoting at most a few bytes of the input; an exception
// that still escapes a handler answers "internal".
//
// Ownership: borrows the OperationTable, which must outlive it.
// Thread safety: HandleLine is as thread-safe as the table.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "server/operation.h"

namespace engram::server {

class NdjsonServer {
 public:
  explicit NdjsonServer(const OperationTable& table) : table_(table) {}

  std::optional<std::string> HandleLine(std::string_view line) const;
  std::string OversizedResponse(std::size_t bytes, std::size_t limit) const;

 private:
  Json HandleRequest(std::string_view line) const;
  Json Describe() const;

  const OperationTable& table_;
};

}  // namespace engram::server
