// OpenScratchEngine (see bench_cli/commands.h).
#include <filesystem>
#include <string>
#include <system_error>

#include "bench_cli/commands.h"
#include "cli/context.h"
#include "engram/store_files.h"

namespace engram::cli {

namespace {

// Creates `work` and deletes an earlier store <work>/<file>; its path.
Result<std::string> FreshStorePath(const std::string& work, const std::string& file) {
  std::error_code ec;
  std::filesystem::create_directories(work, ec);
  if (ec) return Status::InvalidArgument("cannot create --work " + work + ": " + ec.message());
  const std::string db = work + "/" + file;
  for (const std::string& f : StoreFilePaths(db)) std::filesystem::remove(f, ec);
  return db;
}

}  // namespace

Result<Engine*> OpenScratchEngine(Context& ctx, const std::string& work, const std::string& file,
                                  bool keyword_only) {
  ENGRAM_ASSIGN_OR_RETURN(ctx.db_flag(), FreshStorePath(work, file));
  return ctx.OpenEngine(keyword_only);
}

Result<std::unique_ptr<Engine>> OpenScratchKeywordEngine(const std::string& work,
                                                         const std::string& file) {
  ENGRAM_ASSIGN_OR_RETURN(std::string db, FreshStorePath(work, file));
  EngineOptions options;
  options.no_embedder_reason = "keyword-only baseline of the benchmark";
  return Engine::OpenSqlite(db, options);
}

}  // namespace engram::cli
