// LessonUseRecorder: records which lessons searches return, off the search
// path (docs/RETRIEVAL.md, "Use recording").
//
// Note() only adds the ids to an in-memory map (lesson -> uses, latest
// time) under a mutex: no I/O. A background thread, started by the first
// Note, writes the map in one batch through `write` (Store::RecordLessonUses:
// one transaction) once LessonUseOptions::flush_items distinct lessons wait
// or the oldest use waited flush_ms; Flush() writes at once, and the
// destructor stops the thread and writes what is left. After a successful
// write `written` is called with the batch (the Engine moves the lesson
// index's last-use times with it, so the index way of ranking stays exact).
//
// A failed write is never fatal: kBusy (another connection holds the write
// lock) puts the batch back, merged with newer uses, for the next write; any
// other error drops the batch. Either way the failure is counted and its
// message kept (stats()). At most max_pending distinct lessons are kept;
// uses of further lessons are dropped and counted.
//
// Ownership: owns its thread; `write` and `written` must stay callable until
// the destructor returns. Thread safety: every method may be called from
// any thread; writes are serialised (one batch at a time), and no lock is
// held while `write` runs except the one serialising writes, which Note
// never takes.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "engram/engine.h"
#include "engram/search.h"
#include "engram/store.h"

namespace engram {

class LessonUseRecorder {
 public:
  using Write = std::function<Status(const std::vector<LessonUse>&)>;
  using Written = std::function<void(const std::vector<LessonUse>&)>;

  // InvalidArgument unless flush_items >= 1, flush_ms >= 1, max_pending >= 1.
  static Status Validate(const LessonUseOptions& options);
  // REQUIRES: Validate(options).ok(); `write` non-empty.
  LessonUseRecorder(LessonUseOptions options, Write write, Written written);
  ~LessonUseRecorder();
  LessonUseRecorder(const LessonUseRecorder&) = delete;
  LessonUseRecorder& operator=(const LessonUseRecorder&) = delete;

  // One use of each id at `at`. Never waits for a write.
  void Note(const std::vector<std::string>& lesson_ids, Timestamp at);
  // Writes what waits now; Ok when nothing waits.
  Status Flush();
  LessonUseStats stats();

 private:
  using Clock = std::chrono::steady_clock;
  void Run();
  // Puts a failed batch back (kBusy), merged with what arrived meanwhile.
  void Requeue(const std::vector<LessonUse>& batch);

  const LessonUseOptions options_;
  const Write write_;
  const Written written_;

  std::mutex mu_;  // guards everything below
  std::condition_variable wake_;
  std::unordered_map<std::string, LessonUse> pending_;
  Clock::time_point oldest_{};  // when the first waiting use arrived
  bool stop_ = false;
  bool started_ = false;
  LessonUseStats stats_;
  std::thread thread_;

  std::mutex write_mu_;  // one batch at a time; Note never takes it
};

struct SearchState;

// The Engine's recorder (engine/lesson_uses.cc): writes through
// store.RecordLessonUses and then moves the last-use time of each written
// lesson in `state`'s index. Null when options.record is false.
// REQUIRES: LessonUseRecorder::Validate(options).ok(); store and state
// outlive the recorder.
std::unique_ptr<LessonUseRecorder> NewEngineUseRecorder(Store& store, SearchState& state,
                                                        const LessonUseOptions& options);

// Same, writing through a store of its own, a second connection to the same
// database that `open_own` opens at the first batch (Engine::OpenSqlite): a
// batch's transaction and its fsync then never hold the connection searches
// read through (bench/README.md, "contra"). When it cannot be opened the
// recorder writes through `shared`. The recorder keeps its store open until
// its last batch is written. REQUIRES: `shared` outlives the recorder.
using OpenOwnStore = std::function<Result<std::unique_ptr<Store>>()>;
std::unique_ptr<LessonUseRecorder> NewEngineUseRecorder(Store& shared, OpenOwnStore open_own,
                                                        SearchState& state,
                                                        const LessonUseOptions& options);

// One use of every lesson in `results` at `at`; nothing when `recorder` is null.
void NoteReturnedLessons(LessonUseRecorder* recorder, const std::vector<LessonResult>& results,
                         Timestamp at);

}  // namespace engram
