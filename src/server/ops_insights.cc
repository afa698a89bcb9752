// Learning-insight operations of the dispatch table: list_clusters,
// list_profiles, promote_lesson, audit (docs/LEARNING.md).
#include "engram/audit.h"
#include "engram/clusters.h"
#include "engram/opinion_profile.h"
#include "engram/promotion.h"
#include "server/args.h"
#include "server/json_schema.h"
#include "server/model_schemas.h"
#include "server/operation.h"

namespace engram::server {
namespace {

Result<Json> ListClusters(Engine& engine, const Json& args) {
  ClusterRequest r;
  r.project = OptStringArg(args, "project");
  r.include_deprecated = BoolArg(args, "include_deprecated");
  r.min_similarity = OptNumberArg(args, "min_similarity");
  r.max_lessons = static_cast<int>(IntArg(args, "max_lessons", r.max_lessons));
  r.label_terms = static_cast<int>(IntArg(args, "label_terms", r.label_terms));
  ENGRAM_ASSIGN_OR_RETURN(ClusterReport report, engine.clusterer().Cluster(r));
  return ToJson(report);
}

Json ClustersOutputSchema() {
  Json member = js::Object({{"id", js::Str("Lesson id.")},
                            {"title", js::Str("Lesson title.")},
                            {"topic", js::Str("Lesson topic.")},
                            {"type", js::Str("Lesson type.")},
                            {"confidence", js::Num("Lesson confidence.")},
                            {"project", js::Nullable(js::Str("Project of a project lesson."))}},
                           {"id", "title", "topic", "type", "confidence", "project"});
  Json cluster = js::Object(
      {{"id", js::Int("1-based, largest cluster first.", 1)},
       {"label", js::Array(js::Str("term"), "Most distinctive terms (TF-IDF).")},
       {"size", js::Int("Members.", 1)},
       {"members", js::Array(member, "Lessons of the theme.")},
       {"cohesion", js::Num("Mean pairwise similarity of the members.")},
       {"mean_confidence", js::Num("Mean confidence of the members.")},
       {"single_low_confidence", js::Bool("One member, below the confidence threshold.")},
       {"open_contradictions",
        js::Nullable(js::Int("Open contradictions between members; null = not available.", 0))},
       {"flags", js::Array(js::Str("flag"), "single_low_confidence, contradiction.")}},
      {"id", "label", "size", "members", "cohesion", "mean_confidence", "single_low_confidence",
       "open_contradictions", "flags"});
  return js::Object(
      {{"vectors", js::Enum({"embedding", "text"}, "Embeddings, or TF-IDF text vectors.")},
       {"model_id", js::Str("Embedder model of the vectors.")},
       {"note", js::Str("Why text vectors; what is not available.")},
       {"min_similarity", js::Num("Average-link merge threshold used.")},
       {"lessons", js::Int("Lessons clustered.", 0)},
       {"truncated", js::Bool("More lessons than max_lessons (the newest were used).")},
       {"contradictions_available", js::Bool("Whether contradiction flags were computed.")},
       {"clusters", js::Array(cluster, "Themes, largest first.")}},
      {"vectors", "min_similarity", "lessons", "truncated", "contradictions_available",
       "clusters"});
}

Json ProfileSchema() {
  return js::Object(
      {{"name", js::Str("Profile name.")},
       {"description", js::Str("What it favours.")},
       {"source", js::Enum({"built_in", "custom"}, "Where it is defined.")},
       {"confidence", js::Num("Confidence weight cw.")},
       {"recency", js::Num("Recency weight rw.")},
       {"novelty", js::Num("MMR diversity share.")},
       {"safety", js::Num("Preference for gotcha / anti_pattern warnings.")}},
      {"name", "description", "source", "confidence", "recency", "novelty", "safety"});
}

Result<Json> ListProfiles(Engine& engine, const Json&) {
  ENGRAM_ASSIGN_OR_RETURN(std::vector<OpinionProfile> profiles, engine.ListOpinionProfiles());
  Json out = Json::array();
  for (const OpinionProfile& p : profiles) out.push_back(ToJson(p));
  return Json{{"profiles", out}};
}

Result<Json> Promote(Engine& engine, const Json& args) {
  ENGRAM_ASSIGN_OR_RETURN(
      Lesson lesson, engine.PromoteLesson(StringArg(args, "lesson_id"), StringArg(args, "reason")));
  return ToJson(lesson);
}

Result<Json> Audit(Engine& engine, const Json& args) {
  AuditOptions o;
  o.project = OptStringArg(args, "project");
  o.top = static_cast<int>(IntArg(args, "top", o.top));
  o.low_confidence = OptNumberArg(args, "low_confidence").value_or(o.low_confidence);
  o.stale_days = static_cast<int>(IntArg(args, "stale_days", o.stale_days));
  o.thin_topic_lessons = static_cast<int>(IntArg(args, "thin_topic_lessons", o.thin_topic_lessons));
  o.weak_topic_confidence =
      OptNumberArg(args, "weak_topic_confidence").value_or(o.weak_topic_confidence);
  ENGRAM_ASSIGN_OR_RETURN(AuditReport report, engine.auditor().Run(o));
  return ToJson(report);
}

Json AuditOutputSchema() {
  Json lesson =
      js::Object({{"id", js::Str("Lesson id.")},
                  {"title", js::Str("Title.")},
                  {"topic", js::Str("Topic.")},
                  {"confidence", js::Num("Confidence.")},
                  {"project", js::Nullable(js::Str("Project of a project lesson."))},
                  {"last_used_at", js::Nullable(js::Int("Last use, Unix ms."))},
                  {"retrievals", js::Int("Times a search or context retrieval returned it.", 0)},
                  {"uses", js::Int("Feedback events reporting an application.", 0)},
                  {"positive", js::Int("helped + accepted + tests_passed events.", 0)},
                  {"negative", js::Int("hindered + rejected + harmful events.", 0)},
                  {"days_idle", js::Num("Days since last use, else since update.")}},
                 {"id", "title", "topic", "confidence", "project", "last_used_at", "retrievals",
                  "uses", "positive", "negative", "days_idle"});
  Json topic = js::Object({{"topic", js::Str("Topic.")},
                           {"lessons", js::Int("Lessons.", 1)},
                           {"mean_confidence", js::Num("Mean confidence.")},
                           {"reasons", js::Array(js::Enum({"thin", "weak"}, "reason"),
                                                 "thin: few lessons; weak: low confidence.")}},
                          {"topic", "lessons", "mean_confidence", "reasons"});
  Json section = js::Object({{"available", js::Bool("Whether the store keeps this data.")},
                             {"note", js::Str("Why it is not available.")},
                             {"items", js::Array(js::AnyValue("item"), "Entries.")}},
                            {"available", "items"});
  Json counts = js::Object({{"lessons", js::Int("Lessons audited (not deprecated).", 0)},
                            {"deprecated", js::Int("Deprecated lessons.", 0)},
                            {"global", js::Int("Global lessons.", 0)},
                            {"per_project", js::AnyObject("Project -> lessons.")}},
                           {"lessons", "deprecated", "global", "per_project"});
  return js::Object(
      {{"generated_at", js::Int("Unix ms.")},
       {"thresholds", js::AnyObject("The thresholds used.")},
       {"counts", counts},
       {"feedback_available", js::Bool("Whether usage counts come from feedback.")},
       {"most_used",
        js::Array(
            lesson,
            "Most returned by searches, then most applied (feedback), then most recently used.")},
       {"low_confidence", js::Array(lesson, "Lowest confidence first.")},
       {"stale", js::Array(lesson, "Longest idle first.")},
       {"weak_topics", js::Array(topic, "Topics with few or weak lessons.")},
       {"open_contradictions", section},
       {"duplicate_candidates", section}},
      {"generated_at", "thresholds", "counts", "feedback_available", "most_used", "low_confidence",
       "stale", "weak_topics", "open_contradictions", "duplicate_candidates"});
}

}  // namespace

void AddInsightOperations(std::vector<Operation>& ops) {
  ops.push_back(Operation{
      "list_clusters",
      {"clusters"},
      "List lesson clusters",
      "Group lessons into themes by meaning (embeddings; TF-IDF text without an embedder), "
      "each labelled by its most distinctive terms, with flags for themes resting on one "
      "low-confidence lesson. Use it to see what engram knows and where knowledge is thin.",
      js::Object(
          {{"project", js::Str("Global lessons plus this project's (default: every lesson).")},
           {"include_deprecated", js::Bool("Include deprecated lessons.")},
           {"min_similarity",
            js::Num("Merge threshold (default 0.5 embeddings, 0.2 text).", -1.0, 1.0)},
           {"max_lessons",
            js::Int("Cluster at most the newest N lessons (default 2000).", 1, 5000)},
           {"label_terms", js::Int("Terms per label (default 3).", 1, 10)}},
          {}),
      ClustersOutputSchema(),
      true,
      false,
      ListClusters});
  ops.push_back(Operation{
      "list_profiles",
      {},
      "List opinion profiles",
      "The opinion profiles that can weight lesson ranking (profile argument of search_lessons "
      "and retrieve_context): built-ins and custom ones stored in kv namespace 'profiles'.",
      js::Object({}, {}),
      js::Object({{"profiles", js::Array(ProfileSchema(), "Built-ins first.")}}, {"profiles"}),
      true,
      false,
      ListProfiles});
  ops.push_back(Operation{
      "promote_lesson",
      {},
      "Promote a lesson to global",
      "Make a project lesson global so every project sees it. The project version is kept in "
      "the lesson's history with the reason.",
      js::Object({{"lesson_id", js::Str("The project lesson's id.")},
                  {"reason", js::Str("Why it applies everywhere (kept in the history).")}},
                 {"lesson_id"}),
      LessonSchema(),
      false,
      false,
      Promote});
  ops.push_back(Operation{
      "audit",
      {},
      "Audit lessons",
      "A health report of what engram knows: most-used lessons, low-confidence and stale ones, "
      "topics with few or weak lessons, open contradictions, duplicate candidates and lesson "
      "counts per project versus global. Use it to decide what to review, merge or retire.",
      js::Object(
          {{"project", js::Str("Global lessons plus this project's (default: every lesson).")},
           {"top", js::Int("Entries per list (default 10).", 1, 1000)},
           {"low_confidence", js::Num("Confidence below this is low (default 0.3).", 0.0, 1.0)},
           {"stale_days", js::Int("Idle this many days is stale (default 90).", 1, 36600)},
           {"thin_topic_lessons",
            js::Int("A topic with at most this many is thin (default 1).", 0, kMaxCount)},
           {"weak_topic_confidence",
            js::Num("A topic with a lower mean confidence is weak (default 0.4).", 0.0, 1.0)}},
          {}),
      AuditOutputSchema(),
      true,
      false,
      Audit});
}

}  // namespace engram::server
