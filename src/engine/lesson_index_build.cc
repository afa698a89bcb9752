// EnsureLessonIndex and CatchUpLessonIndex (search_state.h): loading,
// rebuilding and catching up the lesson index, inline or on
// SearchState::builder.
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <limits>
#include <set>
#include <system_error>
#include <utility>
#include <vector>

#include "engine/lesson_index_sync.h"
#include "engine/search_state.h"

namespace engram {
namespace {

// Lessons embedded per EmbedBatch call (and stored per transaction) while
// building.
constexpr std::size_t kEmbedChunk = 32;
// Changes a catch-up takes in a waiting search and on the builder, before a
// rebuild is cheaper: at least this many, or a quarter of the index.
constexpr std::int64_t kCatchUpChanges = 10'000;
// Changes a search that does not wait still applies itself (each a lesson
// read and an index update, about a millisecond at most).
constexpr std::int64_t kInlineCatchUpChanges = 256;

HnswOptions OptionsFor(const Embedder& embedder) {
  HnswOptions o;
  o.dimension = static_cast<std::size_t>(embedder.dimension());
  o.model_id = embedder.model_id();
  return o;
}

void SetProgress(SearchState& state, const char* phase, std::int64_t done, std::int64_t total) {
  std::lock_guard lock(state.progress_mu);
  state.progress.phase = phase;
  state.progress.done = done;
  state.progress.total = total;
}

// A stored embedding that still describes `lesson`, or nullopt.
Result<std::optional<std::vector<float>>> CurrentEmbedding(Store& store, const Embedder& embedder,
                                                           const Lesson& lesson) {
  auto stored = store.GetEmbedding(lesson.id, embedder.model_id());
  if (stored.ok()) {
    if (stored->created_at >= lesson.updated_at &&
        static_cast<int>(stored->vector.size()) == embedder.dimension()) {
      return std::optional<std::vector<float>>(std::move(stored->vector));
    }
    return std::optional<std::vector<float>>();
  }
  if (stored.status().IsNotFound()) return std::optional<std::vector<float>>();
  return stored.status();
}

// Embeds `lessons` in chunks, storing each chunk's embeddings in one
// transaction; `on_chunk(done)` after each. Stops early (Unavailable) when
// `stop` says so.
Status EmbedAndStore(Store& store, const Embedder& embedder,
                     const std::vector<const Lesson*>& lessons,
                     std::vector<std::vector<float>*> out, Timestamp now,
                     const std::function<bool()>& stop,
                     const std::function<void(std::size_t)>& on_chunk) {
  for (std::size_t first = 0; first < lessons.size(); first += kEmbedChunk) {
    if (stop && stop()) return Status::Unavailable("stopped while embedding lessons");
    const std::size_t n = std::min(kEmbedChunk, lessons.size() - first);
    std::vector<std::string> texts;
    texts.reserve(n);
    for (std::size_t i = 0; i < n; ++i) texts.push_back(LessonEmbeddingText(*lessons[first + i]));
    ENGRAM_ASSIGN_OR_RETURN(std::vector<std::vector<float>> vectors, embedder.EmbedBatch(texts));
    if (vectors.size() != n) return Status::Internal("the embedder returned a short batch");
    ENGRAM_RETURN_IF_ERROR(store.RunInTransaction([&]() -> Status {
      for (std::size_t i = 0; i < n; ++i) {
        ENGRAM_RETURN_IF_ERROR(store.PutEmbedding(
            Embedding{lessons[first + i]->id, embedder.model_id(), vectors[i], now}));
      }
      return Status::Ok();
    }));
    for (std::size_t i = 0; i < n; ++i) *out[first + i] = std::move(vectors[i]);
    if (on_chunk) on_chunk(first + n);
  }
  return Status::Ok();
}

struct BuiltIndex {
  std::shared_ptr<HnswIndex> index;
  std::string fingerprint;  // of the store when the build began
  bool needs_save = false;
};

// Builds a new index from every stored lesson (deprecated ones too; the
// filters exclude them), aside from state.index. The fingerprint is read
// first: lessons changed during the build are caught up afterwards.
// Returns nullopt, before embedding anything, when more than `max_embeds`
// (>= 0) lessons need embedding.
Result<std::optional<BuiltIndex>> BuildFromStore(Store& store, const Embedder& embedder,
                                                 SearchState& state, std::int64_t max_embeds,
                                                 const std::function<void(int, int)>& progress,
                                                 const std::function<bool()>& stop, Timestamp now) {
  ENGRAM_ASSIGN_OR_RETURN(StoreFingerprint fp,
                          ReadStoreFingerprint(store, embedder.model_id(), &state.counts));
  std::vector<Lesson> lessons;
  ENGRAM_RETURN_IF_ERROR(
      store.ForEachLesson([&](const Lesson& l, const std::vector<LessonVersion>&) -> Status {
        lessons.push_back(l);
        return Status::Ok();
      }));
  const int total = static_cast<int>(lessons.size());
  std::vector<std::vector<float>> vectors(lessons.size());
  std::vector<const Lesson*> missing;
  std::vector<std::vector<float>*> missing_out;
  for (std::size_t i = 0; i < lessons.size(); ++i) {
    ENGRAM_ASSIGN_OR_RETURN(auto stored, CurrentEmbedding(store, embedder, lessons[i]));
    if (stored) {
      vectors[i] = std::move(*stored);
    } else {
      missing.push_back(&lessons[i]);
      missing_out.push_back(&vectors[i]);
    }
  }
  if (max_embeds >= 0 && static_cast<std::int64_t>(missing.size()) > max_embeds) {
    return std::optional<BuiltIndex>();
  }
  const int stored = total - static_cast<int>(missing.size());
  SetProgress(state, "embedding", stored, total);
  if (progress) progress(stored, total);
  ENGRAM_RETURN_IF_ERROR(
      EmbedAndStore(store, embedder, missing, missing_out, now, stop, [&](std::size_t done) {
        const int d = stored + static_cast<int>(done);
        SetProgress(state, "embedding", d, total);
        if (progress) progress(d, total);
      }));
  SetProgress(state, "building", 0, total);
  HnswOptions options = OptionsFor(embedder);
  options.initial_capacity = std::max<std::size_t>(64, lessons.size() + lessons.size() / 4);
  options.ef_search = EngineEfSearch(lessons.size());
  ENGRAM_ASSIGN_OR_RETURN(std::unique_ptr<HnswIndex> index, HnswIndex::Create(options));
  std::vector<ItemView> items;
  items.reserve(lessons.size());
  for (std::size_t i = 0; i < lessons.size(); ++i) {
    items.push_back({lessons[i].id, vectors[i], MetaOf(lessons[i])});
  }
  ENGRAM_RETURN_IF_ERROR(index->AddBatch(items, 0));  // 0: one thread per core
  return std::optional<BuiltIndex>(BuiltIndex{std::move(index), std::move(fp.text), true});
}

// Loads the index file as it is (any fingerprint: the caller catches up or
// rebuilds); an older format is converted and marked for saving.
Result<BuiltIndex> LoadFile(Store& store, const Embedder& embedder, const std::string& path) {
  ENGRAM_ASSIGN_OR_RETURN(std::unique_ptr<HnswIndex> loaded,
                          HnswIndex::Load(path, OptionsFor(embedder)));
  const bool upgrade = loaded->loaded_format_version() < HnswIndex::kFormatVersion;
  if (loaded->loaded_format_version() < 2) {
    // A file from before item metadata: every lesson's metadata from the store.
    HnswIndex& upgraded = *loaded;
    ENGRAM_RETURN_IF_ERROR(
        store.ForEachLesson([&](const Lesson& l, const std::vector<LessonVersion>&) -> Status {
          if (!upgraded.Contains(l.id)) return Status::Ok();
          return upgraded.SetMeta(l.id, MetaOf(l));
        }));
  }
  std::string fingerprint = loaded->source_fingerprint();
  bool resave = upgrade;
  if (!ParseLogFingerprint(fingerprint, embedder.model_id())) {
    // Saved before the store kept a change log: trusted, as then, when the
    // counts still match, and given the log's mark (read on both sides of
    // the count, so no write slipped in between).
    Result<LessonChangeMark> before = store.LessonChangeMarkNow();
    if (before.ok()) {
      ENGRAM_ASSIGN_OR_RETURN(LessonCounts counts, CountLessons(store));
      ENGRAM_ASSIGN_OR_RETURN(LessonChangeMark after, store.LessonChangeMarkNow());
      if (after.seq == before->seq && after.lineage == before->lineage &&
          fingerprint == FingerprintOf(embedder.model_id(), counts)) {
        fingerprint = FingerprintOf(embedder.model_id(), after);
        resave = true;
      }
    }
  }
  return BuiltIndex{std::move(loaded), std::move(fingerprint), resave};
}

// Puts `built` in place of state.index. REQUIRES: state.mu held.
void Install(SearchState& state, BuiltIndex built, bool rebuilt) {
  built.index->SetEfSearch(EngineEfSearch(built.index->size()));
  state.index = std::move(built.index);
  state.fingerprint = std::move(built.fingerprint);
  if (rebuilt) {
    ++state.rebuilds;
  } else {
    state.last_rebuild_reason.clear();
  }
  if (built.needs_save && !state.path.empty()) {
    state.unsaved_changes = std::max<int>(1, static_cast<int>(state.index->size()));
    RequestLessonIndexSave(state);
  } else if (state.path.empty()) {
    state.unsaved_changes = 0;
  }
}

std::int64_t CatchUpLimit(const SearchState& state) {
  return std::max<std::int64_t>(
      kCatchUpChanges, static_cast<std::int64_t>(state.index ? state.index->size() : 0) / 4);
}

bool FileExists(const std::string& path, std::int64_t* bytes) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) return false;
  *bytes = static_cast<std::int64_t>(size);
  return true;
}

