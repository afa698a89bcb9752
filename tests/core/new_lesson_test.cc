#include "core/new_lesson.h"

#include <gtest/gtest.h>

namespace engram {
namespace {

TEST(NewLessonTest, LessonFromCopiesEveryFieldTheRequestHas) {
  NewLesson n;
  n.id = "my-id";
  n.type = LessonType::kGotcha;
  n.topic = "testing";
  n.title = "Await setup";
  n.content = "Await the promise in beforeEach.";
  n.confidence = 0.8;
  n.scope = LessonScope::kProject;
  n.project = "billing";
  n.source = LessonSource::kReview;
  n.tags = {"jest", "async"};
  n.metadata = Json{{"k", "v"}};
  const Lesson l = LessonFrom(n);
  EXPECT_EQ(l.id, "my-id");
  EXPECT_EQ(l.type, LessonType::kGotcha);
  EXPECT_EQ(l.topic, "testing");
  EXPECT_EQ(l.title, "Await setup");
  EXPECT_EQ(l.content, "Await the promise in beforeEach.");
  EXPECT_DOUBLE_EQ(l.confidence, 0.8);
  EXPECT_EQ(l.scope, LessonScope::kProject);
  EXPECT_EQ(l.project, "billing");
  EXPECT_EQ(l.source, LessonSource::kReview);
  EXPECT_EQ(l.tags, n.tags);
  EXPECT_EQ(l.metadata, n.metadata);
  EXPECT_EQ(l.version, 1);
  EXPECT_EQ(l.created_at, 0);
}

}  // namespace
}  // namespace engram
