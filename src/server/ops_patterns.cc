// Pattern and heuristic operations of the dispatch table: analyze_patterns,
// list_patterns, get_pattern, pattern_feedback, list_heuristics
// (docs/LEARNING.md, "Patterns and heuristics").
#include "engram/pattern_learning.h"
#include "server/args.h"
#include "server/json_schema.h"
#include "server/operation.h"

namespace engram::server {
namespace {

const std::vector<std::string> kKinds = {"sequence", "error_recovery", "decision_point", "context"};

Json PatternSchema() {
  return js::Object(
      {{"id", js::Str("Pattern id (deterministic: same pattern, same id).")},
       {"kind", js::Enum(kKinds, "What kind of pattern.")},
       {"signature", js::Str("Canonical form: steps as tool:normalised action.")},
       {"description", js::Str("The pattern in words.")},
       {"context", js::AnyObject("task_type/language/framework/domain where first seen.")},
       {"support", js::Int("Distinct episodes it occurred in.", 0)},
       {"successes", js::Int("Of them, episodes that succeeded.", 0)},
       {"occurrences", js::Int("Total occurrences across those episodes.", 0)},
       {"success_rate", js::Num("successes / support.", 0, 1)},
       {"wilson_lower", js::Num("Wilson lower bound (z 1.96) of the success rate.", 0, 1)},
       {"lift", js::Num("success_rate minus the success rate of episodes without it.", -1, 1)},
       {"p_value",
        js::Num("Fisher's exact test, one-sided: episodes with it succeed more often.", 0, 1)},
       {"mean_latency_ms", js::Num("Mean latency of the pattern's steps.", 0)},
       {"first_seen", js::Int("ms since epoch.")},
       {"last_seen", js::Int("ms since epoch.")},
       {"feedback", js::AnyObject("Applied-pattern feedback counts by signal.")},
       {"effectiveness", js::Num("Blend of wilson_lower and feedback; ranks patterns.", 0, 1)}},
      {"id", "kind", "signature", "support", "successes", "effectiveness"});
}

Json HeuristicSchema() {
  return js::Object(
      {{"id", js::Str("Heuristic id (deterministic).")},
       {"condition", js::AnyObject("Context fields that must match.")},
       {"action", js::Str("'do: <step>' or 'avoid: <step>'.")},
       {"description", js::Str("The rule with its counts, in words.")},
       {"evidence", js::AnyObject("Episode ids and success counts with and without, lift, the "
                                  "test (p_value, q_value, odds_ratio, alpha, hypotheses).")},
       {"sample_size", js::Int("Episodes with the action.", 0)},
       {"successes", js::Int("Of them, outcomes the rule predicts.", 0)},
       {"confidence", js::Num("Wilson lower bound of successes / sample_size.", 0, 1)},
       {"p_value", js::Num("Fisher's exact test, one-sided in the rule's direction.", 0, 1)},
       {"q_value", js::Num("Benjamini-Hochberg adjusted p_value; kept when <= alpha.", 0, 1)},
       {"lift", js::Num("Success rate with the action minus without.", -1, 1)},
       {"updated_at", js::Int("ms since epoch.")},
       {"feedback", js::AnyObject("Feedback counts by signal.")},
       {"effectiveness", js::Num("Blend of confidence and feedback.", 0, 1)}},
      {"id", "condition", "action", "sample_size", "successes", "confidence"});
}

Json ProjectArg() {
  return js::Str(
      "Only what episodes without a project and this project's episodes show (never another "
      "project's actions or episode ids); default: every episode.");
}

Json ContextArgs(std::vector<std::pair<std::string, Json>> extra) {
  std::vector<std::pair<std::string, Json>> props = {
      {"task_type", js::Str("Only this task type, e.g. debugging.")},
      {"language", js::Str("Only this language, e.g. typescript.")},
      {"framework", js::Str("Only this framework, e.g. jest.")},
      {"domain", js::Str("Only this domain, e.g. web.")},
      {"kind", js::Enum(kKinds, "Only this kind of pattern.")},
      {"min_support", js::Int("Minimum episodes a pattern occurred in.", 1, kMaxCount)},
      {"project", ProjectArg()}};
  for (auto& e : extra) props.push_back(std::move(e));
  return js::Object(props, {});
}

Result<std::optional<PatternKind>> KindArg(const Json& args) {
  std::optional<PatternKind> kind;
  if (auto k = OptStringArg(args, "kind")) {
    ENGRAM_ASSIGN_OR_RETURN(kind, ParsePatternKind(*k));
  }
  return kind;
}

// The filter fields analyze_patterns and list_patterns share; min_support
// and limit keep each op's own default.
template <typename Request>
Status ReadPatternFilter(const Json& args, std::int64_t min_support, int limit, Request& r) {
  ENGRAM_ASSIGN_OR_RETURN(r.kind, KindArg(args));
  r.task_type = StringArg(args, "task_type");
  r.language = StringArg(args, "language");
  r.framework = StringArg(args, "framework");
  r.domain = StringArg(args, "domain");
  r.min_support = IntArg(args, "min_support", min_support);
  r.limit = static_cast<int>(IntArg(args, "limit", limit));
  r.project = OptStringArg(args, "project");
  return Status::Ok();
}

Result<Json> AnalyzePatterns(Engine& engine, const Json& args) {
  PatternAnalysisRequest req;
  ENGRAM_RETURN_IF_ERROR(ReadPatternFilter(args, 2, 10, req));
  req.learn_heuristics = BoolArg(args, "learn", true);
  req.min_success_rate = OptNumberArg(args, "min_success_rate").value_or(0.0);
  ENGRAM_ASSIGN_OR_RETURN(PatternAnalysis a, engine.patterns().Analyze(req));
  return ToJson(a);
}

Result<Json> ListPatterns(Engine& engine, const Json& args) {
  PatternFilter filter;
  ENGRAM_RETURN_IF_ERROR(ReadPatternFilter(args, 1, 20, filter));
  filter.offset = static_cast<int>(IntArg(args, "offset", 0));
  PatternLearning learning = engine.patterns();
  ENGRAM_ASSIGN_OR_RETURN(auto patterns, learning.ListPatterns(filter));
  Json items = Json::array();
  for (const auto& p : patterns) {
    ENGRAM_ASSIGN_OR_RETURN(Json j, learning.Explain(p));
    items.push_back(std::move(j));
  }
  return ListResult("patterns", std::move(items));
}

Result<Json> GetPattern(Engine& engine, const Json& args) {
  PatternLearning learning = engine.patterns();
  const std::string id = StringArg(args, "pattern_id");
  const std::optional<std::string> project = OptStringArg(args, "project");
  ENGRAM_ASSIGN_OR_RETURN(Pattern p, learning.GetPattern(id, project));
  ENGRAM_ASSIGN_OR_RETURN(auto episodes, learning.PatternEpisodes(id, 50, project));
  ENGRAM_ASSIGN_OR_RETURN(Json out, learning.Explain(p));
  out["episode_ids"] = episodes;
  return out;
}

Result<Json> PatternFeedback(Engine& engine, const Json& args) {
  PatternFeedbackRequest req;
  ENGRAM_ASSIGN_OR_RETURN(req.target, ParseFeedbackTarget(StringArg(args, "target", "pattern")));
  req.target_id = StringArg(args, "id");
  ENGRAM_ASSIGN_OR_RETURN(req.signal, ParseFeedbackSignal(StringArg(args, "signal")));
  req.episode_id = StringArg(args, "episode_id");
  req.actor = StringArg(args, "actor");
  req.note = StringArg(args, "note");
  ENGRAM_ASSIGN_OR_RETURN(PatternFeedbackResult r, engine.patterns().RecordFeedback(req));
  return ToJson(r);
}

Result<Json> ListHeuristics(Engine& engine, const Json& args) {
  ENGRAM_ASSIGN_OR_RETURN(
      auto hs, engine.patterns().ListHeuristics(static_cast<int>(IntArg(args, "limit", 20)),
                                                OptStringArg(args, "project")));
  Json items = Json::array();
  for (const auto& h : hs) items.push_back(ToJson(h));
  return ListResult("heuristics", std::move(items));
}

Json ListOf(const char* key, Json item) {
  return js::Object({{key, js::Array(std::move(item), "Items, best first.")},
                     {"count", js::Int("Number of items.", 0)}},
                    {key, "count"});
}

}  // namespace

void AddPatternOperations(std::vector<Operation>& ops) {
  ops.push_back(Operation{
      "analyze_patterns",
      {},
      "Analyze patterns",
      "Before starting a task, ask what worked before in a similar context: returns the most "
      "effective patterns mined across past episodes (step sequences, error -> recovery, "
      "decision points, approaches per context) and condition -> action heuristics learned by "
      "contrasting successful and failed episodes, each with its evidence (episode counts, "
      "success rate, Wilson lower bound). Re-learns heuristics first unless learn is false.",
      ContextArgs(
          {{"limit", js::Int("Patterns and heuristics returned, each (default 10).", 1, 1000)},
           {"learn", js::Bool("Re-learn heuristics from all episodes first (default "
                              "true).")},
           {"min_success_rate",
            js::Num("Leave out patterns whose success_rate is below this (0..1, default 0; "
                    "heuristics are not filtered by it).",
                    0.0, 1.0)}}),
      js::Object({{"patterns", js::Array(PatternSchema(), "By effectiveness.")},
                  {"heuristics", js::Array(HeuristicSchema(), "Matching the context.")},
                  {"heuristics_learned", js::Bool("Whether heuristics were re-learned.")},
                  {"episodes_analyzed", js::Int("Completed episodes used to learn.", 0)}},
                 {"patterns", "heuristics", "heuristics_learned", "episodes_analyzed"}),
      false,
      false,
      AnalyzePatterns});
  ops.push_back(
      Operation{"list_patterns",
                {},
                "List patterns",
                "List mined patterns with support, success rate and effectiveness, ranked by "
                "effectiveness. Filter by kind, context and minimum support.",
                ContextArgs({{"limit", js::Int("Page size (default 20).", 1, 10000)},
                             {"offset", js::Int("Skip this many (default 0).", 0, kMaxCount)}}),
                ListOf("patterns", PatternSchema()),
                true,
                false,
                ListPatterns});
  ops.push_back(Operation{
      "get_pattern",
      {},
      "Get a pattern",
      "One pattern with its statistics and the ids of the episodes it occurred in (newest 50).",
      js::Object({{"pattern_id", js::Str("Id from list_patterns or analyze_patterns.")},
                  {"project", ProjectArg()}},
                 {"pattern_id"}),
      [] {
        Json s = PatternSchema();
        s["properties"]["episode_ids"] = js::Array(js::Str("episode id"), "Newest first.");
        return s;
      }(),
      true,
      false,
      GetPattern});
  ops.push_back(Operation{
      "pattern_feedback",
      {},
      "Report an applied pattern",
      "Tell engram you applied a pattern or heuristic and whether it helped, had no effect or "
      "hindered. Its effectiveness (and so its rank) moves accordingly.",
      js::Object({{"id", js::Str("Pattern or heuristic id.")},
                  {"target", js::Enum({"pattern", "heuristic"},
                                      "What id names (default "
                                      "pattern).")},
                  {"signal", js::Enum({"helped", "no_effect", "hindered"}, "What happened.")},
                  {"episode_id", js::Str("Episode where it was applied.")},
                  {"actor", js::Str("Who reports, e.g. agent:claude.")},
                  {"note", js::Str("Free text.")}},
                 {"id", "signal"}),
      js::Object({{"feedback", js::AnyObject("The stored feedback event.")},
                  {"effectiveness_before", js::Num("Before the report.", 0, 1)},
                  {"effectiveness_after", js::Num("After the report.", 0, 1)},
                  {"counts", js::AnyObject("Feedback counts after the report.")}},
                 {"feedback", "effectiveness_before", "effectiveness_after", "counts"}),
      false,
      false,
      PatternFeedback});
  ops.push_back(Operation{
      "list_heuristics",
      {},
      "List heuristics",
      "List learned condition -> action heuristics with their evidence, by confidence. Run "
      "analyze_patterns to (re-)learn them.",
      js::Object(
          {{"limit", js::Int("Maximum returned (default 20).", 1, 10000)},
           {"project", js::Str("Heuristics learned now from episodes without a project and this "
                               "project's only (never another project's); default: the stored "
                               "heuristics, learned from every episode.")}},
          {}),
      ListOf("heuristics", HeuristicSchema()),
      true,
      false,
      ListHeuristics});
}

}  // namespace engram::server
