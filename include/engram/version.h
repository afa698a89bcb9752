// The engram version string, shared by `engram version`, health_check and
// the MCP serverInfo.
//
// Thread safety: a constant.
#pragma once

namespace engram {
inline constexpr const char* kEngramVersion = "0.1.0";
}  // namespace engram
