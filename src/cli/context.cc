#include "cli/context.h"

#include <CLI/CLI.hpp>
#include <istream>
#include <ostream>
#include <utility>

#include "cli/output.h"
#include "engram/embedder.h"

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

Result<Engine*> Context::OpenEngine(bool keyword_only) {
  if (engine_ == nullptr) {
    EngineOptions options;
    options.lesson_index.background = background_index_;
    if (keyword_only) {
      options.no_embedder_reason = "keyword search requested (--bm25)";
    } else {
      ENGRAM_RETURN_IF_ERROR(ConfigureEmbedder(options));
    }
    ENGRAM_ASSIGN_OR_RETURN(engine_, Engine::OpenSqlite(DbPath(), options));
  }
  return engine_.get();
}

Status Context::ConfigureEmbedder(EngineOptions& options) {
  ENGRAM_ASSIGN_OR_RETURN(EmbedderConfig config, EmbedderConfigFromEnv());
  if (config.kind == EmbedderKind::kNone) {
    options.no_embedder_reason = kEmbedderNoneReason;
    return Status::Ok();
  }
  config.native.lazy = true;
  auto embedder = OpenEmbedder(config);
  if (embedder.ok()) {
    options.embedder = std::shared_ptr<const Embedder>(std::move(embedder).value());
    return Status::Ok();
  }
  if (config.kind_explicit) {
    return Status(embedder.status().code(),
                  embedder.status().message() + " (ENGRAM_EMBEDDER=none for keyword search only)");
  }
  options.no_embedder_reason = "default embedder unavailable (" + embedder.status().message() + ")";
  err_ << "engram: warning: " << options.no_embedder_reason << "; searching by keywords only\n";
  err_.flush();
  return Status::Ok();
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
  command->callback([command, &ctx, action = std::move(action)] {
    // A command with subcommands of its own (`contradictions` and
    // `contradictions resolve`) acts only when none of them was given: CLI11
    // runs the parent's callback after the subcommand's.
    if (!command->get_subcommands().empty()) return;
    ctx.set_action(action);
  });
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
