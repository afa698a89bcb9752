// DefaultBenchDataDir (see bench/data_paths.h).
#include "bench/data_paths.h"

#include <cstdlib>

namespace engram::bench {

std::string DefaultBenchDataDir() {
  if (const char* env = std::getenv("ENGRAM_BENCH_DATA"); env != nullptr && *env != '\0') {
    return env;
  }
  return std::string(ENGRAM_REPO_DIR) + "/../shared/bench-data";
}

std::string DefaultLocomoPath() { return DefaultBenchDataDir() + "/locomo-dev.json"; }

}  // namespace engram::bench
