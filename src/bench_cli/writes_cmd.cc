// `engram-bench writes`: lessons per second written through the NDJSON
// framing, one add_lesson per line (the baseline) against add_lessons
// batches, in the same run, on a scratch store (--work). The embedder is
// the configured one (ENGRAM_EMBEDDER; --bm25 for none), so run it with and
// without to see what embedding costs. Lessons are synthetic, distinct,
// spread over 20 topics. The two ways alternate, B lessons one by one then
// B in one call, so both write into a store of the same size.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "bench_cli/commands.h"
#include "cli/context.h"
#include "server/ndjson_server.h"
#include "server/operation.h"

namespace engram::cli {
namespace {

// A distinct, plausible lesson from a small vocabulary.
Json SyntheticLesson(int i) {
  static const std::vector<std::string> kThings = {
      "cache",  "retry",  "timeout", "migration", "index",   "promise", "mutex",  "socket",
      "schema", "token",  "cursor",  "buffer",    "queue",   "config",  "logger", "fixture",
      "bundle", "router", "session", "worker",    "handler", "parser",  "stream", "lock"};
  static const std::vector<std::string> kVerbs = {"leaks",  "blocks", "races",  "overflows",
                                                  "drifts", "stalls", "breaks", "expires"};
  auto at = [](const std::vector<std::string>& v, int k) {
    return v[static_cast<std::size_t>(k) % v.size()];
  };
  const std::string a = at(kThings, i), b = at(kThings, i / 3 + 7), v = at(kVerbs, i / 5);
  const std::string n = std::to_string(i);
  return Json{{"topic", "area-" + std::to_string(i % 20)},
              {"title", "When the " + a + " " + v + " near the " + b + " (case " + n + ")"},
              {"content", "Case " + n + ": the " + a + " " + v + " whenever the " + b +
                              " is reused across requests. Give each request its own " + b +
                              ", bound the " + a + " and test with " + n + " parallel calls."},
              {"tags", Json::array({a, b})},
              {"on_duplicate", "allow"}};
}

double Median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

struct Phase {
  double seconds = 0;
  std::vector<double> call_ms;
};

// Sends `request`, adding its time to `phase`.
Status Send(const server::NdjsonServer& ndjson, const Json& request, Phase& phase) {
  const auto t0 = std::chrono::steady_clock::now();
  std::optional<std::string> reply = ndjson.HandleLine(request.dump());
  const double ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  phase.call_ms.push_back(ms);
  phase.seconds += ms / 1000;
  if (!reply || reply->find("\"ok\":true") == std::string::npos) {
    return Status::Internal("a write failed: " + reply.value_or("(no reply)").substr(0, 300));
  }
  return Status::Ok();
}

}  // namespace

void AddBenchWrites(CLI::App& parent, Context& ctx) {
  struct Args {
    int n = 1000;
    int batch = 100;
    std::string work = "/tmp/engram-writes";
    bool bm25 = false;
  };
  auto a = std::make_shared<Args>();
  CLI::App* cmd = parent.add_subcommand(
      "writes", "Lessons/s over NDJSON: one add_lesson per line vs add_lessons batches");
  cmd->add_option("--n", a->n, "Lessons per phase")
      ->check(CLI::Range(1, 1000000))
      ->capture_default_str();
  cmd->add_option("--batch", a->batch, "Lessons per add_lessons call")
      ->check(CLI::Range(1, 1000))
      ->capture_default_str();
  cmd->add_option("--work", a->work, "Scratch directory (its store is replaced)")
      ->capture_default_str();
  cmd->add_flag("--bm25", a->bm25, "No embedder (keyword search only)");
  OnRun(cmd, ctx, [a](Context& c) -> Status {
    ENGRAM_ASSIGN_OR_RETURN(Engine * engine, OpenScratchEngine(c, a->work, "writes.db", a->bm25));
    server::OperationTable table(*engine);
    server::NdjsonServer ndjson(table);
    Phase one, many;
    for (int i = 0; i < a->n; i += a->batch) {
      const int end = std::min(a->n, i + a->batch);
      Json lessons = Json::array();
      for (int k = i; k < end; ++k) {
        ENGRAM_RETURN_IF_ERROR(
            Send(ndjson, Json{{"id", k}, {"action", "add_lesson"}, {"payload", SyntheticLesson(k)}},
                 one));
        lessons.push_back(SyntheticLesson(a->n + k));
      }
      ENGRAM_RETURN_IF_ERROR(Send(
          ndjson, Json{{"id", i}, {"action", "add_lessons"}, {"payload", {{"lessons", lessons}}}},
          many));
    }
    const double one_rate = a->n / one.seconds;
    const double many_rate = a->n / many.seconds;
    const std::string embedder =
        engine->embedder() != nullptr ? engine->embedder()->model_id() : "none";
    Json j{{"n", a->n},
           {"batch", a->batch},
           {"embedder", embedder},
           {"single", {{"lessons_per_s", one_rate}, {"median_call_ms", Median(one.call_ms)}}},
           {"batched", {{"lessons_per_s", many_rate}, {"median_call_ms", Median(many.call_ms)}}},
           {"speedup", many_rate / one_rate}};
    c.Emit(j, [&](std::ostream& os) {
      os << "embedder " << embedder << ", " << a->n << " lessons per phase\n"
         << "  add_lesson, one per line : " << one_rate << " lessons/s (median "
         << Median(one.call_ms) << " ms per call)\n"
         << "  add_lessons, " << a->batch << " per call : " << many_rate << " lessons/s (median "
         << Median(many.call_ms) << " ms per call)\n"
         << "  speedup " << many_rate / one_rate << "x\n";
    });
    return Status::Ok();
  });
}

}  // namespace engram::cli
