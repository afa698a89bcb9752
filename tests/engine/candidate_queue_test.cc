// CandidateQueue over a real SQLite store: idempotent proposals, approval
// creates exactly one lesson, rejection stores nothing else, edit, the
// completion gate, and the project a candidate keeps from its origin.
#include "engram/candidate_queue.h"

#include <gtest/gtest.h>

#include <string>

#include "engine_fixture.h"
#include "server/operation.h"

namespace engram::testing {
namespace {

constexpr const char* kDiff =
    "--- a/src/Profile.tsx\n+++ b/src/Profile.tsx\n@@ -1,2 +1,2 @@\n function Profile() {\n"
    "-  useEffect(() => setUser(store.getState().user));\n"
    "+  const user = useStore(selectUser);\n";

class CandidateQueueTest : public EngineTest {
 protected:
  std::size_t LessonCount() {
    auto lessons = engine_->ListLessons(LessonFilter{});
    EXPECT_TRUE(lessons.ok());
    return lessons.ok() ? lessons->size() : 0;
  }

  Candidate ProposeOne() {
    auto r = engine_->candidates().ProposeFromDiff(kDiff, "pr-7.diff");
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_EQ(r.ok() ? r->size() : 0, 1u);
    return r.ok() && !r->empty() ? (*r)[0].candidate : Candidate{};
  }
  // Completes a failed-then-fixed episode of `project`; its gate proposes a gotcha.
  std::string RecoveredEpisode(const std::string& project) {
    StartEpisodeRequest req;
    req.task_type = TaskType::kDebugging;
    req.description = "Fix flaky login test";
    req.context.language = "typescript";
    req.context.project = project;
    auto ep = engine_->StartEpisode(req);
    EXPECT_TRUE(ep.ok());
    auto step = [](const char* tool, const char* action, StepStatus status) {
      StepInput s;
      s.tool = tool;
      s.action = action;
      s.result = {status, status == StepStatus::kError ? "Timeout in login.spec.ts" : ""};
      return s;
    };
    for (const StepInput& s : {step("bash", "npm test", StepStatus::kError),
                               step("editor", "await the session promise", StepStatus::kSuccess),
                               step("bash", "npm test", StepStatus::kSuccess)}) {
      EXPECT_TRUE(engine_->LogStep(ep->id, s).ok());
    }
    EXPECT_TRUE(engine_->CompleteEpisode(ep->id, SuccessOutcome{"stable", {}}).ok());
    return ep->id;
  }
  Candidate PendingOf(const std::string& origin_ref) {
    auto listed = engine_->candidates().List(CandidateFilter{});
    EXPECT_TRUE(listed.ok());
    for (const Candidate& c : *listed) {
      if (c.origin_ref == origin_ref) return c;
    }
    ADD_FAILURE() << "no candidate from " << origin_ref;
    return {};
  }
};

TEST_F(CandidateQueueTest, ProposingTwiceQueuesOneCandidate) {
  CandidateQueue queue = engine_->candidates();
  auto first = queue.ProposeFromDiff(kDiff, "pr-7.diff");
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  ASSERT_EQ(first->size(), 1u);
  EXPECT_TRUE((*first)[0].created);
  const Candidate& c = (*first)[0].candidate;
  EXPECT_EQ(c.status, CandidateStatus::kPending);
  EXPECT_EQ(c.origin, CandidateOrigin::kDiff);
  EXPECT_EQ(c.origin_ref, "pr-7.diff");
  EXPECT_EQ(c.fingerprint.size(), 16u);
  EXPECT_EQ(c.created_at, kStartMs);

  auto again = queue.ProposeFromDiff(kDiff, "other-name.diff");
  ASSERT_TRUE(again.ok());
  ASSERT_EQ(again->size(), 1u);
  EXPECT_FALSE((*again)[0].created);
  EXPECT_EQ((*again)[0].candidate.id, c.id);
  auto listed = queue.List(CandidateFilter{});
  ASSERT_TRUE(listed.ok());
  EXPECT_EQ(listed->size(), 1u);
  EXPECT_EQ(LessonCount(), 0u) << "proposing never writes a lesson";
}

TEST_F(CandidateQueueTest, ApproveCreatesExactlyOneLessonWithOverrides) {
  const Candidate c = ProposeOne();
  CandidateQueue queue = engine_->candidates();
  CandidatePatch overrides;
  overrides.type = LessonType::kAntiPattern;
  overrides.title = "Avoid reading the store imperatively in effects";
  overrides.confidence = 0.7;
  auto approved = queue.Approve(c.id, overrides, "seen in review");
  ASSERT_TRUE(approved.ok()) << approved.status().ToString();
  EXPECT_EQ(approved->candidate.status, CandidateStatus::kApproved);
  ASSERT_TRUE(approved->candidate.lesson_id.has_value());
  EXPECT_EQ(*approved->candidate.lesson_id, approved->lesson.id);
  EXPECT_EQ(approved->lesson.type, LessonType::kAntiPattern);
  EXPECT_EQ(approved->lesson.title, "Avoid reading the store imperatively in effects");
  EXPECT_DOUBLE_EQ(approved->lesson.confidence, 0.7);
  EXPECT_EQ(approved->lesson.topic, "react");
  EXPECT_EQ(approved->lesson.source, LessonSource::kDiff);
  EXPECT_EQ(LessonCount(), 1u);

  auto stored = queue.Get(c.id);
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->status, CandidateStatus::kApproved);
  EXPECT_EQ(stored->decision_note, "seen in review");
  EXPECT_EQ(stored->decided_at, kStartMs);

