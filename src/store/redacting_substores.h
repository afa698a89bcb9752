// Decorators of the sub-stores a Store hands out (fulltext notes, feedback,
// patterns, contradictions, candidates) that redact every write with
// RedactRecord; used by RedactingStore (redacting_store.h), which documents
// the rules.
//
// Ownership: each borrows the inner sub-store, owned by the inner Store that
// RedactingStore owns. Thread safety: as the inner sub-store (no state).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engram/candidates.h"
#include "engram/contradictions.h"
#include "engram/feedback.h"
#include "engram/fulltext.h"
#include "engram/patterns.h"

namespace engram::redacting {

class FullText final : public FullTextIndex {
 public:
  explicit FullText(FullTextIndex& inner) : inner_(inner) {}
  Result<std::vector<TextHit>> SearchText(TextCorpus corpus, std::string_view query,
                                          const TextQueryOptions& options) override {
    return inner_.SearchText(corpus, query, options);
  }
  Result<FullTextWarmStats> Warm(TextCorpus corpus, const FullTextWarmOptions& options) override {
    return inner_.Warm(corpus, options);
  }
  Result<std::vector<TermCoverage>> QueryCoverage(TextCorpus corpus, std::string_view query,
                                                  const std::vector<std::string>& ids) override {
    return inner_.QueryCoverage(corpus, query, ids);
  }
  Result<std::vector<Note>> AddNotes(std::span<const Note> notes) override;
  Result<std::vector<Note>> ThreadNotes(const std::string& thread) override;
  Result<std::vector<std::string>> NoteThreads() override { return inner_.NoteThreads(); }
  Result<std::vector<NoteHit>> SearchNoteText(const std::string& thread, std::string_view query,
                                              int limit) override;
  Result<std::int64_t> DeleteThread(const std::string& thread) override;

 private:
  FullTextIndex& inner_;
};

class Feedback final : public FeedbackStore {
 public:
  explicit Feedback(FeedbackStore& inner) : inner_(inner) {}
  Status RecordFeedback(const FeedbackEvent& event) override;
  Result<std::vector<FeedbackEvent>> ListFeedback(FeedbackTarget target,
                                                  const std::string& target_id,
                                                  int limit) override {
    return inner_.ListFeedback(target, target_id, limit);
  }
  Result<FeedbackCounts> CountFeedback(FeedbackTarget target,
                                       const std::string& target_id) override {
    return inner_.CountFeedback(target, target_id);
  }
  Status ForEachFeedback(const std::function<Status(const FeedbackEvent&)>& fn) override {
    return inner_.ForEachFeedback(fn);
  }
  Status ImportFeedback(const FeedbackEvent& event) override;

 private:
  FeedbackStore& inner_;
};

class Patterns final : public PatternStore {
 public:
  explicit Patterns(PatternStore& inner) : inner_(inner) {}
  Status RecordEpisodePatterns(const std::string& episode_id, bool success,
                               const std::vector<PatternOccurrence>& occurrences,
                               Timestamp now) override;
  using PatternStore::GetPattern;
  Result<Pattern> GetPattern(const std::string& pattern_id,
                             const std::optional<std::string>& project) override {
    return inner_.GetPattern(pattern_id, project);
  }
  Result<std::vector<Pattern>> ListPatterns(const PatternFilter& filter) override;
  using PatternStore::PatternEpisodes;
  Result<std::vector<std::string>> PatternEpisodes(
      const std::string& pattern_id, int limit,
      const std::optional<std::string>& project) override {
    return inner_.PatternEpisodes(pattern_id, limit, project);
  }
  Status ReplaceHeuristics(const std::vector<Heuristic>& heuristics) override;
  Result<Heuristic> GetHeuristic(const std::string& heuristic_id) override {
    return inner_.GetHeuristic(heuristic_id);
  }
  Result<std::vector<Heuristic>> ListHeuristics(int limit) override {
    return inner_.ListHeuristics(limit);
  }
  Status ForEachPattern(const std::function<Status(const StoredPattern&)>& fn) override {
    return inner_.ForEachPattern(fn);
  }
  Status ImportPattern(const StoredPattern& p) override;
  Status ForEachHeuristic(const std::function<Status(const Heuristic&)>& fn) override {
    return inner_.ForEachHeuristic(fn);
  }
  Status ImportHeuristic(const Heuristic& h) override;

 private:
  PatternStore& inner_;
};

class Contradictions final : public ContradictionStore {
 public:
  explicit Contradictions(ContradictionStore& inner) : inner_(inner) {}
  Result<std::pair<Contradiction, bool>> RecordContradiction(const Contradiction& c) override;
  Result<Contradiction> GetContradiction(const std::string& id) override {
    return inner_.GetContradiction(id);
  }
  using ContradictionStore::ListContradictions;
  Result<std::vector<Contradiction>> ListContradictions(
      std::optional<ContradictionStatus> status, int limit,
      const std::optional<std::string>& project) override {
    return inner_.ListContradictions(status, limit, project);
  }
  Result<std::vector<Contradiction>> ContradictionsAmong(
      const std::vector<std::string>& lesson_ids) override {
    return inner_.ContradictionsAmong(lesson_ids);
  }
  Status CloseContradiction(const std::string& id, ContradictionStatus status,
                            const std::optional<std::string>& winner, Timestamp at) override {
    return inner_.CloseContradiction(id, status, winner, at);
  }
  Status ForEachContradiction(const std::function<Status(const Contradiction&)>& fn) override {
    return inner_.ForEachContradiction(fn);
  }
  Status ImportContradiction(const Contradiction& c) override;

 private:
  ContradictionStore& inner_;
};

class Candidates final : public CandidateStore {
 public:
  explicit Candidates(CandidateStore& inner) : inner_(inner) {}
  Result<std::pair<Candidate, bool>> InsertCandidate(const Candidate& c) override;
  Result<Candidate> GetCandidate(const std::string& id) override { return inner_.GetCandidate(id); }
  Result<std::vector<Candidate>> ListCandidates(const CandidateFilter& filter) override {
    return inner_.ListCandidates(filter);
  }
  Status UpdatePendingCandidate(const Candidate& c) override;
  Status ForEachCandidate(const std::function<Status(const Candidate&)>& fn) override {
    return inner_.ForEachCandidate(fn);
  }
  Status ImportCandidate(const Candidate& c) override;

 private:
  CandidateStore& inner_;
};

}  // namespace engram::redacting
