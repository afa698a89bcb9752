#include "cli/context.h"

#include <CLI/CLI.hpp>
#include <istream>
#include <ostream>
#include <utility>

#include "cli/output.h"

namespace engram::cli {

int ExitCodeFor(ErrorCode code) {
  switch (code) {
    case ErrorCode::kOk:
      return kExitOk;
    case ErrorCode::kInvalidArgument:
      return kExitInvalidArgument;
    case ErrorCode::kNotFound:
      return kExitNotFound;
    case ErrorCode::kAlreadyExists:
    case ErrorCode::kFailedPrecondition:
      return kExitConflict;
    case ErrorCode::kCorruption:
      return kExitCorruption;
    case ErrorCode::kIOError:
    case ErrorCode::kBusy:
    case ErrorCode::kUnavailable:
      return kExitUnavailable;
    case ErrorCode::kInternal:
      return kExitInternal;
  }
  return kExitInternal;
}

Context::Context(std::istream& in, std::ostream& out, std::ostream& err)
    : in_(in), out_(out), err_(err) {}

Context::~Context() = default;

std::string Context::DbPath() const { return db_flag_.empty() ? DefaultDbPath() : db_flag_; }

Result<Engine*> Context::OpenEngine() {
  if (engine_ == nullptr) {
    ENGRAM_ASSIGN_OR_RETURN(engine_, Engine::OpenSqlite(DbPath()));
  }
  return engine_.get();
}

void Context::Emit(const Json& json, const std::function<void(std::ostream&)>& human) {
  if (json_) {
    WriteJson(out_, json);
  } else {
    human(out_);
  }
  out_.flush();
}

int Context::Report(const Status& status) {
  if (status.ok()) return kExitOk;
  if (json_) {
    WriteJson(out_, Json{{"error",
                          {{"code", std::string(ErrorCodeName(status.code()))},
                           {"message", status.message()}}}});
    out_.flush();
  } else {
    err_ << "engram: " << status.ToString() << "\n";
    err_.flush();
  }
  return ExitCodeFor(status.code());
}

void OnRun(CLI::App* command, Context& ctx, Action action) {
  command->callback([&ctx, action = std::move(action)] { ctx.set_action(action); });
}

CLI::App* AddIdCommand(CLI::App& parent, Context& ctx, const std::string& name,
                       const std::string& description, IdAction action) {
  auto id = std::make_shared<std::string>();
  CLI::App* cmd = parent.add_subcommand(name, description);
  cmd->add_option("id", *id, "The id")->required();
  OnRun(cmd, ctx, [id, action = std::move(action)](Context& c) -> Status {
    ENGRAM_ASSIGN_OR_RETURN(Engine * engine, c.OpenEngine());
    return action(c, *engine, *id);
  });
  return cmd;
}

void EmitDeleted(Context& ctx, std::string_view kind, const std::string& id) {
  ctx.Emit(Json{{"deleted", kind}, {"id", id}},
           [&](std::ostream& os) { os << "deleted " << kind << " " << id << "\n"; });
}

}  // namespace engram::cli
