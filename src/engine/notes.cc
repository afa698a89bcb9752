// Engine: notes. AddNote validates (core/validate.h), then writes through
// the store's full-text index, which the RedactingStore wraps; SearchNotes
// ranks each thread with retrieval::ThreadSearcher and merges the threads.
#include <algorithm>
#include <string>
#include <vector>

#include "core/validate.h"
#include "engram/engine.h"
#include "retrieval/note_search.h"

namespace engram {

Result<Note> Engine::AddNote(const NewNote& in) {
  ENGRAM_RETURN_IF_ERROR(ValidateNewNote(in, options_.limits));
  FullTextIndex* fts = store_->fulltext();
  if (fts == nullptr) return Status::FailedPrecondition("this store has no notes");
  Note n;
  n.thread = in.thread;
  n.text = in.text;
  n.speaker = in.speaker;
  n.position = in.position.value_or(-1);
  n.timestamp = in.timestamp.value_or(Now());
  n.metadata = in.metadata;
  n.project = in.project;
  ENGRAM_ASSIGN_OR_RETURN(std::vector<Note> added, fts->AddNotes(std::vector<Note>{n}));
  return std::move(added.front());
}

Result<NoteSearchResponse> Engine::SearchNotes(const NoteSearchRequest& request) {
  if (request.query.empty()) return Status::InvalidArgument("query is empty");
  if (request.limit < 1) {
    return Status::InvalidArgument("limit must be >= 1 (got " + std::to_string(request.limit) +
                                   ")");
  }
  FullTextIndex* fts = store_->fulltext();
  if (fts == nullptr) return Status::FailedPrecondition("this store has no notes");
  std::vector<std::string> threads;
  if (request.thread) {
    threads.push_back(*request.thread);
  } else {
    ENGRAM_ASSIGN_OR_RETURN(threads, fts->NoteThreads());
  }
  NoteSearchResponse out;
  for (const std::string& thread : threads) {
    ENGRAM_ASSIGN_OR_RETURN(
        auto searcher,
        retrieval::ThreadSearcher::Open(*fts, store_->embedding_cache(), embedder(), thread));
    ENGRAM_ASSIGN_OR_RETURN(auto ranked, searcher->Search(request.query, request.limit));
    for (const retrieval::ScoredNote& s : ranked) {
      if (s.score <= 0) continue;
      const Note& note = searcher->notes()[s.index];
      if (!note.project.empty() && note.project != request.project) continue;  // another project's
      out.results.push_back(NoteResult{note, s.score, s.bm25, s.dense, s.base});
    }
  }
  std::stable_sort(out.results.begin(), out.results.end(),
                   [](const NoteResult& a, const NoteResult& b) { return a.score > b.score; });
  if (out.results.size() > static_cast<std::size_t>(request.limit)) {
    out.results.resize(request.limit);
  }
  out.mode = embedder() != nullptr ? "hybrid" : "bm25";
  if (embedder() == nullptr) out.note = Bm25OnlyNote();
  return out;
}

}  // namespace engram
