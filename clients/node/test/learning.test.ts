// Typed learning operations against the real engram binary, one round trip
// per family: feedback, patterns and heuristics, insights (clusters,
// profiles, promotion, audit), contradictions, candidates. The rules and
// their numbers are docs/LEARNING.md's.
import assert from "node:assert/strict";
import { test } from "node:test";

import { isEngramError, type EngramProcess } from "../src/index.js";
import { startEngram } from "./helpers.js";

test("lesson feedback: helped raises confidence by the documented rule; events are listed with counts", async (t) => {
  const { engram } = await startEngram(t);
  const lesson = await engram.addLesson({ topic: "git", title: "Small commits", content: "Commit one change at a time.", confidence: 0.5 });
  const helped = await engram.lessonFeedback({ lesson_id: lesson.id, signal: "helped", actor: "agent:test", note: "bisect was easy" });
  assert.equal(helped.event.signal, "helped");
  assert.equal(helped.event.target, "lesson");
  assert.equal(helped.event.target_id, lesson.id);
  assert.equal(helped.event.before, 0.5);
  // helped: c + 0.10 (1 - c)
  assert.ok(Math.abs(helped.lesson.confidence - 0.55) < 1e-9, String(helped.lesson.confidence));
  assert.equal(helped.event.after, helped.lesson.confidence);
  assert.equal(helped.lesson.version, 2);
  assert.match(helped.rule, /\S/);
  const harmful = await engram.lessonFeedback({ lesson_id: lesson.id, signal: "harmful" });
  assert.ok(harmful.lesson.confidence < helped.lesson.confidence);

  const listed = await engram.listLessonFeedback(lesson.id);
  assert.deepEqual(
    listed.events.map((e) => e.signal),
    ["harmful", "helped"],
  );
  assert.equal(listed.count, 2);
  assert.equal(listed.counts.helped, 1);
  assert.equal(listed.counts.harmful, 1);
  assert.equal(listed.counts.total, 2);
  assert.equal((await engram.listLessonFeedback(lesson.id, 1)).events.length, 1);
  await assert.rejects(engram.lessonFeedback({ lesson_id: "no-such-lesson", signal: "helped" }), (err) =>
    isEngramError(err, "not_found"),
  );
});

/** Completes an episode in Go with the given steps (tool bash) and outcome. */
async function goEpisode(engram: EngramProcess, actions: string[], success: boolean): Promise<string> {
  const ep = await engram.startEpisode({ description: "Fix the Go build", task_type: "debugging", context: { language: "go" } });
  for (const action of actions) await engram.logStep({ episode_id: ep.id, tool: "bash", action });
  await engram.completeEpisode(ep.id, success ? { kind: "success" } : { kind: "failure", reason: "still broken" });
  return ep.id;
}

test("patterns and heuristics: mined from episodes, analysed, listed, fetched, reinforced", async (t) => {
  const { engram } = await startEngram(t);
  const good: string[] = [];
  // Ten with `go vet` that succeeded, ten without that failed: enough for
  // the significance test and minimum group of heuristic learning.
  for (let i = 0; i < 10; i++) good.push(await goEpisode(engram, ["go vet", "go test"], true));
  const bads: string[] = [];
  for (let i = 0; i < 10; i++) bads.push(await goEpisode(engram, ["go test"], false));

  const analysis = await engram.analyzePatterns({ language: "go" });
  assert.equal(analysis.heuristics_learned, true);
  assert.equal(analysis.episodes_analyzed, 20);
  const seq = analysis.patterns.find((p) => p.kind === "sequence" && p.signature.includes("go vet"));
  assert.ok(seq !== undefined, JSON.stringify(analysis.patterns.map((p) => p.signature)));
  assert.equal(seq.support, 10);
  assert.equal(seq.successes, 10);
  // With no feedback, effectiveness is the Wilson lower bound of 10/10.
  assert.ok(Math.abs(seq.effectiveness - (seq.wilson_lower ?? -1)) < 1e-9);
  // 10 of 10 episodes with `go vet` succeeded, 0 of 10 without: lift 1.
  const doVet = analysis.heuristics.find((h) => h.action.startsWith("do:") && h.action.includes("go vet"));
  assert.ok(doVet !== undefined, JSON.stringify(analysis.heuristics.map((h) => h.action)));
  assert.equal(doVet.sample_size, 10);
  assert.equal(doVet.successes, 10);

  const listed = await engram.listPatterns({ kind: "sequence", min_support: 4 });
  assert.ok(listed.patterns.some((p) => p.id === seq.id));
  assert.ok(listed.patterns.every((p) => p.kind === "sequence" && p.support >= 4));
  assert.equal(listed.count, listed.patterns.length);

  const detail = await engram.getPattern(seq.id);
  assert.equal(detail.signature, seq.signature);
  assert.deepEqual(new Set(detail.episode_ids), new Set(good));
  assert.ok(!bads.some((bad) => detail.episode_ids?.includes(bad)));

  const fb = await engram.patternFeedback({ id: seq.id, signal: "hindered", actor: "agent:test" });
  assert.equal(fb.feedback.target, "pattern");
  assert.equal(fb.effectiveness_before, seq.effectiveness);
  assert.ok(fb.effectiveness_after < fb.effectiveness_before);
  assert.equal(fb.counts.hindered, 1);
  const heuristicFb = await engram.patternFeedback({ id: doVet.id, target: "heuristic", signal: "helped" });
  assert.equal(heuristicFb.feedback.target, "heuristic");
  assert.equal(heuristicFb.counts.helped, 1);

  const heuristics = await engram.listHeuristics(100);
  assert.ok(heuristics.heuristics.some((h) => h.id === doVet.id));
  assert.equal(heuristics.count, heuristics.heuristics.length);
  await assert.rejects(engram.getPattern("pat-0000000000000000"), (err) => isEngramError(err, "not_found"));
});

