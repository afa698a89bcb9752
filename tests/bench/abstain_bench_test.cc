// `engram-bench abstain` (src/bench/abstain_bench.h): loading the data,
// the in-domain figures with and without the threshold, the out-of-domain
// abstention share.
#include "bench/abstain_bench.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace engram::bench {
namespace {

namespace fs = std::filesystem;

class AbstainBenchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("engram-abstain-test-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    Write("t-lessons.jsonl",
          "{\"id\": \"t-1\", \"topic\": \"testing\", \"title\": \"Use fake timers in jest\", "
          "\"content\": \"Replace setTimeout with jest fake timers.\"}\n"
          "{\"id\": \"t-2\", \"topic\": \"testing\", \"title\": \"Await async setup\", "
          "\"content\": \"Unawaited promises in beforeEach make tests flaky.\"}\n"
          "{\"id\": \"t-3\", \"title\": \"Avoid global fixtures\", "
          "\"content\": \"Each test builds the data it needs.\"}\n");
    Write("t-queries.jsonl",
          "{\"query\": \"jest fake timers setTimeout\", \"expected\": \"t-1\"}\n"
          "\n"
          "{\"query\": \"unawaited promises in beforeEach\", \"expected\": \"t-2\"}\n"
          "{\"query\": \"volcano eruption lava\", \"expected\": \"t-3\"}\n");
    Write("locomo.json",
          R"([{"sample_id": "c1", "conversation": {"speaker_a": "A", "speaker_b": "B",
              "session_1": [{"speaker": "A", "dia_id": "D1:1", "text": "hi"}],
              "session_1_date_time": "1:56 pm on 8 May, 2023"},
              "qa": [{"question": "When did Caroline paint a sunrise?", "answer": "2022",
                      "evidence": ["D1:1"], "category": 2},
                     {"question": "What did Melanie research?", "answer": "x",
                      "evidence": ["D1:1"], "category": 1},
                     {"question": "Which fake timers did jest use?", "answer": "x",
                      "evidence": ["D1:1"], "category": 1}]}])");
    EngineOptions o;
    auto e = Engine::OpenSqlite((dir_ / "t.db").string(), o);
    ASSERT_TRUE(e.ok()) << e.status().ToString();
    engine_ = std::move(*e);
  }
  void TearDown() override {
    engine_.reset();
    fs::remove_all(dir_);
  }
  void Write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name) << text;
  }
  fs::path dir_;
  std::unique_ptr<Engine> engine_;
};

TEST_F(AbstainBenchTest, LoadsLessonsQueriesAndTheFirstOodQuestions) {
  auto d = LoadAbstainData(dir_.string(), "t", (dir_ / "locomo.json").string(), 2);
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  ASSERT_EQ(d->lessons.size(), 3u);
  EXPECT_EQ(d->lessons[2].topic, "general");  // absent topic
  EXPECT_EQ(d->queries.size(), 3u);           // blank line skipped
  EXPECT_EQ(d->ood, (std::vector<std::string>{"When did Caroline paint a sunrise?",
                                              "What did Melanie research?"}));
  Write("bad-lessons.jsonl", "{\"id\": \"x\", \"title\": \"no content\"}\n");
  Write("bad-queries.jsonl", "{\"query\": \"q\", \"expected\": \"x\"}\n");
  auto bad = LoadAbstainData(dir_.string(), "bad", "", 0);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("bad-lessons.jsonl:1"), std::string::npos);
  EXPECT_NE(bad.status().message().find("content"), std::string::npos);
  EXPECT_FALSE(LoadAbstainData(dir_.string(), "missing", "", 0).ok());
}

TEST_F(AbstainBenchTest, CountsRecallWithAndWithoutTheThresholdAndOodAbstentions) {
  auto d = LoadAbstainData(dir_.string(), "t", (dir_ / "locomo.json").string(), 3);
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  auto r = RunAbstain(*engine_, *d, AbstainOptions{});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->mode, "bm25");
  // Two of three queries name their lesson's words; the third matches nothing.
  EXPECT_EQ(r->without_threshold.queries, 3);
  EXPECT_NEAR(r->without_threshold.r1, 200.0 / 3, 1e-9);
  EXPECT_NEAR(r->without_threshold.r5, 200.0 / 3, 1e-9);
  EXPECT_NEAR(r->without_threshold.mrr, 2.0 / 3, 1e-9);
  EXPECT_EQ(r->without_threshold.empty, 1);
  EXPECT_NEAR(r->with_threshold.r5, 200.0 / 3, 1e-9);
  // The first two questions share nothing with the lessons; the third
  // names "fake timers" and "jest" and is answered.
  EXPECT_EQ(r->ood_questions, 3);
  EXPECT_EQ(r->ood_abstained, 2);
  EXPECT_NEAR(r->ood_abstain_share, 200.0 / 3, 1e-9);
  const Json j = ToJson(*r);
  EXPECT_EQ(j["out_of_domain"]["abstained"], 2);
  EXPECT_NE(FormatReport(*r).find("2/3 questions answered with nothing"), std::string::npos);
}

TEST_F(AbstainBenchTest, ThresholdOneDropsEverythingAndZeroKeepsEverything) {
  auto d = LoadAbstainData(dir_.string(), "t", (dir_ / "locomo.json").string(), 3);
  ASSERT_TRUE(d.ok());
  AbstainOptions all;
  all.min_relevance = 1.0;
  auto r = RunAbstain(*engine_, *d, all);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_DOUBLE_EQ(r->min_relevance, 1.0);
  EXPECT_EQ(r->with_threshold.empty, 3);
  EXPECT_DOUBLE_EQ(r->with_threshold.r5, 0);
  EXPECT_GT(r->without_threshold.r5, 0);
  EXPECT_EQ(r->ood_abstained, 3);
}

TEST_F(AbstainBenchTest, SituationsAreGivenBeforeAnyQuestion) {
  auto d = LoadAbstainData(dir_.string(), "t", (dir_ / "locomo.json").string(), 0);
  ASSERT_TRUE(d.ok());
  AbstainOptions o;
  o.situations["t-3"] = {"a volcano eruption buried the lava test fixtures"};
  auto r = RunAbstain(*engine_, *d, o);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_NEAR(r->without_threshold.r1, 100.0, 1e-9) << "the third query now finds its lesson";
  EXPECT_EQ(r->without_threshold.empty, 0);
}

}  // namespace
}  // namespace engram::bench
