#include <gtest/gtest.h>
#include <set>

#include "engram/enum_names.h"
#include "engram/episode.h"
#include "engram/lesson.h"

namespace engram {
namespace {

// Every value of an enum must survive ToString -> Parse, and names must be
// distinct.
template <typename E>
void ExpectRoundTrip(std::initializer_list<E> values, Result<E> (*parse)(std::string_view)) {
  std::set<std::string_view> names;
  for (E v : values) {
    const std::string_view name = ToString(v);
    EXPECT_TRUE(names.insert(name).second) << name;
    Result<E> parsed = parse(name);
    ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
    EXPECT_EQ(*parsed, v) << name;
  }
}

TEST(Enums, AllValuesRoundTripThroughTheirNames) {
  ExpectRoundTrip(
      {TaskType::kCodeGeneration, TaskType::kDebugging, TaskType::kRefactoring, TaskType::kTesting,
       TaskType::kAnalysis, TaskType::kDocumentation, TaskType::kOther},
      &ParseTaskType);
  ExpectRoundTrip({Complexity::kSimple, Complexity::kModerate, Complexity::kComplex},
                  &ParseComplexity);
  ExpectRoundTrip({StepStatus::kSuccess, StepStatus::kError, StepStatus::kTimeout},
                  &ParseStepStatus);
  ExpectRoundTrip({LessonType::kBestPractice, LessonType::kAntiPattern, LessonType::kGotcha,
                   LessonType::kHeuristic, LessonType::kExample},
                  &ParseLessonType);
  ExpectRoundTrip({LessonScope::kGlobal, LessonScope::kProject}, &ParseLessonScope);
  ExpectRoundTrip({LessonSource::kManual, LessonSource::kReview, LessonSource::kIncident,
                   LessonSource::kEpisode, LessonSource::kDiff},
                  &ParseLessonSource);
}

TEST(Enums, UseDocumentedSnakeCaseNames) {
  EXPECT_EQ(ToString(TaskType::kCodeGeneration), "code_generation");
  EXPECT_EQ(ToString(Complexity::kComplex), "complex");
  EXPECT_EQ(ToString(StepStatus::kTimeout), "timeout");
  EXPECT_EQ(ToString(LessonType::kAntiPattern), "anti_pattern");
  EXPECT_EQ(ToString(LessonScope::kProject), "project");
  EXPECT_EQ(ToString(LessonSource::kIncident), "incident");
}

TEST(Enums, UnknownNameIsInvalidArgumentListingChoices) {
  Result<TaskType> r = ParseTaskType("Debugging");  // case-sensitive
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(r.status().message(),
            "unknown task type 'Debugging'; expected one of: code_generation, debugging, "
            "refactoring, testing, analysis, documentation, other");
  EXPECT_FALSE(ParseLessonScope("").ok());
}

TEST(OutcomeKind, NamesEachVariant) {
  EXPECT_EQ(OutcomeKind(SuccessOutcome{}), "success");
  EXPECT_EQ(OutcomeKind(PartialOutcome{}), "partial");
  EXPECT_EQ(OutcomeKind(FailureOutcome{}), "failure");
  EXPECT_EQ(OutcomeKind(AbstainedOutcome{}), "abstained");
}

// The name lists schemas publish are exactly what the parsers accept, in
// declaration order.
template <typename E, typename Parse>
void ExpectNamesParse(const std::vector<std::string>& names, Parse parse, int count) {
  ASSERT_EQ(static_cast<int>(names.size()), count);
  for (int i = 0; i < count; ++i) {
    Result<E> r = parse(names[i]);
    ASSERT_TRUE(r.ok()) << names[i];
    EXPECT_EQ(static_cast<int>(*r), i) << names[i];
  }
}

TEST(EnumNames, ListWhatTheParsersAcceptInOrder) {
  ExpectNamesParse<TaskType>(TaskTypeNames(), ParseTaskType, 7);
  ExpectNamesParse<Complexity>(ComplexityNames(), ParseComplexity, 3);
  ExpectNamesParse<StepStatus>(StepStatusNames(), ParseStepStatus, 3);
  ExpectNamesParse<LessonType>(LessonTypeNames(), ParseLessonType, 5);
  ExpectNamesParse<LessonScope>(LessonScopeNames(), ParseLessonScope, 2);
  ExpectNamesParse<LessonSource>(LessonSourceNames(), ParseLessonSource, 5);
  EXPECT_EQ(OutcomeKindNames(),
            (std::vector<std::string>{"success", "partial", "failure", "abstained"}));
  EXPECT_EQ(LessonTypeNames().front(), "best_practice");
}

}  // namespace
}  // namespace engram
