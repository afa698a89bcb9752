// `engram contradictions [--scan] [--status S]`,
// `engram contradictions resolve ID --keep LESSON_ID` and
// `engram contradictions dismiss ID` (include/engram/contradiction_checker.h).
#include <CLI/CLI.hpp>
#include <memory>
#include <ostream>
#include <string>

#include "cli/args.h"
#include "cli/cli.h"
#include "cli/context.h"
#include "engram/contradiction_checker.h"

namespace engram::cli {
namespace {

void PrintContradiction(std::ostream& os, const Contradiction& c) {
  os << c.id << "  " << ToString(c.status) << "  " << c.lesson_a << " <> " << c.lesson_b << "\n  "
     << c.reason << "\n";
  if (c.winner) os << "  kept " << *c.winner << "\n";
}

void AddResolve(CLI::App& parent, Context& ctx) {
  struct Args {
    std::string id, keep;
  };
  auto a = std::make_shared<Args>();
  CLI::App* cmd = parent.add_subcommand(
      "resolve", "Keep one lesson; the other is deprecated and superseded by it (history kept)");
  cmd->add_option("id", a->id, "Contradiction id")->required();
  cmd->add_option("--keep", a->keep, "The lesson to keep")->required();
  OnRun(cmd, ctx, [a](Context& c) -> Status {
    ENGRAM_ASSIGN_OR_RETURN(Engine * engine, c.OpenEngine());
    ENGRAM_ASSIGN_OR_RETURN(ContradictionResolution r,
                            engine->contradictions().Resolve(a->id, a->keep));
    c.Emit(ToJson(r), [&](std::ostream& os) {
      os << "kept lesson " << r.kept.id << "; lesson " << r.superseded.id
         << " is deprecated, superseded by it\n";
    });
    return Status::Ok();
  });
}

void AddDismiss(CLI::App& parent, Context& ctx) {
  auto id = std::make_shared<std::string>();
  CLI::App* cmd =
      parent.add_subcommand("dismiss", "Close a contradiction as not real; both lessons stay");
  cmd->add_option("id", *id, "Contradiction id")->required();
  OnRun(cmd, ctx, [id](Context& c) -> Status {
    ENGRAM_ASSIGN_OR_RETURN(Engine * engine, c.OpenEngine());
    ENGRAM_ASSIGN_OR_RETURN(Contradiction r, engine->contradictions().Dismiss(*id));
    c.Emit(ToJson(r), [&](std::ostream& os) { os << "dismissed contradiction " << r.id << "\n"; });
    return Status::Ok();
  });
}

}  // namespace

void AddContradictionCommands(CLI::App& app, Context& ctx) {
  struct Args {
    bool scan = false;
    std::string status = "open", project;
    int limit = 50;
  };
  auto a = std::make_shared<Args>();
  CLI::App* cmd = app.add_subcommand(
      "contradictions", "List lessons that contradict each other; resolve or dismiss them");
  cmd->add_flag("--scan", a->scan, "First compare every live lesson and record new ones");
  cmd->add_option("--status", a->status, "open, resolved, dismissed or all (every one)")
      ->capture_default_str();
  cmd->add_option("--limit", a->limit, "At most this many")->capture_default_str();
  cmd->add_option("--project", a->project,
                  "Only contradictions between global lessons and this project's");
  OnRun(cmd, ctx, [a](Context& c) -> Status {
    ENGRAM_ASSIGN_OR_RETURN(
        std::optional<ContradictionStatus> status,
        ParseStatusFilter<ContradictionStatus>(ParseContradictionStatus, a->status));
    ENGRAM_ASSIGN_OR_RETURN(Engine * engine, c.OpenEngine());
    ContradictionChecker checker = engine->contradictions();
    std::size_t found = 0;
    if (a->scan) {
      ENGRAM_ASSIGN_OR_RETURN(auto fresh, checker.Scan());
      found = fresh.size();
    }
    ENGRAM_ASSIGN_OR_RETURN(
        auto list,
        checker.List(status, a->limit,
                     a->project.empty() ? std::nullopt : std::optional<std::string>(a->project)));
    Json items = Json::array();
    for (const auto& x : list) items.push_back(ToJson(x));
    Json out{{"contradictions", items}, {"count", list.size()}};
    if (a->scan) out["new"] = found;
    c.Emit(out, [&](std::ostream& os) {
      if (a->scan) os << "scan found " << found << " new contradiction(s)\n";
      for (const auto& x : list) PrintContradiction(os, x);
      if (list.empty()) os << "no " << a->status << " contradictions\n";
    });
    return Status::Ok();
  });
  AddResolve(*cmd, ctx);
  AddDismiss(*cmd, ctx);
}

}  // namespace engram::cli
