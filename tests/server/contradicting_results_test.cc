// search_lessons and retrieve_context with contradicting results: the
// `contradicts` and `warning` fields and the explanation's
// contradiction_factor match the published output schemas, and a lesson's
// use_count appears after the uses are written.
#include <gtest/gtest.h>

#include "engram/engine.h"
#include "server/json_schema.h"
#include "server/operation.h"
#include "with_engine.h"

namespace engram::server {
namespace {

class ContradictingResultsTest : public WithEngine<::testing::Test> {};

TEST_F(ContradictingResultsTest, FlagsMatchTheOutputSchemas) {
  Json use = CallOk("add_lesson", {{"topic", "xstate"},
                                   {"title", "Use XState actions for side effects"},
                                   {"content", "Use XState actions to run side effects."},
                                   {"confidence", 0.4}});
  Json avoid = CallOk("add_lesson", {{"topic", "xstate"},
                                     {"title", "Avoid XState actions for side effects"},
                                     {"content", "Avoid XState actions for side effects."},
                                     {"confidence", 0.8}});
  Json found = CallOk("search_lessons", {{"query", "XState actions side effects"}});
  ASSERT_EQ(found["results"].size(), 2u);
  EXPECT_EQ(found["results"][0]["lesson"]["id"], avoid["id"]);
  EXPECT_EQ(found["results"][0]["contradicts"], Json::array({use["id"]}));
  EXPECT_EQ(found["results"][1]["contradicts"], Json::array({avoid["id"]}));
  EXPECT_EQ(found["results"][1]["explanation"]["contradiction_factor"], 0.5);
  Json context = CallOk("retrieve_context", {{"description", "XState actions side effects"}});
  ASSERT_EQ(context["lessons"].size(), 2u);
  EXPECT_TRUE(context["lessons"][1].contains("warning"));
  ASSERT_TRUE(engine_->FlushLessonUses().ok());
  Json got = CallOk("get_lesson", {{"lesson_id", avoid["id"]}});
  EXPECT_EQ(got["use_count"], 2);
  Json audit = CallOk("audit", Json::object());
  ASSERT_GE(audit["most_used"].size(), 1u);
  EXPECT_EQ(audit["most_used"][0]["retrievals"], 2);
}

}  // namespace
}  // namespace engram::server
