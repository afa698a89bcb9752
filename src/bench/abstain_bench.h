// `engram-bench abstain`: does lesson search say "nothing relevant" when
// nothing is, without losing what is relevant (docs/RETRIEVAL.md,
// "Absolute relevance"; bench/README.md)?
//
// The lessons of <data>/<prefix>-lessons.jsonl ({id, topic, title,
// content}) go into the caller's Engine (on_duplicate allow, as
// ../shared/bench-data/eval_lessons.py stores them). Then:
//  - in domain: each query of <prefix>-queries.jsonl ({query, expected})
//    is asked twice in the same run, with min_relevance 0 (every result)
//    and with the threshold; R@1, R@5 and MRR of the expected lesson among
//    the returned results (limit 10), plus the queries answered with
//    nothing;
//  - out of domain: the first `ood_questions` LoCoMo questions (file
//    order), which have nothing to do with the lessons, asked with the
//    threshold (limit 5, as abstain_check.py asks): the share answered with
//    no result.
//
// Ownership: the caller owns the Engine (a scratch store: the lessons are
// added to it). Thread safety: one run at a time per Engine.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "bench/rank_figures.h"
#include "engram/engine.h"
#include "engram/json.h"
#include "engram/status.h"

namespace engram::bench {

struct AbstainLesson {
  std::string id;  // the data's id, e.g. "jstest-1.1"
  std::string topic, title, content;
};

struct AbstainQuery {
  std::string query;
  std::string expected;  // an AbstainLesson id
};

struct AbstainData {
  std::vector<AbstainLesson> lessons;
  std::vector<AbstainQuery> queries;
  std::vector<std::string> ood;  // out-of-domain questions
};

// Reads <dir>/<prefix>-lessons.jsonl, <dir>/<prefix>-queries.jsonl and the
// first `ood_questions` questions of the LoCoMo file; errors name the file
// and line.
Result<AbstainData> LoadAbstainData(const std::string& dir, const std::string& prefix,
                                    const std::string& locomo, int ood_questions);

// The data's lesson id -> its situations (Lesson::situations).
using SituationMap = std::map<std::string, std::vector<std::string>>;

struct AbstainOptions {
  int limit = 10;     // in-domain results per query (eval_lessons.py's)
  int ood_limit = 5;  // out-of-domain results per question (abstain_check.py's)
  // The threshold; unset: the engine's calibrated default.
  std::optional<double> min_relevance;
  // Situations given to the lessons before any question (empty: none).
  SituationMap situations;
};

struct AbstainReport {
  std::string mode;  // "hybrid" or "bm25"
  double min_relevance = 0;
  RankFigures without_threshold;
  RankFigures with_threshold;
  int ood_questions = 0;
  int ood_abstained = 0;         // answered with no result
  double ood_abstain_share = 0;  // percent
};

// Reads <dir>/<prefix>-situations.jsonl ({id, situation} per line; an id
// may repeat); an absent file is an empty map. Errors name file and line.
Result<SituationMap> LoadSituations(const std::string& dir, const std::string& prefix);

// Gives each stored lesson (`data_id`: stored id -> the data's id) its
// situations from `situations` (update_lesson).
Status ApplySituations(Engine& engine, const std::map<std::string, std::string>& data_id,
                       const SituationMap& situations);

// Adds every lesson of `data` (on_duplicate allow); returns stored id ->
// the data's id, and appends the stored lessons to `stored` if given.
Result<std::map<std::string, std::string>> AddDataLessons(Engine& engine, const AbstainData& data,
                                                          std::vector<Lesson>* stored);

Result<AbstainReport> RunAbstain(Engine& engine, const AbstainData& data,
                                 const AbstainOptions& options);

Json ToJson(const AbstainReport& r);
std::string FormatReport(const AbstainReport& r);

}  // namespace engram::bench
