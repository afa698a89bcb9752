// The Engine's use recording (docs/RETRIEVAL.md, "Use recording"):
// NewEngineUseRecorder, NoteReturnedLessons, Engine::FlushLessonUses and
// Engine::lesson_use_stats.
#include "engine/lesson_use_recorder.h"

#include <memory>
#include <utility>

#include "engine/search_state.h"

namespace engram {

namespace {

// The index's copy of last_used_at follows each written batch, so the index
// way of ranking (docs/RETRIEVAL.md, "Ranking from the index") still matches
// the stored lessons. Not counted as an unsaved change: a file with older
// use times is corrected by the first search that returns such a lesson.
std::unique_ptr<LessonUseRecorder> NewRecorder(LessonUseRecorder::Write write, SearchState& state,
                                               const LessonUseOptions& options) {
  if (!options.record) return nullptr;
  auto written = [&state](const std::vector<LessonUse>& uses) {
    std::lock_guard lock(state.mu);
    if (!state.index) return;
    for (const LessonUse& u : uses) {
      Result<ItemMeta> m = state.index->GetMeta(u.lesson_id);
      if (!m.ok() || m->last_used_at >= u.used_at) continue;
      m->last_used_at = u.used_at;
      (void)state.index->SetMeta(u.lesson_id, *m);
    }
  };
  return std::make_unique<LessonUseRecorder>(options, std::move(write), written);
}

}  // namespace

std::unique_ptr<LessonUseRecorder> NewEngineUseRecorder(Store& store, SearchState& state,
                                                        const LessonUseOptions& options) {
  return NewRecorder(
      [&store](const std::vector<LessonUse>& uses) { return store.RecordLessonUses(uses); }, state,
      options);
}

std::unique_ptr<LessonUseRecorder> NewEngineUseRecorder(Store& shared, OpenOwnStore open_own,
                                                        SearchState& state,
                                                        const LessonUseOptions& options) {
  // Opened by the first batch, on the recorder's thread (writes are
  // serialised), so opening an Engine costs no second connection.
  struct Own {
    OpenOwnStore open;
    std::unique_ptr<Store> store;
    bool tried = false;
  };
  auto own = std::make_shared<Own>();
  own->open = std::move(open_own);
  return NewRecorder(
      [&shared, own](const std::vector<LessonUse>& uses) {
        if (!own->tried) {
          own->tried = true;
          Result<std::unique_ptr<Store>> opened = own->open();
          if (opened.ok()) own->store = std::move(*opened);  // else the shared one
        }
        return (own->store ? *own->store : shared).RecordLessonUses(uses);
      },
      state, options);
}

void NoteReturnedLessons(LessonUseRecorder* recorder, const std::vector<LessonResult>& results,
                         Timestamp at) {
  if (recorder == nullptr || results.empty()) return;
  std::vector<std::string> ids;
  ids.reserve(results.size());
  for (const LessonResult& r : results) ids.push_back(r.lesson.id);
  recorder->Note(ids, at);
}

Status Engine::FlushLessonUses() {
  if (!uses_) {
    ENGRAM_RETURN_IF_ERROR(LessonUseRecorder::Validate(options_.lesson_uses));
    return Status::Ok();  // recording is off: nothing waits
  }
  return uses_->Flush();
}

LessonUseStats Engine::lesson_use_stats() { return uses_ ? uses_->stats() : LessonUseStats{}; }

}  // namespace engram
