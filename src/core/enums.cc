// String names of every public enum, and OutcomeKind. One table per enum
// drives both directions so names cannot drift apart.
#include <array>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/name_table.h"
#include "engram/enum_names.h"
#include "engram/episode.h"
#include "engram/lesson.h"

namespace engram {
namespace {

using core_internal::NameOf;
using core_internal::NameTable;
using core_internal::ParseName;

constexpr NameTable<TaskType, 7> kTaskTypes{{
    {TaskType::kCodeGeneration, "code_generation"},
    {TaskType::kDebugging, "debugging"},
    {TaskType::kRefactoring, "refactoring"},
    {TaskType::kTesting, "testing"},
    {TaskType::kAnalysis, "analysis"},
    {TaskType::kDocumentation, "documentation"},
    {TaskType::kOther, "other"},
}};

constexpr NameTable<Complexity, 3> kComplexities{{
    {Complexity::kSimple, "simple"},
    {Complexity::kModerate, "moderate"},
    {Complexity::kComplex, "complex"},
}};

constexpr NameTable<StepStatus, 3> kStepStatuses{{
    {StepStatus::kSuccess, "success"},
    {StepStatus::kError, "error"},
    {StepStatus::kTimeout, "timeout"},
}};

constexpr NameTable<LessonType, 5> kLessonTypes{{
    {LessonType::kBestPractice, "best_practice"},
    {LessonType::kAntiPattern, "anti_pattern"},
    {LessonType::kGotcha, "gotcha"},
    {LessonType::kHeuristic, "heuristic"},
    {LessonType::kExample, "example"},
}};

constexpr NameTable<LessonScope, 2> kLessonScopes{{
    {LessonScope::kGlobal, "global"},
    {LessonScope::kProject, "project"},
}};

constexpr NameTable<LessonSource, 5> kLessonSources{{
    {LessonSource::kManual, "manual"},
    {LessonSource::kReview, "review"},
    {LessonSource::kIncident, "incident"},
    {LessonSource::kEpisode, "episode"},
    {LessonSource::kDiff, "diff"},
}};

}  // namespace

std::string_view ToString(TaskType t) { return NameOf(kTaskTypes, t); }
Result<TaskType> ParseTaskType(std::string_view s) { return ParseName(kTaskTypes, "task type", s); }

std::string_view ToString(Complexity c) { return NameOf(kComplexities, c); }
Result<Complexity> ParseComplexity(std::string_view s) {
  return ParseName(kComplexities, "complexity", s);
}

std::string_view ToString(StepStatus s) { return NameOf(kStepStatuses, s); }
Result<StepStatus> ParseStepStatus(std::string_view s) {
  return ParseName(kStepStatuses, "step status", s);
}

std::string_view ToString(LessonType t) { return NameOf(kLessonTypes, t); }
Result<LessonType> ParseLessonType(std::string_view s) {
  return ParseName(kLessonTypes, "lesson type", s);
}

std::string_view ToString(LessonScope s) { return NameOf(kLessonScopes, s); }
Result<LessonScope> ParseLessonScope(std::string_view s) {
  return ParseName(kLessonScopes, "lesson scope", s);
}

std::string_view ToString(LessonSource s) { return NameOf(kLessonSources, s); }
Result<LessonSource> ParseLessonSource(std::string_view s) {
  return ParseName(kLessonSources, "lesson source", s);
}

constexpr std::array<std::string_view, 4> kOutcomeKinds{"success", "partial", "failure",
                                                        "abstained"};
static_assert(std::variant_size_v<Outcome> == kOutcomeKinds.size());

std::string_view OutcomeKind(const Outcome& o) { return kOutcomeKinds[o.index()]; }

namespace {

template <typename E, std::size_t N>
std::vector<std::string> Names(const NameTable<E, N>& table) {
  std::vector<std::string> out;
  out.reserve(N);
  for (const auto& entry : table) out.emplace_back(entry.second);
  return out;
}

}  // namespace

std::vector<std::string> TaskTypeNames() { return Names(kTaskTypes); }
std::vector<std::string> ComplexityNames() { return Names(kComplexities); }
std::vector<std::string> StepStatusNames() { return Names(kStepStatuses); }
std::vector<std::string> OutcomeKindNames() { return {kOutcomeKinds.begin(), kOutcomeKinds.end()}; }
std::vector<std::string> LessonTypeNames() { return Names(kLessonTypes); }
std::vector<std::string> LessonScopeNames() { return Names(kLessonScopes); }
std::vector<std::string> LessonSourceNames() { return Names(kLessonSources); }

}  // namespace engram
