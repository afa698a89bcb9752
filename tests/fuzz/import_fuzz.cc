// libFuzzer target: `db import` (ImportJsonl, tests/fuzz/README.md). The
// input is an export file; importing it into the shared store must return
// a Status (any), never crash, and leave a store that still answers.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <string>

#include "engram/export.h"
#include "fuzz_engine.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  engram::fuzz::FuzzEngine& fe = engram::fuzz::SharedEngine();
  std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
  (void)engram::ImportJsonl(fe.engine->store(), in);
  if (!fe.table->Call("health_check", engram::Json::object()).ok()) {
    std::fprintf(stderr, "fuzz: the store stopped answering after an import\n");
    abort();
  }
  return 0;
}