// What the index builder does: load the file (when there is no index yet
// and a file), then catch up; rebuild when that cannot be done.
enum class Job { kLoad, kRebuild };

Status RunJob(Store& store, const Embedder& embedder, SearchState& state, Job job, bool load_only,
              const std::function<void(int, int)>& progress, Timestamp now) {
  const std::function<bool()> stop = [&state] { return state.builder.stopping(); };
  if (job == Job::kLoad) {
    // The model first: a search that finds the index loaded embeds its query at once.
    SetProgress(state, "loading the model", 0, 0);
    ENGRAM_RETURN_IF_ERROR(embedder.Prepare());
    state.model_ready = true;
    std::int64_t bytes = 0;
    std::string path;
    {
      std::lock_guard lock(state.mu);
      if (state.index) return Status::Ok();  // searches catch it up
      path = state.path;
    }
    if (!path.empty() && FileExists(path, &bytes)) {
      SetProgress(state, "loading", 0, bytes);
      Result<BuiltIndex> loaded = LoadFile(store, embedder, path);
      std::lock_guard lock(state.mu);
      if (state.index) return Status::Ok();  // built meanwhile: searches catch it up
      if (loaded.ok()) {
        Install(state, std::move(*loaded), false);
        SetProgress(state, "catching up", 0, 0);
        ENGRAM_ASSIGN_OR_RETURN(StoreFingerprint fp,
                                ReadStoreFingerprint(store, embedder.model_id(), &state.counts));
        if (state.fingerprint == fp.text) return Status::Ok();
        ENGRAM_ASSIGN_OR_RETURN(
            CatchUpResult caught,
            CatchUpLessonIndex(store, embedder, state, CatchUpLimit(state), 0, now));
        if (caught == CatchUpResult::kDone) return Status::Ok();
        state.last_rebuild_reason = "the index file is behind the store";
      } else {
        state.last_rebuild_reason = loaded.status().message();
      }
    } else {
      std::lock_guard lock(state.mu);
      state.last_rebuild_reason = "no index file";
    }
    if (load_only) return Status::Ok();
  }
  ENGRAM_ASSIGN_OR_RETURN(std::optional<BuiltIndex> built,
                          BuildFromStore(store, embedder, state, -1, progress, stop, now));
  std::lock_guard lock(state.mu);
  Install(state, std::move(*built), true);
  // Lessons changed while building; beyond a catch-up, the next search asks again.
  ENGRAM_ASSIGN_OR_RETURN(StoreFingerprint fp,
                          ReadStoreFingerprint(store, embedder.model_id(), &state.counts));
  if (state.fingerprint != fp.text) {
    ENGRAM_RETURN_IF_ERROR(
        CatchUpLessonIndex(store, embedder, state, CatchUpLimit(state), 64, now).status());
  }
  return Status::Ok();
}

