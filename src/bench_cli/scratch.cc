// OpenScratchEngine (see bench_cli/commands.h).
#include <filesystem>
#include <string>
#include <system_error>

#include "bench_cli/commands.h"
#include "cli/context.h"
#include "engram/store_files.h"

namespace engram::cli {

Result<Engine*> OpenScratchEngine(Context& ctx, const std::string& work, const std::string& file,
                                  bool keyword_only) {
  std::error_code ec;
  std::filesystem::create_directories(work, ec);
  if (ec) return Status::InvalidArgument("cannot create --work " + work + ": " + ec.message());
  const std::string db = work + "/" + file;
  for (const std::string& f : StoreFilePaths(db)) std::filesystem::remove(f, ec);
  ctx.db_flag() = db;
  return ctx.OpenEngine(keyword_only);
}

}  // namespace engram::cli
