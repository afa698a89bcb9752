// Keeps the in-memory lesson index current through the Engine's own lesson
// writes (add, update, deprecate, delete) instead of rebuilding it.
//
// The lesson index carries the fingerprint of the lessons it holds
// (search_state.h). A write goes through WriteThroughLessonIndex, which
// holds SearchState::mu around it:
//   1. before the write, the store's fingerprint is read; only when it equals
//      the index's may the index follow the write (otherwise something else
//      changed the store - another process, an import - and the next search
//      catches up from the change log, or without one rebuilds);
//   2. the write runs and reports what it did (IndexDelta);
//   3. the fingerprint is read again and must be exactly what this one write
//      explains: with a change log one step of it and the count + delta;
//      without one, count + delta and max updated_at = max(before, written)
//      for an add or update, not above the old maximum for a delete. Then
//      the delta is applied to the index (Add / Update / SetMeta / Remove)
//      and the index takes the new fingerprint. Anything else (another
//      writer slipped in, the re-embedding failed, the index refused the
//      change) leaves the index's fingerprint where it was: the next search
//      catches up (without a log: the index is marked stale and rebuilt).
// The index file is rewritten (with the fingerprint the index holds) in the
// background after every kSaveEvery applied writes, and when the
// SearchState is destroyed, so a crash leaves a file whose fingerprint is
// behind the store: the next process catches it up. A file is never newer
// than its fingerprint says.
//
// Thread safety: takes SearchState::mu; REQUIRES the caller does not hold it.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "engine/search_state.h"
#include "engram/status.h"
#include "engram/store.h"
#include "engram/time.h"

namespace engram {

// Applied writes between two saves of the index file.
inline constexpr int kLessonIndexSaveEvery = 64;

// What one lesson write did, for the index to follow.
struct IndexDelta {
  int count_delta = 0;               // +1 add, 0 update / deprecate, -1 delete
  std::optional<Timestamp> written;  // updated_at of the written lesson (not for a delete)
  // Applies the write to the index; empty when the index cannot follow
  // (e.g. the new embedding is missing): the index is then marked stale.
  std::function<Status(HnswIndex&)> apply;
};

// Runs `write` (one committed store write) under state.mu and lets the index
// follow it (see above). Returns the write's status; the index's own
// troubles never fail the write (they only make the next search rebuild).
Status WriteThroughLessonIndex(Store& store, const std::string& model_id, SearchState& state,
                               const std::function<Result<IndexDelta>()>& write);

// Saves state.index to state.path with state.fingerprint when writes were
// applied since the last save, here and now; records the outcome in
// state.save_error. REQUIRES: state.mu held (or sole owner).
Status SaveLessonIndexIfDirty(SearchState& state);

// Asks state.saver to save the index in the background: the index and its
// fingerprint are taken under state.mu, the file is written without it (so
// searches go on), and unsaved_changes drops by what was saved. Writes
// that land meanwhile stay counted; a failed save leaves every change
// counted and the error in state.save_error. Any thread; state.mu may be held.
void RequestLessonIndexSave(SearchState& state);

}  // namespace engram