// Hands `job` to the builder (coalesced with one already asked for).
void StartJob(Store& store, const Embedder& embedder, SearchState& state, Job job, bool load_only,
              const std::function<void(int, int)>& progress, Timestamp now) {
  {
    std::lock_guard lock(state.progress_mu);
    state.progress.phase = job == Job::kRebuild ? "building"
                           : state.model_ready  ? "loading"
                                                : "loading the model";
    state.progress.done = state.progress.total = 0;
  }
  state.builder.Request([&store, &embedder, &state, job, load_only, progress, now] {
    Status st = RunJob(store, embedder, state, job, load_only, progress, now);
    std::lock_guard lock(state.progress_mu);
    state.progress.phase.clear();
    state.progress.done = state.progress.total = 0;
    state.progress.error = st.ok() ? "" : st.ToString();
  });
}

std::string ProgressNote(SearchState& state, bool have_index) {
  IndexProgress p;
  {
    std::lock_guard lock(state.progress_mu);
    p = state.progress;
  }
  if (p.phase.empty() && !p.error.empty()) {
    return "the lesson index could not be built in the background (" + p.error +
           "); results come from BM25 alone";
  }
  std::string what = "the lesson index is " + (p.phase.empty() ? std::string("building") : p.phase);
  if (p.total > 0) {
    what += " (" + std::to_string(p.done) + " of " + std::to_string(p.total) +
            (p.phase == "loading" ? " bytes)" : " lessons)");
  }
  what += " in the background";
  return have_index ? what + "; lessons changed since it was built are found by BM25 alone"
                    : what + "; results come from BM25 alone until it is ready";
}

}  // namespace

