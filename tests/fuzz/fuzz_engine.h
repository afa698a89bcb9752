// Shared set-up of the libFuzzer targets (tests/fuzz/README.md): one Engine
// over a SQLite store in a fresh temporary directory, opened on first use
// and kept for the whole run (an input's writes stay for the next ones, as
// in a long-lived server), BM25 only (no embedder), and the invariant every
// target checks: a reply is one line of valid JSON.
//
// Ownership: the Engine and the table live until the process exits.
// Thread safety: libFuzzer calls a target from one thread.
#pragma once

#include <stdlib.h>

#include <cstdio>
#include <memory>
#include <string>
#include <string_view>

#include "engram/engine.h"
#include "server/operation.h"

namespace engram::fuzz {

struct FuzzEngine {
  std::unique_ptr<Engine> engine;
  std::unique_ptr<server::OperationTable> table;
};

inline FuzzEngine& SharedEngine() {
  static FuzzEngine* fe = [] {
    char tmpl[] = "/tmp/engram-fuzz-XXXXXX";
    if (mkdtemp(tmpl) == nullptr) abort();
    auto* out = new FuzzEngine;
    Result<std::unique_ptr<Engine>> engine = Engine::OpenSqlite(std::string(tmpl) + "/fuzz.db");
    if (!engine.ok()) {
      std::fprintf(stderr, "fuzz: cannot open the engine: %s\n",
                   engine.status().ToString().c_str());
      abort();
    }
    out->engine = std::move(engine).value();
    out->table = std::make_unique<server::OperationTable>(*out->engine);
    return out;
  }();
  return *fe;
}

// Aborts (a finding) unless `reply` is one line of valid JSON.
inline void CheckReply(std::string_view reply) {
  if (reply.find('\n') != std::string_view::npos) {
    std::fprintf(stderr, "fuzz: a reply spans lines\n");
    abort();
  }
  if (Json::parse(reply, nullptr, /*allow_exceptions=*/false).is_discarded()) {
    std::fprintf(stderr, "fuzz: a reply is not valid JSON: %.300s\n", std::string(reply).c_str());
    abort();
  }
}

// Calls `handle` on each line of the input, as ServeLines would.
template <class Handle>
void ForEachLine(const std::uint8_t* data, std::size_t size, const Handle& handle) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  while (!input.empty()) {
    const std::size_t end = input.find('\n');
    std::string_view line = input.substr(0, end);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.find_first_not_of(" \t") != std::string_view::npos) handle(line);
    if (end == std::string_view::npos) break;
    input.remove_prefix(end + 1);
  }
}

}  // namespace engram::fuzz
