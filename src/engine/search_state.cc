#include "engine/search_state.h"

#include <algorithm>
#include <vector>

#include "engine/lesson_index_sync.h"
#include "retrieval/fusion.h"

namespace engram {

std::string LessonEmbeddingText(const Lesson& l) {
  return l.title + "\n" + l.content + "\n" + l.topic;
}

Result<Embedding> EmbedLesson(const Embedder& embedder, const Lesson& lesson, Timestamp now) {
  ENGRAM_ASSIGN_OR_RETURN(std::vector<float> v, embedder.Embed(LessonEmbeddingText(lesson)));
  return Embedding{lesson.id, embedder.model_id(), std::move(v), now};
}

Result<LessonCounts> CountLessons(Store& store) {
  ENGRAM_ASSIGN_OR_RETURN(StoreStats stats, store.Stats());
  LessonFilter newest;
  newest.include_deprecated = true;
  newest.limit = 1;
  ENGRAM_ASSIGN_OR_RETURN(std::vector<Lesson> top, store.ListLessons(newest));
  return LessonCounts{stats.lessons, top.empty() ? 0 : top.front().updated_at};
}

Result<LessonCounts> LessonCountCache::Get(Store& store) {
  ENGRAM_ASSIGN_OR_RETURN(std::string token, store.ChangeToken());
  {
    std::lock_guard lock(mu_);
    if (!token.empty() && token == token_) return counts_;
  }
  // Read after the token: a write in between changes the token again, so
  // the next call recounts rather than trusting these counts for too long.
  ENGRAM_ASSIGN_OR_RETURN(LessonCounts counts, CountLessons(store));
  std::lock_guard lock(mu_);
  token_ = std::move(token);
  counts_ = counts;
  return counts;
}

std::string FingerprintOf(const std::string& model_id, const LessonCounts& counts) {
  return model_id + "|" + std::to_string(counts.lessons) + "|" + std::to_string(counts.max_updated);
}

Result<std::string> LessonFingerprint(Store& store, const std::string& model_id,
                                      LessonCountCache* cache) {
  ENGRAM_ASSIGN_OR_RETURN(LessonCounts counts, cache ? cache->Get(store) : CountLessons(store));
  return FingerprintOf(model_id, counts);
}

std::size_t EngineEfSearch(std::size_t items) {
  if (items <= 200'000) return 64;
  if (items <= 2'000'000) return 128;
  return 256;
}

Result<int> EnsureLessonIndex(Store& store, const Embedder& embedder, SearchState& state,
                              const IndexRequest& request, Timestamp now) {
  std::lock_guard lock(state.mu);
  state.path = request.path;
  ENGRAM_ASSIGN_OR_RETURN(std::string fingerprint,
                          LessonFingerprint(store, embedder.model_id(), &state.counts));
  HnswOptions options;
  options.dimension = static_cast<std::size_t>(embedder.dimension());
  options.model_id = embedder.model_id();
  if (!request.force) {
    if (state.index && state.fingerprint == fingerprint) {
      return static_cast<int>(state.index->size());
    }
    if (!state.index && !request.path.empty()) {
      auto loaded = HnswIndex::Load(request.path, options, fingerprint);
      if (loaded.ok() && (*loaded)->loaded_format_version() < HnswIndex::kFormatVersion) {
        // An older file, converted while loading: save it in the current
        // format (no re-embedding, no graph rebuild). One from before item
        // times first gets every lesson's metadata from the store.
        HnswIndex& upgraded = **loaded;
        if (upgraded.loaded_format_version() < 2) {
          ENGRAM_RETURN_IF_ERROR(store.ForEachLesson(
              [&](const Lesson& l, const std::vector<LessonVersion>&) -> Status {
                if (!upgraded.Contains(l.id)) return Status::Ok();
                return upgraded.SetMeta(l.id, MetaOf(l));
              }));
        }
      }
      if (loaded.ok()) {
        const bool upgrade = (*loaded)->loaded_format_version() < HnswIndex::kFormatVersion;
        state.index = std::move(*loaded);
        state.index->SetEfSearch(EngineEfSearch(state.index->size()));
        state.fingerprint = fingerprint;
        state.last_rebuild_reason.clear();
        if (upgrade) {  // rewritten in the current format, off the request path
          state.unsaved_changes = std::max(1, state.unsaved_changes);
          RequestLessonIndexSave(state);
        }
        return static_cast<int>(state.index->size());
      }
      state.last_rebuild_reason = loaded.status().message();
    } else {
      state.last_rebuild_reason = !state.index                ? "no index file"
                                  : state.fingerprint.empty() ? "the index could not follow a write"
                                                              : "lessons changed";
    }
  } else {
    state.last_rebuild_reason = "forced";
  }

  if (request.load_only) return 0;
  // Rebuild: every lesson (deprecated ones too; filters exclude them).
  std::vector<Lesson> lessons;
  ENGRAM_RETURN_IF_ERROR(
      store.ForEachLesson([&](const Lesson& l, const std::vector<LessonVersion>&) -> Status {
        lessons.push_back(l);
        return Status::Ok();
      }));
  std::vector<std::vector<float>> vectors(lessons.size());
  const int total = static_cast<int>(lessons.size());
  for (int i = 0; i < total; ++i) {
    const Lesson& l = lessons[i];
    auto stored = store.GetEmbedding(l.id, embedder.model_id());
    if (stored.ok() && stored->created_at >= l.updated_at &&
        static_cast<int>(stored->vector.size()) == embedder.dimension()) {
      vectors[i] = std::move(stored->vector);
    } else if (stored.ok() || stored.status().IsNotFound()) {
      ENGRAM_ASSIGN_OR_RETURN(Embedding e, EmbedLesson(embedder, l, now));
      ENGRAM_RETURN_IF_ERROR(store.PutEmbedding(e));
      vectors[i] = std::move(e.vector);
    } else {
      return stored.status();
    }
    if (request.progress) request.progress(i + 1, total);
  }
  options.initial_capacity = std::max<std::size_t>(64, lessons.size() + lessons.size() / 4);
  options.ef_search = EngineEfSearch(lessons.size());
  ENGRAM_ASSIGN_OR_RETURN(std::unique_ptr<HnswIndex> index, HnswIndex::Create(options));
  std::vector<ItemView> items;
  items.reserve(lessons.size());
  for (std::size_t i = 0; i < lessons.size(); ++i) {
    items.push_back({lessons[i].id, vectors[i], MetaOf(lessons[i])});
  }
  ENGRAM_RETURN_IF_ERROR(index->AddBatch(items, 0));  // 0: one thread per core
  state.index = std::move(index);
  state.fingerprint = fingerprint;
  ++state.rebuilds;
  // Saved off the request path: a search never waits for, or fails with,
  // writing the file (a full disk keeps the index serving from memory).
  state.unsaved_changes = request.path.empty() ? 0 : std::max(1, total);
  if (!request.path.empty()) RequestLessonIndexSave(state);
  return total;
}

std::vector<ScoreExplanation> RelevanceExplanations(const std::vector<double>& bm25,
                                                    const std::vector<double>& cosine,
                                                    bool semantic, double dense_weight,
                                                    const std::string& mode,
                                                    const std::string& note) {
  const std::vector<double> lex = retrieval::MaxNorm(bm25);
  const std::vector<double> sem = semantic ? retrieval::MinMax(cosine) : std::vector<double>();
  const double w = semantic ? dense_weight : 0.0;
  std::vector<ScoreExplanation> out(bm25.size());
  for (std::size_t i = 0; i < out.size(); ++i) {
    ScoreExplanation& e = out[i];
    e.mode = mode;
    e.note = note;
    e.bm25 = bm25[i];
    e.lexical = lex[i];
    e.cosine = cosine[i];
    e.semantic = sem.empty() ? 0 : sem[i];
    e.relevance = (1 - w) * e.lexical + w * e.semantic;
  }
  return out;
}

}  // namespace engram