Result<CatchUpResult> CatchUpLessonIndex(Store& store, const Embedder& embedder, SearchState& state,
                                         std::int64_t max_changes, std::int64_t max_embeds,
                                         Timestamp now,
                                         const std::function<void(int, int)>& progress) {
  const std::string& model = embedder.model_id();
  const std::optional<LessonChangeMark> from = ParseLogFingerprint(state.fingerprint, model);
  if (!from) return CatchUpResult::kCannot;
  Result<LessonChanges> got = store.LessonChangesSince(
      from->seq, static_cast<int>(std::min<std::int64_t>(max_changes, 1 << 30)));
  if (!got.ok()) {
    if (got.status().code() == ErrorCode::kFailedPrecondition) return CatchUpResult::kCannot;
    return got.status();
  }
  const LessonChanges& changes = *got;
  if (changes.mark.lineage != from->lineage || changes.mark.seq < from->seq) {
    return CatchUpResult::kCannot;
  }
  if (changes.truncated) return CatchUpResult::kTooMany;
  HnswIndex& index = *state.index;
  const std::set<std::string> changed(changes.changed.begin(), changes.changed.end());
  for (const std::string& id : changes.deleted) {
    if (!changed.count(id) && index.Contains(id)) ENGRAM_RETURN_IF_ERROR(index.Remove(id));
  }
  std::int64_t embeds = 0;
  const int total = static_cast<int>(changes.changed.size());
  int done = 0;
  for (const std::string& id : changes.changed) {
    if (progress) progress(done++, total);
    Result<Lesson> lesson = store.GetLesson(id);
    if (!lesson.ok()) {
      if (!lesson.status().IsNotFound()) return lesson.status();
      if (index.Contains(id)) ENGRAM_RETURN_IF_ERROR(index.Remove(id));  // deleted since
      continue;
    }
    ENGRAM_ASSIGN_OR_RETURN(auto vector, CurrentEmbedding(store, embedder, *lesson));
    if (!vector) {
      if (++embeds > max_embeds) return CatchUpResult::kTooMany;
      ENGRAM_ASSIGN_OR_RETURN(Embedding e, EmbedLesson(embedder, *lesson, now));
      ENGRAM_RETURN_IF_ERROR(store.PutEmbedding(e));
      vector = std::move(e.vector);
    }
    const ItemMeta meta = MetaOf(*lesson);
    if (!index.Contains(id)) {
      ENGRAM_RETURN_IF_ERROR(index.Add(id, *vector, meta));
      continue;
    }
    // The same vector (e.g. a deprecation): the metadata alone.
    ENGRAM_ASSIGN_OR_RETURN(std::vector<float> held, index.GetVector(id));
    double dot = 0, norm = 0;
    for (std::size_t i = 0; i < held.size() && i < vector->size(); ++i) {
      dot += static_cast<double>(held[i]) * (*vector)[i];
      norm += static_cast<double>((*vector)[i]) * (*vector)[i];
    }
    if (held.size() == vector->size() && norm > 0 && dot / std::sqrt(norm) > 1 - 1e-6) {
      ENGRAM_RETURN_IF_ERROR(index.SetMeta(id, meta));
    } else {
      ENGRAM_RETURN_IF_ERROR(index.Update(id, *vector, meta));
    }
  }
  if (progress && total > 0) progress(total, total);
  if (static_cast<std::int64_t>(index.size()) != changes.mark.lessons) {
    return CatchUpResult::kCannot;  // something the log does not explain
  }
  const std::int64_t applied =
      static_cast<std::int64_t>(changes.changed.size() + changes.deleted.size());
  state.fingerprint = FingerprintOf(model, changes.mark);
  state.caught_up += applied;
  if (applied > 0 && !state.path.empty()) {
    state.unsaved_changes += static_cast<int>(std::min<std::int64_t>(applied, 1 << 20));
    if (state.unsaved_changes >= kLessonIndexSaveEvery) RequestLessonIndexSave(state);
  }
  return CatchUpResult::kDone;
}

