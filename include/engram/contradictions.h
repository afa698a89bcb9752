// Contradictions between lessons: two live lessons on the same topic, about
// the same subject, with opposite stances (docs/LEARNING.md,
// "Contradictions"). A contradiction is flagged with a reason; resolving it
// keeps one lesson and supersedes the other (deprecated, superseded_by set,
// its history kept; nothing is deleted).
//
// ContradictionStore persists them (SQLite table `contradictions`,
// migration 4; a pair is stored once with lesson_a < lesson_b); a Store that
// keeps them returns one from Store::contradictions().
//
// Thread safety: Contradiction is a plain value; ContradictionStore
// implementations are safe for concurrent use (like Store).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engram/json.h"
#include "engram/status.h"
#include "engram/time.h"

namespace engram {

enum class ContradictionStatus { kOpen, kResolved, kDismissed };
std::string_view ToString(ContradictionStatus s);  // "open", "resolved", "dismissed"
Result<ContradictionStatus> ParseContradictionStatus(std::string_view s);

struct Contradiction {
  std::string id;
  std::string lesson_a;  // lesson_a < lesson_b
  std::string lesson_b;
  std::string reason;  // "opposite stance: ..." / "version mismatch: ..."
  double score = 0;    // subject similarity in [0, 1]
  ContradictionStatus status = ContradictionStatus::kOpen;
  std::optional<std::string> winner;  // the lesson kept, once resolved
  Timestamp created_at = 0;
  std::optional<Timestamp> resolved_at;
};
Json ToJson(const Contradiction& c);
// Reads ToJson's form. Required: id, lesson_a, lesson_b.
Result<Contradiction> ContradictionFromJson(const Json& j);

class ContradictionStore {
 public:
  virtual ~ContradictionStore() = default;
  // Inserts `c` unless its pair is already recorded (any status); returns
  // the stored record and whether it was new. InvalidArgument unless
  // lesson_a < lesson_b; NotFound if a lesson does not exist.
  virtual Result<std::pair<Contradiction, bool>> RecordContradiction(const Contradiction& c) = 0;
  virtual Result<Contradiction> GetContradiction(const std::string& id) = 0;
  // Newest first; `status` unset lists all. With `project`, only
  // contradictions whose two lessons are global or of that project (never
  // one involving another project's lesson); unset: all.
  virtual Result<std::vector<Contradiction>> ListContradictions(
      std::optional<ContradictionStatus> status, int limit,
      const std::optional<std::string>& project) = 0;
  Result<std::vector<Contradiction>> ListContradictions(std::optional<ContradictionStatus> status,
                                                        int limit) {
    return ListContradictions(status, limit, std::nullopt);
  }
  // Every recorded contradiction (any status) whose two lessons are both in
  // `lesson_ids`: one read, for flagging the results of one search.
  virtual Result<std::vector<Contradiction>> ContradictionsAmong(
      const std::vector<std::string>& lesson_ids) = 0;
  // Sets status (resolved or dismissed), winner and resolved_at of an open
  // contradiction; FailedPrecondition if it is not open.
  virtual Status CloseContradiction(const std::string& id, ContradictionStatus status,
                                    const std::optional<std::string>& winner, Timestamp at) = 0;

  // --- bulk access for export/import (lossless) ---
  // Every contradiction, by id.
  virtual Status ForEachContradiction(const std::function<Status(const Contradiction&)>& fn) = 0;
  // Insert-or-replace by id, every field kept; a stored record of the same
  // pair under another id is replaced too (a pair is stored once).
  // InvalidArgument unless lesson_a < lesson_b and the winner, if any, is
  // one of them; NotFound if a lesson does not exist.
  virtual Status ImportContradiction(const Contradiction& c) = 0;
};

}  // namespace engram
