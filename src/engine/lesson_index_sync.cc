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
  ENGRAM_RETURN_IF_ERROR(state.index->Save(state.path, state.fingerprint));
  state.unsaved_changes = 0;
  return Status::Ok();
}

SearchState::~SearchState() {
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
    (void)SaveLessonIndexIfDirty(state);
  }
  return Status::Ok();
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
  return s;
}

}  // namespace engram
