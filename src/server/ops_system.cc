// System operations of the dispatch table: health_check, get_metrics,
// verify_store.
#include "engram/version.h"
#include "server/args.h"
#include "server/json_schema.h"
#include "server/model_schemas.h"
#include "server/operation.h"

namespace engram::server {
namespace {

Result<Json> HealthCheck(Engine& engine, const Json&) {
  ENGRAM_ASSIGN_OR_RETURN(StoreStats stats, engine.Stats());
  Json out{{"status", "ok"},
           {"version", kEngramVersion},
           {"schema_version", stats.schema_version},
           {"db_path", stats.path},
           {"journal_mode", stats.journal_mode}};
  // Serving, but something cannot be written: say what.
  Json problems = Json::array();
  const LessonIndexStatus index = engine.lesson_index_status();
  if (!index.save_error.empty()) {
    problems.push_back("the lesson index file cannot be written (" + index.save_error +
                       "); the index serves from memory");
  }
  if (!index.build_error.empty()) {
    problems.push_back("the lesson index could not be built in the background (" +
                       index.build_error + "); searches answer from BM25 alone");
  }
  // Where the lesson vector index stands: searches say so in their note too.
  Json li{{"loaded", index.loaded}, {"items", index.items}};
  if (!index.building.empty()) {
    li["building"] = index.building;
    li["done"] = index.build_done;
    li["total"] = index.build_total;
  }
  out["lesson_index"] = std::move(li);
  if (!problems.empty()) {
    out["status"] = "degraded";
    out["problems"] = std::move(problems);
  }
  return out;
}

Result<Json> GetMetrics(Engine& engine, const Json&) {
  ENGRAM_ASSIGN_OR_RETURN(StoreStats stats, engine.Stats());
  Json out = ToJson(stats);
  const WarmStatus warm = engine.warm_status();
  Json w{{"state", WarmStateName(warm.state)}};
  if (warm.state == WarmState::kDone || warm.state == WarmState::kStopped) {
    w["seconds"] = warm.stats.seconds;
    w["vector_index_loaded"] = warm.stats.vector_index_loaded;
    w["vector_items"] = warm.stats.vector_items;
    w["lesson_words"] = warm.stats.lessons.words;
    w["lesson_postings"] = warm.stats.lessons.postings;
    w["episode_words"] = warm.stats.episodes.words;
    w["episode_postings"] = warm.stats.episodes.postings;
    w["page_bytes"] = warm.stats.pages.bytes;
  }
  if (warm.state == WarmState::kFailed) w["error"] = warm.error;
  out["warm_up"] = std::move(w);
  return out;
}

// get_metrics: the store's counts and the warm-up's state.
Json MetricsSchema() {
  Json schema = StoreStatsSchema();
  const Json n = js::Int("Count.", 0);
  schema["properties"]["warm_up"] = js::Object(
      {{"state", js::Enum({"not_run", "running", "done", "stopped", "failed"},
                          "The background warm-up a server starts (not_run with --no-warm).")},
       {"seconds", js::Num("How long it took.", 0.0)},
       {"vector_index_loaded", js::Bool("The lesson vector index is in memory.")},
       {"vector_items", n},
       {"lesson_words", js::Int("Lesson words whose postings are held.", 0)},
       {"lesson_postings", n},
       {"episode_words", js::Int("Episode words whose postings are held.", 0)},
       {"episode_postings", n},
       {"page_bytes", js::Int("Bytes of store pages read into the OS page cache.", 0)},
       {"error", js::Str("Why it failed (queries then load what they need).")}},
      {"state"}, "Loading the index, frequent words' postings and store pages ahead of queries.");
  return schema;
}

Result<Json> VerifyStore(Engine& engine, const Json&) {
  ENGRAM_RETURN_IF_ERROR(engine.Verify());
  return Json{{"ok", true}};
}

}  // namespace

void AddSystemOperations(std::vector<Operation>& ops) {
  const Json no_args = js::Object({}, {});
  ops.push_back(Operation{
      "health_check",
      {"health"},
      "Health check",
      "Check that engram and its store are working; returns version and database facts, "
      "and what is degraded (e.g. an index file that cannot be written).",
      no_args,
      js::Object({{"status", js::Enum({"ok", "degraded"},
                                      "ok when healthy; degraded when it serves but "
                                      "cannot write something (see problems).")},
                  {"problems",
                   js::Array(js::Str("One problem."), "What is degraded (only when degraded).")},
                  {"version", js::Str("engram version.")},
                  {"schema_version", js::Int("Database schema version.")},
                  {"db_path", js::Str("Database file.")},
                  {"journal_mode", js::Str("SQLite journal mode.")},
                  {"lesson_index",
                   js::Object({{"loaded", js::Bool("A vector index is in memory.")},
                               {"items", js::Int("Lessons it holds.", 0)},
                               {"building", js::Str("Work under way in the background: "
                                                    "loading the model, loading, embedding, "
                                                    "building, catching up (absent when none).")},
                               {"done", js::Int("Units done (bytes or lessons).", 0)},
                               {"total", js::Int("Units in all (0 = unknown).", 0)}},
                              {"loaded", "items"},
                              "The lesson vector index (searches answer from BM25 alone "
                              "until it is loaded, and say so).")}},
                 {"status", "version", "schema_version", "db_path"}),
      true,
      false,
      HealthCheck});
  ops.push_back(Operation{"get_metrics",
                          {"metrics"},
                          "Store metrics",
                          "Counts of episodes, steps, lessons, versions, embeddings and kv "
                          "entries, the database size, and the start-up warm-up's state.",
                          no_args,
                          MetricsSchema(),
                          true,
                          false,
                          GetMetrics});
  ops.push_back(Operation{"verify_store",
                          {},
                          "Verify the store",
                          "Run integrity checks on the database; fails with a description of "
                          "the first problems found.",
                          no_args,
                          js::Object({{"ok", js::Bool("true when every check passed.")}}, {"ok"}),
                          true,
                          false,
                          VerifyStore});
}

}  // namespace engram::server
