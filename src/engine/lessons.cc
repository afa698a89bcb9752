// Engine: the lesson calls. Updates are read-modify-write with the store's
// optimistic version check; a lost race is retried once on fresh data.
#include <functional>
#include <string>
#include <utility>

#include "core/new_lesson.h"
#include "core/redact_records.h"
#include "core/validate.h"
#include "engine/internal.h"
#include "engine/lesson_index_sync.h"
#include "engine/search_state.h"
#include "engram/contradiction_checker.h"
#include "engram/engine.h"
#include "engram/ids.h"
#include "engram/lesson_dedupe.h"

namespace engram {
namespace {

// `current` with `patch` applied, checked as a whole (scope/project rules).
// Switching to global scope without naming a project clears the project.
Result<Lesson> ApplyPatch(Lesson lesson, const LessonPatch& patch, const Limits& limits) {
  if (patch.type) lesson.type = *patch.type;
  if (patch.topic) lesson.topic = *patch.topic;
  if (patch.title) lesson.title = *patch.title;
  if (patch.content) lesson.content = *patch.content;
  if (patch.confidence) lesson.confidence = *patch.confidence;
  if (patch.scope) lesson.scope = *patch.scope;
  if (patch.project) {
    lesson.project = *patch.project;
  } else if (patch.scope == LessonScope::kGlobal) {
    lesson.project.clear();
  }
  if (patch.source) lesson.source = *patch.source;
  if (patch.metadata) lesson.metadata = *patch.metadata;
  if (patch.situations) lesson.situations = *patch.situations;
  if (patch.tags) {
    ENGRAM_ASSIGN_OR_RETURN(lesson.tags, NormalizeTags(*patch.tags, limits));
  }
  ENGRAM_RETURN_IF_ERROR(ValidateLesson(lesson, limits));
  return lesson;
}

// Runs one lesson write; with an embedder, the lesson index follows it
// (lesson_index_sync.h).
Status WriteLesson(Store& store, const Embedder* embedder, SearchState& state,
                   const std::function<Result<IndexDelta>()>& write) {
  if (embedder == nullptr) return write().status();
  return WriteThroughLessonIndex(store, embedder->model_id(), state, write);
}

}  // namespace

Result<Lesson> Engine::AddLesson(const NewLesson& input) {
  if (input.on_duplicate != DuplicatePolicy::kAllow) {  // dedupe at write time
    ENGRAM_ASSIGN_OR_RETURN(LessonAddOutcome outcome, dedupe().Add(input));
    return std::move(outcome.lesson);
  }
  return InsertLesson(input, nullptr);
}

Result<Lesson> Engine::AddLessonEmbedded(const NewLesson& input, const std::vector<float>& vector) {
  if (embedder() == nullptr) {
    return Status::FailedPrecondition("a lesson embedding was given but no embedder is configured");
  }
  if (vector.size() != static_cast<std::size_t>(embedder()->dimension())) {
    return Status::InvalidArgument("the lesson embedding has " + std::to_string(vector.size()) +
                                   " dimensions; the embedder's have " +
                                   std::to_string(embedder()->dimension()));
  }
  return InsertLesson(input, &vector);
}

Result<Lesson> Engine::InsertLesson(const NewLesson& input, const std::vector<float>* vector) {
  ENGRAM_RETURN_IF_ERROR(ValidateNewLesson(input, options_.limits));
  ENGRAM_ASSIGN_OR_RETURN(std::vector<std::string> tags,
                          NormalizeTags(input.tags, options_.limits));
  const Timestamp now = Now();
  Lesson lesson = LessonFrom(input);
  if (lesson.id.empty()) lesson.id = NewId(now);
  lesson.tags = std::move(tags);
  lesson.created_at = now;
  lesson.updated_at = now;
  // The lesson is embedded and indexed as stored (RedactingStore redacts
  // the write itself).
  if (options_.redact_secrets) RedactRecord(lesson);
  // Embed first, then store the lesson and its embedding in one transaction.
  std::optional<Embedding> embedding;
  if (vector != nullptr) {
    embedding = Embedding{lesson.id, embedder()->model_id(), *vector, now};
  } else if (embedder() != nullptr) {
    ENGRAM_ASSIGN_OR_RETURN(embedding, EmbedLesson(*embedder(), lesson, now));
  }
  ENGRAM_RETURN_IF_ERROR(WriteLesson(*store_, embedder(), *search_, [&]() -> Result<IndexDelta> {
    ENGRAM_RETURN_IF_ERROR(store_->RunInTransaction([&]() -> Status {
      ENGRAM_RETURN_IF_ERROR(store_->InsertLesson(lesson));
      return embedding ? store_->PutEmbedding(*embedding) : Status::Ok();
    }));
    IndexDelta delta{1, lesson.updated_at, {}};
    if (embedding) {
      delta.apply = [&](HnswIndex& index) {
        return index.Add(lesson.id, embedding->vector, MetaOf(lesson));
      };
    }
    return delta;
  }));
  return lesson;
}

Status Engine::RunInLessonTransaction(const std::function<Status()>& fn) {
  std::lock_guard lock(search_->mu);  // the lock order: the lesson index, then the store
  return store_->RunInTransaction(fn);
}

Result<Lesson> Engine::GetLesson(const std::string& lesson_id) {
  return store_->GetLesson(lesson_id);
}

Result<std::vector<Lesson>> Engine::ListLessons(const LessonFilter& filter) {
  ENGRAM_RETURN_IF_ERROR(engine_internal::ValidatePage(filter.limit, filter.offset, "lesson list"));
  LessonFilter normalized = filter;
  ENGRAM_ASSIGN_OR_RETURN(normalized.tags, NormalizeTags(filter.tags, options_.limits));
  return store_->ListLessons(normalized);
}

namespace {

// Reads the lesson, lets `change` build the next version from it and stores
// that with `reason`. A concurrent update (the store's version check fails)
// is retried once on the fresh version.
Result<Lesson> UpdateWithRetry(Store& store, Timestamp now, const std::string& lesson_id,
                               const std::string& reason,
                               const std::function<Result<Lesson>(const Lesson&)>& change) {
  for (int attempt = 0;; ++attempt) {
    ENGRAM_ASSIGN_OR_RETURN(Lesson current, store.GetLesson(lesson_id));
    ENGRAM_ASSIGN_OR_RETURN(Lesson next, change(current));
    next.id = current.id;
    next.created_at = current.created_at;
    next.version = current.version + 1;
    next.updated_at = now;
    Status st = store.UpdateLesson(next, reason);
    if (st.ok()) return next;
    if (st.code() != ErrorCode::kFailedPrecondition || attempt > 0) return st;
  }
}

}  // namespace

Result<Lesson> Engine::UpdateLesson(const std::string& lesson_id, const LessonPatch& patch,
                                    const std::string& reason) {
  ENGRAM_RETURN_IF_ERROR(ValidateLessonPatch(patch, options_.limits));
  ENGRAM_RETURN_IF_ERROR(engine_internal::ValidateReason(reason, options_.limits));
  const std::string& why = reason;  // redacted by RedactingStore
  Lesson updated;
  ENGRAM_RETURN_IF_ERROR(WriteLesson(*store_, embedder(), *search_, [&]() -> Result<IndexDelta> {
    ENGRAM_ASSIGN_OR_RETURN(
        updated, UpdateWithRetry(*store_, Now(), lesson_id, why.empty() ? "update" : why,
                                 [&](const Lesson& current) -> Result<Lesson> {
                                   ENGRAM_ASSIGN_OR_RETURN(
                                       Lesson next, ApplyPatch(current, patch, options_.limits));
                                   if (options_.redact_secrets) RedactRecord(next);
                                   return next;
                                 }));
    IndexDelta delta{0, updated.updated_at, {}};
    // The update is committed; a failed re-embedding is repaired by the next
    // index rebuild (an embedding older than its lesson is stale), so the
    // index does not follow this write then.
    if (embedder() != nullptr) {
      auto embedding = EmbedLesson(*embedder(), updated, Now());
      if (embedding.ok() && store_->PutEmbedding(*embedding).ok()) {
        delta.apply = [&updated, vector = std::move(embedding->vector)](HnswIndex& index) {
          return index.Update(updated.id, vector, MetaOf(updated));
        };
      }
    }
    return delta;
  }));
  // Committed; contradiction detection is best effort (the next scan repairs).
  (void)contradictions().Check(updated);
  return updated;
}

Result<Lesson> Engine::DeprecateLesson(const std::string& lesson_id, const std::string& reason) {
  ENGRAM_RETURN_IF_ERROR(engine_internal::ValidateReason(reason, options_.limits));
  const std::string& why = reason;  // redacted by RedactingStore
  Lesson deprecated;
  ENGRAM_RETURN_IF_ERROR(WriteLesson(*store_, embedder(), *search_, [&]() -> Result<IndexDelta> {
    ENGRAM_ASSIGN_OR_RETURN(
        deprecated,
        UpdateWithRetry(*store_, Now(), lesson_id, why.empty() ? "deprecate" : "deprecate: " + why,
                        [&](const Lesson& current) -> Result<Lesson> {
                          if (current.deprecated) {
                            return Status::FailedPrecondition("lesson '" + lesson_id +
                                                              "' is already deprecated");
                          }
                          Lesson next = current;
                          next.deprecated = true;
                          return next;
                        }));
    // The text is unchanged: the stored embedding stays valid, only the
    // metadata the search filters on changes.
    return IndexDelta{0, deprecated.updated_at, [&](HnswIndex& index) {
                        return index.SetMeta(deprecated.id, MetaOf(deprecated));
                      }};
  }));
  return deprecated;
}

Status Engine::DeleteLesson(const std::string& lesson_id) {
  return WriteLesson(*store_, embedder(), *search_, [&]() -> Result<IndexDelta> {
    ENGRAM_RETURN_IF_ERROR(store_->DeleteLesson(lesson_id));
    return IndexDelta{-1, std::nullopt, [&](HnswIndex& index) { return index.Remove(lesson_id); }};
  });
}

Result<std::vector<LessonVersion>> Engine::LessonHistory(const std::string& lesson_id) {
  return store_->LessonHistory(lesson_id);
}

}  // namespace engram
