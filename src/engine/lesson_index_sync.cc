// Write-through updates of the lesson index (see lesson_index_sync.h), the
// SearchState destructor that saves them, and Engine::lesson_index_status.
#include "engine/lesson_index_sync.h"

#include <algorithm>
#include <utility>

#include "engram/engine.h"

namespace engram {
namespace {

// True when `after` is exactly what one write described by `delta` makes of `before`.
bool ExplainedBy(const LessonCounts& before, const LessonCounts& after, const IndexDelta& delta) {
  if (after.lessons != before.lessons + delta.count_delta) return false;
  if (delta.written) return after.max_updated == std::max(before.max_updated, *delta.written);
  return after.max_updated <= before.max_updated;
}

}  // namespace

Status SaveLessonIndexIfDirty(SearchState& state) {
  if (!state.index || state.path.empty() || state.unsaved_changes == 0 ||
      state.fingerprint.empty()) {
    return Status::Ok();
  }
  Status saved = state.index->Save(state.path, state.fingerprint);
  state.save_error = saved.ok() ? "" : saved.message();
  ENGRAM_RETURN_IF_ERROR(saved);
  state.unsaved_changes = 0;
  return Status::Ok();
}

void RequestLessonIndexSave(SearchState& state) {
  state.saver.Request([&state] {
    std::shared_ptr<HnswIndex> index;
    std::string path;
    std::string fingerprint;
    int changes = 0;
    {
      std::lock_guard lock(state.mu);
      if (!state.index || state.path.empty() || state.unsaved_changes == 0 ||
          state.fingerprint.empty()) {
        return;
      }
      index = state.index;
      path = state.path;
      fingerprint = state.fingerprint;
      changes = state.unsaved_changes;
    }
    // Without state.mu: searches and writes go on. A write applied from
    // here on waits for the file to be written (the index's own lock), so
    // the file holds exactly the lessons `fingerprint` describes, or the
    // write landed first and the fingerprint is older than the content:
    // the next process then rebuilds, which is only slower.
    const Status saved = index->Save(path, fingerprint);
    std::lock_guard lock(state.mu);
    if (saved.ok()) {
      state.save_error.clear();
      state.unsaved_changes = std::max(0, state.unsaved_changes - changes);
    } else {
      state.save_error = saved.message();
    }
  });
}

SearchState::~SearchState() {
  // The background saver first: then nothing else touches the index.
  saver.Stop();
  // A failed save leaves the older file, whose fingerprint no longer matches
  // the store: the next Engine rebuilds. Nothing else can be done here.
  (void)SaveLessonIndexIfDirty(*this);
}

Status WriteThroughLessonIndex(Store& store, const std::string& model_id, SearchState& state,
                               const std::function<Result<IndexDelta>()>& write) {
  std::lock_guard lock(state.mu);
  std::optional<LessonCounts> before;
  if (state.index && !state.fingerprint.empty()) {
    auto counts = CountLessons(store);
    if (counts.ok() && FingerprintOf(model_id, *counts) == state.fingerprint) before = *counts;
  }
  ENGRAM_ASSIGN_OR_RETURN(IndexDelta delta, write());
  if (!before) return Status::Ok();  // no index, or already stale: the next search rebuilds

  // From here on the write is committed; the index either follows it exactly
  // or is marked stale.
  auto after = CountLessons(store);
  const bool follows = after.ok() && ExplainedBy(*before, *after, delta) && delta.apply &&
                       delta.apply(*state.index).ok();
  if (!follows) {
    state.fingerprint.clear();  // never equals a store fingerprint: rebuild on next use
    return Status::Ok();
  }
  state.fingerprint = FingerprintOf(model_id, *after);
  ++state.incremental_updates;
  if (++state.unsaved_changes >= kLessonIndexSaveEvery) {
    // A failed save only leaves an older file, which its fingerprint marks stale.
    RequestLessonIndexSave(state);
  }
  return Status::Ok();
}

Status Engine::FlushLessonIndex() {
  search_->saver.WaitIdle();
  std::lock_guard lock(search_->mu);
  return SaveLessonIndexIfDirty(*search_);
}

LessonIndexStatus Engine::lesson_index_status() {
  std::lock_guard lock(search_->mu);
  LessonIndexStatus s;
  s.loaded = search_->index != nullptr;
  s.items = s.loaded ? search_->index->size() : 0;
  s.stale = s.loaded && search_->fingerprint.empty();
  s.rebuilds = search_->rebuilds;
  s.incremental_updates = search_->incremental_updates;
  s.unsaved_changes = search_->unsaved_changes;
  s.last_rebuild_reason = search_->last_rebuild_reason;
  s.save_error = search_->save_error;
  return s;
}

}  // namespace engram
