// Schemas of the "what worked" fields (context_advice_schemas.h).
#include "server/context_advice_schemas.h"

#include "server/json_schema.h"

namespace engram::server {

Json WhatWorkedSchema() {
  Json steps = js::Array(js::Str("\"<tool>: <action>\""), "");
  Json recovery = js::Object(
      {{"failed", js::Str("The failing step and its error: \"bash: npm test failed: ...\".")},
       {"failed_step", js::Int("Number of its first failed run.", 0)},
       {"attempts", js::Int("Failed runs before it passed.", 1)},
       {"tried", js::Array(js::Str("step"), "Steps after which it failed again.")},
       {"fix", js::Array(js::Str("step"), "Steps between its last failure and the passing run.")},
       {"verified", js::Str("The run that passed: \"bash: npm test passed\".")},
       {"verified_step", js::Int("Number of the passing run.", 0)},
       {"text", js::Str("failed -> fix -> verified on one line.")}},
      {"failed", "failed_step", "attempts", "tried", "fix", "verified", "verified_step", "text"});
  return js::Object(
      {{"worked", js::Bool("The outcome is success or partial.")},
       {"recovery", js::Array(recovery, "Failures and what fixed them, in step order.")},
       {"approach", js::Array(js::Str("step"), "Final working approach (empty unless worked).")},
       {"unresolved", js::Array(js::Str("step"), "Failures never followed by a passing run.")}},
      {"worked", "recovery", "approach", "unresolved"},
      "What worked in the episode, as actions (docs/RETRIEVAL.md, \"What worked\").");
}

Json ContextHeuristicSchema() {
  return js::Object(
      {{"id", js::Str("Heuristic id (list_heuristics).")},
       {"action", js::Str("\"do: <step>\".")},
       {"description", js::Str("The rule in words, with its counts.")},
       {"confidence", js::Num("Wilson lower bound of its success rate.")},
       {"effectiveness", js::Num("Confidence blended with feedback.")},
       {"matched_by", js::Array(js::Enum({"context", "episodes"}, "Why it applies."), "")},
       {"episode_ids", js::Array(js::Str("id"), "Returned episodes among its evidence.")}},
      {"id", "action", "description", "confidence", "effectiveness", "matched_by", "episode_ids"});
}

Json ContextWarningSchema() {
  return js::Object({{"kind", js::Enum({"avoid_heuristic", "anti_pattern", "gotcha",
                                        "failed_episode", "unresolved_error", "did_not_help"},
                                       "What the warning comes from.")},
                     {"source_id", js::Str("Heuristic, lesson or episode id.")},
                     {"text", js::Str("What to avoid.")}},
                    {"kind", "source_id", "text"});
}

}  // namespace engram::server
