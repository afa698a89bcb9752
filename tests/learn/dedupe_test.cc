// Near-duplicate detector: rules on hand-made pairs, and precision/recall on
// the labelled set tests/data/dedupe_pairs.json (token overlap alone, and
// with the native embedder's cosine when its model is installed). The
// figures are printed and recorded in docs/LEARNING.md.
#include "learn/dedupe.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <functional>
#include <sstream>

#include "engram/embedder.h"
#include "learn/lesson_text.h"

namespace engram::learn {
namespace {

Lesson L(LessonType type, std::string topic, std::string title, std::string content) {
  Lesson l;
  l.type = type;
  l.topic = std::move(topic);
  l.title = std::move(title);
  l.content = std::move(content);
  return l;
}

TEST(DedupeTest, ParaphraseIsDuplicateWithReason) {
  Lesson a = L(LessonType::kBestPractice, "sqlite", "Enable WAL mode",
               "Set PRAGMA journal_mode=WAL so readers do not block the writer.");
  Lesson b = L(LessonType::kBestPractice, "SQLite ", "Enable WAL mode for readers",
               "Set PRAGMA journal_mode=WAL so that readers do not block the writer.");
  DuplicateCheck c = CheckDuplicate(a, b, std::nullopt);
  EXPECT_TRUE(c.duplicate) << c.reason;
  EXPECT_GE(c.overlap, 0.55);
  EXPECT_NE(c.reason.find("token overlap"), std::string::npos);
}

TEST(DedupeTest, DifferentTopicOrOppositeStanceIsNotDuplicate) {
  Lesson a = L(LessonType::kBestPractice, "git", "Rebase before merging",
               "Rebase the feature branch on main before merging.");
  Lesson b = a;
  b.topic = "mercurial";
  EXPECT_FALSE(CheckDuplicate(a, b, 0.99).duplicate);
  EXPECT_EQ(CheckDuplicate(a, b, 0.99).reason, "different topics");
  Lesson c = L(LessonType::kAntiPattern, "git", "Rebase before merging",
               "Rebase the feature branch on main before merging.");
  DuplicateCheck check = CheckDuplicate(a, c, 0.99);
  EXPECT_FALSE(check.duplicate);
  EXPECT_NE(check.reason.find("opposite stance"), std::string::npos);
}

TEST(DedupeTest, CosineNeedsSomeTokenOverlap) {
  Lesson a = L(LessonType::kGotcha, "http", "Set client timeouts",
               "Configure connect and read timeouts on HTTP clients.");
  Lesson b = L(LessonType::kGotcha, "http", "Requests can hang",
               "Without limits an outbound call may wait forever on a dead peer.");
  EXPECT_FALSE(CheckDuplicate(a, b, 0.95).duplicate);  // overlap ~0
  Lesson c = L(LessonType::kGotcha, "http", "HTTP clients need timeouts",
               "A request can wait forever unless the client sets timeouts.");
  DuplicateCheck with = CheckDuplicate(a, c, 0.90);
  DuplicateCheck without = CheckDuplicate(a, c, std::nullopt);
  EXPECT_TRUE(with.duplicate) << with.reason;
  EXPECT_FALSE(without.duplicate) << without.reason;
  EXPECT_NE(with.reason.find("cosine 0.90"), std::string::npos);
}

struct Pair {
  Lesson a, b;
  bool duplicate = false;
};

std::vector<Pair> LoadPairs() {
  std::ifstream in(std::string(ENGRAM_SOURCE_DIR) + "/tests/data/dedupe_pairs.json");
  std::stringstream ss;
  ss << in.rdbuf();
  Json j = Json::parse(ss.str());
  auto lesson = [](const Json& o) {
    Lesson l =
        L(*ParseLessonType(o["type"].get<std::string>()), o["topic"], o["title"], o["content"]);
    return l;
  };
  std::vector<Pair> out;
  for (const Json& p : j) out.push_back({lesson(p["a"]), lesson(p["b"]), p["duplicate"]});
  return out;
}

struct Scores {
  int tp = 0, fp = 0, fn = 0, tn = 0;
  double precision() const { return tp + fp == 0 ? 1.0 : double(tp) / (tp + fp); }
  double recall() const { return tp + fn == 0 ? 1.0 : double(tp) / (tp + fn); }
};

Scores Evaluate(const std::vector<Pair>& pairs,
                const std::function<std::optional<double>(const Pair&)>& cosine) {
  Scores s;
  for (const Pair& p : pairs) {
    const bool got = CheckDuplicate(p.a, p.b, cosine(p)).duplicate;
    if (got && p.duplicate) ++s.tp;
    if (got && !p.duplicate) ++s.fp;
    if (!got && p.duplicate) ++s.fn;
    if (!got && !p.duplicate) ++s.tn;
  }
  return s;
}

TEST(DedupeLabelledSet, PrecisionAndRecallTokensOnly) {
  std::vector<Pair> pairs = LoadPairs();
  ASSERT_GE(pairs.size(), 60u);
  Scores s = Evaluate(pairs, [](const Pair&) { return std::nullopt; });
  std::printf(
      "dedupe (token overlap only) on %zu pairs: precision %.3f recall %.3f "
      "(tp %d fp %d fn %d tn %d)\n",
      pairs.size(), s.precision(), s.recall(), s.tp, s.fp, s.fn, s.tn);
  EXPECT_GE(s.precision(), 0.95);
  EXPECT_GE(s.recall(), 0.55);
}

TEST(DedupeLabelledSet, PrecisionAndRecallWithNativeEmbedder) {
  auto embedder = OpenUseLiteEmbedder();
  if (!embedder.ok())
    GTEST_SKIP() << "native model not installed: " << embedder.status().ToString();
  std::vector<Pair> pairs = LoadPairs();
  auto embed = [&](const Lesson& l) {
    // The text the Engine embeds: title, content, topic.
    auto v = (*embedder)->Embed(l.title + "\n" + l.content + "\n" + l.topic);
    EXPECT_TRUE(v.ok());
    return v.ok() ? *v : std::vector<float>{};
  };
  auto cosine = [&](const Pair& p) -> std::optional<double> {
    std::vector<float> a = embed(p.a), b = embed(p.b);
    double dot = 0, na = 0, nb = 0;
    for (std::size_t i = 0; i < a.size() && i < b.size(); ++i) {
      dot += a[i] * b[i];
      na += a[i] * a[i];
      nb += b[i] * b[i];
    }
    return na > 0 && nb > 0 ? dot / std::sqrt(na * nb) : 0.0;
  };
  Scores s = Evaluate(pairs, cosine);
  std::printf(
      "dedupe (token overlap + %s cosine) on %zu pairs: precision %.3f recall %.3f "
      "(tp %d fp %d fn %d tn %d)\n",
      (*embedder)->model_id().c_str(), pairs.size(), s.precision(), s.recall(), s.tp, s.fp, s.fn,
      s.tn);
  EXPECT_GE(s.precision(), 0.90);
  EXPECT_GE(s.recall(), 0.55);
}

}  // namespace
}  // namespace engram::learn