  EXPECT_ERROR(queue.Approve(c.id, {}, ""), ErrorCode::kFailedPrecondition,
               "is already approved as lesson '" + approved->lesson.id + "'");
  EXPECT_ERROR(queue.Reject(c.id, ""), ErrorCode::kFailedPrecondition, "already approved");
  EXPECT_ERROR(queue.Edit(c.id, {}), ErrorCode::kFailedPrecondition, "already approved");
  EXPECT_EQ(LessonCount(), 1u) << "approving twice added a lesson";
}

TEST_F(CandidateQueueTest, RejectKeepsNothingButTheDecision) {
  const Candidate c = ProposeOne();
  CandidateQueue queue = engine_->candidates();
  auto rejected = queue.Reject(c.id, "too specific");
  ASSERT_TRUE(rejected.ok()) << rejected.status().ToString();
  EXPECT_EQ(rejected->status, CandidateStatus::kRejected);
  EXPECT_EQ(LessonCount(), 0u);
  // The same proposal is not raised again.
  auto again = queue.ProposeFromDiff(kDiff, "pr-7.diff");
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE((*again)[0].created);
  EXPECT_EQ((*again)[0].candidate.status, CandidateStatus::kRejected);

  CandidateFilter pending;
  pending.status = CandidateStatus::kPending;
  EXPECT_TRUE(queue.List(pending)->empty());
  CandidateFilter done;
  done.status = CandidateStatus::kRejected;
  EXPECT_EQ(queue.List(done)->size(), 1u);
}

TEST_F(CandidateQueueTest, EditChangesAPendingCandidateAndValidates) {
  const Candidate c = ProposeOne();
  CandidateQueue queue = engine_->candidates();
  CandidatePatch patch;
  patch.topic = "state-management";
  patch.tags = std::vector<std::string>{"Zustand", "react"};
  patch.content = "token=abc123secretvalue in the example";
  auto edited = queue.Edit(c.id, patch);
  ASSERT_TRUE(edited.ok()) << edited.status().ToString();
  EXPECT_EQ(edited->topic, "state-management");
  EXPECT_EQ(edited->tags, (std::vector<std::string>{"react", "zustand"}));
  EXPECT_EQ(edited->content.find("abc123secretvalue"), std::string::npos) << edited->content;
  EXPECT_EQ(queue.Get(c.id)->topic, "state-management");

  CandidatePatch bad;
  bad.title = "";
  EXPECT_ERROR(queue.Edit(c.id, bad), ErrorCode::kInvalidArgument, "title");
  EXPECT_EQ(queue.Get(c.id)->title, c.title) << "a rejected edit changed the candidate";
  EXPECT_ERROR(queue.Edit("nope", patch), ErrorCode::kNotFound, "candidate 'nope' not found");
}

TEST_F(CandidateQueueTest, BadInputIsAnErrorAndStoresNothing) {
  CandidateQueue queue = engine_->candidates();
  EXPECT_ERROR(queue.ProposeFromDiff("not a diff", "x"), ErrorCode::kInvalidArgument,
               "no file changes found");
  EXPECT_ERROR(queue.ProposeFromTranscript(Json::parse(R"({"m": 1})"), "chat"),
               ErrorCode::kInvalidArgument, "'messages' array");
  CandidateProposal empty_title;
  empty_title.topic = "x";
  empty_title.content = "y";
  CandidateProposal fine = empty_title;
  fine.title = "ok";
  EXPECT_ERROR(queue.Propose(CandidateOrigin::kDiff, "x", {fine, empty_title}),
               ErrorCode::kInvalidArgument, "title");
  EXPECT_TRUE(queue.List(CandidateFilter{})->empty()) << "a rejected batch stored a part";
  CandidateFilter page;
  page.limit = 0;
  EXPECT_ERROR(queue.List(page), ErrorCode::kInvalidArgument, "candidate list");
}

TEST_F(CandidateQueueTest, TranscriptProposalsAreRedacted) {
  CandidateQueue queue = engine_->candidates();
  auto r = queue.ProposeFromTranscript(Json::parse(R"([{"role": "user", "content":
        "Never paste keys like sk-abcdefghijklmnopqrstuvwxyz012345 into the chat logs."}])"),
                                       "chat-1");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->size(), 1u);
  const Candidate& c = (*r)[0].candidate;
  EXPECT_EQ(c.type, LessonType::kAntiPattern);
  EXPECT_EQ(c.origin, CandidateOrigin::kTranscript);
  EXPECT_EQ(c.content.find("sk-abcdef"), std::string::npos) << c.content;
  EXPECT_EQ(c.evidence.find("sk-abcdef"), std::string::npos) << c.evidence;
  EXPECT_NE(c.content.find("[REDACTED:"), std::string::npos);
}

