// Candidate operations of the dispatch table: the gated lesson queue
// (list, get, edit, approve, reject) and proposing from a diff or a
// transcript (docs/LEARNING.md, "Gated candidates").
#include "engram/candidate_queue.h"
#include "engram/enum_names.h"
#include "engram/project_scope.h"
#include "server/args.h"
#include "server/json_schema.h"
#include "server/model_schemas.h"
#include "server/operation.h"
#include "server/project_args.h"

namespace engram::server {
namespace {

Json CandidateSchema() {
  return js::Object(
      {{"id", js::Str("Candidate id.")},
       {"status", js::Enum({"pending", "approved", "rejected"}, "Where it is in the queue.")},
       {"origin", js::Enum({"episode", "diff", "transcript"}, "What it was drawn from.")},
       {"origin_ref", js::Str("Episode id, or the diff's or transcript's name.")},
       {"project", js::Str("Project of its origin (\"\" = global); approval makes a lesson of "
                           "this project unless overridden.")},
       {"fingerprint", js::Str("Identical proposals share it; proposing again adds nothing.")},
       {"type", js::Enum(LessonTypeNames(), "Proposed lesson type.")},
       {"topic", js::Str("Proposed topic.")},
       {"title", js::Str("Proposed title.")},
       {"content", js::Str("Proposed lesson text.")},
       {"tags", js::Array(js::Str("tag"), "Proposed tags.")},
       {"confidence", js::Num("Proposed confidence, 0..1.", 0.0, 1.0)},
       {"evidence", js::Str("The diff hunk, sentence or steps it came from.")},
       {"rationale", js::Str("Which rule fired, and why.")},
       {"lesson_id", js::Str("The lesson created on approval.")},
       {"decision_note", js::Str("Note given on approval or rejection.")},
       {"created_at", js::Int("Unix milliseconds.")},
       {"decided_at", js::Int("Unix milliseconds of approval or rejection.")}},
      {"id", "status", "origin", "origin_ref", "project", "fingerprint", "type", "topic", "title",
       "content", "tags", "confidence", "evidence", "rationale", "decision_note", "created_at"});
}

Json ProposedListSchema() {
  Json item = CandidateSchema();
  item["properties"]["created"] = js::Bool("false: the same proposal was already queued.");
  item["required"].push_back("created");
  return js::Object({{"candidates", js::Array(item, "Proposed candidates, in rule order.")},
                     {"count", js::Int("Number proposed.")}},
                    {"candidates", "count"});
}

Json ProposedList(const std::vector<ProposeResult>& results) {
  Json items = Json::array();
  for (const ProposeResult& r : results) {
    Json j = ToJson(r.candidate);
    j["created"] = r.created;
    items.push_back(std::move(j));
  }
  return ListResult("candidates", std::move(items));
}

std::vector<std::pair<std::string, Json>> PatchSchemas() {
  return {{"candidate_id", js::Str("The candidate's id.")},
          {"type", js::Enum(LessonTypeNames(), "Lesson type.")},
          {"topic", js::Str("Topic.")},
          {"title", js::Str("One-line summary.")},
          {"content", js::Str("The lesson text.")},
          {"tags", js::Array(js::Str("tag"), "Tags (replace the proposed ones).")},
          {"confidence", js::Num("Confidence, 0..1.", 0.0, 1.0)}};
}

Result<CandidatePatch> PatchArg(const Json& args) {
  CandidatePatch p;
  if (auto t = OptStringArg(args, "type")) {
    ENGRAM_ASSIGN_OR_RETURN(p.type, ParseLessonType(*t));
  }
  p.topic = OptStringArg(args, "topic");
  p.title = OptStringArg(args, "title");
  p.content = OptStringArg(args, "content");
  if (args.contains("tags")) p.tags = StringListArg(args, "tags");
  p.confidence = OptNumberArg(args, "confidence");
  return p;
}

Result<Json> ListCandidates(Engine& engine, const Json& args) {
  CandidateFilter f;
  if (auto s = OptStringArg(args, "status"); s && *s != "all") {
    ENGRAM_ASSIGN_OR_RETURN(f.status, ParseCandidateStatus(*s));
  }
  if (auto o = OptStringArg(args, "origin")) {
    ENGRAM_ASSIGN_OR_RETURN(f.origin, ParseCandidateOrigin(*o));
  }
  f.project = OptStringArg(args, "project");
  f.limit = static_cast<int>(IntArg(args, "limit", 20));
  f.offset = static_cast<int>(IntArg(args, "offset", 0));
  ENGRAM_ASSIGN_OR_RETURN(auto list, engine.candidates().List(f));
  Json items = Json::array();
  for (const Candidate& c : list) items.push_back(ToJson(c));
  return ListResult("candidates", std::move(items));
}

Result<Json> GetCandidate(Engine& engine, const Json& args) {
  const std::string id = StringArg(args, "candidate_id");
  ENGRAM_ASSIGN_OR_RETURN(Candidate c, engine.candidates().Get(id));
  ENGRAM_RETURN_IF_ERROR(RequireVisible(c.project, OptStringArg(args, "project"), "candidate", id));
  return ToJson(c);
}

Result<Json> EditCandidate(Engine& engine, const Json& args) {
  ENGRAM_ASSIGN_OR_RETURN(CandidatePatch p, PatchArg(args));
  ENGRAM_ASSIGN_OR_RETURN(Candidate c,
                          engine.candidates().Edit(StringArg(args, "candidate_id"), p));
  return ToJson(c);
}

Result<Json> ApproveCandidate(Engine& engine, const Json& args) {
  ENGRAM_ASSIGN_OR_RETURN(CandidatePatch p, PatchArg(args));
  p.project = OptStringArg(args, "project");
  if (BoolArg(args, "global")) {
    if (p.project) return Status::InvalidArgument("give project or global, not both");
    p.project = "";
  }
  ENGRAM_ASSIGN_OR_RETURN(
      ApproveResult r,
      engine.candidates().Approve(StringArg(args, "candidate_id"), p, StringArg(args, "note")));
  return Json{{"candidate", ToJson(r.candidate)}, {"lesson", ToJson(r.lesson)}};
}

Result<Json> RejectCandidate(Engine& engine, const Json& args) {
  ENGRAM_ASSIGN_OR_RETURN(Candidate c, engine.candidates().Reject(StringArg(args, "candidate_id"),
                                                                  StringArg(args, "note")));
  return ToJson(c);
}

Result<Json> ProposeFromDiff(Engine& engine, const Json& args) {
  ENGRAM_ASSIGN_OR_RETURN(auto r, engine.candidates().ProposeFromDiff(
                                      StringArg(args, "diff"), StringArg(args, "source", "diff"),
                                      StringArg(args, "project")));
  return ProposedList(r);
}

Result<Json> ProposeFromTranscript(Engine& engine, const Json& args) {
  ENGRAM_ASSIGN_OR_RETURN(auto r, engine.candidates().ProposeFromTranscript(
                                      args.at("messages"), StringArg(args, "source", "transcript"),
                                      StringArg(args, "project")));
  return ProposedList(r);
}

}  // namespace

void AddCandidateOperations(std::vector<Operation>& ops) {
  const Json id_only =
      js::Object({{"candidate_id", js::Str("The candidate's id.")}}, {"candidate_id"});
  auto decision = [](const char* note) {
    auto props = PatchSchemas();
    props.emplace_back("note", js::Str(note));
    return props;
  };
  ops.push_back(Operation{
      "list_candidates",
      {},
      "List lesson candidates",
      "List proposed lessons waiting for review (newest first). Candidates are drawn from "
      "completed episodes, code diffs and transcripts; none is a lesson until approved.",
      js::Object({{"status", js::Enum({"pending", "approved", "rejected", "all"},
                                      "Only this status (default all).")},
                  {"origin", js::Enum({"episode", "diff", "transcript"}, "Only this origin.")},
                  {"project", js::Str("Only global candidates and this project's (never another "
                                      "project's); default: every candidate.")},
                  {"limit", js::Int("Maximum results (default 20).", 1, 10000)},
                  {"offset", js::Int("Results to skip.", 0, kMaxCount)}},
                 {}),
      js::Object({{"candidates", js::Array(CandidateSchema(), "Matching candidates.")},
                  {"count", js::Int("Number returned.")}},
                 {"candidates", "count"}),
      true,
      false,
      ListCandidates});
  ops.push_back(Operation{"get_candidate",
                          {},
                          "Get a lesson candidate",
                          "Fetch one candidate with its evidence and the rule that proposed it.",
                          WithReadProject(id_only),
                          CandidateSchema(),
                          true,
                          false,
                          GetCandidate});
  ops.push_back(Operation{
      "edit_candidate",
      {},
      "Edit a lesson candidate",
      "Change a pending candidate's proposed type, topic, title, content, tags or confidence "
      "before deciding on it.",
      js::Object(PatchSchemas(), {"candidate_id"}),
      CandidateSchema(),
      false,
      false,
      EditCandidate});
  ops.push_back(Operation{
      "approve_candidate",
      {},
      "Approve a lesson candidate",
      "Turn a pending candidate into a lesson. Optional fields override the proposal (e.g. a "
      "better title or type). The lesson keeps the project of the candidate's origin unless "
      "project or global is given. Fails if the candidate was already approved or rejected.",
      js::Object(
          [&] {
            auto props = decision("Why it was approved.");
            props.emplace_back("project", js::Str("Make a lesson of this project instead."));
            props.emplace_back("global", js::Bool("Make a global lesson instead."));
            return props;
          }(),
          {"candidate_id"}),
      js::Object({{"candidate", CandidateSchema()}, {"lesson", LessonSchema()}},
                 {"candidate", "lesson"}),
      false,
      false,
      ApproveCandidate});
  ops.push_back(Operation{
      "reject_candidate",
      {},
      "Reject a lesson candidate",
      "Reject a pending candidate. It stays in the queue as rejected, so the same proposal "
      "is not raised again; no lesson is written.",
      js::Object({{"candidate_id", js::Str("The candidate's id.")},
                  {"note", js::Str("Why it was rejected.")}},
                 {"candidate_id"}),
      CandidateSchema(),
      false,
      false,
      RejectCandidate});
  ops.push_back(Operation{
      "propose_from_diff",
      {},
      "Propose lessons from a diff",
      "Read a unified diff (git diff output) and queue lesson candidates: an API call replaced "
      "by another in the same hunk, and the same small fix repeated across hunks. Each "
      "candidate carries its evidence hunk. Nothing becomes a lesson until approved.",
      js::Object({{"diff", js::Str("Unified diff text.")},
                  {"source", js::Str("A name for the diff (e.g. a PR or commit); default diff.")},
                  {"project", js::Str("Project the diff belongs to (default: global).")}},
                 {"diff"}),
      ProposedListSchema(),
      false,
      false,
      ProposeFromDiff});
  ops.push_back(Operation{
      "propose_from_transcript",
      {},
      "Propose lessons from a conversation",
      "Read conversation messages and queue a candidate for each sentence that states a rule "
      "(always..., never..., prefer X over Y, avoid..., don't..., must..., X breaks when...). "
      "Nothing becomes a lesson until approved.",
      js::Object({{"messages",
                   js::Array(js::Object({{"role", js::Str("user, assistant, ...")},
                                         {"content",
                                          js::AnyValue("Text, or a list of {type, text} parts.")}},
                                        {"content"}, "", true),
                             "The conversation, in order.")},
                  {"source", js::Str("A name for the conversation; default transcript.")},
                  {"project", js::Str("Project the conversation is about (default: global).")}},
                 {"messages"}),
      ProposedListSchema(),
      false,
      false,
      ProposeFromTranscript});
}

}  // namespace engram::server
