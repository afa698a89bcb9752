// Where engram-bench finds its data sets when no flag names them: the
// directory $ENGRAM_BENCH_DATA if set and non-empty, else the compiled-in
// <source dir>/../shared/bench-data (the data sets are not in the
// repository). Only engram-bench and the bench tests link this; the product
// `engram` binary holds no source-tree path.
//
// Ownership: src/bench/. Thread safety: reentrant (reads the environment).
#pragma once

#include <string>

namespace engram::bench {

// $ENGRAM_BENCH_DATA, else <source dir>/../shared/bench-data.
std::string DefaultBenchDataDir();

// DefaultBenchDataDir() + "/locomo-dev.json".
std::string DefaultLocomoPath();

}  // namespace engram::bench