// The gate runs at completion: reward and reflection exist, so it can pass.
TEST_F(CandidateQueueTest, CompletingAnEpisodeWithARecoveryQueuesAGotcha) {
  const std::string id = RecoveredEpisode("");
  auto listed = engine_->candidates().List(CandidateFilter{});
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ((*listed)[0].type, LessonType::kGotcha);
  EXPECT_EQ((*listed)[0].origin_ref, id);
  EXPECT_EQ(LessonCount(), 0u) << "nothing becomes a lesson without approval";
}

// Candidates keep the project of their origin (issue 19 §1); approve
// overrides it only when asked; list_candidates with a project never shows
// another project's.
TEST_F(CandidateQueueTest, EpisodeCandidateBecomesALessonOfTheEpisodesProject) {
  const std::string id = RecoveredEpisode("billing");
  Candidate c = PendingOf(id);
  EXPECT_EQ(c.project, "billing");
  auto approved = engine_->candidates().Approve(c.id, {}, "");
  ASSERT_TRUE(approved.ok()) << approved.status().ToString();
  EXPECT_EQ(approved->lesson.scope, LessonScope::kProject);
  EXPECT_EQ(approved->lesson.project, "billing");
  EXPECT_EQ(approved->candidate.project, "billing");
  // The episode it was learned on is the situation it applies to.
  EXPECT_EQ(approved->lesson.situations,
            (std::vector<std::string>{"Fix flaky login test (error: Timeout in login.spec.ts)"}));
  // A search from another project does not see it; billing does.
  SearchRequest r;
  r.query = approved->lesson.title;
  r.project = "shop";
  auto shop = engine_->SearchLessons(r);
  ASSERT_TRUE(shop.ok());
  for (const LessonResult& x : shop->results) EXPECT_NE(x.lesson.id, approved->lesson.id);
  r.project = "billing";
  auto billing = engine_->SearchLessons(r);
  ASSERT_TRUE(billing.ok());
  ASSERT_FALSE(billing->results.empty());
  EXPECT_EQ(billing->results[0].lesson.id, approved->lesson.id);
}

TEST_F(CandidateQueueTest, EpisodeWithoutProjectStaysGlobal) {
  Candidate c = PendingOf(RecoveredEpisode(""));
  EXPECT_EQ(c.project, "");
  auto approved = engine_->candidates().Approve(c.id, {}, "");
  ASSERT_TRUE(approved.ok()) << approved.status().ToString();
  EXPECT_EQ(approved->lesson.scope, LessonScope::kGlobal);
  EXPECT_EQ(approved->lesson.situations.size(), 1u);
}

