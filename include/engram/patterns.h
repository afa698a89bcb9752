// Patterns and heuristics learned across episodes (docs/LEARNING.md,
// "Patterns and heuristics").
//
// A Pattern is one record per (kind, signature): every episode it occurred
// in is linked to it once, so support, successes and mean latency are
// derived from those links and mean what they say. A Heuristic is a
// condition -> action rule learned by contrasting successful and failed
// episodes of a similar context, with its evidence.
//
// PatternStore persists both (SQLite tables `patterns`, `pattern_episodes`,
// `heuristics`, migration 4); a Store that keeps them returns one from
// Store::patterns(). StoredPattern is a pattern as stored (its row and its
// episode links), the form the export carries (docs/FORMATS.md).
//
// Thread safety: the structs are plain values; PatternStore implementations
// are safe for concurrent use (like Store).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engram/feedback.h"
#include "engram/json.h"
#include "engram/status.h"
#include "engram/time.h"

namespace engram {

enum class PatternKind {
  kSequence,       // a run of consecutive tool/action steps
  kErrorRecovery,  // a failing step, the fix, and the same step succeeding
  kDecisionPoint,  // a check step, its result, and the step that followed
  kContext,        // task context -> the approach (distinct actions) taken
};
std::string_view ToString(PatternKind k);  // "sequence", "error_recovery", ...
Result<PatternKind> ParsePatternKind(std::string_view s);

// One pattern as found in one episode (src/learn/pattern_mining.h).
struct PatternOccurrence {
  PatternKind kind = PatternKind::kSequence;
  std::string signature;          // canonical: equal signatures are the same pattern
  std::string description;        // for people
  Json context = Json::object();  // task_type, language, framework, domain
  std::int64_t latency_ms = 0;    // mean over its occurrences in the episode
  int occurrences = 1;            // times it occurred in the episode
};

// Deterministic id of a pattern: "pat-" + 16 hex digits of FNV-1a 64 over
// kind and signature, so the same pattern has the same id in every store.
std::string PatternId(PatternKind kind, std::string_view signature);

struct Pattern {
  std::string id;
  PatternKind kind = PatternKind::kSequence;
  std::string signature;
  std::string description;
  Json context = Json::object();  // of the episode that first showed it
  // Derived from the linked episodes.
  std::int64_t support = 0;      // distinct episodes
  std::int64_t successes = 0;    // of them, with outcome success
  std::int64_t occurrences = 0;  // total occurrences across them
  double mean_latency_ms = 0;
  Timestamp first_seen = 0;
  Timestamp last_seen = 0;
  // Filled by the learning service (PatternLearning), not by the store.
  double success_rate = 0;  // successes / support
  double wilson_lower = 0;  // Wilson lower bound of success_rate
  FeedbackCounts feedback;
  double effectiveness = 0;  // blend of wilson_lower and feedback
};
Json ToJson(const Pattern& p);

// One episode's link to a pattern, as stored (table pattern_episodes).
struct PatternLink {
  std::string episode_id;
  bool success = false;         // the episode's outcome was success
  std::int64_t latency_ms = 0;  // mean over the pattern's occurrences in the episode
  int occurrences = 1;          // >= 1
  Timestamp seen_at = 0;
};

// A pattern as stored: its row and every episode link (export and import).
// Pattern's aggregates (support, successes, ...) are derived from the links.
struct StoredPattern {
  std::string id;  // PatternId(kind, signature)
  PatternKind kind = PatternKind::kSequence;
  std::string signature;
  std::string description;
  Json context = Json::object();
  Timestamp first_seen = 0;
  Timestamp last_seen = 0;
  std::vector<PatternLink> episodes;  // by episode id
};
// {"id", "kind", "signature", "description", "context", "first_seen",
// "last_seen", "episodes": [{"episode_id", "success", "latency_ms",
// "occurrences", "seen_at"}, ...]}.
Json ToJson(const StoredPattern& p);
// Required: id, kind, signature and each link's episode_id.
Result<StoredPattern> StoredPatternFromJson(const Json& j);

struct PatternFilter {
  std::optional<PatternKind> kind;
  std::int64_t min_support = 1;
  // Only patterns whose stored context has these values (empty = any).
  std::string task_type, language, framework, domain;
  // Set: only the links to episodes without a project or of this project
  // count (support, successes, ...; a pattern with none is not listed), so
  // nothing of another project's episodes shows. Unset: every episode.
  std::optional<std::string> project;
  int limit = 100;  // 1..10000; ordered by support desc, then id
  int offset = 0;
};

struct Heuristic {
  std::string id;                   // deterministic: "heu-" + FNV-1a of condition + action
  Json condition = Json::object();  // context fields that must match, e.g. {"language": "go"}
  std::string action;               // "do: editor:await the session promise" / "avoid: ..."
  std::string description;          // the rule in words
  Json evidence = Json::object();   // episode ids, counts with and without the action, lift
  std::int64_t sample_size = 0;     // episodes with the action in the condition's group
  std::int64_t successes = 0;       // of them, successful (for "avoid": failed)
  double confidence = 0;            // Wilson lower bound of successes / sample_size
  Timestamp updated_at = 0;
  // Filled by the learning service.
  FeedbackCounts feedback;
  double effectiveness = 0;
};
Json ToJson(const Heuristic& h);
// The stored fields of a heuristic only (id, condition, action, description,
// evidence, sample_size, successes, confidence, updated_at), as the export
// writes them: no p_value, lift, feedback or effectiveness, which are derived.
Json StoredJson(const Heuristic& h);
// Reads StoredJson's fields (derived fields are ignored). Required: id, action.
Result<Heuristic> HeuristicFromJson(const Json& j);
// Deterministic id of a heuristic: "heu-" + FNV-1a 64 of the condition's
// compact JSON and the action.
std::string HeuristicId(const Json& condition, std::string_view action);

class PatternStore {
 public:
  virtual ~PatternStore() = default;
  // Links `episode_id` to each occurrence's pattern (created on first
  // sight), in one transaction. An episode already linked to a pattern is
  // left as it is, so recording twice changes nothing. Links go away with
  // their episode.
  virtual Status RecordEpisodePatterns(const std::string& episode_id, bool success,
                                       const std::vector<PatternOccurrence>& occurrences,
                                       Timestamp now) = 0;
  // With `project`, the pattern as seen from that project (PatternFilter::
  // project): NotFound when none of its episodes is visible to it.
  virtual Result<Pattern> GetPattern(const std::string& pattern_id,
                                     const std::optional<std::string>& project) = 0;
  Result<Pattern> GetPattern(const std::string& pattern_id) {
    return GetPattern(pattern_id, std::nullopt);
  }
  virtual Result<std::vector<Pattern>> ListPatterns(const PatternFilter& filter) = 0;
  // Episode ids linked to a pattern, newest link first; with `project`, only
  // episodes without a project or of that project.
  virtual Result<std::vector<std::string>> PatternEpisodes(
      const std::string& pattern_id, int limit, const std::optional<std::string>& project) = 0;
  Result<std::vector<std::string>> PatternEpisodes(const std::string& pattern_id, int limit) {
    return PatternEpisodes(pattern_id, limit, std::nullopt);
  }
  // Replaces every stored heuristic with `heuristics` in one transaction.
  virtual Status ReplaceHeuristics(const std::vector<Heuristic>& heuristics) = 0;
  virtual Result<Heuristic> GetHeuristic(const std::string& heuristic_id) = 0;
  // Ordered by confidence desc, then id.
  virtual Result<std::vector<Heuristic>> ListHeuristics(int limit) = 0;

  // --- bulk access for export/import (lossless: ids, timestamps, links) ---
  // Every pattern with its links, by id.
  virtual Status ForEachPattern(const std::function<Status(const StoredPattern&)>& fn) = 0;
  // Insert-or-replace the pattern by id with exactly `p.episodes` as its
  // links. InvalidArgument unless id = PatternId(kind, signature) and every
  // link has occurrences >= 1 and latency_ms >= 0; NotFound for a link to an
  // episode that does not exist.
  virtual Status ImportPattern(const StoredPattern& p) = 0;
  // Every heuristic, by id.
  virtual Status ForEachHeuristic(const std::function<Status(const Heuristic&)>& fn) = 0;
  // Insert-or-replace one heuristic by id (the others stay, unlike
  // ReplaceHeuristics); the same checks as ReplaceHeuristics.
  virtual Status ImportHeuristic(const Heuristic& h) = 0;
};

}  // namespace engram
