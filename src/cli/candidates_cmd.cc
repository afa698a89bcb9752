// `engram candidates list|show|approve|edit|reject` (the gated lesson queue)
// and `engram learn diff|transcript` (proposing candidates from material).
#include <CLI/CLI.hpp>
#include <fstream>
#include <iterator>
#include <memory>
#include <ostream>
#include <sstream>
#include <string>
#include <vector>

#include "cli/args.h"
#include "cli/cli.h"
#include "cli/context.h"
#include "cli/learn_group.h"
#include "cli/lesson_fields.h"
#include "cli/output.h"
#include "engram/candidate_queue.h"

namespace engram::cli {
namespace {

// The proposal fields `edit` and `approve` may change.
void BindPatch(CLI::App* cmd, LessonTextFields& f) {
  f.Bind(cmd, "A tag (repeatable; replaces the proposed tags)");
}

Result<CandidatePatch> BuildPatch(const LessonTextFields& f, Context& ctx) {
  CandidatePatch p;
  ENGRAM_RETURN_IF_ERROR(f.Fill(ctx, p));
  return p;
}

void PrintCandidate(std::ostream& os, const Candidate& c) {
  PrintField(os, "id", c.id);
  PrintField(os, "status", ToString(c.status));
  PrintField(os, "origin",
             std::string(ToString(c.origin)) + (c.origin_ref.empty() ? "" : " " + c.origin_ref));
  PrintField(os, "project", c.project.empty() ? "(global)" : c.project);
  PrintField(os, "type", ToString(c.type));
  PrintField(os, "topic", c.topic);
  PrintField(os, "title", c.title);
  PrintField(os, "confidence", std::to_string(c.confidence).substr(0, 4));
  if (!c.tags.empty()) {
    std::string tags;
    for (const std::string& t : c.tags) tags += (tags.empty() ? "" : ", ") + t;
    PrintField(os, "tags", tags);
  }
  PrintField(os, "rule", c.rationale);
  PrintField(os, "created", FormatTime(c.created_at));
  if (c.decided_at) PrintField(os, "decided", FormatTime(c.decided_at));
  if (c.lesson_id) PrintField(os, "lesson", *c.lesson_id);
  if (!c.decision_note.empty()) PrintField(os, "note", c.decision_note);
  os << "\n" << c.content << "\n\nevidence:\n" << c.evidence << "\n";
}

void PrintCandidateList(std::ostream& os, const std::vector<Candidate>& list) {
  if (list.empty()) {
    os << "no candidates\n";
    return;
  }
  Table t({"ID", "STATUS", "ORIGIN", "TYPE", "CONF", "TITLE"});
  for (const Candidate& c : list) {
    t.Add({c.id, std::string(ToString(c.status)), std::string(ToString(c.origin)),
           std::string(ToString(c.type)), std::to_string(c.confidence).substr(0, 4),
           Preview(c.title, 60)});
  }
  t.Print(os);
}

void EmitProposed(Context& c, const std::vector<ProposeResult>& results) {
  Json items = Json::array();
  for (const ProposeResult& r : results) {
    Json j = ToJson(r.candidate);
    j["created"] = r.created;
    items.push_back(std::move(j));
  }
  c.Emit(items, [&](std::ostream& os) {
    if (results.empty()) os << "no candidates found\n";
    for (const ProposeResult& r : results) {
      os << (r.created ? "queued   " : "existing ") << r.candidate.id << "  "
         << ToString(r.candidate.type) << "  " << Preview(r.candidate.title, 70) << "\n";
    }
  });
}

// The text of FILE, or of stdin for "-".
Result<std::string> ReadInput(const std::string& path, std::istream& in) {
  if (path == "-") return std::string(std::istreambuf_iterator<char>(in), {});
  std::ifstream file(path, std::ios::binary);
  if (!file) return Status::NotFound("cannot open '" + path + "'");
  std::ostringstream text;
  text << file.rdbuf();
  if (file.bad()) return Status::IOError("cannot read '" + path + "'");
  return text.str();
}

void AddList(CLI::App& parent, Context& ctx) {
  struct Args {
    std::string status = "all", origin, project;
    int limit = 100, offset = 0;
  };
  auto a = std::make_shared<Args>();
  CLI::App* cmd = parent.add_subcommand("list", "List candidates, newest first");
  cmd->add_option("--project", a->project,
                  "Only global candidates and this project's (default: every candidate)");
  cmd->add_option("--status", a->status, "pending, approved, rejected or all (every one)")
      ->capture_default_str();
  cmd->add_option("--origin", a->origin, "Only this origin: episode, diff or transcript");
  cmd->add_option("--limit", a->limit, "At most this many (1..10000)")->capture_default_str();
  cmd->add_option("--offset", a->offset, "Skip this many")->capture_default_str();
  OnRun(cmd, ctx, [a](Context& c) -> Status {
    CandidateFilter f;
    ENGRAM_ASSIGN_OR_RETURN(f.status,
                            ParseStatusFilter<CandidateStatus>(ParseCandidateStatus, a->status));
    if (!a->origin.empty()) {
      ENGRAM_ASSIGN_OR_RETURN(
          f.origin, ParseEnumArg<CandidateOrigin>(ParseCandidateOrigin, a->origin, "--origin"));
    }
    if (!a->project.empty()) f.project = a->project;
    f.limit = a->limit;
    f.offset = a->offset;
    ENGRAM_ASSIGN_OR_RETURN(Engine * engine, c.OpenEngine());
    ENGRAM_ASSIGN_OR_RETURN(std::vector<Candidate> list, engine->candidates().List(f));
    c.Emit(JsonArray(list), [&](std::ostream& os) { PrintCandidateList(os, list); });
    return Status::Ok();
  });
}

void AddDecision(CLI::App& parent, Context& ctx, bool approve) {
  struct Args {
    LessonTextFields fields;
    std::string id, note, project;
    bool global = false;
  };
  auto a = std::make_shared<Args>();
  CLI::App* cmd = parent.add_subcommand(
      approve ? "approve" : "edit",
      approve ? "Approve a pending candidate: it becomes a lesson (options override the proposal)"
              : "Change a pending candidate's proposal");
  cmd->add_option("id", a->id, "Candidate id")->required();
  BindPatch(cmd, a->fields);
  if (approve) {
    cmd->add_option("--note", a->note, "Why it was approved");
    auto* project = cmd->add_option(
        "--project", a->project,
        "Make a lesson of this project (default: the project of the candidate's origin)");
    cmd->add_flag("--global", a->global, "Make a global lesson")->excludes(project);
  }
  OnRun(cmd, ctx, [a, approve](Context& c) -> Status {
    ENGRAM_ASSIGN_OR_RETURN(CandidatePatch p, BuildPatch(a->fields, c));
    if (a->global) p.project = "";
    if (!a->project.empty()) p.project = a->project;
    ENGRAM_ASSIGN_OR_RETURN(Engine * engine, c.OpenEngine());
    CandidateQueue queue = engine->candidates();
    if (!approve) {
      ENGRAM_ASSIGN_OR_RETURN(Candidate edited, queue.Edit(a->id, p));
      c.Emit(ToJson(edited), [&](std::ostream& os) { PrintCandidate(os, edited); });
      return Status::Ok();
    }
    ENGRAM_ASSIGN_OR_RETURN(ApproveResult r, queue.Approve(a->id, p, a->note));
    c.Emit(Json{{"candidate", ToJson(r.candidate)}, {"lesson", ToJson(r.lesson)}},
           [&](std::ostream& os) {
             os << "approved candidate " << r.candidate.id << " as lesson " << r.lesson.id << "\n";
           });
    return Status::Ok();
  });
}

void AddReject(CLI::App& parent, Context& ctx) {
  struct Args {
    std::string id, note;
  };
  auto a = std::make_shared<Args>();
  CLI::App* cmd = parent.add_subcommand(
      "reject", "Reject a pending candidate (kept as rejected; no lesson is written)");
  cmd->add_option("id", a->id, "Candidate id")->required();
  cmd->add_option("--note", a->note, "Why it was rejected");
  OnRun(cmd, ctx, [a](Context& c) -> Status {
    ENGRAM_ASSIGN_OR_RETURN(Engine * engine, c.OpenEngine());
    ENGRAM_ASSIGN_OR_RETURN(Candidate r, engine->candidates().Reject(a->id, a->note));
    c.Emit(ToJson(r), [&](std::ostream& os) { os << "rejected candidate " << r.id << "\n"; });
    return Status::Ok();
  });
}

void AddLearnDiff(CLI::App& learn, Context& ctx) {
  struct Args {
    std::string file = "-", source, project;
  };
  auto a = std::make_shared<Args>();
  CLI::App* cmd = learn.add_subcommand(
      "diff", "Propose lesson candidates from a unified diff (e.g. git diff | engram learn diff)");
  cmd->add_option("file", a->file, "Diff file; - or nothing reads stdin");
  cmd->add_option("--source", a->source, "A name for the diff (default: the file name)");
  cmd->add_option("--project", a->project, "The project the diff belongs to (default: global)");
  OnRun(cmd, ctx, [a](Context& c) -> Status {
    ENGRAM_ASSIGN_OR_RETURN(std::string text, ReadInput(a->file, c.in()));
    const std::string source =
        !a->source.empty() ? a->source : (a->file == "-" ? "stdin" : a->file);
    ENGRAM_ASSIGN_OR_RETURN(Engine * engine, c.OpenEngine());
    ENGRAM_ASSIGN_OR_RETURN(auto results,
                            engine->candidates().ProposeFromDiff(text, source, a->project));
    EmitProposed(c, results);
    return Status::Ok();
  });
}

void AddLearnTranscript(CLI::App& learn, Context& ctx) {
  struct Args {
    std::string file, source, project;
  };
  auto a = std::make_shared<Args>();
  CLI::App* cmd = learn.add_subcommand(
      "transcript",
      "Propose lesson candidates from a conversation (JSON: [{role, content}] or {messages})");
  cmd->add_option("file", a->file, "Transcript JSON file; - reads stdin")->required();
  cmd->add_option("--source", a->source, "A name for the conversation (default: the file name)");
  cmd->add_option("--project", a->project,
                  "The project the conversation is about (default: global)");
  OnRun(cmd, ctx, [a](Context& c) -> Status {
    ENGRAM_ASSIGN_OR_RETURN(std::string text, ReadInput(a->file, c.in()));
    ENGRAM_ASSIGN_OR_RETURN(Json transcript, ParseJson(text, "transcript"));
    const std::string source =
        !a->source.empty() ? a->source : (a->file == "-" ? "stdin" : a->file);
    ENGRAM_ASSIGN_OR_RETURN(Engine * engine, c.OpenEngine());
    ENGRAM_ASSIGN_OR_RETURN(
        auto results, engine->candidates().ProposeFromTranscript(transcript, source, a->project));
    EmitProposed(c, results);
    return Status::Ok();
  });
}

}  // namespace

void AddCandidateCommands(CLI::App& app, Context& ctx) {
  CLI::App* group = app.add_subcommand(
      "candidates", "Review proposed lessons: nothing becomes a lesson until approved");
  group->require_subcommand(1);
  AddList(*group, ctx);
  AddIdCommand(*group, ctx, "show", "Show a candidate with its evidence and rule",
               [](Context& c, Engine& engine, const std::string& id) -> Status {
                 ENGRAM_ASSIGN_OR_RETURN(Candidate cand, engine.candidates().Get(id));
                 c.Emit(ToJson(cand), [&](std::ostream& os) { PrintCandidate(os, cand); });
                 return Status::Ok();
               });
  AddDecision(*group, ctx, true);
  AddDecision(*group, ctx, false);
  AddReject(*group, ctx);
  CLI::App* learn = LearnGroup(app);
  AddLearnDiff(*learn, ctx);
  AddLearnTranscript(*learn, ctx);
}

}  // namespace engram::cli
