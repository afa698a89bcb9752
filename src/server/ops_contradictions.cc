// Contradiction operations of the dispatch table: list_contradictions
// (optionally scanning first), resolve_contradiction, dismiss_contradiction.
#include "engram/contradiction_checker.h"
#include "server/args.h"
#include "server/json_schema.h"
#include "server/model_schemas.h"
#include "server/operation.h"

namespace engram::server {
namespace {

Json ContradictionSchema() {
  return js::Object(
      {{"id", js::Str("Contradiction id.")},
       {"lesson_a", js::Str("One lesson (the smaller id).")},
       {"lesson_b", js::Str("The other lesson.")},
       {"reason", js::Str("Why they contradict: opposite stance or version mismatch, with the "
                          "shared subject.")},
       {"score", js::Num("Subject similarity, 0..1.", 0.0, 1.0)},
       {"status", js::Enum({"open", "resolved", "dismissed"}, "State.")},
       {"winner", js::Str("The lesson kept, once resolved.")},
       {"created_at", js::Int("Detected at, ms since the epoch.", 0)},
       {"resolved_at", js::Int("Closed at, ms since the epoch.", 0)}},
      {"id", "lesson_a", "lesson_b", "reason", "score", "status", "created_at"});
}

Result<Json> ListContradictions(Engine& engine, const Json& args) {
  std::optional<ContradictionStatus> status;
  const std::string s = StringArg(args, "status", "open");
  if (s != "all") {
    ENGRAM_ASSIGN_OR_RETURN(status, ParseContradictionStatus(s));
  }
  ContradictionChecker checker = engine.contradictions();
  std::size_t fresh = 0;
  if (BoolArg(args, "scan")) {
    ENGRAM_ASSIGN_OR_RETURN(auto found, checker.Scan());
    fresh = found.size();
  }
  ENGRAM_ASSIGN_OR_RETURN(auto list,
                          checker.List(status, static_cast<int>(IntArg(args, "limit", 50)),
                                       OptStringArg(args, "project")));
  Json items = Json::array();
  for (const auto& c : list) items.push_back(ToJson(c));
  Json out = ListResult("contradictions", std::move(items));
  out["new"] = fresh;
  return out;
}

Result<Json> ResolveContradiction(Engine& engine, const Json& args) {
  ENGRAM_ASSIGN_OR_RETURN(ContradictionResolution r,
                          engine.contradictions().Resolve(StringArg(args, "contradiction_id"),
                                                          StringArg(args, "keep")));
  return ToJson(r);
}

Result<Json> DismissContradiction(Engine& engine, const Json& args) {
  ENGRAM_ASSIGN_OR_RETURN(Contradiction c,
                          engine.contradictions().Dismiss(StringArg(args, "contradiction_id")));
  return ToJson(c);
}

}  // namespace

void AddContradictionOperations(std::vector<Operation>& ops) {
  ops.push_back(Operation{
      "list_contradictions",
      {},
      "List contradicting lessons",
      "Pairs of lessons on the same topic and subject with opposite advice (do vs avoid, "
      "best_practice vs anti_pattern) or different framework majors, each with the reason. "
      "Contradictions are detected when lessons are added or updated; scan=true first compares "
      "every live lesson. Resolve one with resolve_contradiction.",
      js::Object({{"status", js::Enum({"open", "resolved", "dismissed", "all"},
                                      "Which ones (default open).")},
                  {"scan", js::Bool("Compare every live lesson first (default false).")},
                  {"project", js::Str("Only contradictions between global lessons and this "
                                      "project's (never another project's); default: all.")},
                  {"limit", js::Int("At most this many (default 50).", 1, 10000)}},
                 {}),
      js::Object({{"contradictions", js::Array(ContradictionSchema(), "Newest first.")},
                  {"count", js::Int("Number returned.", 0)},
                  {"new", js::Int("Newly found by the scan.", 0)}},
                 {"contradictions", "count", "new"}),
      false,
      false,
      ListContradictions});
  ops.push_back(Operation{
      "resolve_contradiction",
      {},
      "Resolve a contradiction",
      "Keep one lesson of a contradiction; the other is deprecated with superseded_by set to the "
      "kept one. Its history is kept; nothing is deleted.",
      js::Object({{"contradiction_id", js::Str("The contradiction's id.")},
                  {"keep", js::Str("Id of the lesson to keep (one of its two lessons).")}},
                 {"contradiction_id", "keep"}),
      js::Object({{"contradiction", ContradictionSchema()},
                  {"kept", LessonSchema()},
                  {"superseded", LessonSchema()}},
                 {"contradiction", "kept", "superseded"}),
      false,
      false,
      ResolveContradiction});
  ops.push_back(Operation{
      "dismiss_contradiction",
      {},
      "Dismiss a contradiction",
      "Close a flagged contradiction as not a real conflict; both lessons stay as they are.",
      js::Object({{"contradiction_id", js::Str("The contradiction's id.")}}, {"contradiction_id"}),
      ContradictionSchema(),
      false,
      false,
      DismissContradiction});
}

}  // namespace engram::server