test("insights: clusters group lessons by theme, profiles, promotion to global, audit", async (t) => {
  const { engram } = await startEngram(t);
  const a = await engram.addLesson({ topic: "docker", title: "Pin base images", content: "Pin docker base images to a digest so builds are reproducible." });
  const b = await engram.addLesson({ topic: "docker", title: "Multi-stage docker builds", content: "Use multi-stage docker builds so images stay small." });
  const c = await engram.addLesson({
    topic: "sql",
    title: "Parameterise queries",
    content: "Always pass SQL values as query parameters, never by string concatenation.",
    confidence: 0.2,
    scope: "project",
    project: "shop",
  });

  const clusters = await engram.listClusters();
  assert.equal(clusters.lessons, 3);
  assert.ok(clusters.vectors === "embedding" || clusters.vectors === "text");
  const members = clusters.clusters.flatMap((cl) => cl.members.map((m) => m.id));
  assert.deepEqual(new Set(members), new Set([a.id, b.id, c.id]));
  for (const cl of clusters.clusters) {
    assert.equal(cl.size, cl.members.length);
    assert.ok(cl.label.length >= 1);
  }
  const byId = new Map(clusters.clusters.flatMap((cl) => cl.members.map((m) => [m.id, m] as const)));
  assert.equal(byId.get(c.id)?.project, "shop");
  assert.equal(byId.get(a.id)?.project, null);
  const globalOnly = await engram.listClusters({ project: "other" });
  assert.equal(globalOnly.lessons, 2);

  const profiles = await engram.listProfiles();
  const names = profiles.profiles.map((p) => p.name);
  for (const name of ["default", "pragmatic", "strict", "startup", "enterprise"]) assert.ok(names.includes(name), name);
  assert.ok(profiles.profiles.every((p) => p.source === "built_in"));

  const audit = await engram.audit({ low_confidence: 0.3 });
  assert.equal(audit.counts.lessons, 3);
  assert.equal(audit.counts.global, 2);
  assert.deepEqual(audit.counts.per_project, { shop: 1 });
  assert.deepEqual(
    audit.low_confidence.map((l) => l.id),
    [c.id],
  );

  const promoted = await engram.promoteLesson(c.id, "applies to every service");
  assert.equal(promoted.scope, "global");
  assert.equal(promoted.project, "");
  assert.equal(promoted.version, 2);
  const history = await engram.lessonHistory(c.id);
  assert.equal(history.versions[0]?.lesson.project, "shop");
  assert.match(history.versions[0]?.reason ?? "", /applies to every service/);
  assert.deepEqual((await engram.audit()).counts.per_project, {});
  await assert.rejects(engram.promoteLesson(a.id), (err) => isEngramError(err));
});

test("contradictions: opposite advice is detected on add, resolved (loser superseded) or dismissed", async (t) => {
  const { engram } = await startEngram(t);
  const keep = await engram.addLesson({
    type: "best_practice",
    topic: "git",
    title: "Always rebase feature branches before merging",
    content: "Rebase the feature branch on main before merging it.",
  });
  const lose = await engram.addLesson({
    type: "anti_pattern",
    topic: "git",
    title: "Never rebase feature branches before merging",
    content: "Rebasing the feature branch on main before merging rewrites history.",
  });
  const open = await engram.listContradictions();
  assert.equal(open.count, 1, JSON.stringify(open));
  assert.equal(open.new, 0);
  const found = open.contradictions[0]!;
  assert.deepEqual(new Set([found.lesson_a, found.lesson_b]), new Set([keep.id, lose.id]));
  assert.ok(found.lesson_a < found.lesson_b);
  assert.equal(found.status, "open");
  assert.match(found.reason, /stance/);

  const resolved = await engram.resolveContradiction(found.id, keep.id);
  assert.equal(resolved.contradiction.status, "resolved");
  assert.equal(resolved.contradiction.winner, keep.id);
  assert.equal(resolved.kept.id, keep.id);
  assert.equal(resolved.superseded.id, lose.id);
  assert.equal(resolved.superseded.deprecated, true);
  assert.equal(resolved.superseded.superseded_by, keep.id);
  assert.equal((await engram.getLesson(lose.id)).deprecated, true);
  assert.equal((await engram.listContradictions()).count, 0);
  assert.equal((await engram.listContradictions({ status: "resolved" })).count, 1);

  await engram.addLesson({ topic: "docker", title: "Always pin base image versions", content: "Pin the base image version in every Dockerfile." });
  await engram.addLesson({ topic: "docker", title: "Avoid pinning base image versions", content: "Pinned base image versions miss security fixes." });
  const second = (await engram.listContradictions()).contradictions[0];
  assert.ok(second !== undefined);
  const dismissed = await engram.dismissContradiction(second.id);
  assert.equal(dismissed.status, "dismissed");
  const all = await engram.listContradictions({ status: "all", scan: true });
  assert.equal(all.new, 0, "a scan does not raise recorded pairs again");
  assert.deepEqual(all.contradictions.map((c) => c.status).sort(), ["dismissed", "resolved"]);
  await assert.rejects(engram.resolveContradiction(second.id, "no-such-lesson"), (err) => isEngramError(err));
});

