// Full-text search and notes: the lexical half of engram's hybrid retrieval.
//
// FullTextIndex answers BM25-ranked keyword queries over lessons (title,
// content, topic, tags), episodes (description + reflection) and notes, and
// stores notes: short texts in ordered threads (conversation turns, working
// notes) that agents search later. Every indexed text also gets an expanded
// copy with identifiers split at case/digit boundaries (ExpandIdentifiers in
// src/core/code_tokens.h), so `useEffect` is found as "useeffect" and as
// "use effect". SqliteStore implements it on SQLite FTS5 (porter unicode61);
// a PostgreSQL tier can implement it with tsvector.
//
// EmbeddingCache keeps embeddings of arbitrary texts keyed by (model id,
// text hash), so the same text is never embedded twice.
//
// Index consistency: the indexed text of a lesson or episode is written in
// the same transaction as the record itself (insert, update, import,
// complete) and removed with it; Restore and migration re-index what is
// missing. Queries: terms of the query (QueryTerms: stop words removed,
// identifier parts added) are OR-ed, ranked by BM25 (k1 = 1.2, b = 0.75).
//
// Ownership: obtained from Store::fulltext() / Store::embedding_cache(); the
// Store owns the implementation. Thread safety: as the Store (safe for
// concurrent use).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <stop_token>
#include <string>
#include <string_view>
#include <vector>

#include "engram/json.h"
#include "engram/note.h"
#include "engram/status.h"
#include "engram/time.h"

namespace engram {

enum class TextCorpus { kLessons, kEpisodes };

// One full-text match. `bm25` >= 0, higher is better (SQLite's bm25() negated).
struct TextHit {
  std::string id;
  double bm25 = 0.0;
};

// How much of a query one text holds, from the idf of each query word w
// (QueryTerms): idf(w) = log(1 + (N - n + 0.5) / (n + 0.5)) with N the
// indexed rows plus kPriorRows background rows that hold no query word, n
// the rows holding w (Lucene's BM25 idf, positive for every word unlike
// FTS5's; the background keeps a word of a small store from counting as
// common just because the store is small). A word no row holds weighs the
// most, log(2N + 2).
struct TermCoverage {
  static constexpr double kPriorRows = 100;
  // sum of idf(w) over the query words the text holds / over all query words.
  double share = 0;
  // sum of idf(w) over the query words the text holds / log(2N + 2): the
  // informative words matched, in units of the rarest possible word.
  double matched = 0;
};

struct NoteHit {
  std::int64_t note_id = 0;
  double bm25 = 0.0;  // >= 0, higher is better
};

// How SearchText answers.
struct TextQueryOptions {
  int limit = 10;  // 1..10000 best matches
  // Words held by more than this share of the corpus's rows, and by more
  // than 1,000 rows, are left out of the query (a stop list learned from
  // the data; no match when every word is). 1 = every word counts: the
  // exact BM25 top `limit`. Query expansion uses 0.01: a term in that many
  // lessons says little about the query, and scoring every lesson that
  // holds it is the costliest part of a search; a small store keeps every
  // word.
  double max_word_share = 1.0;
};

// What FullTextIndex::Warm loads ahead of the queries that would.
struct FullTextWarmOptions {
  // Postings loaded at most, over the corpus (one per row holding a word;
  // 8 bytes each in memory): 2^24 = 128 MiB. The store's own cap on held
  // postings (256 MiB) bounds it too.
  std::size_t max_postings = std::size_t{1} << 24;
  // Words held by fewer rows are left for the first query that uses them:
  // a list that short loads in well under a millisecond.
  std::int64_t min_rows = 1000;
  // Postings loaded per step. The store's lock is taken once per step, so
  // a query waits for at most one step (2^16 postings: a few ms).
  std::size_t step_postings = std::size_t{1} << 16;
  // Checked between steps: Warm returns early (stopped = true) once a stop
  // is requested.
  std::stop_token stop;
};

struct FullTextWarmStats {
  std::int64_t words = 0;          // word lists loaded or already held
  std::int64_t postings = 0;       // their postings
  std::int64_t words_skipped = 0;  // words over min_rows left out for the budget
  bool stopped = false;            // a stop was requested before the end
  double seconds = 0;
};

class FullTextIndex {
 public:
  virtual ~FullTextIndex() = default;

  // The best BM25 matches of `query` in `corpus`, best first. An empty
  // result for a query without search terms.
  virtual Result<std::vector<TextHit>> SearchText(TextCorpus corpus, std::string_view query,
                                                  const TextQueryOptions& options) = 0;
  // Up to `limit` (1..10000) best BM25 matches of `query` in `corpus`.
  Result<std::vector<TextHit>> SearchText(TextCorpus corpus, std::string_view query, int limit) {
    TextQueryOptions o;
    o.limit = limit;
    return SearchText(corpus, query, o);
  }

  // For each of `ids` (in order), how much of the query its indexed text
  // holds (TermCoverage); zeros for an id without indexed text and for a
  // query without words. The input of the absolute relevance
  // (docs/RETRIEVAL.md, "Absolute relevance").
  virtual Result<std::vector<TermCoverage>> QueryCoverage(TextCorpus corpus, std::string_view query,
                                                          const std::vector<std::string>& ids) = 0;

  // Loads what the first queries of `corpus` would otherwise read from
  // disk: the row lengths and the postings lists of the words held by the
  // most rows (min_rows or more), most rows first, up to max_postings (a
  // word whose list would exceed what is left is skipped). Those are the
  // lists that cost the most to load during a query (~0.1 us per posting).
  // Lists stay held until a write they cannot follow (docs/RETRIEVAL.md,
  // "Warm-up"). InvalidArgument for min_rows < 1 or step_postings 0.
  virtual Result<FullTextWarmStats> Warm(TextCorpus corpus, const FullTextWarmOptions& options) = 0;

  // --- notes ---
  // Stores every note in one transaction; returns them with ids and
  // positions assigned. InvalidArgument for an empty thread or text;
  // AlreadyExists for a taken (thread, position).
  virtual Result<std::vector<Note>> AddNotes(std::span<const Note> notes) = 0;
  // All notes of `thread`, by position.
  virtual Result<std::vector<Note>> ThreadNotes(const std::string& thread) = 0;
  // Names of all threads, ascending.
  virtual Result<std::vector<std::string>> NoteThreads() = 0;
  // Up to `limit` best BM25 matches among the notes of `thread` ("" = all).
  virtual Result<std::vector<NoteHit>> SearchNoteText(const std::string& thread,
                                                      std::string_view query, int limit) = 0;
  // Deletes every note of `thread`; returns how many.
  virtual Result<std::int64_t> DeleteThread(const std::string& thread) = 0;
};

class EmbeddingCache {
 public:
  virtual ~EmbeddingCache() = default;
  // The cached vector of `text` under `model_id`, or nullopt.
  virtual Result<std::optional<std::vector<float>>> GetCached(const std::string& model_id,
                                                              std::string_view text) = 0;
  virtual Status PutCached(const std::string& model_id, std::string_view text,
                           const std::vector<float>& vector, Timestamp now) = 0;
};

// Stable 64-bit hash (FNV-1a, hex) used as the cache key of a text.
std::string TextHash(std::string_view text);

}  // namespace engram
