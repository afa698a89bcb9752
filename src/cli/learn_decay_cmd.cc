// `engram learn decay [--dry-run] [--rate R] [--framework F --major N
// [--hard-decay X]]` (include/engram/lesson_decay.h).
#include <CLI/CLI.hpp>
#include <memory>
#include <ostream>
#include <string>

#include "cli/cli.h"
#include "cli/context.h"
#include "cli/learn_group.h"
#include "engram/lesson_decay.h"

namespace engram::cli {

void AddLearnDecayCommand(CLI::App& app, Context& ctx) {
  CLI::App* learn = LearnGroup(app);
  struct Args {
    DecayRunOptions options;
    double hard_decay = 0;
  };
  auto a = std::make_shared<Args>();
  CLI::App* cmd = learn->add_subcommand(
      "decay",
      "Write decayed confidence of unused lessons; retire lessons of an old framework major");
  cmd->add_flag("--dry-run", a->options.dry_run, "Report what would change; write nothing");
  cmd->add_option("--rate", a->options.rate_per_month, "Decay per 30-day month unused, in (0, 1]")
      ->capture_default_str();
  CLI::Option* fw = cmd->add_option("--framework", a->options.framework,
                                    "Framework whose major changed (tags '<framework>:<major>')");
  cmd->add_option("--major", a->options.major, "The new major version")->needs(fw);
  CLI::Option* hard = cmd->add_option("--hard-decay", a->hard_decay,
                                      "Multiply old-major lessons' confidence by this instead of "
                                      "deprecating them")
                          ->needs(fw);
  OnRun(cmd, ctx, [a, hard](Context& c) -> Status {
    DecayRunOptions o = a->options;
    if (hard->count() > 0) o.hard_decay = a->hard_decay;
    ENGRAM_ASSIGN_OR_RETURN(Engine * engine, c.OpenEngine());
    ENGRAM_ASSIGN_OR_RETURN(DecayReport r, engine->decay().Run(o));
    c.Emit(ToJson(r), [&](std::ostream& os) {
      for (const DecayChange& ch : r.changes) {
        os << ch.lesson_id << "  " << ch.action << "  " << ch.before << " -> " << ch.after << "  "
           << ch.reason << "\n";
      }
      os << (r.dry_run ? "would change " : "changed ") << r.changes.size() << " of " << r.scanned
         << " lesson(s)\n";
    });
    return Status::Ok();
  });
}

}  // namespace engram::cli
