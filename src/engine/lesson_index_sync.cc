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
  // The background workers first: then nothing else touches the index.
  builder.Stop();
  saver.Stop();
  // A failed save leaves the older file, whose fingerprint no longer matches
  // the store: the next Engine catches up or rebuilds. Nothing else can be
  // done here.
  (void)SaveLessonIndexIfDirty(*this);
}

namespace {

// Where the store stands for one write: its change log's mark, or without
// one the counts, read afresh (not from the cache: a write moves them).
using Position = StoreFingerprint;

Result<Position> PositionOf(Store& store, const std::string& model_id) {
  return ReadStoreFingerprint(store, model_id, /*cache=*/nullptr);
}

// True when `after` is exactly what one write described by `delta` makes of
// `before`: with a log, one step of it (anything more is another writer's).
bool ExplainedBy(const Position& before, const Position& after, const IndexDelta& delta) {
  if (before.mark.has_value() != after.mark.has_value()) return false;
  if (before.mark) {
    return after.mark->lineage == before.mark->lineage && after.mark->seq == before.mark->seq + 1 &&
           after.mark->lessons == before.mark->lessons + delta.count_delta;
  }
  return ExplainedBy(before.counts, after.counts, delta);
}

}  // namespace

Status WriteThroughLessonIndex(Store& store, const std::string& model_id, SearchState& state,
                               const std::function<Result<IndexDelta>()>& write) {
  std::lock_guard lock(state.mu);
  std::optional<Position> before;
  if (state.index && !state.fingerprint.empty()) {
    auto p = PositionOf(store, model_id);
    if (p.ok() && p->text == state.fingerprint) before = std::move(*p);
  }
  ENGRAM_ASSIGN_OR_RETURN(IndexDelta delta, write());
  // No index, or already behind the store: the next search catches it up.
  if (!before) return Status::Ok();

  // From here on the write is committed; the index either follows it exactly
  // or keeps the fingerprint of what it holds, from which the next search
  // catches up (without a change log: the fingerprint is cleared, and the
  // next search rebuilds). A half-applied delta is applied again then.
  auto after = PositionOf(store, model_id);
  const bool follows = after.ok() && ExplainedBy(*before, *after, delta) && delta.apply &&
                       delta.apply(*state.index).ok();
  if (!follows) {
    if (!before->mark) state.fingerprint.clear();
    return Status::Ok();
  }
  state.fingerprint = after->text;
  ++state.incremental_updates;
  if (++state.unsaved_changes >= kLessonIndexSaveEvery) {
    // A failed save only leaves an older file, which its fingerprint marks stale.
    RequestLessonIndexSave(state);
  }
  return Status::Ok();
}

Status Engine::FlushLessonIndex() {
  search_->builder.WaitIdle();
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
  s.caught_up = search_->caught_up;
  std::lock_guard plock(search_->progress_mu);
  s.building = search_->progress.phase;
  s.build_done = search_->progress.done;
  s.build_total = search_->progress.total;
  s.build_error = search_->progress.error;
  return s;
}

}  // namespace engram
