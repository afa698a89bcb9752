// ServeLines: the stdio transport shared by the MCP and NDJSON servers.
//
// Reads newline-delimited messages from a file descriptor, hands each to a
// handler, and writes the handler's reply (if any) followed by a newline,
// flushing after every reply so pipelined requests get their responses in
// order. A message longer than `max_line_bytes` is discarded up to its
// newline and reported through `on_oversized`. Returns at end of input or
// after SIGTERM/SIGINT (InstallStopSignalHandlers): the message being
// handled finishes (its writes are committed) before the loop exits.
//
// Thread safety: one ServeLines per process at a time (it owns the signal
// flag).
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>

#include "engram/status.h"

namespace engram::server {

struct LineServerOptions {
  // Largest accepted message, newline excluded.
  std::size_t max_line_bytes = 8 * 1024 * 1024;
};

using LineHandler = std::function<std::optional<std::string>(std::string_view line)>;
using OversizeHandler = std::function<std::optional<std::string>(std::size_t bytes)>;

// Makes SIGTERM and SIGINT stop ServeLines after the current message.
void InstallStopSignalHandlers();
// True once a stop signal arrived.
bool StopRequested();

Status ServeLines(int in_fd, std::ostream& out, const LineHandler& on_line,
                  const OversizeHandler& on_oversized, const LineServerOptions& options = {});

}  // namespace engram::server
