// RedactingStore (redacting_store.h): every write of the Store interface,
// redacted with RedactRecord before it is passed on.
#include "store/redacting_store.h"

#include <optional>
#include <utility>

#include "core/redact_records.h"
#include "engram/redact.h"
#include "store/redacting_substores.h"

namespace engram {
namespace {

template <typename T>
T Redacted(T value) {
  RedactRecord(value);
  return value;
}

std::string RedactedText(const std::string& text) { return RedactSecrets(text); }

class RedactingStore final : public Store {
 public:
  explicit RedactingStore(std::unique_ptr<Store> inner) : inner_(std::move(inner)) {
    if (FullTextIndex* f = inner_->fulltext()) fulltext_.emplace(*f);
    if (FeedbackStore* f = inner_->feedback()) feedback_.emplace(*f);
    if (PatternStore* p = inner_->patterns()) patterns_.emplace(*p);
    if (ContradictionStore* c = inner_->contradictions()) contradictions_.emplace(*c);
    if (CandidateStore* c = inner_->candidates()) candidates_.emplace(*c);
  }

  // --- episodes ---
  Status CreateEpisode(const Episode& e) override { return inner_->CreateEpisode(Redacted(e)); }
  Result<int> AppendStep(const std::string& id, const Step& s, std::size_t max) override {
    return inner_->AppendStep(id, Redacted(s), max);
  }
  Status CompleteEpisode(const std::string& id, const Outcome& o, const RewardBreakdown& r,
                         const Reflection& f, Timestamp t) override {
    return inner_->CompleteEpisode(id, Redacted(o), Redacted(r), Redacted(f), t);
  }
  Result<Episode> GetEpisode(const std::string& id) override { return inner_->GetEpisode(id); }
  Result<std::vector<EpisodeSummary>> ListEpisodes(const EpisodeFilter& filter) override {
    EpisodeFilter f = filter;
    for (std::optional<std::string>* s : {&f.project, &f.domain, &f.language}) {
      if (s->has_value()) RedactText(**s);
    }
    return inner_->ListEpisodes(f);
  }
  Status DeleteEpisode(const std::string& id) override { return inner_->DeleteEpisode(id); }

  // --- lessons ---
  Status InsertLesson(const Lesson& l) override { return inner_->InsertLesson(Redacted(l)); }
  Result<Lesson> GetLesson(const std::string& id) override { return inner_->GetLesson(id); }
  Result<std::vector<Lesson>> GetLessons(const std::vector<std::string>& ids) override {
    return inner_->GetLessons(ids);
  }
  Result<std::vector<Lesson>> ListLessons(const LessonFilter& filter) override {
    LessonFilter f = filter;
    for (std::optional<std::string>* s : {&f.topic, &f.project}) {
      if (s->has_value()) RedactText(**s);
    }
    RedactTags(f.tags);
    return inner_->ListLessons(f);
  }
  Result<std::vector<LessonKeyCount>> CountLessonKeys() override {
    return inner_->CountLessonKeys();
  }
  Status UpdateLesson(const Lesson& l, const std::string& reason) override {
    return inner_->UpdateLesson(Redacted(l), RedactedText(reason));
  }
  Result<std::vector<LessonVersion>> LessonHistory(const std::string& id) override {
    return inner_->LessonHistory(id);
  }
  Status DeleteLesson(const std::string& id) override { return inner_->DeleteLesson(id); }
  Status TouchLesson(const std::string& id, Timestamp t) override {
    return inner_->TouchLesson(id, t);
  }
  Status RecordLessonUses(const std::vector<LessonUse>& uses) override {
    return inner_->RecordLessonUses(uses);  // ids and times only
  }

  // --- embeddings: vectors and model ids, no text ---
  Status PutEmbedding(const Embedding& e) override { return inner_->PutEmbedding(e); }
  Result<Embedding> GetEmbedding(const std::string& id, const std::string& model) override {
    return inner_->GetEmbedding(id, model);
  }

