// Query expansion for Engine::SearchLessons (docs/LEARNING.md, "Query
// expansion"). The learn::ExpansionModel is built from every non-deprecated
// global lesson's topic and tags plus the labels of the global lesson
// clusters (LessonClusterer over at most kExpansionClusterLessons newest
// global lessons): one model serves every project's searches, so a term
// learned from a project lesson would show that project's words to others;
// and cached in the Engine's SearchState until the lessons change (same
// fingerprint as the lesson index).
//
// Ownership: the model is shared by the SearchState. Thread safety: takes
// state.mu; REQUIRES: the caller does not hold it.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "engine/search_state.h"
#include "engram/search.h"

namespace engram {

class Engine;

inline constexpr double kExpansionWeight = 0.5;
// Expansion terms held by more than this share of the lessons are not
// searched (TextQueryOptions::max_word_share): they say nothing about the
// query, and scoring every lesson holding one is the costliest part of a
// search.
inline constexpr double kExpansionMaxWordShare = 0.01;
inline constexpr int kExpansionClusterLessons = 500;
// The model is relearned once this share of the lessons (and at least
// kExpansionRelearnMin lesson changes) changed since it was learned.
inline constexpr double kExpansionRelearnShare = 0.1;
inline constexpr std::int64_t kExpansionRelearnMin = 32;
// Below this many lessons relearning is cheap: the model follows every write.
inline constexpr std::int64_t kExpansionRelearnFloor = 200;

// The expansion model of the current lessons: the cached one, or built
// (about a second at 1M lessons: it counts every lesson's topic and tags).
Result<std::shared_ptr<const learn::ExpansionModel>> LessonExpansionModel(Engine& engine,
                                                                          SearchState& state);
// Where a search's expansion model comes from.
enum class ExpansionBuild {
  kInline,      // the current model, learned here when it is not
  kBackground,  // the model held, even if older than the lessons, or none;
                // a model older than the lessons is relearned on state.learner
  kHeld,        // the model held or none, nothing learned (the embedder is not
                // ready: learning clusters the lessons by their embeddings)
};
Result<std::vector<QueryExpansion>> ExpandLessonQuery(Engine& engine, SearchState& state,
                                                      const std::string& query,
                                                      ExpansionBuild build);

}  // namespace engram
