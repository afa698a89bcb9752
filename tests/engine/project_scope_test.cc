// Project scope: a project's lessons never reach another project's results
// (search_lessons, retrieve_context, list_lessons; BM25 and hybrid), and
// promotion makes a lesson global with its project version kept.
#include <gtest/gtest.h>

#include "engram/promotion.h"
#include "learning_engine_fixture.h"
#include "server/operation.h"

namespace engram {
namespace {

using testing::LearningEngineTest;

class ProjectScopeTest : public LearningEngineTest, public ::testing::WithParamInterface<bool> {
 protected:
  void SetUp() override {
    LearningEngineTest::SetUp();
    Open(GetParam());
    alpha_ = Add("Alpha deploy secret sauce", "Deploy alpha with the blue green script.", "deploy",
                 LessonType::kGotcha, 0.9, "alpha");
    beta_ = Add("Beta deploy notes", "Deploy beta with the canary script.", "deploy",
                LessonType::kGotcha, 0.9, "beta");
    global_ = Add("Deploy on weekdays", "Deploy early in the week with a script.", "deploy");
  }
  static bool Has(const Json& list, const std::string& id) {
    for (const Json& x : list) {
      const Json& l = x.contains("lesson") ? x["lesson"] : x;
      if (l["id"] == id) return true;
    }
    return false;
  }
  Lesson alpha_, beta_, global_;
};

TEST_P(ProjectScopeTest, ProjectLessonsNeverLeakIntoAnotherProject) {
  server::OperationTable table(*engine_);
  const std::string q = "deploy alpha blue green canary script secret sauce";
  auto search = table.Call(
      "search_lessons", {{"query", q}, {"project", "beta"}, {"limit", 100}, {"min_relevance", 0}});
  ASSERT_TRUE(search.ok()) << search.status().ToString();
  EXPECT_FALSE(Has((*search)["results"], alpha_.id));
  EXPECT_TRUE(Has((*search)["results"], beta_.id));
  EXPECT_TRUE(Has((*search)["results"], global_.id));
  auto none = table.Call("search_lessons", {{"query", q}, {"limit", 100}, {"min_relevance", 0}});
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(Has((*none)["results"], alpha_.id));
  EXPECT_FALSE(Has((*none)["results"], beta_.id));

  auto context = table.Call("retrieve_context", {{"description", q},
                                                 {"context", {{"project", "beta"}}},
                                                 {"lesson_limit", 50},
                                                 {"min_relevance", 0}});
  ASSERT_TRUE(context.ok()) << context.status().ToString();
  EXPECT_FALSE(Has((*context)["lessons"], alpha_.id));
  EXPECT_TRUE(Has((*context)["lessons"], beta_.id));

  auto listed = table.Call("list_lessons", {{"project", "beta"}});
  ASSERT_TRUE(listed.ok()) << listed.status().ToString();
  EXPECT_FALSE(Has((*listed)["lessons"], alpha_.id));
  EXPECT_TRUE(Has((*listed)["lessons"], beta_.id));
  EXPECT_TRUE(Has((*listed)["lessons"], global_.id));

  auto clusters = table.Call("list_clusters", {{"project", "beta"}, {"min_similarity", -1.0}});
  ASSERT_TRUE(clusters.ok()) << clusters.status().ToString();
  for (const Json& c : (*clusters)["clusters"]) {
    EXPECT_FALSE(Has(c["members"], alpha_.id));
  }
}

TEST_P(ProjectScopeTest, PromotionMakesALessonGlobalAndKeepsHistory) {
  auto promoted = engine_->PromoteLesson(alpha_.id, "applies to every service");
  ASSERT_TRUE(promoted.ok()) << promoted.status().ToString();
  EXPECT_EQ(promoted->scope, LessonScope::kGlobal);
  EXPECT_EQ(promoted->project, "");
  EXPECT_EQ(promoted->version, 2);
  auto history = engine_->LessonHistory(alpha_.id);
  ASSERT_TRUE(history.ok());
  ASSERT_EQ(history->size(), 1u);
  EXPECT_EQ((*history)[0].lesson.scope, LessonScope::kProject);
  EXPECT_EQ((*history)[0].lesson.project, "alpha");
  EXPECT_EQ((*history)[0].reason, "promote from project 'alpha': applies to every service");

  // Now beta (and global-only searches) see it.
  SearchRequest r;
  r.min_relevance = 0.0;  // every result: not a relevance test
  r.query = "alpha blue green secret sauce";
  r.project = "beta";
  auto found = engine_->SearchLessons(r);
  ASSERT_TRUE(found.ok());
  ASSERT_FALSE(found->results.empty());
  EXPECT_EQ(found->results[0].lesson.id, alpha_.id);

  auto again = engine_->PromoteLesson(alpha_.id, "");
  EXPECT_TRUE(again.status().code() == ErrorCode::kFailedPrecondition);
  EXPECT_TRUE(engine_->PromoteLesson(global_.id, "").status().code() ==
              ErrorCode::kFailedPrecondition);
  EXPECT_TRUE(engine_->PromoteLesson("0000", "").status().IsNotFound());
  ASSERT_TRUE(engine_->DeprecateLesson(beta_.id, "old").ok());
  auto deprecated = engine_->PromoteLesson(beta_.id, "");
  EXPECT_TRUE(deprecated.status().code() == ErrorCode::kFailedPrecondition);
  EXPECT_EQ(engine_->GetLesson(beta_.id)->scope, LessonScope::kProject);  // untouched
}

INSTANTIATE_TEST_SUITE_P(Modes, ProjectScopeTest, ::testing::Values(false, true),
                         [](const auto& info) { return info.param ? "Hybrid" : "Bm25"; });

}  // namespace
}  // namespace engram
