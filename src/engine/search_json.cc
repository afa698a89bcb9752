// JSON forms of the retrieval results (include/engram/search.h).
#include <cmath>

#include "engram/search.h"

namespace engram {
namespace {

double R4(double x) { return std::round(x * 10000) / 10000; }

// A raw BM25 value, to 4 significant digits: FTS5 floors the idf of a word
// found in half the rows or more at 1e-6, so a real match can score 2e-6,
// which R4 would show as 0 beside a lexical of 1 (docs/RETRIEVAL.md).
double RawBm25(double x) {
  if (x == 0 || !std::isfinite(x)) return x;
  const double scale = std::pow(10.0, 3 - std::floor(std::log10(std::fabs(x))));
  return std::round(x * scale) / scale;
}

Json LessonResultJson(const LessonResult& r) {
  Json j{{"lesson", ToJson(r.lesson)},
         {"score", R4(r.score)},
         {"tokens", r.tokens},
         {"explanation", ToJson(r.explanation)}};
  if (!r.contradicts.empty()) j["contradicts"] = r.contradicts;
  if (!r.warning.empty()) j["warning"] = r.warning;
  return j;
}

}  // namespace

Json ToJson(const ScoreExplanation& e) {
  Json j{{"mode", e.mode},
         {"bm25", RawBm25(e.bm25)},
         {"lexical", R4(e.lexical)},
         {"cosine", R4(e.cosine)},
         {"semantic", R4(e.semantic)},
         {"relevance", R4(e.relevance)},
         {"confidence_factor", R4(e.confidence_factor)},
         {"decay", R4(e.decay)},
         {"months_unused", R4(e.months_unused)},
         {"type_weight", R4(e.type_weight)},
         {"recency", R4(e.recency)},
         {"boost", R4(e.boost)},
         {"mmr_penalty", R4(e.mmr_penalty)},
         {"score", R4(e.score)},
         {"coverage", R4(e.coverage)},
         {"matched_idf", R4(e.matched_idf)},
         {"absolute_relevance", R4(e.absolute_relevance)}};
  if (!e.note.empty()) j["note"] = e.note;
  if (!e.profile.empty()) j["profile"] = e.profile;
  if (e.expansion > 0) j["expansion"] = RawBm25(e.expansion);
  if (e.contradiction_factor != 1) j["contradiction_factor"] = R4(e.contradiction_factor);
  return j;
}

Json ToJson(const SearchResponse& r) {
  Json results = Json::array();
  for (const LessonResult& x : r.results) results.push_back(LessonResultJson(x));
  Json j{
      {"mode", r.mode}, {"results", results}, {"tokens", r.tokens}, {"candidates", r.candidates}};
  if (!r.note.empty()) j["note"] = r.note;
  if (!r.profile.empty()) j["profile"] = r.profile;
  Json expansions = Json::array();
  for (const QueryExpansion& x : r.expansions) {
    expansions.push_back(Json{
        {"term", x.term}, {"source", x.source}, {"from", x.from}, {"strength", R4(x.strength)}});
  }
  j["expansion"] = Json{{"enabled", r.expanded}, {"terms", expansions}};
  j["min_relevance"] = R4(r.min_relevance);
  j["no_relevant_memory"] = r.no_relevant_memory;
  if (r.near_miss) j["near_miss"] = LessonResultJson(*r.near_miss);
  return j;
}

Json ToJson(const ContextResponse& r) {
  Json episodes = Json::array();
  for (const EpisodeResult& e : r.episodes) {
    Json ej{{"id", e.id},
            {"task_type", std::string(ToString(e.task_type))},
            {"description", e.description},
            {"context", ToJson(e.context)},
            {"outcome_kind", e.outcome_kind ? Json(*e.outcome_kind) : Json(nullptr)},
            {"reward_total", e.reward_total ? Json(*e.reward_total) : Json(nullptr)},
            {"reflection", e.reflection ? ToJson(*e.reflection) : Json(nullptr)},
            {"matched_context", e.matched_context},
            {"score", R4(e.score)},
            {"explanation", ToJson(e.explanation)},
            {"what_worked", ToJson(e.what_worked)}};
    episodes.push_back(std::move(ej));
  }
  Json lessons = Json::array();
  for (const LessonResult& x : r.lessons) lessons.push_back(LessonResultJson(x));
  Json j{{"mode", r.mode}, {"episodes", episodes}, {"lessons", lessons}};
  if (!r.note.empty()) j["note"] = r.note;
  j["heuristics"] = Json::array();
  for (const ContextHeuristic& h : r.heuristics) j["heuristics"].push_back(ToJson(h));
  j["warnings"] = Json::array();
  for (const ContextWarning& w : r.warnings) j["warnings"].push_back(ToJson(w));
  j["summary"] = r.summary;
  j["min_relevance"] = R4(r.min_relevance);
  j["no_relevant_memory"] = r.no_relevant_memory;
  if (r.episode_near_miss || r.lesson_near_miss) {
    Json near = Json::object();
    if (r.episode_near_miss) {  // an episode's JSON form, as in `episodes`
      ContextResponse one;
      one.episodes.push_back(*r.episode_near_miss);
      near["episode"] = ToJson(one)["episodes"][0];
    }
    if (r.lesson_near_miss) near["lesson"] = LessonResultJson(*r.lesson_near_miss);
    j["near_miss"] = std::move(near);
  }
  return j;
}

Json ToJson(const NoteSearchResponse& r) {
  Json results = Json::array();
  for (const NoteResult& h : r.results) {
    results.push_back(Json{{"note", ToJson(h.note)},
                           {"score", h.score},
                           {"bm25", h.bm25},
                           {"cosine", h.cosine},
                           {"base", h.base}});
  }
  Json out{{"mode", r.mode}, {"results", std::move(results)}};
  if (!r.note.empty()) out["note"] = r.note;
  return out;
}

}  // namespace engram
