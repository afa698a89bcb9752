// Search explanations as agents read them (the operations' JSON): the raw
// bm25 never reads 0 beside a non-zero lexical score, for lessons and
// episodes alike, even when FTS5 floors a common word's idf at 1e-6.
#include <gtest/gtest.h>

#include <string>

#include "engram/json.h"
#include "server/operation.h"
#include "with_engine.h"

namespace engram::server {
namespace {

class SearchExplanationTest : public WithEngine<::testing::Test> {
 protected:
  // Every explanation of `results`: lexical > 0 goes with bm25 > 0, and
  // bm25 0 with lexical 0. Returns how many had a lexical score.
  static int ExpectConsistent(const Json& results, const std::string& what) {
    int lexical = 0;
    for (const Json& r : results) {
      const Json& e = r["explanation"];
      if (e["lexical"].get<double>() > 0) {
        ++lexical;
        EXPECT_GT(e["bm25"].get<double>(), 0) << what << ": " << e.dump();
      } else {
        EXPECT_EQ(e["bm25"].get<double>(), 0) << what << ": " << e.dump();
      }
    }
    return lexical;
  }
};

TEST_F(SearchExplanationTest, RawBm25IsReportedWheneverTheLexicalScoreIsNotZero) {
  // "rebase" is in one lesson of two: FTS5's idf for a word in half the
  // rows is log(1) = 0, floored at 1e-6, so its raw BM25 is about 2e-6.
  CallOk("add_lesson", {{"topic", "git"},
                        {"title", "Rebase before merging"},
                        {"content", "Rebasing the branch keeps the history linear."}});
  CallOk("add_lesson", {{"topic", "sql"},
                        {"title", "Index foreign keys"},
                        {"content", "Joins on unindexed foreign keys scan the table."}});
  const Json found = CallOk("search_lessons", {{"query", "rebase"}, {"min_relevance", 0}});
  ASSERT_EQ(found["results"].size(), 1u) << found.dump();
  const Json& e = found["results"][0]["explanation"];
  EXPECT_DOUBLE_EQ(e["lexical"].get<double>(), 1.0) << e.dump();
  EXPECT_GT(e["bm25"].get<double>(), 0) << e.dump();
  EXPECT_LT(e["bm25"].get<double>(), 1e-4) << "the floor of idf, not a rounding" << e.dump();
  EXPECT_EQ(ExpectConsistent(found["results"], "search_lessons"), 1);

  // Episodes: the same for retrieve_context and query_memory.
  for (const char* description : {"Rebase the feature branch", "Tune the slow query"}) {
    Json ep = CallOk("start_episode", {{"description", description}});
    CallOk("complete_episode",
           {{"episode_id", ep["id"]}, {"outcome", {{"kind", "success"}, {"verdict", "done"}}}});
  }
  const Json context =
      CallOk("retrieve_context", {{"description", "rebase"}, {"min_relevance", 0}});
  EXPECT_EQ(ExpectConsistent(context["episodes"], "retrieve_context episodes"), 1)
      << context.dump();
  ExpectConsistent(context["lessons"], "retrieve_context lessons");
  const Json memory = CallOk("query_memory", {{"query", "rebase"}, {"min_relevance", 0}});
  EXPECT_EQ(ExpectConsistent(memory["episodes"], "query_memory episodes"), 1) << memory.dump();
}

}  // namespace
}  // namespace engram::server