TEST_F(CandidateQueueTest, ApprovedAsGlobalAProjectEpisodeLeavesNoSituation) {
  Candidate c = PendingOf(RecoveredEpisode("billing"));
  CandidatePatch overrides;
  overrides.project = "";
  auto approved = engine_->candidates().Approve(c.id, overrides, "share it");
  ASSERT_TRUE(approved.ok()) << approved.status().ToString();
  EXPECT_EQ(approved->lesson.scope, LessonScope::kGlobal);
  EXPECT_TRUE(approved->lesson.situations.empty()) << "billing's task text stays in billing";
}

TEST_F(CandidateQueueTest, SameProposalFromTwoProjectsIsTwoCandidates) {
  CandidateQueue queue = engine_->candidates();
  auto billing = queue.ProposeFromDiff(kDiff, "pr.diff", "billing");
  auto shop = queue.ProposeFromDiff(kDiff, "pr.diff", "shop");
  ASSERT_TRUE(billing.ok() && shop.ok());
  ASSERT_EQ(billing->size(), 1u);
  ASSERT_EQ(shop->size(), 1u);
  EXPECT_TRUE((*shop)[0].created);
  EXPECT_NE((*billing)[0].candidate.id, (*shop)[0].candidate.id);
  EXPECT_EQ((*billing)[0].candidate.project, "billing");
  EXPECT_EQ((*shop)[0].candidate.project, "shop");
}

TEST_F(CandidateQueueTest, ApproveOverridesTheProjectOnlyWhenAsked) {
  server::OperationTable table(*engine_);
  auto proposed = table.Call("propose_from_diff", {{"diff", kDiff}, {"project", "billing"}});
  ASSERT_TRUE(proposed.ok()) << proposed.status().ToString();
  const std::string diff_id = (*proposed)["candidates"][0]["id"];
  EXPECT_EQ((*proposed)["candidates"][0]["project"], "billing");
  auto to_global = table.Call("approve_candidate", {{"candidate_id", diff_id}, {"global", true}});
  ASSERT_TRUE(to_global.ok()) << to_global.status().ToString();
  EXPECT_EQ((*to_global)["lesson"]["scope"], "global");
  EXPECT_EQ((*to_global)["candidate"]["project"], "");

  auto transcript = table.Call(
      "propose_from_transcript",
      {{"messages", {{{"role", "user"}, {"content", "Always run the tests before you commit."}}}},
       {"project", "billing"}});
  ASSERT_TRUE(transcript.ok()) << transcript.status().ToString();
  const std::string t_id = (*transcript)["candidates"][0]["id"];
  EXPECT_EQ((*transcript)["candidates"][0]["project"], "billing");
  auto both = table.Call("approve_candidate",
                         {{"candidate_id", t_id}, {"global", true}, {"project", "shop"}});
  EXPECT_EQ(both.status().code(), ErrorCode::kInvalidArgument);
  auto to_shop = table.Call("approve_candidate", {{"candidate_id", t_id}, {"project", "shop"}});
  ASSERT_TRUE(to_shop.ok()) << to_shop.status().ToString();
  EXPECT_EQ((*to_shop)["lesson"]["scope"], "project");
  EXPECT_EQ((*to_shop)["lesson"]["project"], "shop");
}

TEST_F(CandidateQueueTest, ListWithAProjectShowsGlobalAndItsOwnOnly) {
  CandidateQueue queue = engine_->candidates();
  ASSERT_TRUE(queue.ProposeFromDiff(kDiff, "a.diff", "billing").ok());
  ASSERT_TRUE(queue.ProposeFromDiff(kDiff, "b.diff", "shop").ok());
  ASSERT_TRUE(queue.ProposeFromDiff(kDiff, "c.diff", "").ok());
  server::OperationTable table(*engine_);
  auto shop = table.Call("list_candidates", {{"project", "shop"}});
  ASSERT_TRUE(shop.ok()) << shop.status().ToString();
  ASSERT_EQ((*shop)["count"], 2);
  for (const Json& c : (*shop)["candidates"]) EXPECT_NE(c["project"], "billing") << c.dump();
  auto all = table.Call("list_candidates", Json::object());
  ASSERT_TRUE(all.ok());
  EXPECT_EQ((*all)["count"], 3);
}

}  // namespace
}  // namespace engram::testing
