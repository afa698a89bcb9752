// Engine::Warm: what the first queries would load, loaded ahead of them
// (docs/RETRIEVAL.md, "Warm-up").
#include <algorithm>
#include <chrono>
#include <mutex>

#include "engine/io_priority.h"
#include "engine/query_expansion.h"
#include "engine/search_state.h"
#include "engram/engine.h"

namespace engram {

const char* WarmStateName(WarmState state) {
  switch (state) {
    case WarmState::kNotRun:
      return "not_run";
    case WarmState::kRunning:
      return "running";
    case WarmState::kDone:
      return "done";
    case WarmState::kStopped:
      return "stopped";
    case WarmState::kFailed:
      return "failed";
  }
  return "unknown";
}

namespace {

Result<WarmStats> WarmStages(Engine& engine, const WarmOptions& options, SearchState& search,
                             const std::string& index_path, const LessonIndexOptions& li) {
  const auto t0 = std::chrono::steady_clock::now();
  WarmStats out;
  const std::stop_token& stop = options.stop;
  const Embedder* embedder = engine.embedder();
  const bool vectors = options.vector_index && embedder;
  if (vectors && !stop.stop_requested()) {
    // With a background index the builder loads it (searches meanwhile
    // answer from BM25 and say so) while this thread goes on below;
    // otherwise this thread loads it, and the searches wait for it.
    if (!li.background) ENGRAM_RETURN_IF_ERROR(embedder->Prepare());
    IndexRequest req{.path = index_path,
                     .force = false,
                     .progress = {},
                     .load_only = true,
                     .background = li.background ? &li : nullptr};
    ENGRAM_RETURN_IF_ERROR(
        EnsureLessonIndex(engine.store(), *embedder, search, req, engine.Now()).status());
  }
  // The full text first: the row lengths it reads make BM25, all a search
  // has while the index loads, score in memory.
  if (FullTextIndex* fts = engine.store().fulltext(); fts && !stop.stop_requested()) {
    FullTextWarmOptions o = options.fulltext;
    o.stop = stop;
    ENGRAM_ASSIGN_OR_RETURN(out.lessons, fts->Warm(TextCorpus::kLessons, o));
    o.max_postings -= std::min(o.max_postings, static_cast<std::size_t>(out.lessons.postings));
    if (!stop.stop_requested()) {
      ENGRAM_ASSIGN_OR_RETURN(out.episodes, fts->Warm(TextCorpus::kEpisodes, o));
    }
  }
  if (vectors && !stop.stop_requested()) {
    search.builder.WaitIdle();
    const LessonIndexStatus status = engine.lesson_index_status();
    out.vector_index_loaded = status.loaded;
    out.vector_items = status.items;
  }
  if (options.expansion_model && !stop.stop_requested()) {
    if (li.background) {
      // On the learner, where searches ask for it too: learned once.
      Status learned;
      search.learner.Request([&engine, &search, &learned] {
        learned = LessonExpansionModel(engine, search).status();
      });
      search.learner.WaitIdle();
      ENGRAM_RETURN_IF_ERROR(learned);
    } else {
      ENGRAM_RETURN_IF_ERROR(LessonExpansionModel(engine, search).status());
    }
    out.expansion_model = true;
  }
  if (!stop.stop_requested()) {
    PageWarmOptions o = options.pages;
    o.stop = stop;
    ENGRAM_ASSIGN_OR_RETURN(out.pages, engine.store().WarmPages(o));
  }
  out.stopped = stop.stop_requested();
  out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return out;
}

}  // namespace

Result<WarmStats> Engine::Warm(const WarmOptions& options) {
  // Whole tables and files read ahead of searches: theirs first.
  const BackgroundIo background;
  {
    std::lock_guard lock(search_->warm_mu);
    search_->warm = WarmStatus{WarmState::kRunning, {}, {}};
  }
  Result<WarmStats> got =
      WarmStages(*this, options, *search_, options_.lesson_index_path, options_.lesson_index);
  std::lock_guard lock(search_->warm_mu);
  if (got.ok()) {
    search_->warm = {got->stopped ? WarmState::kStopped : WarmState::kDone, *got, {}};
  } else {
    search_->warm = {WarmState::kFailed, {}, got.status().ToString()};
  }
  return got;
}

WarmStatus Engine::warm_status() {
  std::lock_guard lock(search_->warm_mu);
  return search_->warm;
}

}  // namespace engram
