// ContradictionChecker (include/engram/contradiction_checker.h).
#include "engram/contradiction_checker.h"

#include <cmath>

#include "core/similarity.h"
#include "engine/internal.h"
#include "engram/ids.h"
#include "engram/store.h"
#include "learn/contradictions.h"

namespace engram {
namespace {

// Whether a and b could be given to the same agent: same project, or one
// of them global.
bool SameAudience(const Lesson& a, const Lesson& b) {
  return a.scope == LessonScope::kGlobal || b.scope == LessonScope::kGlobal ||
         a.project == b.project;
}

Result<std::vector<Lesson>> LiveLessons(Store& store, const std::optional<std::string>& topic) {
  LessonFilter f;
  f.topic = topic;
  return engine_internal::ListAllLessons(store, f);
}

}  // namespace

Json ToJson(const ContradictionResolution& r) {
  return Json{{"contradiction", ToJson(r.contradiction)},
              {"kept", ToJson(r.kept)},
              {"superseded", ToJson(r.superseded)}};
}

Result<ContradictionStore*> ContradictionChecker::contradiction_store() {
  ContradictionStore* s = store_.contradictions();
  if (s == nullptr) return Status::FailedPrecondition("this store does not keep contradictions");
  return s;
}

std::optional<double> ContradictionChecker::Cosine(const Lesson& a, const Lesson& b) {
  const Embedder* embedder = embedder_;
  if (embedder == nullptr) return std::nullopt;
  auto ea = store_.GetEmbedding(a.id, embedder->model_id());
  auto eb = store_.GetEmbedding(b.id, embedder->model_id());
  if (!ea.ok() || !eb.ok() || ea->vector.size() != eb->vector.size()) return std::nullopt;
  return CosineSimilarity(ea->vector, eb->vector);
}

Result<std::vector<Contradiction>> ContradictionChecker::Check(const Lesson& lesson) {
  ENGRAM_ASSIGN_OR_RETURN(ContradictionStore * cs, contradiction_store());
  std::vector<Contradiction> found;
  if (lesson.deprecated) return found;
  ENGRAM_ASSIGN_OR_RETURN(std::vector<Lesson> others, LiveLessons(store_, lesson.topic));
  for (const Lesson& other : others) {
    if (other.id == lesson.id || !SameAudience(lesson, other)) continue;
    auto finding = learn::DetectContradiction(lesson, other, Cosine(lesson, other));
    if (!finding) continue;
    Contradiction c;
    c.id = NewId(clock_.NowMs());
    c.lesson_a = std::min(lesson.id, other.id);
    c.lesson_b = std::max(lesson.id, other.id);
    c.reason = finding->reason;
    c.score = finding->score;
    c.created_at = clock_.NowMs();
    ENGRAM_ASSIGN_OR_RETURN(auto stored, cs->RecordContradiction(c));
    if (stored.second) found.push_back(std::move(stored.first));
  }
  return found;
}

Result<std::vector<Contradiction>> ContradictionChecker::Scan() {
  ENGRAM_RETURN_IF_ERROR(contradiction_store().status());
  ENGRAM_ASSIGN_OR_RETURN(std::vector<Lesson> all, LiveLessons(store_, std::nullopt));
  std::vector<Contradiction> found;
  for (const Lesson& l : all) {
    ENGRAM_ASSIGN_OR_RETURN(std::vector<Contradiction> more, Check(l));
    for (Contradiction& c : more) found.push_back(std::move(c));
  }
  return found;
}

Result<std::vector<Contradiction>> ContradictionChecker::List(
    std::optional<ContradictionStatus> status, int limit,
    const std::optional<std::string>& project) {
  ENGRAM_ASSIGN_OR_RETURN(ContradictionStore * cs, contradiction_store());
  return cs->ListContradictions(status, limit, project);
}

Result<ContradictionResolution> ContradictionChecker::Resolve(const std::string& id,
                                                              const std::string& keep) {
  ENGRAM_ASSIGN_OR_RETURN(ContradictionStore * cs, contradiction_store());
  Store& st = store_;
  ContradictionResolution out;
  const Timestamp now = clock_.NowMs();
  ENGRAM_RETURN_IF_ERROR(st.RunInTransaction([&]() -> Status {
    ENGRAM_ASSIGN_OR_RETURN(out.contradiction, cs->GetContradiction(id));
    const Contradiction& c = out.contradiction;
    if (keep != c.lesson_a && keep != c.lesson_b) {
      return Status::InvalidArgument("lesson '" + keep + "' is not part of contradiction '" + id +
                                     "' (its lessons are '" + c.lesson_a + "' and '" + c.lesson_b +
                                     "')");
    }
    if (c.status != ContradictionStatus::kOpen) {
      return Status::FailedPrecondition("contradiction '" + id + "' is already " +
                                        std::string(ToString(c.status)));
    }
    const std::string& other = keep == c.lesson_a ? c.lesson_b : c.lesson_a;
    ENGRAM_ASSIGN_OR_RETURN(out.kept, st.GetLesson(keep));
    ENGRAM_ASSIGN_OR_RETURN(Lesson loser, st.GetLesson(other));
    out.superseded = loser;
    out.superseded.deprecated = true;
    out.superseded.superseded_by = keep;
    out.superseded.version = loser.version + 1;
    out.superseded.updated_at = now;
    ENGRAM_RETURN_IF_ERROR(st.UpdateLesson(
        out.superseded, "superseded by lesson '" + keep + "' (contradiction '" + id + "')"));
    ENGRAM_RETURN_IF_ERROR(cs->CloseContradiction(id, ContradictionStatus::kResolved, keep, now));
    ENGRAM_ASSIGN_OR_RETURN(out.contradiction, cs->GetContradiction(id));
    return Status::Ok();
  }));
  return out;
}

Result<Contradiction> ContradictionChecker::Dismiss(const std::string& id) {
  ENGRAM_ASSIGN_OR_RETURN(ContradictionStore * cs, contradiction_store());
  ENGRAM_RETURN_IF_ERROR(
      cs->CloseContradiction(id, ContradictionStatus::kDismissed, std::nullopt, clock_.NowMs()));
  return cs->GetContradiction(id);
}

}  // namespace engram
