// Key-value operations of the dispatch table: put, get, list, delete.
#include "server/args.h"
#include "server/json_schema.h"
#include "server/model_schemas.h"
#include "server/operation.h"

namespace engram::server {
namespace {

std::pair<std::string, Json> NsField() {
  return {"namespace", js::Str("Namespace, e.g. the agent's name.")};
}
std::pair<std::string, Json> KeyField() { return {"key", js::Str("Key within the namespace.")}; }

Result<Json> KvPut(Engine& engine, const Json& args) {
  KvPutOptions options;
  if (auto ttl = OptIntArg(args, "ttl_seconds")) options.ttl_ms = *ttl * 1000;
  options.expected_version = OptIntArg(args, "expected_version");
  ENGRAM_ASSIGN_OR_RETURN(KvEntry entry,
                          engine.KvPut(StringArg(args, "namespace"), StringArg(args, "key"),
                                       args.at("value"), options));
  return ToJson(entry);
}

Result<Json> KvGet(Engine& engine, const Json& args) {
  ENGRAM_ASSIGN_OR_RETURN(KvEntry entry,
                          engine.KvGet(StringArg(args, "namespace"), StringArg(args, "key")));
  return ToJson(entry);
}

Result<Json> KvList(Engine& engine, const Json& args) {
  ENGRAM_ASSIGN_OR_RETURN(auto entries,
                          engine.KvList(StringArg(args, "namespace"), StringArg(args, "prefix"),
                                        static_cast<int>(IntArg(args, "limit", 100))));
  Json items = Json::array();
  for (const auto& e : entries) items.push_back(ToJson(e));
  return ListResult("entries", std::move(items));
}

Result<Json> KvDelete(Engine& engine, const Json& args) {
  const std::string ns = StringArg(args, "namespace");
  const std::string key = StringArg(args, "key");
  ENGRAM_RETURN_IF_ERROR(engine.KvDelete(ns, key));
  return Json{{"deleted", true}, {"namespace", ns}, {"key", key}};
}

}  // namespace

void AddKvOperations(std::vector<Operation>& ops) {
  ops.push_back(Operation{
      "kv_put",
      {},
      "Store a value",
      "Store agent state that is neither an episode nor a lesson (cursors, preferences) as JSON "
      "under namespace/key. Each put increments the version; expected_version makes it a "
      "compare-and-set (0 = the key must not exist).",
      js::Object({NsField(),
                  KeyField(),
                  {"value", js::AnyValue("Any JSON value.")},
                  {"ttl_seconds", js::Int("Expire after this many seconds.", 1, kMaxKvTtlSeconds)},
                  {"expected_version", js::Int("Only write if the version is this.", 0)}},
                 {"namespace", "key", "value"}),
      KvEntrySchema(),
      false,
      false,
      KvPut});
  ops.push_back(Operation{"kv_get",
                          {},
                          "Read a value",
                          "Read the value stored under namespace/key.",
                          js::Object({NsField(), KeyField()}, {"namespace", "key"}),
                          KvEntrySchema(),
                          true,
                          false,
                          KvGet});
  ops.push_back(
      Operation{"kv_list",
                {},
                "List values",
                "List the entries of a namespace whose keys start with prefix.",
                js::Object({NsField(),
                            {"prefix", js::Str("Key prefix (default: all).")},
                            {"limit", js::Int("Maximum results (default 100).", 1, 10000)}},
                           {"namespace"}),
                js::Object({{"entries", js::Array(KvEntrySchema(), "Entries, by key.")},
                            {"count", js::Int("Number returned.")}},
                           {"entries", "count"}),
                true,
                false,
                KvList});
  ops.push_back(Operation{"kv_delete",
                          {},
                          "Delete a value",
                          "Delete the entry under namespace/key.",
                          js::Object({NsField(), KeyField()}, {"namespace", "key"}),
                          js::Object({{"deleted", js::Bool("Always true.")}, NsField(), KeyField()},
                                     {"deleted", "namespace", "key"}),
                          false,
                          true,
                          KvDelete});
}

}  // namespace engram::server
