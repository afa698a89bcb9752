// LessonDedupe: near-duplicate check and merge at write time
// (include/engram/lesson_dedupe.h).
#include "engram/lesson_dedupe.h"

#include <algorithm>
#include <cmath>
#include <set>

#include "core/name_table.h"
#include "core/new_lesson.h"
#include "core/redact_records.h"
#include "core/similarity.h"
#include "core/situations.h"
#include "core/validate.h"
#include "engine/internal.h"
#include "engine/search_state.h"
#include "engram/contradiction_checker.h"
#include "engram/redact.h"
#include "learn/confidence.h"
#include "learn/dedupe.h"
#include "learn/reinforcement.h"

namespace engram {
namespace {

// Confidence reinforcement of a merge: like an "accepted" signal.
constexpr double kMergeRate = 0.10;

constexpr core_internal::NameTable<DuplicatePolicy, 3> kPolicies{{
    {DuplicatePolicy::kMerge, "merge"},
    {DuplicatePolicy::kReject, "reject"},
    {DuplicatePolicy::kAllow, "allow"},
}};

}  // namespace

std::string_view ToString(DuplicatePolicy p) { return core_internal::NameOf(kPolicies, p); }

Result<DuplicatePolicy> ParseDuplicatePolicy(std::string_view s) {
  return core_internal::ParseName(kPolicies, "duplicate policy", s);
}

Json ToJson(const LessonAddOutcome& o) {
  Json j{{"lesson", ToJson(o.lesson)}, {"merged", o.merged}, {"replaced", o.replaced}};
  if (o.duplicate) {
    Json d{{"lesson_id", o.duplicate->lesson_id},
           {"overlap", o.duplicate->overlap},
           {"reason", o.duplicate->reason}};
    if (o.duplicate->cosine) d["cosine"] = *o.duplicate->cosine;
    j["duplicate"] = std::move(d);
  }
  return j;
}

Result<std::optional<DuplicateMatch>> LessonDedupe::FindDuplicate(
    const NewLesson& input, const std::vector<float>* vector) {
  const Lesson incoming = LessonFrom(input);
  // Only lessons of the same scope and project: a merge moves text into the
  // existing lesson, so merging a project lesson into a global one (or into
  // another project's) would show it to every project.
  LessonFilter filter;
  filter.topic = input.topic;
  filter.scope = input.scope;
  if (input.scope == LessonScope::kProject) filter.project = input.project;
  ENGRAM_ASSIGN_OR_RETURN(std::vector<Lesson> candidates,
                          engine_internal::ListAllLessons(store_, filter));
  std::erase_if(candidates, [&](const Lesson& c) {
    return c.scope != input.scope ||
           (c.scope == LessonScope::kProject && c.project != input.project);
  });
  if (candidates.empty()) return std::optional<DuplicateMatch>();

  const Embedder* embedder = embedder_;
  std::optional<std::vector<float>> vec;
  if (embedder != nullptr && vector != nullptr) {
    vec = *vector;
  } else if (embedder != nullptr) {
    auto v = embedder->Embed(LessonEmbeddingText(incoming));
    if (v.ok()) vec = std::move(*v);  // without it, token overlap alone decides
  }
  std::optional<DuplicateMatch> best;
  double best_score = -1;
  for (const Lesson& c : candidates) {
    std::optional<double> cosine;
    if (vec) {
      auto e = store_.GetEmbedding(c.id, embedder->model_id());
      if (e.ok()) cosine = CosineSimilarity(*vec, e->vector);
    }
    learn::DuplicateCheck check = learn::CheckDuplicate(incoming, c, cosine);
    if (!check.duplicate || check.score <= best_score) continue;
    best_score = check.score;
    best = DuplicateMatch{c.id, check.overlap, check.cosine, check.reason};
  }
  return best;
}

void LessonDedupe::CheckContradictions(const Lesson& lesson) {
  (void)ContradictionChecker(store_, embedder_, clock_).Check(lesson);
}

NewLesson LessonDedupe::AsStored(const NewLesson& raw) const {
  // Compared and merged as it will be stored: stored lessons are redacted
  // (docs/ARCHITECTURE.md, "Secret redaction"), so a raw secret would never
  // match its stored copy and a merge would append the text again.
  NewLesson input = raw;
  if (redact_) {
    for (std::string* s : {&input.topic, &input.title, &input.content, &input.project}) {
      RedactText(*s);
    }
    RedactTags(input.tags);
    for (std::string& s : input.situations) RedactText(s);
    input.metadata = RedactSecrets(input.metadata);
  }
  return input;
}

Result<LessonAddOutcome> LessonDedupe::Add(const NewLesson& raw) {
  const NewLesson input = AsStored(raw);
  if (input.on_duplicate != DuplicatePolicy::kAllow) {
    ENGRAM_RETURN_IF_ERROR(ValidateNewLesson(input, limits_));
  }
  ENGRAM_ASSIGN_OR_RETURN(LessonAddOutcome out, AddOne(input, nullptr));
  if (!out.merged && !out.replaced) CheckContradictions(out.lesson);
  return out;  // UpdateLesson checked a merged or replaced lesson
}

Result<LessonAddOutcome> LessonDedupe::AddOne(const NewLesson& input,
                                              const std::vector<float>* vector) {
  if (!input.id.empty()) {
    Result<Lesson> stored = store_.GetLesson(input.id);
    if (stored.ok()) return Replace(*stored, input);
    if (stored.status().code() != ErrorCode::kNotFound) return stored.status();
  }
  LessonAddOutcome out;
  if (input.on_duplicate != DuplicatePolicy::kAllow) {
    ENGRAM_ASSIGN_OR_RETURN(out.duplicate, FindDuplicate(input, vector));
  }
  if (out.duplicate) {
    const DuplicateMatch& dup = *out.duplicate;
    if (input.on_duplicate == DuplicatePolicy::kReject) {
      return Status::AlreadyExists("near-duplicate of lesson '" + dup.lesson_id + "' (" +
                                   dup.reason +
                                   "); update that lesson or add with on_duplicate allow");
    }
    // The caller's id must stay usable: then added, the duplicate only reported.
    if (input.id.empty()) return Merge(input, dup);
  }
  NewLesson plain = input;
  plain.on_duplicate = DuplicatePolicy::kAllow;
  Result<Lesson> added = lessons_.InsertLesson(plain, vector);
  if (!added.ok() && added.status().code() == ErrorCode::kAlreadyExists && !input.id.empty()) {
    // Another add of the caller's id won the race: replace what it stored.
    ENGRAM_ASSIGN_OR_RETURN(Lesson stored, store_.GetLesson(input.id));
    return Replace(stored, input);
  }
  ENGRAM_RETURN_IF_ERROR(added.status());
  out.lesson = std::move(added).value();
  return out;
}

Result<LessonAddOutcome> LessonDedupe::Merge(const NewLesson& input, const DuplicateMatch& dup) {
  LessonAddOutcome out;
  out.duplicate = dup;
  ENGRAM_ASSIGN_OR_RETURN(Lesson existing, store_.GetLesson(dup.lesson_id));
  const Limits& limits = limits_;
  LessonPatch patch;
  std::vector<std::string> tags = existing.tags;
  for (const std::string& t : input.tags) tags.push_back(t);
  ENGRAM_ASSIGN_OR_RETURN(std::vector<std::string> united, NormalizeTags(tags, limits));
  if (united.size() > limits.max_tags) united = existing.tags;  // keep what fits: the old set
  if (united != existing.tags) patch.tags = united;
  std::vector<std::string> situations = existing.situations;
  if (AddSituations(situations, input.situations, limits.max_situations)) {
    patch.situations = std::move(situations);
  }
  if (existing.content.find(input.content) == std::string::npos) {
    std::string merged = existing.content + "\n\n" + input.content;
    if (merged.size() <= limits.max_text_bytes) patch.content = std::move(merged);
  }
  const double m = std::max(existing.confidence, input.confidence);
  patch.confidence = learn::Clamp01(m + kMergeRate * (1 - m));
  std::string reason = "merge: near-duplicate '" + input.title + "' (" + dup.reason + ")";
  if (reason.size() > limits.max_title_bytes) reason.resize(limits.max_title_bytes);
  while (!reason.empty() && !IsValidUtf8(reason)) reason.pop_back();
  ENGRAM_ASSIGN_OR_RETURN(out.lesson, lessons_.UpdateLesson(existing.id, patch, reason));
  out.merged = true;
  return out;  // UpdateLesson checked the merged lesson for contradictions
}

Result<LessonAddOutcome> LessonDedupe::Replace(const Lesson& stored, const NewLesson& input) {
  ENGRAM_RETURN_IF_ERROR(ValidateNewLesson(input, limits_));
  if (stored.scope != input.scope || stored.project != input.project) {
    const auto where = [](LessonScope scope, const std::string& project) {
      return scope == LessonScope::kGlobal ? std::string("global") : "project '" + project + "'";
    };
    return Status::FailedPrecondition(
        "lesson '" + stored.id + "' is " + where(stored.scope, stored.project) + ", not " +
        where(input.scope, input.project) +
        "; an add never moves a lesson (use update_lesson to change its scope or project)");
  }
  LessonPatch patch;
  patch.type = input.type;
  patch.topic = input.topic;
  patch.title = input.title;
  patch.content = input.content;
  patch.confidence = input.confidence;
  patch.source = input.source;
  patch.tags = input.tags;
  patch.situations = input.situations;
  patch.metadata = input.metadata;
  LessonAddOutcome out;
  ENGRAM_ASSIGN_OR_RETURN(out.lesson, lessons_.UpdateLesson(stored.id, patch, "add: replaced"));
  out.replaced = true;
  return out;  // UpdateLesson checked the new version for contradictions
}

}  // namespace engram
