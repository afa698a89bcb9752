#include "server/model_schemas.h"

#include "engram/enum_names.h"
#include "server/json_schema.h"

namespace engram::server {
namespace {

Json Ms(const char* what) { return js::Int(std::string(what) + " (ms since epoch)."); }
Json Strings(const char* what) { return js::Array(js::Str(""), what); }

}  // namespace

Json TaskContextSchema() {
  return js::Object({{"language", js::Str("Language.")},
                     {"framework", js::Str("Framework.")},
                     {"domain", js::Str("Domain.")},
                     {"project", js::Str("Project id.")},
                     {"tags", Strings("Tags.")},
                     {"complexity", js::Enum(ComplexityNames(), "Difficulty.")}},
                    {"language", "framework", "domain", "project", "tags", "complexity"});
}

Json StepSchema() {
  return js::Object({{"number", js::Int("1-based position.", 1)},
                     {"tool", js::Str("Tool used.")},
                     {"action", js::Str("What was done.")},
                     {"parameters", js::AnyObject("Tool parameters.")},
                     {"result", js::Object({{"status", js::Enum(StepStatusNames(), "Result.")},
                                            {"output", js::Str("Output or error message.")}},
                                           {"status", "output"})},
                     {"latency_ms", js::Int("Duration.", 0)},
                     {"tokens", js::Int("Tokens spent.", 0)},
                     {"observation", js::Str("What was concluded.")},
                     {"timestamp", Ms("When")}},
                    {"number", "tool", "action", "parameters", "result", "latency_ms", "tokens",
                     "observation", "timestamp"});
}

Json OutcomeSchema() {
  return js::Object({{"kind", js::Enum(OutcomeKindNames(), "Kind.")},
                     {"verdict", js::Str("success: what was achieved.")},
                     {"artifacts", Strings("success: what was produced.")},
                     {"completed", Strings("partial: sub-goals done.")},
                     {"failed", Strings("partial: sub-goals not done.")},
                     {"reason", js::Str("failure/abstained: why.")},
                     {"details", js::Str("failure: details.")},
                     {"stopped_at_step", js::Int("abstained: last step.", 0)}},
                    {"kind"});
}

Json EpisodeSchema() {
  const Json score = js::Num("Component score.");
  return js::Object(
      {{"id", js::Str("Episode id.")},
       {"task_type", js::Str("Kind of task.")},
       {"description", js::Str("The task.")},
       {"context", TaskContextSchema()},
       {"steps", js::Array(StepSchema(), "Steps in order.")},
       {"outcome", OutcomeSchema()},
       {"reward",
        js::Object({{"base", score},
                    {"efficiency", score},
                    {"complexity", score},
                    {"quality", score},
                    {"learning", score},
                    {"total", js::Num("Total reward.", 0.0, 1.0)},
                    {"notes", Strings("Why each component has its value.")}},
                   {"base", "efficiency", "complexity", "quality", "learning", "total", "notes"},
                   "Reward components (docs/REWARD.md); set when completed.")},
       {"reflection", js::Object({{"successes", Strings("What worked.")},
                                  {"failures", Strings("What failed.")},
                                  {"improvements", Strings("What to try next time.")},
                                  {"insights", Strings("Observations.")}},
                                 {"successes", "failures", "improvements", "insights"},
                                 "Reflection; set when completed.")},
       {"started_at", Ms("Start")},
       {"ended_at", Ms("End")},
       {"metadata", js::AnyObject("Extra JSON.")}},
      {"id", "task_type", "description", "context", "steps", "started_at", "metadata"});
}

Json EpisodeSummarySchema() {
  return js::Object({{"id", js::Str("Episode id.")},
                     {"task_type", js::Str("Kind of task.")},
                     {"description", js::Str("The task.")},
                     {"context", TaskContextSchema()},
                     {"outcome_kind", js::Str("Outcome kind, when completed.")},
                     {"reward_total", js::Num("Total reward, when completed.")},
                     {"step_count", js::Int("Steps logged.", 0)},
                     {"started_at", Ms("Start")},
                     {"ended_at", Ms("End")}},
                    {"id", "task_type", "description", "context", "step_count", "started_at"});
}

Json LessonSchema() {
  return js::Object(
      {{"id", js::Str("Lesson id.")},
       {"type", js::Enum(LessonTypeNames(), "Kind.")},
       {"topic", js::Str("Topic.")},
       {"title", js::Str("Title.")},
       {"content", js::Str("Content.")},
       {"confidence", js::Num("Confidence.", 0.0, 1.0)},
       {"scope", js::Enum(LessonScopeNames(), "Scope.")},
       {"project", js::Str("Project id (scope project).")},
       {"source", js::Enum(LessonSourceNames(), "Origin.")},
       {"tags", Strings("Tags.")},
       {"situations", Strings("Situations it applies to (absent when none).")},
       {"created_at", Ms("Created")},
       {"updated_at", Ms("Updated")},
       {"last_used_at", Ms("Last used")},
       {"use_count", js::Int("Times a search or context retrieval returned it.", 0)},
       {"deprecated", js::Bool("No longer valid.")},
       {"version", js::Int("Version, 1 for the first.", 1)},
       {"superseded_by", js::Str("The lesson kept instead of this one (resolved contradiction).")},
       {"metadata", js::AnyObject("The caller's own keys (absent when none).")}},
      {"id", "type", "topic", "title", "content", "confidence", "scope", "project", "source",
       "tags", "created_at", "updated_at", "deprecated", "version"});
}

Json LessonVersionSchema() {
  return js::Object({{"lesson", LessonSchema()},
                     {"superseded_at", Ms("Superseded")},
                     {"reason", js::Str("Why it changed.")}},
                    {"lesson", "superseded_at", "reason"});
}

Json KvEntrySchema() {
  return js::Object({{"ns", js::Str("Namespace.")},
                     {"key", js::Str("Key.")},
                     {"value", js::AnyValue("The stored JSON value.")},
                     {"version", js::Int("Version, 1 after the first put.", 1)},
                     {"created_at", Ms("Created")},
                     {"updated_at", Ms("Updated")},
                     {"expires_at", Ms("Expiry")}},
                    {"ns", "key", "value", "version", "created_at", "updated_at"});
}

Json StoreStatsSchema() {
  const Json n = js::Int("Count.", 0);
  return js::Object(
      {{"path", js::Str("Database file.")},
       {"schema_version", js::Int("Schema version.")},
       {"file_bytes", js::Int("File size in bytes.", 0)},
       {"episodes", n},
       {"completed_episodes", n},
       {"steps", n},
       {"lessons", n},
       {"deprecated_lessons", n},
       {"lesson_versions", n},
       {"embeddings", n},
       {"kv_entries", n},
       {"journal_mode", js::Str("SQLite journal mode.")},
       {"page_checksums", js::Bool("Every page carries a checksum checked on read.")}},
      {"path", "schema_version", "episodes", "lessons", "kv_entries"});
}

}  // namespace engram::server
