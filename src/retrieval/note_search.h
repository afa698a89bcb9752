// Note search: ranks every note of one thread for a query with BM25 (from
// the store's FullTextIndex), optionally fused with embedding cosine, then
// context smoothing over neighbouring notes and the note's session.
//
//   base_i     = BM25_i                                   (lexical mode)
//              = (1-w) minmax(BM25)_i + w minmax(cos)_i    (hybrid, w = dense_weight)
//   smoothed_i = base_i + n1 (base_{i-1} + base_{i+1}) + n2 (base_{i-2} + base_{i+2})
//              + s * max_{j in session(i)} base_j
// Neighbours are the adjacent notes by position in the thread. A note's
// session is metadata.session when present, else the run of notes whose
// timestamps are less than session_gap_ms apart. Method and figures:
// docs/RETRIEVAL.md (the LoCoMo section).
//
// Ownership: ThreadSearcher borrows the FullTextIndex, the optional
// EmbeddingCache and Embedder; they must outlive it. Thread safety: Search
// is const and safe to call concurrently (the borrowed objects are).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "engram/embedder.h"
#include "engram/fulltext.h"

namespace engram::retrieval {

struct NoteSearchOptions {
  // Weight of the embedding score in hybrid mode (used only with an embedder).
  double dense_weight = 0.35;
  // Smoothing: weight of the notes 1 and 2 positions away, and of the best
  // score in the same session. All 0 disables smoothing.
  double neighbour1 = 0.5;
  double neighbour2 = 0.25;
  double session_weight = 0.3;
  // Without metadata.session, a gap of at least this long starts a session.
  std::int64_t session_gap_ms = 60 * 60 * 1000;
};

struct ScoredNote {
  std::size_t index = 0;  // into ThreadSearcher::notes()
  double score = 0.0;     // smoothed
  double bm25 = 0.0;      // raw BM25 (0 = no term matched)
  double dense = 0.0;     // cosine similarity (hybrid only)
  double base = 0.0;      // before smoothing
};

// Applies the smoothing above to `base` (pure; exposed for tests).
std::vector<double> SmoothScores(const std::vector<double>& base,
                                 const std::vector<int>& session_of,
                                 const NoteSearchOptions& options);
// Session number of each note (see above).
std::vector<int> SessionsOf(const std::vector<Note>& notes, std::int64_t session_gap_ms);

class ThreadSearcher {
 public:
  // Loads the thread's notes; with an embedder, embeds every note (through
  // `cache` when given, keyed by model id and text).
  static Result<std::unique_ptr<ThreadSearcher>> Open(FullTextIndex& fts, EmbeddingCache* cache,
                                                      const Embedder* embedder,
                                                      const std::string& thread,
                                                      NoteSearchOptions options = {});

  const std::vector<Note>& notes() const { return notes_; }
  bool hybrid() const { return embedder_ != nullptr; }

  // The best `k` notes (k <= 0: all), best first.
  Result<std::vector<ScoredNote>> Search(const std::string& query, int k) const;

 private:
  ThreadSearcher() = default;
  FullTextIndex* fts_ = nullptr;
  const Embedder* embedder_ = nullptr;
  std::string thread_;
  NoteSearchOptions options_;
  std::vector<Note> notes_;
  std::vector<int> session_of_;
  std::vector<std::vector<float>> vectors_;  // hybrid only, one per note
};

// The text a note is embedded as: "speaker: text" (or just text).
std::string NoteEmbeddingText(const Note& note);

}  // namespace engram::retrieval
