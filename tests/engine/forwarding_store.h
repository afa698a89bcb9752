// ForwardingStore: a Store that passes every call to another Store. Tests
// derive from it and override the one call they want to interfere with
// (e.g. simulate a concurrent lesson update).
//
// Ownership: borrows `inner`, which must outlive it. Thread safety: as the
// inner store.
#pragma once

#include "engram/store.h"

namespace engram::testing {

class ForwardingStore : public Store {
 public:
  explicit ForwardingStore(Store& inner) : inner_(inner) {}

  Status CreateEpisode(const Episode& e) override { return inner_.CreateEpisode(e); }
  Result<int> AppendStep(const std::string& id, const Step& s, std::size_t max) override {
    return inner_.AppendStep(id, s, max);
  }
  Status CompleteEpisode(const std::string& id, const Outcome& o, const RewardBreakdown& r,
                         const Reflection& f, Timestamp t) override {
    return inner_.CompleteEpisode(id, o, r, f, t);
  }
  Result<Episode> GetEpisode(const std::string& id) override { return inner_.GetEpisode(id); }
  Result<std::vector<EpisodeSummary>> ListEpisodes(const EpisodeFilter& f) override {
    return inner_.ListEpisodes(f);
  }
  Status DeleteEpisode(const std::string& id) override { return inner_.DeleteEpisode(id); }
  Status InsertLesson(const Lesson& l) override { return inner_.InsertLesson(l); }
  Result<Lesson> GetLesson(const std::string& id) override { return inner_.GetLesson(id); }
  // GetLessons is not forwarded: the default calls GetLesson above, so a
  // test that overrides GetLesson sees every lesson read.
  Result<std::vector<LessonKeyCount>> CountLessonKeys() override {
    return inner_.CountLessonKeys();
  }
  Result<std::string> ChangeToken() override { return inner_.ChangeToken(); }
  Result<LessonChangeMark> LessonChangeMarkNow() override { return inner_.LessonChangeMarkNow(); }
  Result<LessonChanges> LessonChangesSince(std::int64_t since, int limit) override {
    return inner_.LessonChangesSince(since, limit);
  }
  Result<std::vector<Lesson>> ListLessons(const LessonFilter& f) override {
    return inner_.ListLessons(f);
  }
  Status UpdateLesson(const Lesson& l, const std::string& reason) override {
    return inner_.UpdateLesson(l, reason);
  }
  Result<std::vector<LessonVersion>> LessonHistory(const std::string& id) override {
    return inner_.LessonHistory(id);
  }
  Status DeleteLesson(const std::string& id) override { return inner_.DeleteLesson(id); }
  Status TouchLesson(const std::string& id, Timestamp t) override {
    return inner_.TouchLesson(id, t);
  }
  Status RecordLessonUses(const std::vector<LessonUse>& uses) override {
    return inner_.RecordLessonUses(uses);
  }
  Status PutEmbedding(const Embedding& e) override { return inner_.PutEmbedding(e); }
  Result<Embedding> GetEmbedding(const std::string& id, const std::string& model) override {
    return inner_.GetEmbedding(id, model);
  }
  Result<KvEntry> KvPut(const std::string& ns, const std::string& key, const Json& value,
                        const KvPutOptions& options, Timestamp now) override {
    return inner_.KvPut(ns, key, value, options, now);
  }
  Result<KvEntry> KvGet(const std::string& ns, const std::string& key, Timestamp now) override {
    return inner_.KvGet(ns, key, now);
  }
  Result<std::vector<KvEntry>> KvList(const std::string& ns, const std::string& prefix, int limit,
                                      Timestamp now) override {
    return inner_.KvList(ns, prefix, limit, now);
  }
  Status KvDelete(const std::string& ns, const std::string& key) override {
    return inner_.KvDelete(ns, key);
  }
  Result<StoreStats> Stats() override { return inner_.Stats(); }
  Status Verify() override { return inner_.Verify(); }
  Status Backup(const std::string& path) override { return inner_.Backup(path); }
  Status Restore(const std::string& path) override { return inner_.Restore(path); }
  Status ForEachEpisode(const std::function<Status(const Episode&)>& fn) override {
    return inner_.ForEachEpisode(fn);
  }
  Status ForEachLesson(
      const std::function<Status(const Lesson&, const std::vector<LessonVersion>&)>& fn) override {
    return inner_.ForEachLesson(fn);
  }
  Status ForEachEmbedding(const std::function<Status(const Embedding&)>& fn) override {
    return inner_.ForEachEmbedding(fn);
  }
  Status ForEachKv(const std::function<Status(const KvEntry&)>& fn) override {
    return inner_.ForEachKv(fn);
  }
  Status ImportEpisode(const Episode& e) override { return inner_.ImportEpisode(e); }
  Status ImportLesson(const Lesson& l, const std::vector<LessonVersion>& h) override {
    return inner_.ImportLesson(l, h);
  }
  Status ImportKv(const KvEntry& e) override { return inner_.ImportKv(e); }
  Status RunInTransaction(const std::function<Status()>& fn) override {
    return inner_.RunInTransaction(fn);
  }
  Status OptimizeFullText() override { return inner_.OptimizeFullText(); }
  FullTextIndex* fulltext() override { return inner_.fulltext(); }
  EmbeddingCache* embedding_cache() override { return inner_.embedding_cache(); }

 protected:
  Store& inner() { return inner_; }

 private:
  Store& inner_;
};

}  // namespace engram::testing