  // --- key-value: namespace and key are redacted on reads too ---
  Result<KvEntry> KvPut(const std::string& ns, const std::string& key, const Json& value,
                        const KvPutOptions& options, Timestamp now) override {
    return inner_->KvPut(RedactedText(ns), RedactedText(key), RedactSecrets(value), options, now);
  }
  Result<KvEntry> KvGet(const std::string& ns, const std::string& key, Timestamp now) override {
    return inner_->KvGet(RedactedText(ns), RedactedText(key), now);
  }
  Result<std::vector<KvEntry>> KvList(const std::string& ns, const std::string& prefix, int limit,
                                      Timestamp now) override {
    return inner_->KvList(RedactedText(ns), RedactedText(prefix), limit, now);
  }
  Status KvDelete(const std::string& ns, const std::string& key) override {
    return inner_->KvDelete(RedactedText(ns), RedactedText(key));
  }

  // --- maintenance ---
  Result<StoreStats> Stats() override { return inner_->Stats(); }
  Status Verify() override { return inner_->Verify(); }
  Status OptimizeFullText() override { return inner_->OptimizeFullText(); }
  Result<PageWarmStats> WarmPages(const PageWarmOptions& options) override {
    return inner_->WarmPages(options);
  }
  Status EnablePageChecksums() override { return inner_->EnablePageChecksums(); }
  Status Backup(const std::string& path) override { return inner_->Backup(path); }
  Status Restore(const std::string& path) override { return inner_->Restore(path); }

  // --- bulk export / import ---
  Status ForEachEpisode(const std::function<Status(const Episode&)>& fn) override {
    return inner_->ForEachEpisode(fn);
  }
  Status ForEachLesson(
      const std::function<Status(const Lesson&, const std::vector<LessonVersion>&)>& fn) override {
    return inner_->ForEachLesson(fn);
  }
  Status ForEachEmbedding(const std::function<Status(const Embedding&)>& fn) override {
    return inner_->ForEachEmbedding(fn);
  }
  Status ForEachKv(const std::function<Status(const KvEntry&)>& fn) override {
    return inner_->ForEachKv(fn);
  }
  Status ImportEpisode(const Episode& e) override { return inner_->ImportEpisode(Redacted(e)); }
  Status ImportLesson(const Lesson& l, const std::vector<LessonVersion>& history) override {
    std::vector<LessonVersion> h = history;
    for (LessonVersion& v : h) RedactRecord(v);
    return inner_->ImportLesson(Redacted(l), h);
  }
  Status ImportKv(const KvEntry& entry) override { return inner_->ImportKv(Redacted(entry)); }
  Status RunInTransaction(const std::function<Status()>& fn) override {
    return inner_->RunInTransaction(fn);
  }
  Result<std::string> ChangeToken() override { return inner_->ChangeToken(); }
  Result<LessonChangeMark> LessonChangeMarkNow() override { return inner_->LessonChangeMarkNow(); }
  Result<LessonChanges> LessonChangesSince(std::int64_t since, int limit) override {
    return inner_->LessonChangesSince(since, limit);
  }

  // --- sub-stores ---
  FullTextIndex* fulltext() override { return fulltext_ ? &*fulltext_ : nullptr; }
  EmbeddingCache* embedding_cache() override { return inner_->embedding_cache(); }  // hashes only
  FeedbackStore* feedback() override { return feedback_ ? &*feedback_ : nullptr; }
  PatternStore* patterns() override { return patterns_ ? &*patterns_ : nullptr; }
  ContradictionStore* contradictions() override {
    return contradictions_ ? &*contradictions_ : nullptr;
  }
  CandidateStore* candidates() override { return candidates_ ? &*candidates_ : nullptr; }

 private:
  std::unique_ptr<Store> inner_;
  std::optional<redacting::FullText> fulltext_;
  std::optional<redacting::Feedback> feedback_;
  std::optional<redacting::Patterns> patterns_;
  std::optional<redacting::Contradictions> contradictions_;
  std::optional<redacting::Candidates> candidates_;
};

}  // namespace

std::unique_ptr<Store> NewRedactingStore(std::unique_ptr<Store> inner) {
  return std::make_unique<RedactingStore>(std::move(inner));
}

}  // namespace engram
