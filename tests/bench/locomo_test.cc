// LoCoMo runner: evidence parsing, date parsing and recall maths on a
// hand-written fixture.
#include <gtest/gtest.h>

#include "bench/locomo.h"

namespace engram::bench {
namespace {

const std::string kFixture = std::string(ENGRAM_SOURCE_DIR) + "/tests/bench/data/locomo-mini.json";

TEST(Locomo, ParsesEvidenceRobustly) {
  EXPECT_EQ(ParseEvidence("D8:6; D9:17"), (std::vector<std::string>{"D8:6", "D9:17"}));
  EXPECT_EQ(ParseEvidence("D9:1 D4:4"), (std::vector<std::string>{"D9:1", "D4:4"}));
  EXPECT_EQ(ParseEvidence("D30:05"), (std::vector<std::string>{"D30:5"}));
  EXPECT_TRUE(ParseEvidence("D:11:26").empty());
  EXPECT_TRUE(ParseEvidence("D").empty());
  EXPECT_TRUE(ParseEvidence("D1:2:3").empty());
  EXPECT_TRUE(ParseEvidence("").empty());
}

TEST(Locomo, ParsesSessionDates) {
  EXPECT_EQ(ParseLocomoDate("1:56 pm on 8 May, 2023"), 1683554160000);
  EXPECT_EQ(ParseLocomoDate("12:05 am on 1 January, 2020"), 1577837100000);
  EXPECT_EQ(ParseLocomoDate("yesterday"), 0);
}

TEST(Locomo, LoadsFixture) {
  auto data = LoadLocomo(kFixture);
  ASSERT_TRUE(data.ok()) << data.status().ToString();
  ASSERT_EQ(data->size(), 1u);
  const LocomoConversation& c = (*data)[0];
  EXPECT_EQ(c.turns.size(), 6u);
  EXPECT_EQ(c.turns[2].caption, "a photo of a small dog on grass");
  EXPECT_EQ(c.turns[3].session, 2);
  EXPECT_EQ(c.questions[2].evidence, (std::vector<std::string>{"D1:3", "D1:2"}));
  EXPECT_TRUE(LoadLocomo("/nonexistent/locomo.json").status().IsNotFound());
}

TEST(Locomo, RecallMaths) {
  auto data = LoadLocomo(kFixture);
  ASSERT_TRUE(data.ok());
  LocomoOptions o;
  o.ks = {1, 2, 6};
  auto r = RunLocomo(*data, o, nullptr);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  // Questions 4 (malformed), 5 (unknown turn) and 6 (none) are skipped.
  EXPECT_EQ(r->skipped, 3);
  EXPECT_EQ(r->overall.questions, 3);
  EXPECT_EQ(r->turns, 6);
  // With every turn retrieved (k = 6 = all turns), recall is 100 %.
  EXPECT_DOUBLE_EQ(r->overall.recall[2], 100.0);
  // Q1: "puppy" + "name" match D1:1 only -> top 1. Q2: "violin"/"learning"
  // match D2:1; D9:9 is unknown, so its evidence is {D2:1}.
  EXPECT_DOUBLE_EQ(r->by_category[1].recall[0], 100.0);
  EXPECT_DOUBLE_EQ(r->by_category[2].recall[2], 100.0);
  EXPECT_EQ(r->by_category[2].questions, 2);
  Json j = ToJson(*r);
  EXPECT_EQ(j["skipped_questions"], 3);
  EXPECT_TRUE(j["by_category"].contains("1"));
}

}  // namespace
}  // namespace engram::bench
