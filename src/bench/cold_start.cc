#include "bench/cold_start.h"

#include <chrono>
#include <stop_token>
#include <thread>

#include "bench/scale_util.h"

namespace engram::bench {

Result<Json> MeasureColdStart(const ColdStartOptions& options) {
  EngineOptions eo = options.engine;
  eo.lesson_index.background = true;
  const auto t0 = Clock::now();
  ENGRAM_ASSIGN_OR_RETURN(std::unique_ptr<Engine> engine, Engine::OpenSqlite(options.db_path, eo));
  const double open_ms = MsSince(t0);
  // As the servers do: the warm-up on its own thread from the start.
  std::jthread warm([&engine](std::stop_token stop) {
    WarmOptions o;
    o.stop = std::move(stop);
    (void)engine->Warm(o);
  });
  SearchRequest r;
  r.query = options.query;
  r.limit = 10;
  r.min_relevance = 0.0;
  ENGRAM_ASSIGN_OR_RETURN(SearchResponse first, engine->SearchLessons(r));
  const double first_ms = MsSince(t0);
  Json out{{"open_ms", open_ms},
           {"first_answer_ms", first_ms},
           {"first_mode", first.mode},
           {"first_note", first.note},
           {"first_results", first.results.size()}};
  // Until a search is hybrid over a current index (polled every 10 ms).
  const auto give_up = t0 + std::chrono::seconds(options.max_wait_s);
  for (;;) {
    const LessonIndexStatus s = engine->lesson_index_status();
    if (s.building.empty() && !s.build_error.empty()) {
      return Status::Internal("the background index build failed: " + s.build_error);
    }
    if (s.loaded && s.building.empty()) {
      ENGRAM_ASSIGN_OR_RETURN(SearchResponse resp, engine->SearchLessons(r));
      if (resp.mode == "hybrid" && resp.note.empty()) {
        out["full_hybrid_ms"] = MsSince(t0);
        out["index_items"] = s.items;
        out["rebuilds"] = s.rebuilds;
        break;
      }
    }
    if (Clock::now() > give_up) return Status::Unavailable("no hybrid search within the wait");
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  warm.request_stop();
  return out;
}

}  // namespace engram::bench
