#include "server/line_server.h"

#include <unistd.h>
#include <cerrno>
#include <csignal>
#include <cstring>

#include <atomic>
#include <string>

namespace engram::server {
namespace {

std::atomic<bool> g_stop{false};

void OnStopSignal(int) { g_stop.store(true); }

void Reply(std::ostream& out, const std::optional<std::string>& reply) {
  if (!reply) return;
  out << *reply << '\n';
  out.flush();
}

}  // namespace

void InstallStopSignalHandlers() {
  struct sigaction sa {};
  sa.sa_handler = OnStopSignal;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = 0;  // no SA_RESTART: a blocked read() returns EINTR
  sigaction(SIGTERM, &sa, nullptr);
  sigaction(SIGINT, &sa, nullptr);
  // A client that closes its end must not kill us mid-write.
  std::signal(SIGPIPE, SIG_IGN);
}

bool StopRequested() { return g_stop.load(); }

Status ServeLines(int in_fd, std::ostream& out, const LineHandler& on_line,
                  const OversizeHandler& on_oversized, const LineServerOptions& options) {
  std::string line;
  bool discarding = false;  // inside an oversized message, until its newline
  std::size_t discarded = 0;
  char buf[64 * 1024];
  while (!StopRequested()) {
    const ssize_t n = ::read(in_fd, buf, sizeof(buf));
    if (n < 0) {
      if (errno == EINTR) continue;
      return Status::IOError(std::string("reading standard input failed: ") + std::strerror(errno));
    }
    if (n == 0) break;  // end of input
    std::string_view chunk(buf, static_cast<std::size_t>(n));
    while (!chunk.empty()) {
      const std::size_t nl = chunk.find('\n');
      const std::string_view part = chunk.substr(0, nl);
      if (discarding) {
        discarded += part.size();
      } else if (line.size() + part.size() > options.max_line_bytes) {
        discarding = true;
        discarded = line.size() + part.size();
        line.clear();
      } else {
        line.append(part);
      }
      if (nl == std::string_view::npos) break;
      chunk.remove_prefix(nl + 1);
      if (discarding) {
        Reply(out, on_oversized(discarded));
        discarding = false;
        discarded = 0;
      } else {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.find_first_not_of(" \t") != std::string::npos) Reply(out, on_line(line));
        line.clear();
      }
      if (StopRequested()) break;
    }
  }
  // A last message without a trailing newline still counts.
  if (!StopRequested() && !discarding && line.find_first_not_of(" \t\r") != std::string::npos) {
    Reply(out, on_line(line));
  }
  out.flush();
  return out ? Status::Ok() : Status::IOError("writing standard output failed");
}

}  // namespace engram::server
