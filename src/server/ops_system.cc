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
  ENGRAM_ASSIGN_OR_RETURN(StoreStats stats, engine.store().Stats());
  return Json{{"status", "ok"},
              {"version", kEngramVersion},
              {"schema_version", stats.schema_version},
              {"db_path", stats.path},
              {"journal_mode", stats.journal_mode}};
}

Result<Json> GetMetrics(Engine& engine, const Json&) {
  ENGRAM_ASSIGN_OR_RETURN(StoreStats stats, engine.store().Stats());
  return ToJson(stats);
}

Result<Json> VerifyStore(Engine& engine, const Json&) {
  ENGRAM_RETURN_IF_ERROR(engine.store().Verify());
  return Json{{"ok", true}};
}

}  // namespace

void AddSystemOperations(std::vector<Operation>& ops) {
  const Json no_args = js::Object({}, {});
  ops.push_back(
      Operation{"health_check",
                {"health"},
                "Health check",
                "Check that engram and its store are working; returns version and database facts.",
                no_args,
                js::Object({{"status", js::Enum({"ok"}, "ok when healthy.")},
                            {"version", js::Str("engram version.")},
                            {"schema_version", js::Int("Database schema version.")},
                            {"db_path", js::Str("Database file.")},
                            {"journal_mode", js::Str("SQLite journal mode.")}},
                           {"status", "version", "schema_version", "db_path"}),
                true,
                false,
                HealthCheck});
  ops.push_back(Operation{"get_metrics",
                          {"metrics"},
                          "Store metrics",
                          "Counts of episodes, steps, lessons, versions, embeddings and kv "
                          "entries, and the database size.",
                          no_args,
                          StoreStatsSchema(),
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
