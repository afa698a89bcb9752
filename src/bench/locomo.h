// LoCoMo retrieval benchmark (Maharana et al., 2024): loads the benchmark's
// JSON, stores every dialog turn of a conversation as a note (one thread per
// conversation), asks each question through note search and reports
// turn-level recall@k, overall and per question category (1..5).
//
// recall@k of a question = |evidence ∩ top-k turns| / |evidence|, averaged
// over the questions whose evidence names at least one known turn (the
// others are counted as skipped). Evidence strings are parsed leniently:
// every "D<session>:<turn>" inside them counts ("D8:6; D9:17", "D9:1 D4:4",
// "D30:05" = D30:5); anything else ("D:11:26", "D") is ignored.
//
// Ownership: plain values; RunLocomo borrows the embedder. Thread safety:
// functions are reentrant.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "engram/embedder.h"
#include "engram/json.h"
#include "engram/status.h"
#include "engram/time.h"
#include "retrieval/note_search.h"

namespace engram::bench {

struct LocomoTurn {
  std::string dia_id;  // "D3:7"
  std::string speaker;
  std::string text;
  std::string caption;      // blip_caption, may be empty
  int session = 0;          // N of session_N
  Timestamp timestamp = 0;  // session date (0 if it does not parse)
};

struct LocomoQuestion {
  std::string question;
  int category = 0;
  std::vector<std::string> evidence;  // normalised dialog ids
};

struct LocomoConversation {
  std::string sample_id;
  std::vector<LocomoTurn> turns;  // by session, then order within it
  std::vector<LocomoQuestion> questions;
};

// Normalised dialog ids found in one evidence string.
std::vector<std::string> ParseEvidence(std::string_view evidence);
// "1:56 pm on 8 May, 2023" -> Unix ms (UTC); 0 if it does not parse.
Timestamp ParseLocomoDate(std::string_view date);

Result<std::vector<LocomoConversation>> ParseLocomo(const Json& data);
Result<std::vector<LocomoConversation>> LoadLocomo(const std::string& path);

struct LocomoOptions {
  std::vector<int> ks = {1, 5, 10, 25, 50};
  retrieval::NoteSearchOptions search;
  // Directory for the per-conversation scratch databases ("" = system temp).
  std::string work_dir;
};

struct RecallRow {
  int questions = 0;
  std::vector<double> recall;  // percent, one per k
};

struct LocomoReport {
  std::string mode;  // "bm25" or "hybrid"
  std::vector<int> ks;
  RecallRow overall;
  std::map<int, RecallRow> by_category;
  int skipped = 0;  // questions whose evidence names no known turn
  int conversations = 0;
  int turns = 0;
  double mean_query_ms = 0;  // search only (not loading/embedding the notes)
  double p95_query_ms = 0;
  double load_seconds = 0;  // storing (and embedding) all turns
};
Json ToJson(const LocomoReport& r);
// Human table (markdown) of the report.
std::string FormatReport(const LocomoReport& r);

// `embedder` null = BM25 mode, else hybrid.
Result<LocomoReport> RunLocomo(const std::vector<LocomoConversation>& data,
                               const LocomoOptions& options, const Embedder* embedder);

}  // namespace engram::bench
