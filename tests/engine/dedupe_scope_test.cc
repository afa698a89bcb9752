// Dedupe never merges across scope or project (issue 19 §1): the issue's
// shell example, through the dispatch table, in BM25 and hybrid mode.
#include <gtest/gtest.h>

#include "learn/dedupe.h"
#include "learning_engine_fixture.h"
#include "server/operation.h"

namespace engram {
namespace {

using testing::LearningEngineTest;

constexpr const char* kTitle = "Await async setup in jest beforeEach";
constexpr const char* kGlobalText =
    "Unawaited promises in beforeEach make jest tests flaky. Await the promise.";
constexpr const char* kBillingText =
    "In billing-service, unawaited promises in beforeEach make jest tests flaky; await the "
    "LedgerClient.connect() promise.";

class DedupeScopeTest : public LearningEngineTest, public ::testing::WithParamInterface<bool> {
 protected:
  void SetUp() override {
    LearningEngineTest::SetUp();
    Open(GetParam());
  }
  Json AddVia(server::OperationTable& table, const std::string& content,
              const std::string& project) {
    Json args{{"type", "gotcha"}, {"topic", "testing"}, {"title", kTitle}, {"content", content}};
    if (!project.empty()) {
      args["scope"] = "project";
      args["project"] = project;
    }
    auto r = table.Call("add_lesson", args);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : Json();
  }
};

TEST_P(DedupeScopeTest, ProjectLessonIsNotMergedIntoAGlobalOne) {
  server::OperationTable table(*engine_);
  Json global = AddVia(table, kGlobalText, "");
  Json billing = AddVia(table, kBillingText, "billing");
  // Kept apart: a new project lesson, the global one untouched.
  const std::string global_id = global["id"];
  const std::string billing_id = billing["id"];
  EXPECT_FALSE(billing.contains("dedupe")) << billing.dump();
  EXPECT_NE(billing_id, global_id);
  EXPECT_EQ(billing["scope"], "project");
  EXPECT_EQ(billing["project"], "billing");
  auto stored = engine_->GetLesson(global_id);
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->content, kGlobalText);
  EXPECT_EQ(stored->version, 1);

  // engram search "LedgerClient connect" --project shop: never billing's text.
  for (int limit : {1, 100}) {
    auto shop =
        table.Call("search_lessons",
                   {{"query", "LedgerClient connect"}, {"project", "shop"}, {"limit", limit}});
    ASSERT_TRUE(shop.ok()) << shop.status().ToString();
    for (const Json& r : (*shop)["results"]) {
      EXPECT_EQ(r["lesson"]["content"].get<std::string>().find("LedgerClient"), std::string::npos)
          << r.dump();
    }
  }
  // Billing itself finds it.
  auto own = table.Call("search_lessons",
                        {{"query", "LedgerClient connect"}, {"project", "billing"}, {"limit", 1}});
  ASSERT_TRUE(own.ok());
  ASSERT_EQ((*own)["results"].size(), 1u);
  EXPECT_EQ((*own)["results"][0]["lesson"]["id"], billing_id);
}

TEST_P(DedupeScopeTest, GlobalLessonIsNotMergedIntoAProjectOneNorProjectsIntoEachOther) {
  server::OperationTable table(*engine_);
  Json billing = AddVia(table, kBillingText, "billing");
  Json shop = AddVia(table, kBillingText, "shop");
  Json global = AddVia(table, kBillingText, "");
  EXPECT_FALSE(shop.contains("dedupe")) << shop.dump();
  EXPECT_FALSE(global.contains("dedupe")) << global.dump();
  EXPECT_EQ(shop["project"], "shop");
  EXPECT_EQ(global["scope"], "global");
  // Within one project the merge still happens.
  Json again = AddVia(table, kBillingText, "billing");
  EXPECT_TRUE(again.contains("dedupe")) << again.dump();
  EXPECT_EQ(again["id"], billing["id"]);
  // reject policy: only a same-scope duplicate is refused.
  NewLesson l;
  l.type = LessonType::kGotcha;
  l.topic = "testing";
  l.title = kTitle;
  l.content = kBillingText;
  l.scope = LessonScope::kProject;
  l.project = "payments";
  l.on_duplicate = DuplicatePolicy::kReject;
  EXPECT_TRUE(engine_->AddLesson(l).ok());
}

INSTANTIATE_TEST_SUITE_P(Modes, DedupeScopeTest, ::testing::Values(false, true),
                         [](const auto& info) { return info.param ? "Hybrid" : "Bm25"; });

TEST(DedupeRuleTest, DifferentScopeOrProjectIsNeverADuplicate) {
  Lesson a;
  a.topic = "testing";
  a.title = kTitle;
  a.content = kGlobalText;
  Lesson b = a;
  EXPECT_TRUE(learn::CheckDuplicate(a, b, 1.0).duplicate);
  b.scope = LessonScope::kProject;
  b.project = "billing";
  learn::DuplicateCheck c = learn::CheckDuplicate(a, b, 1.0);
  EXPECT_FALSE(c.duplicate);
  EXPECT_EQ(c.reason, "different scope or project");
  a.scope = LessonScope::kProject;
  a.project = "shop";
  EXPECT_FALSE(learn::CheckDuplicate(a, b, 1.0).duplicate);
  a.project = "billing";
  EXPECT_TRUE(learn::CheckDuplicate(a, b, 1.0).duplicate);
}

}  // namespace
}  // namespace engram