Result<IndexReadiness> EnsureLessonIndex(Store& store, const Embedder& embedder, SearchState& state,
                                         const IndexRequest& request, Timestamp now) {
  const LessonIndexOptions* bg = request.background;
  bool forced = request.force;
  // A waiting caller loops: the builder's job, then a look at the result
  // (a few rounds at most: writes landing meanwhile are caught up).
  for (int round = 0;; ++round) {
    std::unique_lock lock(state.mu);
    state.path = request.path;
    const bool have_index = state.index != nullptr;
    const int items = have_index ? static_cast<int>(state.index->size()) : 0;
    if (bg && !state.model_ready) {
      // Not even the query can be embedded yet: the builder loads the model
      // (and the index, when there is none).
      if (!state.builder.busy()) {
        lock.unlock();
        StartJob(store, embedder, state, Job::kLoad, request.load_only, request.progress, now);
        lock.lock();
      }
      return IndexReadiness{0, false, ProgressNote(state, false)};
    }
    ENGRAM_ASSIGN_OR_RETURN(StoreFingerprint fp,
                            ReadStoreFingerprint(store, embedder.model_id(), &state.counts));
    if (!forced && have_index && state.fingerprint == fp.text)
      return IndexReadiness{items, true, ""};
    if (!forced && have_index && !state.fingerprint.empty()) {
      ENGRAM_ASSIGN_OR_RETURN(
          CatchUpResult caught,
          CatchUpLessonIndex(
              store, embedder, state, bg ? kInlineCatchUpChanges : CatchUpLimit(state),
              bg ? std::max(bg->inline_embeds, 0) : std::numeric_limits<std::int64_t>::max(), now,
              bg ? std::function<void(int, int)>() : request.progress));
      if (caught == CatchUpResult::kDone) {
        return IndexReadiness{static_cast<int>(state.index->size()), true, ""};
      }
      if (caught == CatchUpResult::kCannot) state.last_rebuild_reason = "lessons changed";
    }
    if (state.builder.busy()) {
      if (bg) return IndexReadiness{items, false, ProgressNote(state, have_index)};
      lock.unlock();
      state.builder.WaitIdle();
      continue;
    }
    if (round > 0) {
      // The builder ran for this caller and the index is still not current.
      std::string error;
      {
        std::lock_guard plock(state.progress_mu);
        error = state.progress.error;
      }
      if (!error.empty()) return Status::Internal("building the lesson index: " + error);
      if (round > 3 || (request.load_only && !forced)) {
        return IndexReadiness{static_cast<int>(state.index ? state.index->size() : 0), false,
                              "the lesson index is behind the store: lessons are changing "
                              "faster than it catches up"};
      }
    }
    Job job = Job::kRebuild;
    if (forced) {
      state.last_rebuild_reason = "forced";
    } else if (!have_index) {
      job = Job::kLoad;
    } else if (state.fingerprint.empty()) {
      state.last_rebuild_reason = "the index could not follow a write";
    }
    if (job == Job::kRebuild && request.load_only) return IndexReadiness{items, false, ""};
    std::int64_t bytes = 0;
    if (job == Job::kLoad && !request.path.empty() && FileExists(request.path, &bytes) &&
        (!bg || bytes <= bg->inline_file_bytes)) {
      // Small enough to load here (or the caller waits anyway).
      Result<BuiltIndex> loaded = LoadFile(store, embedder, request.path);
      if (loaded.ok()) {
        Install(state, std::move(*loaded), false);
        continue;  // then catch up, above
      }
      state.last_rebuild_reason = loaded.status().message();
      if (request.load_only) return IndexReadiness{0, false, ""};
      job = Job::kRebuild;
    } else if (job == Job::kLoad && (request.path.empty() || !FileExists(request.path, &bytes))) {
      state.last_rebuild_reason = "no index file";
      if (request.load_only) return IndexReadiness{0, false, ""};
      job = Job::kRebuild;
    }
    if (bg && job == Job::kRebuild) {
      const std::int64_t lessons = fp.mark ? fp.mark->lessons : items;
      if (lessons <= bg->inline_lessons) {
        // Small: build here, unless more than inline_embeds need embedding.
        ENGRAM_ASSIGN_OR_RETURN(
            std::optional<BuiltIndex> built,
            BuildFromStore(store, embedder, state, bg->inline_embeds, request.progress, {}, now));
        SetProgress(state, "", 0, 0);
        if (built) {
          Install(state, std::move(*built), true);
          forced = false;
          continue;
        }
      }
    }
    lock.unlock();
    StartJob(store, embedder, state, job, request.load_only, request.progress, now);
    if (bg) {
      lock.lock();
      return IndexReadiness{state.index ? static_cast<int>(state.index->size()) : 0, false,
                            ProgressNote(state, state.index != nullptr)};
    }
    state.builder.WaitIdle();
    forced = false;
  }
}

}  // namespace engram
