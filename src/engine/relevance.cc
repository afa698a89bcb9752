// The calibrated absolute relevance (engine/relevance.h).
#include "engine/relevance.h"

#include <cmath>

namespace engram {
namespace {

// Fitted on the generated docs split and LoCoMo questions of conv-30..43
// (docs/RETRIEVAL.md, "Absolute relevance"; bench/README.md, "relevance"):
// logistic regression with relevant and other results weighted to equal
// mass; the default threshold is the highest that keeps the relevant
// lesson of 99 % of the calibration queries that had it in their top 5.
constexpr RelevanceCalibration kHybrid{-3.1429, 0.3311, 4.6133, 0.239};
constexpr RelevanceCalibration kBm25{-1.2144, 0.6100, 0.0, 0.352};

// Sets the absolute relevance of `results`, keeps those reaching `min`;
// the near miss when none is left.
template <class R, class IdOf>
Result<std::optional<R>> ScoreAndDrop(FullTextIndex& fts, TextCorpus corpus, std::string_view query,
                                      bool hybrid, double min, std::vector<R>& results,
                                      const IdOf& id_of) {
  std::vector<std::string> ids;
  std::vector<ScoreExplanation*> explanations;
  for (R& r : results) {
    ids.push_back(id_of(r));
    explanations.push_back(&r.explanation);
  }
  ENGRAM_RETURN_IF_ERROR(SetAbsoluteRelevance(fts, corpus, query, hybrid, ids, explanations));
  std::optional<R> near_miss = DropIrrelevant(results, min);
  if (!results.empty()) near_miss.reset();
  return near_miss;
}

}  // namespace

const RelevanceCalibration& HybridRelevanceCalibration() { return kHybrid; }
const RelevanceCalibration& Bm25RelevanceCalibration() { return kBm25; }
double DefaultMinRelevance(bool hybrid) { return (hybrid ? kHybrid : kBm25).default_min_relevance; }

double AbsoluteRelevance(double matched, double cosine, bool hybrid) {
  const RelevanceCalibration& c = hybrid ? kHybrid : kBm25;
  const double z = c.intercept + c.matched * matched + (hybrid ? c.cosine * cosine : 0.0);
  return 1.0 / (1.0 + std::exp(-z));
}

Result<double> ResolveMinRelevance(const std::optional<double>& requested, bool hybrid) {
  if (!requested) return DefaultMinRelevance(hybrid);
  if (!(*requested >= 0 && *requested <= 1)) {
    return Status::InvalidArgument("min_relevance must be in [0, 1]");
  }
  return *requested;
}

Status SetAbsoluteRelevance(FullTextIndex& fts, TextCorpus corpus, std::string_view query,
                            bool hybrid, const std::vector<std::string>& ids,
                            const std::vector<ScoreExplanation*>& explanations) {
  if (ids.size() != explanations.size()) {
    return Status::Internal("absolute relevance: ids and explanations differ in number");
  }
  ENGRAM_ASSIGN_OR_RETURN(std::vector<TermCoverage> coverage,
                          fts.QueryCoverage(corpus, query, ids));
  for (std::size_t i = 0; i < ids.size(); ++i) {
    ScoreExplanation& e = *explanations[i];
    e.coverage = coverage[i].share;
    e.matched_idf = coverage[i].matched;
    e.absolute_relevance = AbsoluteRelevance(e.matched_idf, e.cosine, hybrid);
  }
  return Status::Ok();
}

Status ApplyMinRelevance(FullTextIndex& fts, std::string_view query, bool hybrid, double min,
                         std::vector<LessonResult>& ranked, SearchResponse& resp) {
  ENGRAM_ASSIGN_OR_RETURN(resp.near_miss,
                          ScoreAndDrop(fts, TextCorpus::kLessons, query, hybrid, min, ranked,
                                       [](const LessonResult& r) { return r.lesson.id; }));
  resp.min_relevance = min;
  resp.no_relevant_memory = ranked.empty();
  return Status::Ok();
}

Result<std::optional<EpisodeResult>> DropIrrelevantEpisodes(FullTextIndex& fts,
                                                            std::string_view description,
                                                            bool hybrid, double min,
                                                            std::vector<EpisodeResult>& episodes) {
  return ScoreAndDrop(fts, TextCorpus::kEpisodes, description, hybrid, min, episodes,
                      [](const EpisodeResult& r) { return r.id; });
}

}  // namespace engram
