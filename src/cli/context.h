// Context: what every `engram` subcommand shares for one invocation: the
// global flags, the lazily opened Engine, the standard streams, output in
// human or JSON form, and the mapping of a Status to stderr/stdout and an
// exit code. Commands (episode_cmd.cc, ...) register with CLI11 and hand
// their work to the Context as an Action; Main runs it after parsing.
//
// Ownership: src/cli/. Thread safety: one Context per invocation, one thread.
#pragma once

#include <functional>
#include <iosfwd>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "engram/engine.h"
#include "engram/json.h"
#include "engram/status.h"

namespace CLI {
class App;
}  // namespace CLI

namespace engram::cli {

// Exit codes (docs/CLI.md).
enum ExitCode : int {
  kExitOk = 0,
  kExitInternal = 1,
  kExitUsage = 2,  // the command line itself is wrong (CLI11 parse errors)
  kExitInvalidArgument = 3,
  kExitNotFound = 4,
  kExitConflict = 5,  // failed_precondition, already_exists
  kExitCorruption = 6,
  kExitUnavailable = 7,  // io_error, busy, unavailable
};
int ExitCodeFor(ErrorCode code);

// EngineOptions::no_embedder_reason under ENGRAM_EMBEDDER=none.
inline constexpr const char* kEmbedderNoneReason = "embedder disabled (ENGRAM_EMBEDDER=none)";

class Context;
// A parsed command's work. Writes its output through the Context; an error
// Status is reported by Main.
using Action = std::function<Status(Context&)>;

class Context {
 public:
  Context(std::istream& in, std::ostream& out, std::ostream& err);
  ~Context();

  // Global flags, bound by Main before parsing.
  std::string& db_flag() { return db_flag_; }
  bool& json_flag() { return json_; }
  bool json() const { return json_; }

  // --db, else $ENGRAM_DB, else DefaultDbPath().
  std::string DbPath() const;
  // Opens the Engine over DbPath() on first use; later calls reuse it.
  // The Engine gets the configured embedder (ENGRAM_EMBEDDER, default the
  // native USE Lite model, loaded lazily on first embed). If the default
  // model is not installed, a warning goes to stderr and the Engine runs
  // BM25-only, saying why in every search result; an explicitly configured
  // embedder that cannot be opened is an error. `keyword_only` opens the
  // Engine without an embedder (decided by the first call).
  Result<Engine*> OpenEngine(bool keyword_only = false);
  // The servers: searches do not wait for the lesson index to load or
  // rebuild (LessonIndexOptions::background). Before OpenEngine.
  void set_background_index(bool on) { background_index_ = on; }

  std::istream& in() { return in_; }
  std::ostream& out() { return out_; }

  // Prints `json` (with --json) or what `human` writes, on stdout.
  void Emit(const Json& json, const std::function<void(std::ostream&)>& human);
  // Reports `status` (stderr line, or a JSON error document with --json)
  // and returns its exit code; 0 for OK.
  int Report(const Status& status);
  // Standard error, for messages that are not a Status (usage errors).
  std::ostream& err() { return err_; }

  void set_action(Action action) { action_ = std::move(action); }
  const Action& action() const { return action_; }

 private:
  // Sets options.embedder (or no_embedder_reason) from the environment.
  Status ConfigureEmbedder(EngineOptions& options);
  bool background_index_ = false;

  std::istream& in_;
  std::ostream& out_;
  std::ostream& err_;
  std::string db_flag_;
  bool json_ = false;
  std::unique_ptr<Engine> engine_;
  Action action_;
};

// Makes `command` set `action` as the invocation's work when it is chosen.
void OnRun(CLI::App* command, Context& ctx, Action action);

// Adds `name ID` under `parent`: a command whose only argument is an id
// and whose work needs the Engine (get, delete, history).
using IdAction = std::function<Status(Context&, Engine&, const std::string& id)>;
CLI::App* AddIdCommand(CLI::App& parent, Context& ctx, const std::string& name,
                       const std::string& description, IdAction action);

// Prints the confirmation of a delete: {"deleted": kind, "id": id} with
// --json, else "deleted <kind> <id>".
void EmitDeleted(Context& ctx, std::string_view kind, const std::string& id);

// Command groups; each adds its subcommand tree to `app`.
void AddEpisodeCommands(CLI::App& app, Context& ctx);
void AddLessonCommands(CLI::App& app, Context& ctx);
void AddKvCommands(CLI::App& app, Context& ctx);
void AddDbCommands(CLI::App& app, Context& ctx);

}  // namespace engram::cli
