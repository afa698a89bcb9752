// LoCoMo runner: evidence parsing, date parsing, smoothing and recall maths
// on a hand-written fixture.
#include <gtest/gtest.h>

#include "retrieval/locomo.h"
#include "retrieval/note_search.h"

namespace engram::retrieval {
namespace {

const std::string kFixture =
    std::string(ENGRAM_SOURCE_DIR) + "/tests/retrieval/data/locomo-mini.json";

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

TEST(NoteSearch, SmoothingAddsNeighboursAndSession) {
  NoteSearchOptions o;
  std::vector<double> base = {0, 0, 4, 0, 0, 0};
  std::vector<int> sessions = {0, 0, 0, 1, 1, 1};
  auto s = SmoothScores(base, sessions, o);
  EXPECT_DOUBLE_EQ(s[2], 4 + 0.3 * 4);
  EXPECT_DOUBLE_EQ(s[1], 0.5 * 4 + 0.3 * 4);
  EXPECT_DOUBLE_EQ(s[0], 0.25 * 4 + 0.3 * 4);
  EXPECT_DOUBLE_EQ(s[3], 0.5 * 4);  // other session: neighbour term only
  EXPECT_DOUBLE_EQ(s[4], 0.25 * 4);
  EXPECT_DOUBLE_EQ(s[5], 0.0);
}

TEST(NoteSearch, SessionsFromMetadataElseTimeGaps) {
  std::vector<Note> notes(4);
  notes[0].timestamp = 0;
  notes[1].timestamp = 1000;
  notes[2].timestamp = 2 * 3600 * 1000;
  notes[3].timestamp = 2 * 3600 * 1000 + 5;
  EXPECT_EQ(SessionsOf(notes, 3600 * 1000), (std::vector<int>{0, 0, 1, 1}));
  notes[1].metadata = Json{{"session", 7}};
  notes[3].metadata = Json{{"session", 7}};
  auto s = SessionsOf(notes, 3600 * 1000);
  EXPECT_EQ(s[1], s[3]);
  EXPECT_NE(s[0], s[1]);
}

}  // namespace
}  // namespace engram::retrieval
