// LessonDedupe::AddBatch (include/engram/lesson_dedupe.h): many lessons
// checked first, embedded in batches, written in one transaction.
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "core/new_lesson.h"
#include "core/validate.h"
#include "engine/search_state.h"
#include "engram/contradiction_checker.h"
#include "engram/lesson_dedupe.h"

namespace engram {
namespace {

std::string Item(std::size_t i) { return "lessons[" + std::to_string(i) + "]"; }

// Fills every missing vector with the embedder's, `batch` texts per call.
Status EmbedMissing(const std::vector<NewLesson>& inputs, const Embedder& embedder,
                    const LessonBatchOptions& options,
                    std::vector<std::optional<std::vector<float>>>& vectors) {
  std::vector<std::size_t> todo;
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    if (!vectors[i]) todo.push_back(i);
  }
  const std::size_t batch = std::max<std::size_t>(1, options.embed_batch);
  for (std::size_t begin = 0; begin < todo.size(); begin += batch) {
    const std::size_t end = std::min(todo.size(), begin + batch);
    std::vector<std::string> texts;
    for (std::size_t k = begin; k < end; ++k) {
      // The text the Engine embeds a stored lesson as (its fields are
      // already as stored: redacted).
      texts.push_back(LessonEmbeddingText(LessonFrom(inputs[todo[k]])));
    }
    ENGRAM_ASSIGN_OR_RETURN(std::vector<std::vector<float>> out, embedder.EmbedBatch(texts));
    if (out.size() != texts.size()) {
      return Status::Internal("embedder returned " + std::to_string(out.size()) + " vectors for " +
                              std::to_string(texts.size()) + " texts");
    }
    for (std::size_t k = begin; k < end; ++k) vectors[todo[k]] = std::move(out[k - begin]);
    if (options.progress) options.progress("embed", end, todo.size());
  }
  return Status::Ok();
}

}  // namespace

Result<std::vector<LessonAddOutcome>> LessonDedupe::AddBatch(const std::vector<NewLesson>& raw,
                                                             const LessonBatchOptions& options) {
  const std::size_t n = raw.size();
  if (!options.vectors.empty() && options.vectors.size() != n) {
    return Status::InvalidArgument("the batch has " + std::to_string(n) + " lessons but " +
                                   std::to_string(options.vectors.size()) + " vector entries");
  }
  std::vector<NewLesson> inputs;
  inputs.reserve(n);
  std::map<std::string, std::size_t> ids;
  for (std::size_t i = 0; i < n; ++i) {
    NewLesson in = AsStored(raw[i]);
    Status valid = ValidateNewLesson(in, limits_);
    if (valid.ok()) valid = NormalizeTags(in.tags, limits_).status();
    if (!valid.ok()) return Status::InvalidArgument(Item(i) + ": " + valid.message());
    if (!in.id.empty()) {
      auto [it, fresh] = ids.emplace(in.id, i);
      if (!fresh) {
        return Status::InvalidArgument(Item(i) + ": id '" + in.id + "' repeats " +
                                       Item(it->second) + "'s");
      }
    }
    inputs.push_back(std::move(in));
  }
  const Embedder* embedder = embedder_;
  std::vector<std::optional<std::vector<float>>> vectors(n);
  if (embedder != nullptr) {
    if (!options.vectors.empty()) vectors = options.vectors;
    ENGRAM_RETURN_IF_ERROR(EmbedMissing(inputs, *embedder, options, vectors));
  }
  std::vector<LessonAddOutcome> outcomes;
  ENGRAM_RETURN_IF_ERROR(lessons_.RunInLessonTransaction([&]() -> Status {
    outcomes.clear();  // a retried transaction starts over
    for (std::size_t i = 0; i < n; ++i) {
      Result<LessonAddOutcome> out = AddOne(inputs[i], vectors[i] ? &*vectors[i] : nullptr);
      if (!out.ok()) {
        return Status(out.status().code(), Item(i) + ": " + out.status().message());
      }
      outcomes.push_back(std::move(out).value());
      if (options.progress) options.progress("store", i + 1, n);
    }
    return Status::Ok();
  }));
  // Committed; contradiction detection is best effort (a failure is
  // repaired by the next `engram contradictions --scan`). UpdateLesson
  // checked the merged and replaced ones.
  for (const LessonAddOutcome& out : outcomes) {
    if (!out.merged && !out.replaced) CheckContradictions(out.lesson);
  }
  return outcomes;
}

}  // namespace engram
