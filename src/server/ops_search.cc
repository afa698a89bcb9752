// Retrieval operations of the dispatch table: search_lessons (alias
// search), retrieve_context, query_memory, add_note, search_notes
// (docs/RETRIEVAL.md).
#include "engram/enum_names.h"
#include "server/args.h"
#include "server/context_advice_schemas.h"
#include "server/json_schema.h"
#include "server/model_schemas.h"
#include "server/operation.h"

namespace engram::server {
namespace {

Json ExplanationSchema() {
  auto n = [](const char* d) { return js::Num(d); };
  return js::Object(
      {{"mode", js::Enum({"hybrid", "bm25"}, "hybrid = BM25 + embeddings; bm25 = no embedder.")},
       {"note", js::Str("Why a component is missing, if one is.")},
       {"bm25", n("Raw BM25, 4 significant digits (0 = no query word matched; a word in half "
                  "the texts or more scores about 2e-6, still a match).")},
       {"lexical", n("BM25 / best BM25 among the candidates.")},
       {"cosine", n("Embedding cosine similarity (hybrid).")},
       {"semantic", n("Min-max normalised cosine (hybrid).")},
       {"relevance", n("(1 - w) lexical + w semantic.")},
       {"confidence_factor", n("1 - cw + cw * confidence.")},
       {"decay", n("0.98 ^ months since last use.")},
       {"months_unused", n("Months since last use (else since update).")},
       {"type_weight", n("Weight of the lesson type.")},
       {"recency", n("exp(-days since update / 90).")},
       {"boost", n("Episodes: reward and context-overlap boost.")},
       {"mmr_penalty", n("Diversity penalty applied by MMR.")},
       {"score", n("Final score.")},
       {"profile", js::Str("Lessons: the opinion profile that weighted the factors.")},
       {"expansion", n("Raw BM25 credited through query-expansion terms, 4 significant "
                       "digits (absent = none).")},
       {"contradiction_factor",
        n("Lessons: score factor for contradicting a more trusted result (absent = 1).")},
       {"coverage", n("Share of the query's idf mass the text holds.")},
       {"matched_idf", n("idf of the query words the text holds, in units of the rarest word.")},
       {"absolute_relevance",
        js::Num("Calibrated probability of relevance, same scale for every query and mode.", 0.0,
                1.0)}},
      {"mode", "bm25", "lexical", "cosine", "semantic", "relevance", "confidence_factor", "decay",
       "months_unused", "type_weight", "recency", "boost", "mmr_penalty", "score", "coverage",
       "matched_idf", "absolute_relevance"},
      "Every component of the score (docs/RETRIEVAL.md).");
}

Json MinRelevanceOut() { return js::Num("The absolute-relevance threshold applied.", 0.0, 1.0); }

Json NoRelevantOut() {
  return js::Bool("True when no result reached min_relevance: nothing relevant is remembered.");
}

Json MinRelevanceArg() {
  return js::Num(
      "Drop results whose absolute relevance is below this (default: the calibrated threshold, "
      "docs/RETRIEVAL.md; 0 keeps every result).",
      0.0, 1.0);
}

Json LessonResultSchema() {
  return js::Object({{"lesson", LessonSchema()},
                     {"score", js::Num("Final score.")},
                     {"tokens", js::Int("Estimated tokens (4 chars each).", 0)},
                     {"explanation", ExplanationSchema()},
                     {"contradicts", js::Array(js::Str("Lesson id."),
                                               "Other results this lesson contradicts (absent = "
                                               "none).")},
                     {"warning", js::Str("Which contradicting lesson is trusted more and how "
                                         "this one was ranked for it.")}},
                    {"lesson", "score", "tokens", "explanation"});
}

Json ProfileSchema() {
  return js::Object(
      {{"name", js::Str("Profile name.")},
       {"description", js::Str("What it favours.")},
       {"source", js::Enum({"built_in", "custom"}, "Built in, or a kv entry of 'profiles'.")},
       {"confidence", js::Num("cw: confidence factor 1 - cw + cw * confidence.")},
       {"recency", js::Num("rw: recency factor 1 + rw * recency.")},
       {"novelty", js::Num("MMR diversity share (lambda = 1 - novelty).")},
       {"safety", js::Num("Gotcha weight 1 + safety, anti_pattern 1 + safety / 2.")}},
      {"name", "description", "source", "confidence", "recency", "novelty", "safety"},
      "The opinion profile that weighted the ranking (docs/LEARNING.md).");
}

Json ExpansionSchema() {
  Json term =
      js::Object({{"term", js::Str("Added term.")},
                  {"source", js::Enum({"tag", "topic", "cluster"}, "Where it was learned.")},
                  {"from", js::Str("The query term that brought it in.")},
                  {"strength", js::Num("Co-occurrence share, or the cluster strength.")}},
                 {"term", "source", "from", "strength"});
  return js::Object({{"enabled", js::Bool("Whether expansion ran (expand argument).")},
                     {"terms", js::Array(term, "Terms added to the query, strongest first.")}},
                    {"enabled", "terms"}, "Query expansion (docs/LEARNING.md).");
}

Json SearchOutputSchema() {
  return js::Object({{"mode", js::Enum({"hybrid", "bm25"}, "Search mode.")},
                     {"note", js::Str("Why the search is BM25 only, if it is.")},
                     {"results", js::Array(LessonResultSchema(), "Best first.")},
                     {"tokens", js::Int("Estimated tokens of all results.", 0)},
                     {"candidates", js::Int("Candidates that passed the filters.", 0)},
                     {"profile", ProfileSchema()},
                     {"expansion", ExpansionSchema()},
                     {"min_relevance", MinRelevanceOut()},
                     {"no_relevant_memory", NoRelevantOut()},
                     {"near_miss", LessonResultSchema()}},
                    {"mode", "results", "tokens", "candidates", "profile", "expansion",
                     "min_relevance", "no_relevant_memory"});
}

Json ContextOutputSchema() {
  Json strings = js::Array(js::Str("text"), "");
  Json episode = js::Object(
      {{"id", js::Str("Episode id.")},
       {"task_type", js::Str("Kind of task.")},
       {"description", js::Str("What the task was.")},
       {"context", TaskContextSchema()},
       {"outcome_kind", js::Nullable(js::Str("Outcome kind."))},
       {"reward_total", js::Nullable(js::Num("Total reward."))},
       {"reflection", js::Nullable(js::Object({{"successes", strings},
                                               {"failures", strings},
                                               {"improvements", strings},
                                               {"insights", strings}},
                                              {}, "What the episode taught."))},
       {"matched_context", js::Array(js::Str("field"), "Context fields equal to the request's.")},
       {"score", js::Num("Final score.")},
       {"explanation", ExplanationSchema()},
       {"what_worked", WhatWorkedSchema()}},
      {"id", "task_type", "description", "context", "outcome_kind", "reward_total", "reflection",
       "matched_context", "score", "explanation", "what_worked"});
  return js::Object(
      {{"mode", js::Enum({"hybrid", "bm25"}, "Search mode.")},
       {"note", js::Str("Why the search is BM25 only, if it is.")},
       {"episodes", js::Array(episode, "Relevant past episodes, best first.")},
       {"lessons", js::Array(LessonResultSchema(), "Relevant lessons, best first.")},
       {"heuristics", js::Array(ContextHeuristicSchema(), "Heuristics that apply.")},
       {"warnings", js::Array(ContextWarningSchema(), "What to avoid.")},
       {"summary", js::Str("Lines an agent can paste; empty = nothing to say.")},
       {"min_relevance", MinRelevanceOut()},
       {"no_relevant_memory", NoRelevantOut()},
       {"near_miss", js::Object({{"episode", episode}, {"lesson", LessonResultSchema()}}, {},
                                "For each empty list, its dropped result of "
                                "highest absolute relevance.")}},
      {"mode", "episodes", "lessons", "heuristics", "warnings", "summary", "min_relevance",
       "no_relevant_memory"});
}

Json NoteSchema() {
  return js::Object({{"id", js::Int("Note id.")},
                     {"thread", js::Str("Thread.")},
                     {"position", js::Int("Position in the thread.", 0)},
                     {"speaker", js::Str("Who wrote it.")},
                     {"text", js::Str("The note.")},
                     {"timestamp", js::Int("Unix ms.")},
                     {"metadata", js::AnyObject("Extra JSON.")},
                     {"project", js::Str("Project it belongs to (\"\" = global).")}},
                    {"id", "thread", "position", "speaker", "text", "timestamp", "metadata"});
}

Result<Json> SearchLessons(Engine& engine, const Json& args) {
  SearchRequest r;
  r.query = StringArg(args, "query");
  r.project = OptStringArg(args, "project");
  if (auto t = OptStringArg(args, "type")) {
    ENGRAM_ASSIGN_OR_RETURN(r.type, ParseLessonType(*t));
  }
  r.topic = OptStringArg(args, "topic");
  r.tags = StringListArg(args, "tags");
  r.min_confidence = OptNumberArg(args, "min_confidence");
  r.include_deprecated = BoolArg(args, "include_deprecated");
  r.limit = static_cast<int>(IntArg(args, "limit", IntArg(args, "k", 10)));
  r.token_budget = static_cast<int>(IntArg(args, "token_budget", 0));
  r.diversify = BoolArg(args, "diversify", true);
  r.profile = StringArg(args, "profile");
  r.expand = BoolArg(args, "expand", true);
  r.min_relevance = OptNumberArg(args, "min_relevance");
  ENGRAM_ASSIGN_OR_RETURN(SearchResponse resp, engine.SearchLessons(r));
  return ToJson(resp);
}

Result<Json> RetrieveContext(Engine& engine, const Json& args) {
  ContextRequest r;
  r.description = StringArg(args, "description");
  ENGRAM_ASSIGN_OR_RETURN(r.context, TaskContextFromJson(ObjectArg(args, "context")));
  if (auto t = OptStringArg(args, "task_type")) {
    ENGRAM_ASSIGN_OR_RETURN(r.task_type, ParseTaskType(*t));
  }
  r.episode_limit = static_cast<int>(IntArg(args, "episode_limit", 5));
  r.lesson_limit = static_cast<int>(IntArg(args, "lesson_limit", 5));
  r.token_budget = static_cast<int>(IntArg(args, "token_budget", 0));
  r.profile = StringArg(args, "profile");
  r.include_other_projects = BoolArg(args, "include_other_projects");
  r.min_relevance = OptNumberArg(args, "min_relevance");
  ENGRAM_ASSIGN_OR_RETURN(ContextResponse resp, engine.RetrieveContext(r));
  return ToJson(resp);
}

Result<Json> QueryMemory(Engine& engine, const Json& args) {
  ContextRequest r;
  r.description = StringArg(args, "query");
  if (auto p = OptStringArg(args, "project")) r.context.project = *p;
  int limit = static_cast<int>(IntArg(args, "limit", 5));
  r.episode_limit = limit;
  r.lesson_limit = limit;
  r.include_other_projects = BoolArg(args, "include_other_projects");
  r.min_relevance = OptNumberArg(args, "min_relevance");
  if (auto t = OptStringArg(args, "task_type")) {
    ENGRAM_ASSIGN_OR_RETURN(r.only_task_type, ParseTaskType(*t));
  }
  if (auto d = OptStringArg(args, "domain"); d && !d->empty()) r.only_domain = *d;
  ENGRAM_ASSIGN_OR_RETURN(ContextResponse resp, engine.RetrieveContext(r));
  return ToJson(resp);
}

Result<Json> AddNote(Engine& engine, const Json& args) {
  NewNote n;
  n.thread = StringArg(args, "thread");
  n.text = StringArg(args, "text");
  n.speaker = StringArg(args, "speaker");
  n.position = OptIntArg(args, "position");
  n.timestamp = OptIntArg(args, "timestamp");
  n.metadata = ObjectArg(args, "metadata");
  n.project = StringArg(args, "project");
  ENGRAM_ASSIGN_OR_RETURN(Note added, engine.AddNote(n));
  return ToJson(added);
}

Result<Json> SearchNotes(Engine& engine, const Json& args) {
  NoteSearchRequest r;
  r.query = StringArg(args, "query");
  r.thread = OptStringArg(args, "thread");
  r.project = StringArg(args, "project");
  r.limit = static_cast<int>(IntArg(args, "limit", 10));
  ENGRAM_ASSIGN_OR_RETURN(NoteSearchResponse resp, engine.SearchNotes(r));
  return ToJson(resp);
}

Json ProfileArg() {
  return js::Str(
      "Opinion profile weighting the ranking: default, pragmatic (recent), strict (confident, "
      "warnings first), startup (fresh, varied), enterprise (proven, safety) or a custom one "
      "stored in kv namespace 'profiles'.");
}

Json OtherProjectsArg() {
  return js::Bool(
      "Also return other projects' episodes (default false: only episodes without a project "
      "and the given project's).");
}

}  // namespace

void AddSearchOperations(std::vector<Operation>& ops) {
  Json context_arg =
      js::Object({{"language", js::Str("Programming language, e.g. typescript.")},
                  {"framework", js::Str("Framework or library, e.g. react.")},
                  {"domain", js::Str("Area, e.g. web, cli, embedded.")},
                  {"project", js::Str("Project id: its lessons and episodes count.")},
                  {"tags", js::Array(js::Str("tag"), "Free tags, lower-case.")},
                  {"complexity", js::Enum(ComplexityNames(), "Expected difficulty.")}},
                 {}, "Where the new task happens.");
  ops.push_back(Operation{
      "search_lessons",
      {"search"},
      "Search lessons",
      "Find the lessons most relevant to a question or task, by keywords and meaning (hybrid "
      "BM25 + embeddings), ranked with confidence, decay since last use, type and recency. "
      "With a project, that project's lessons are included (never another project's). Each "
      "result explains its score.",
      js::Object(
          {{"query", js::Str("What you need to know, in words or identifiers.")},
           {"project", js::Str("Include this project's lessons.")},
           {"type", js::Enum(LessonTypeNames(), "Only this kind.")},
           {"topic", js::Str("Only this topic.")},
           {"tags", js::Array(js::Str("tag"), "Lessons carrying all these tags.")},
           {"min_confidence", js::Num("Minimum confidence.", 0.0, 1.0)},
           {"include_deprecated", js::Bool("Include deprecated lessons.")},
           {"limit", js::Int("Maximum results (default 10).", 1, 100)},
           {"k", js::Int("Same as limit (the name document stores use); limit wins.", 1, 100)},
           {"token_budget", js::Int("Pack the best results into this many tokens.", 0, kMaxCount)},
           {"diversify", js::Bool("Diversify near-duplicates with MMR (default true).")},
           {"profile", ProfileArg()},
           {"expand", js::Bool("Expand the query with related topics, tags and cluster "
                               "terms learned from the lessons (default true).")},
           {"min_relevance", MinRelevanceArg()}},
          {"query"}),
      SearchOutputSchema(),
      true,
      false,
      SearchLessons});
  ops.push_back(Operation{
      "retrieve_context",
      {},
      "Retrieve context for a task",
      "Before starting a task: past episodes similar to it (with their reflections: what "
      "worked, what failed), boosted by reward and matching context, plus relevant lessons.",
      js::Object({{"description", js::Str("The new task, in one or two sentences.")},
                  {"context", context_arg},
                  {"task_type", js::Enum(TaskTypeNames(), "Kind of task.")},
                  {"episode_limit", js::Int("Maximum episodes (default 5).", 1, 50)},
                  {"lesson_limit", js::Int("Maximum lessons (default 5).", 0, 50)},
                  {"token_budget", js::Int("Token budget for the lessons.", 0, kMaxCount)},
                  {"profile", ProfileArg()},
                  {"include_other_projects", OtherProjectsArg()},
                  {"min_relevance", MinRelevanceArg()}},
                 {"description"}),
      ContextOutputSchema(),
      true,
      false,
      RetrieveContext});
  ops.push_back(Operation{
      "query_memory",
      {},
      "Query memory",
      "Search everything engram remembers (lessons and past episodes) for a query; "
      "task_type and domain keep only the episodes of that kind of task or area.",
      js::Object({{"query", js::Str("What to look for.")},
                  {"project", js::Str("Include this project's memories.")},
                  {"task_type", js::Enum(TaskTypeNames(),
                                         "Only episodes of this kind of task (lessons "
                                         "have none and are not filtered).")},
                  {"domain", js::Str("Only episodes of this domain, e.g. web (lessons have none "
                                     "and are not filtered; empty = any).")},
                  {"limit", js::Int("Maximum lessons and episodes each (default 5).", 1, 50)},
                  {"include_other_projects", OtherProjectsArg()},
                  {"min_relevance", MinRelevanceArg()}},
                 {"query"}),
      ContextOutputSchema(),
      true,
      false,
      QueryMemory});
  ops.push_back(Operation{
      "add_note",
      {},
      "Add a note",
      "Store a short text (a conversation turn, an observation) in an ordered thread, to "
      "search later with search_notes.",
      js::Object(
          {{"thread", js::Str("Thread id, e.g. a conversation or session.")},
           {"text", js::Str("The note.")},
           {"speaker", js::Str("Who said or wrote it.")},
           {"position", js::Int("Position in the thread (default: next).", 0)},
           {"timestamp", js::Int("Unix ms (default now).", kMinTimestampMs, kMaxTimestampMs)},
           {"metadata", js::AnyObject("Any extra JSON.")},
           {"project", js::Str("Project it belongs to (default: global).")}},
          {"thread", "text"}),
      NoteSchema(),
      false,
      false,
      AddNote});
  ops.push_back(Operation{
      "search_notes",
      {},
      "Search notes",
      "Find the notes most relevant to a query (BM25, plus embeddings when configured), with "
      "context smoothing over neighbouring notes of the same thread.",
      js::Object({{"query", js::Str("What to look for.")},
                  {"thread", js::Str("Only this thread (default: all).")},
                  {"project", js::Str("Global notes plus this project's (never another "
                                      "project's); default: global notes only.")},
                  {"limit", js::Int("Maximum results (default 10).", 1, 1000)}},
                 {"query"}),
      js::Object({{"mode", js::Enum({"hybrid", "bm25"}, "Search mode.")},
                  {"note", js::Str("Why the search is BM25 only, if it is.")},
                  {"results", js::Array(js::Object({{"note", NoteSchema()},
                                                    {"score", js::Num("Smoothed score.")},
                                                    {"bm25", js::Num("Raw BM25.")},
                                                    {"cosine", js::Num("Cosine (hybrid).")},
                                                    {"base", js::Num("Score before smoothing.")}},
                                                   {"note", "score", "bm25", "cosine", "base"}),
                                        "Best first.")}},
                 {"mode", "results"}),
      true,
      false,
      SearchNotes});
}

}  // namespace engram::server
