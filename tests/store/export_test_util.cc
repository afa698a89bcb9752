#include "export_test_util.h"

#include <zlib.h>

#include <cstdio>

namespace engram::store_test {

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

std::string Join(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) out += l + "\n";
  return out;
}

std::string Reseal(std::vector<std::string> lines) {
  lines.pop_back();
  std::string body = Join(lines);
  auto crc = crc32(0, reinterpret_cast<const Bytef*>(body.data()), static_cast<uInt>(body.size()));
  char hex[9];
  std::snprintf(hex, sizeof hex, "%08lx", static_cast<unsigned long>(crc));
  return body + "{\"kind\":\"trailer\",\"records\":" + std::to_string(lines.size() - 1) +
         ",\"crc32\":\"" + hex + "\"}\n";
}

void ExportTest::Populate(Store& s) {
  Episode e = MakeEpisode("ep-1");
  ASSERT_TRUE(s.CreateEpisode(e).ok());
  ASSERT_TRUE(s.AppendStep("ep-1", MakeStep("a", 11), 10).ok());
  ASSERT_TRUE(s.AppendStep("ep-1", MakeStep("b", 12), 10).ok());
  ASSERT_TRUE(s.CompleteEpisode("ep-1", MakeSuccess(), MakeReward(), MakeReflection(), 99).ok());
  ASSERT_TRUE(s.CreateEpisode(MakeEpisode("ep-2", 5'000)).ok());
  Lesson l = MakeLesson("l-1");
  l.last_used_at = 77;
  ASSERT_TRUE(s.InsertLesson(l).ok());
  l.version = 2;
  l.content = "better";
  l.updated_at = 2'000;
  ASSERT_TRUE(s.UpdateLesson(l, "update").ok());
  ASSERT_TRUE(s.InsertLesson(MakeLesson("l-2")).ok());
  ASSERT_TRUE(s.PutEmbedding({"l-1", "use-lite", {0.1f, -2.5f, 1e-30f, 3.4e38f}, 5}).ok());
  ASSERT_TRUE(s.PutEmbedding({"l-2", "use-lite", {1.0f / 3}, 6}).ok());
  KvPutOptions ttl;
  ttl.ttl_ms = 10;
  ASSERT_TRUE(s.KvPut("ns", "expiring", Json{{"a", nullptr}}, ttl, 1).ok());
  ASSERT_TRUE(s.KvPut("ns", "k", Json::array({1, "x", 2.5}), {}, 1).ok());
  ASSERT_TRUE(s.KvPut("ns", "k", "v2", {}, 2).ok());
  // Notes: ids interleave across threads, so the export must keep them.
  ASSERT_NE(s.fulltext(), nullptr);
  Note n;
  n.thread = "t2";
  n.text = "the deploy script needs the staging token";
  n.timestamp = 3;
  ASSERT_TRUE(s.fulltext()->AddNotes({&n, 1}).ok());
  n.thread = "t1";
  n.speaker = "ana";
  n.text = "flaky login test fixed by awaiting setup";
  n.metadata = Json{{"session", 1}};
  ASSERT_TRUE(s.fulltext()->AddNotes({&n, 1}).ok());
  n.text = "second note in thread one";
  ASSERT_TRUE(s.fulltext()->AddNotes({&n, 1}).ok());
}

void ExportTest::PopulateLearning(Store& s) {
  ASSERT_NE(s.patterns(), nullptr);
  ASSERT_NE(s.feedback(), nullptr);
  ASSERT_NE(s.contradictions(), nullptr);
  ASSERT_NE(s.candidates(), nullptr);
  ASSERT_TRUE(s.InsertLesson(MakeLesson("l-3")).ok());

  PatternOccurrence seq{
      PatternKind::kSequence, "bash:a -> bash:b", "a then b", Json{{"language", "cpp"}}, 40, 2};
  PatternOccurrence recovery{PatternKind::kErrorRecovery,
                             "bash:a !> editor:fix -> bash:a",
                             "fix, then a again",
                             Json::object(),
                             10,
                             1};
  ASSERT_TRUE(s.patterns()->RecordEpisodePatterns("ep-1", true, {seq, recovery}, 100).ok());
  ASSERT_TRUE(s.patterns()->RecordEpisodePatterns("ep-2", false, {seq}, 200).ok());

  Heuristic h;
  h.id = "heu-1";
  h.condition = Json{{"language", "cpp"}};
  h.action = "do: bash:a";
  h.description = "run a first";
  h.evidence = Json{{"episodes", {"ep-1"}}, {"lift", 1.5}, {"p_value", 0.03}};
  h.sample_size = 4;
  h.successes = 3;
  h.confidence = 0.4;
  h.updated_at = 300;
  Heuristic avoid = h;
  avoid.id = "heu-2";
  avoid.condition = Json::object();
  avoid.action = "avoid: bash:rm";
  avoid.evidence = Json::object();
  avoid.successes = 0;
  avoid.confidence = 0;
  ASSERT_TRUE(s.patterns()->ReplaceHeuristics({h, avoid}).ok());

  FeedbackEvent on_lesson{"fb-1",      FeedbackTarget::kLesson,
                          "l-1",       FeedbackSignal::kHelped,
                          "ep-1",      "agent:test",
                          "it worked", 0.5,
                          0.6,         400};
  FeedbackEvent on_pattern{"fb-2",
                           FeedbackTarget::kPattern,
                           PatternId(seq.kind, seq.signature),
                           FeedbackSignal::kRejected,
                           "",
                           "user:ana",
                           "",
                           std::nullopt,
                           std::nullopt,
                           410};
  ASSERT_TRUE(s.feedback()->RecordFeedback(on_lesson).ok());
  ASSERT_TRUE(s.feedback()->RecordFeedback(on_pattern).ok());

  Contradiction resolved{
      "con-1",      "l-1", "l-2",       "opposite stance: wal", 0.9, ContradictionStatus::kOpen,
      std::nullopt, 500,   std::nullopt};
  ASSERT_TRUE(s.contradictions()->RecordContradiction(resolved).ok());
  ASSERT_TRUE(s.contradictions()
                  ->CloseContradiction("con-1", ContradictionStatus::kResolved, "l-1", 600)
                  .ok());
  Contradiction open{
      "con-2",      "l-2", "l-3",       "version mismatch: 3 vs 4", 0.7, ContradictionStatus::kOpen,
      std::nullopt, 510,   std::nullopt};
  ASSERT_TRUE(s.contradictions()->RecordContradiction(open).ok());

  Candidate pending;
  pending.id = "cand-1";
  pending.origin = CandidateOrigin::kDiff;
  pending.origin_ref = "fix.patch";
  pending.project = "engram";
  pending.fingerprint = "00000000000000a1";
  pending.type = LessonType::kAntiPattern;
  pending.topic = "sqlite";
  pending.title = "Do not hold the lock";
  pending.content = "Release the write lock before fsync.";
  pending.tags = {"db", "lock"};
  pending.confidence = 0.55;
  pending.evidence = "- lock(); fsync();";
  pending.rationale = "replace rule";
  pending.created_at = 700;
  Candidate decided = pending;
  decided.id = "cand-2";
  decided.status = CandidateStatus::kApproved;
  decided.origin = CandidateOrigin::kEpisode;
  decided.origin_ref = "ep-1";
  decided.project = "";
  decided.fingerprint = "00000000000000b2";
  decided.tags = {};
  decided.lesson_id = "l-3";
  decided.decision_note = "good one";
  decided.decided_at = 710;
  ASSERT_TRUE(s.candidates()->InsertCandidate(pending).ok());
  ASSERT_TRUE(s.candidates()->InsertCandidate(decided).ok());

  ASSERT_TRUE(s.RecordLessonUses({{"l-1", 800, 3}}).ok());
  ASSERT_NE(s.embedding_cache(), nullptr);
  ASSERT_TRUE(s.embedding_cache()->PutCached("use-lite", "a cached text", {0.5f, 0.25f}, 900).ok());
}

}  // namespace engram::store_test
