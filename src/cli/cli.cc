// engram::cli::Main: builds the command tree, parses, runs the chosen
// command and turns every outcome (including exceptions) into an exit code.
#include "cli/cli.h"

#include <CLI/CLI.hpp>
#include <exception>
#include <iostream>
#include <string>
#include <string_view>
#include <vector>

#include "cli/context.h"
#include "cli/import_cmd.h"
#include "cli/insight_cmds.h"
#include "cli/output.h"
#include "cli/retrieval_cmds.h"
#include "cli/serve_cmd.h"
#include "engram/export.h"
#include "engram/version.h"

namespace engram::cli {
namespace {

// Keep in step with project(engram VERSION ...) in CMakeLists.txt.
constexpr const char* kVersion = kEngramVersion;

void AddVersionCommand(CLI::App& app, Context& ctx) {
  OnRun(app.add_subcommand("version", "Print the version and the formats it reads"), ctx,
        [](Context& c) -> Status {
          c.Emit(Json{{"version", kVersion},
                      {"schema_version", Engine::SqliteSchemaVersion()},
                      {"export_format_version", kExportFormatVersion}},
                 [](std::ostream& os) {
                   os << "engram " << kVersion << " (schema " << Engine::SqliteSchemaVersion()
                      << ", export format " << kExportFormatVersion << ")\n";
                 });
          return Status::Ok();
        });
}

// After a parse that found no subcommand where one is required: the error
// naming the word that is not one ("unknown command 'frob' for 'engram
// lesson'"), or "" when no word was left over (then CLI11's own message).
std::string UnknownCommand(CLI::App& app) {
  CLI::App* at = &app;
  std::string path = app.get_name();
  for (;;) {
    const std::vector<CLI::App*> chosen = at->get_subcommands();
    if (chosen.empty()) break;
    at = chosen.front();
    path += " " + at->get_name();
  }
  if (at->get_require_subcommand_min() == 0) return "";  // something else is missing
  // With fallthrough a word a subcommand did not take is left on its parent.
  for (const std::string& word : app.remaining(/*recurse=*/true)) {
    if (word.empty() || word[0] == '-') continue;
    std::string message = "unknown command '";
    message.append(word).append("' for '").append(path).append("'; '");
    message.append(path).append(" --help' lists the commands");
    return message;
  }
  return "";
}

void AddProductCommands(CLI::App& app, Context& ctx) {
  AddEpisodeCommands(app, ctx);
  AddLessonCommands(app, ctx);
  AddKvCommands(app, ctx);
  AddDbCommands(app, ctx);
  AddImportCommands(app, ctx);
  AddServerCommands(app, ctx);
  AddSearchCommands(app, ctx);
  AddFeedbackCommands(app, ctx);
  AddContradictionCommands(app, ctx);
  AddLearnDecayCommand(app, ctx);
  AddPatternCommands(app, ctx);
  AddInsightCommands(app, ctx);
  AddCandidateCommands(app, ctx);
  AddVersionCommand(app, ctx);
}

int Run(const Program& program, int argc, char** argv, Context& ctx) {
  CLI::App app{program.description, program.name};
  app.fallthrough();  // global options work after a subcommand too
  app.require_subcommand(1);
  app.set_version_flag("--version", program.name + " " + kVersion);
  std::string globals = "--json";
  if (program.db_option) {
    app.add_option("--db", ctx.db_flag(),
                   "Database file (default: $ENGRAM_DB, else "
                   "$XDG_DATA_HOME/engram/engram.db, else ~/.local/share/engram/engram.db)");
    globals = "--db PATH, --json";
  }
  app.add_flag("--json", ctx.json_flag(), "Print exactly one JSON document on stdout");
  // Subcommands inherit this footer: their own help does not list the
  // global options.
  app.footer("Global options go before or after the command: " + globals +
             ".\nExit codes and output conventions: docs/CLI.md");
  program.add_commands(app, ctx);
  try {
    app.parse(argc, argv);
  } catch (const CLI::RequiredError& e) {
    std::string unknown;
    if (std::string_view(e.what()).find("subcommand") != std::string_view::npos) {
      unknown = UnknownCommand(app);
    }
    if (!unknown.empty()) {
      ctx.err() << unknown << "\n";
      return kExitUsage;
    }
    return app.exit(e) == 0 ? kExitOk : kExitUsage;
  } catch (const CLI::ParseError& e) {
    // --help and --version are "errors" with exit code 0.
    return app.exit(e) == 0 ? kExitOk : kExitUsage;
  }
  if (!ctx.action()) return kExitUsage;  // unreachable: a subcommand is required
  return ctx.Report(ctx.action()(ctx));
}

}  // namespace

int RunProgram(const Program& program, int argc, char** argv) {
  Context ctx(std::cin, std::cout, std::cerr);
  try {
    return Run(program, argc, argv, ctx);
  } catch (const std::exception& e) {
    return ctx.Report(Status::Internal(std::string("unexpected exception: ") + e.what()));
  } catch (...) {
    return ctx.Report(Status::Internal("unexpected exception"));
  }
}

int Main(int argc, char** argv) {
  Program engram;
  engram.name = "engram";
  engram.description = "engram: a self-learning memory engine for AI coding agents.";
  engram.add_commands = AddProductCommands;
  return RunProgram(engram, argc, argv);
}

}  // namespace engram::cli
