// Absolute relevance of lesson and episode results (docs/RETRIEVAL.md,
// "Absolute relevance"): a calibrated probability that a result is relevant
// to the query, comparable across queries and between BM25-only and hybrid
// search, unlike ScoreExplanation::relevance (relative to the best
// candidate). Results under a threshold are dropped; when none is left the
// response says so (no_relevant_memory) and names the best near miss.
//
//   matched = idf of the query words the result's text holds, in units of
//             the rarest possible word (TermCoverage::matched)
//   hybrid:  absolute_relevance = 1 / (1 + exp(-(a + b * matched + c * cosine)))
//   bm25:    absolute_relevance = 1 / (1 + exp(-(a + b * matched)))
//
// The coefficients are logistic regressions fitted on data that is neither
// the jstest lessons nor the LoCoMo questions of the out-of-domain check
// (bench/relevance_calibration.py; docs/RETRIEVAL.md; bench/README.md).
//
// Thread safety: free functions over caller-owned values.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engram/fulltext.h"
#include "engram/search.h"
#include "engram/status.h"

namespace engram {

// One logistic map: a + b * matched + c * cosine, and the default threshold
// on its probability.
struct RelevanceCalibration {
  double intercept = 0;
  double matched = 0;
  double cosine = 0;  // 0 for the BM25-only map
  double default_min_relevance = 0;
};

// The fitted maps (relevance.cc).
const RelevanceCalibration& HybridRelevanceCalibration();
const RelevanceCalibration& Bm25RelevanceCalibration();

// The threshold used when a request names none, per mode.
double DefaultMinRelevance(bool hybrid);

// The calibrated probability for one result; `hybrid` selects the map
// (with an embedder; `cosine` is ignored otherwise).
double AbsoluteRelevance(double matched, double cosine, bool hybrid);

// The request's threshold, or the mode's default; InvalidArgument outside
// [0, 1].
Result<double> ResolveMinRelevance(const std::optional<double>& requested, bool hybrid);

// Sets coverage, matched_idf and absolute_relevance in each explanation; `ids[i]` is the
// id of the result explained by `*explanations[i]`.
Status SetAbsoluteRelevance(FullTextIndex& fts, TextCorpus corpus, std::string_view query,
                            bool hybrid, const std::vector<std::string>& ids,
                            const std::vector<ScoreExplanation*>& explanations);

// Keeps, in order, the results whose absolute relevance is at least `min`;
// returns the dropped one of highest absolute relevance (the first of equals).
template <class R>
std::optional<R> DropIrrelevant(std::vector<R>& results, double min) {
  std::optional<R> near_miss;
  std::vector<R> kept;
  kept.reserve(results.size());
  for (R& r : results) {
    const double a = r.explanation.absolute_relevance;
    if (a >= min) {
      kept.push_back(std::move(r));
    } else if (!near_miss || a > near_miss->explanation.absolute_relevance) {
      near_miss = std::move(r);
    }
  }
  results = std::move(kept);
  return near_miss;
}

// Lesson search: sets the absolute relevance of `ranked`, drops those under
// `min`, and records the threshold, no_relevant_memory and near miss in `resp`.
Status ApplyMinRelevance(FullTextIndex& fts, std::string_view query, bool hybrid, double min,
                         std::vector<LessonResult>& ranked, SearchResponse& resp);

// Context retrieval: sets the absolute relevance of `episodes` (ranked),
// drops those under `min`; returns the near miss when none is left.
Result<std::optional<EpisodeResult>> DropIrrelevantEpisodes(FullTextIndex& fts,
                                                            std::string_view description,
                                                            bool hybrid, double min,
                                                            std::vector<EpisodeResult>& episodes);

}  // namespace engram
