// The `engram-bench` program (docs/BENCH.md): every benchmark command, kept
// out of the product `engram` binary. Each command registers itself under
// the program's root; main.cc runs them with cli::RunProgram.
//
//   locomo   (locomo_cmd.cc)    LoCoMo turn-level recall@k of note search
//   scale    (scale_cmd.cc)     HNSW, exact, BM25, hybrid and sqlite-vec at scale
//   context  (context_cmd.cc)   whether retrieve_context names the planted fix
//   patterns (patterns_cmd.cc)  precision/recall of mined patterns
//   abstain  (abstain_cmd.cc)   recall with/without the relevance threshold
//   writes   (writes_cmd.cc)    lessons/s, add_lesson vs add_lessons
//   lessons  (lessons_cmd.cc)   symptom -> lesson R@1/R@5/MRR, engine vs BM25 vs dense
//
// Ownership: src/bench_cli/. Thread safety: one invocation, one thread.
#pragma once

#include <memory>
#include <string>

#include "engram/engine.h"
#include "engram/status.h"

namespace CLI {
class App;
}  // namespace CLI

namespace engram::cli {

class Context;

// The Engine of a benchmark's scratch store <work>/<file> (scratch.cc):
// creates `work`, deletes an earlier store there (with its WAL, shared
// memory and HNSW files) and opens a fresh one through `ctx`, never the
// user's database. `keyword_only`: no embedder (Context::OpenEngine).
Result<Engine*> OpenScratchEngine(Context& ctx, const std::string& work, const std::string& file,
                                  bool keyword_only);

// A second scratch store <work>/<file>, replaced like OpenScratchEngine's,
// opened without an embedder and owned by the caller.
Result<std::unique_ptr<Engine>> OpenScratchKeywordEngine(const std::string& work,
                                                         const std::string& file);

void AddBenchLocomo(CLI::App& parent, Context& ctx);
void AddBenchScale(CLI::App& parent, Context& ctx);
void AddBenchContext(CLI::App& parent, Context& ctx);
void AddBenchPatterns(CLI::App& parent, Context& ctx);
void AddBenchAbstain(CLI::App& parent, Context& ctx);
void AddBenchWrites(CLI::App& parent, Context& ctx);
void AddBenchLessons(CLI::App& parent, Context& ctx);

}  // namespace engram::cli
