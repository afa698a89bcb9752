// Transcript candidates: message shapes, sentence splitting, rule patterns.
#include "learn/transcript_candidates.h"

#include <gtest/gtest.h>

#include <string>

namespace engram::learn {
namespace {

std::vector<CandidateProposal> FromJson(const char* text) {
  auto messages = ParseTranscript(Json::parse(text));
  EXPECT_TRUE(messages.ok()) << messages.status().ToString();
  return messages.ok() ? TranscriptCandidates(*messages) : std::vector<CandidateProposal>{};
}

TEST(TranscriptCandidatesTest, AcceptsArrayObjectAndPartsContent) {
  auto a = ParseTranscript(Json::parse(R"([{"role": "user", "content": "hi"}])"));
  ASSERT_TRUE(a.ok());
  EXPECT_EQ((*a)[0].role, "user");
  EXPECT_EQ((*a)[0].text, "hi");
  auto b = ParseTranscript(Json::parse(
      R"({"messages": [{"role": "assistant", "content": [{"type": "text", "text": "one"},
          {"type": "tool_use", "id": "x"}, {"type": "text", "text": "two"}]}]})"));
  ASSERT_TRUE(b.ok()) << b.status().ToString();
  EXPECT_EQ((*b)[0].text, "one\ntwo\n");
}

TEST(TranscriptCandidatesTest, MalformedTranscriptsAreClearErrors) {
  auto expect = [](const char* text, const std::string& needle) {
    auto r = ParseTranscript(Json::parse(text));
    ASSERT_FALSE(r.ok()) << text;
    EXPECT_TRUE(r.status().IsInvalidArgument());
    EXPECT_NE(r.status().message().find(needle), std::string::npos) << r.status().ToString();
  };
  expect(R"("just text")", "must be an array of messages or an object");
  expect(R"({"msgs": []})", "must have a 'messages' array");
  expect(R"([{"role": "user"}])", "messages[0].content is missing");
  expect(R"([{"role": "user", "content": "a"}, 3])", "messages[1] must be an object");
  expect(R"([{"role": "user", "content": 5}])", "messages[0].content must be a string or a list");
  expect(R"([{"role": 1, "content": "a"}])", "messages[0].role must be a string");
}

TEST(TranscriptCandidatesTest, SplitsSentencesSkippingCodeAndMarkers) {
  const auto s = SplitSentences(
      "First one. Second, v1.2 stays! Third?\n- listed item\n```\nnever(parse this);\n```\n"
      "1. numbered");
  EXPECT_EQ(s, (std::vector<std::string>{"First one.", "Second, v1.2 stays!", "Third?",
                                         "listed item", "numbered"}));
}

TEST(TranscriptCandidatesTest, EachRulePatternGivesItsType) {
  auto c = FromJson(R"([
    {"role": "user", "content": "Always run the tests before you commit. Thanks!"},
    {"role": "assistant", "content": "Noted. We should never mock the database in integration tests."},
    {"role": "user", "content": "Prefer useReducer over many useState calls in React forms."},
    {"role": "assistant", "content": "Avoid force-pushing to shared branches with git.\nDon't store secrets in the repo config."},
    {"role": "assistant", "content": "The build breaks when node_modules is cached across versions."},
    {"role": "user", "content": "You must pin docker base images. Is that always true?"}
  ])");
  ASSERT_EQ(c.size(), 7u);
  EXPECT_EQ(c[0].type, LessonType::kBestPractice);
  EXPECT_EQ(c[0].title, "Always run the tests before you commit");
  EXPECT_EQ(c[0].topic, "testing");
  EXPECT_DOUBLE_EQ(c[0].confidence, 0.6);  // 0.5 + user bonus
  EXPECT_NE(c[0].rationale.find("transcript.always"), std::string::npos);
  EXPECT_EQ(c[0].evidence, "user message #1: Always run the tests before you commit.");

  EXPECT_EQ(c[1].type, LessonType::kAntiPattern);
  EXPECT_DOUBLE_EQ(c[1].confidence, 0.5);  // assistant: no bonus
  EXPECT_EQ(c[2].type, LessonType::kBestPractice);
  EXPECT_EQ(c[2].topic, "react");
  EXPECT_NE(c[2].rationale.find("prefer_over"), std::string::npos);
  EXPECT_EQ(c[3].type, LessonType::kAntiPattern);
  EXPECT_EQ(c[3].topic, "git");
  EXPECT_DOUBLE_EQ(c[3].confidence, 0.45);
  EXPECT_EQ(c[4].type, LessonType::kAntiPattern);   // don't
  EXPECT_EQ(c[5].type, LessonType::kGotcha);        // breaks when
  EXPECT_EQ(c[6].type, LessonType::kBestPractice);  // must; the question after it is skipped
  EXPECT_EQ(c[6].topic, "docker");
}

TEST(TranscriptCandidatesTest, NonRulesQuestionsAndDuplicatesAreSkipped) {
  auto c = FromJson(R"([
    {"role": "user", "content": "Can we always deploy on Fridays? I prefer tea."},
    {"role": "assistant", "content": "It went well yesterday and I will always remember it fondly, said nobody."},
    {"role": "user", "content": "Never commit generated files. never   commit generated files!"},
    {"role": "user", "content": "Never."}
  ])");
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].content, "Never commit generated files.");
  EXPECT_EQ(c[0].topic, "git");  // "commit"
}

}  // namespace
}  // namespace engram::learn