const DIFF = `diff --git a/src/date.ts b/src/date.ts
--- a/src/date.ts
+++ b/src/date.ts
@@ -1,3 +1,3 @@
 import { format } from "./fmt";
-export const year = (d: Date) => moment(d).year();
+export const year = (d: Date) => dayjs(d).year();
 export const fmt = format;
`;

test("candidates: proposed from a transcript and a diff, edited, approved into a lesson, rejected", async (t) => {
  const { engram } = await startEngram(t);
  const messages = [
    { role: "user", content: "Always run the linter before pushing a branch." },
    { role: "assistant", content: [{ type: "text", text: "Understood. Do you want tests too?" }] },
  ];
  const proposed = await engram.proposeFromTranscript(messages, "chat-1");
  assert.equal(proposed.count, 1);
  const cand = proposed.candidates[0]!;
  assert.equal(cand.created, true);
  assert.equal(cand.status, "pending");
  assert.equal(cand.origin, "transcript");
  assert.equal(cand.origin_ref, "chat-1");
  assert.equal(cand.type, "best_practice");
  assert.ok(Math.abs(cand.confidence - 0.6) < 1e-9, "always: 0.5, +0.1 stated by the user");
  assert.match(cand.evidence, /linter/);
  assert.match(cand.rationale, /transcript\.always/);
  // Proposing the same again adds nothing.
  const again = await engram.proposeFromTranscript(messages, "chat-1");
  assert.equal(again.candidates[0]?.id, cand.id);
  assert.equal(again.candidates[0]?.created, false);
  assert.equal((await engram.listLessons()).count, 0, "nothing is a lesson before approval");

  const edited = await engram.editCandidate(cand.id, { title: "Lint before pushing", tags: ["lint"] });
  assert.equal(edited.title, "Lint before pushing");
  assert.deepEqual((await engram.getCandidate(cand.id)).tags, ["lint"]);
  const approved = await engram.approveCandidate(cand.id, { confidence: 0.7 }, "team rule");
  assert.equal(approved.candidate.status, "approved");
  assert.equal(approved.candidate.lesson_id, approved.lesson.id);
  assert.equal(approved.candidate.decision_note, "team rule");
  assert.equal(approved.lesson.title, "Lint before pushing");
  assert.equal(approved.lesson.confidence, 0.7);
  assert.deepEqual((await engram.getLesson(approved.lesson.id)).tags, ["lint"]);
  await assert.rejects(engram.approveCandidate(cand.id), (err) => isEngramError(err, "failed_precondition"));

  const fromDiff = await engram.proposeFromDiff(DIFF, "PR-7");
  const replace = fromDiff.candidates.find((c) => c.title.includes("dayjs"));
  assert.ok(replace !== undefined, JSON.stringify(fromDiff.candidates.map((c) => c.title)));
  assert.equal(replace.origin, "diff");
  assert.equal(replace.origin_ref, "PR-7");
  assert.match(replace.evidence, /moment/);
  const rejected = await engram.rejectCandidate(replace.id, "one-off migration");
  assert.equal(rejected.status, "rejected");
  assert.equal(rejected.lesson_id, undefined);

  const pending = await engram.listCandidates({ status: "pending" });
  assert.ok(!pending.candidates.some((c) => c.id === cand.id || c.id === replace.id));
  const byOrigin = await engram.listCandidates({ origin: "diff" });
  assert.ok(byOrigin.candidates.every((c) => c.origin === "diff"));
  assert.ok(byOrigin.candidates.some((c) => c.id === replace.id));
  assert.equal((await engram.listLessons()).count, 1);
  await assert.rejects(engram.proposeFromDiff("@@ -1,2 +1,2 @@\n-only one line\n"), (err) => isEngramError(err, "invalid_argument"));
});
