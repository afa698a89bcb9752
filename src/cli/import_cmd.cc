// `engram import chroma FILE [--collection NAME] [--model-id ID]`: a Chroma
// collection dump becomes lessons, embedded with the configured embedder
// (ENGRAM_EMBEDDER, docs/EMBEDDINGS.md). A progress bar goes to stderr when
// it is a terminal and the import is large; piped runs stay quiet.
#include "cli/import_cmd.h"

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>

#include "engram/chroma_import.h"
#include "engram/embedder.h"

namespace engram::cli {
namespace {

// Below this many items a bar would only flicker.
constexpr std::size_t kProgressMinItems = 200;
constexpr int kBarWidth = 30;

// A one-line bar on stderr, redrawn in place; only on a terminal.
class ProgressBar {
 public:
  ProgressBar() : enabled_(::isatty(STDERR_FILENO) == 1) {}
  ~ProgressBar() { Finish(); }

  // Erases the bar (before the command prints its result).
  void Finish() {
    if (drawn_) std::cerr << "\r\033[K" << std::flush;
    drawn_ = false;
  }

  void Update(std::string_view phase, std::size_t done, std::size_t total) {
    if (!enabled_ || total < kProgressMinItems) return;
    const int filled = static_cast<int>(kBarWidth * done / total);
    std::cerr << "\r" << (phase == "embed" ? "embedding " : "storing   ") << "["
              << std::string(static_cast<std::size_t>(filled), '#')
              << std::string(static_cast<std::size_t>(kBarWidth - filled), '.') << "] " << done
              << "/" << total << std::flush;
    drawn_ = true;
  }

 private:
  bool enabled_;
  bool drawn_ = false;
};

Result<std::string> ReadFile(const std::string& path, std::istream& stdin_stream) {
  std::ostringstream text;
  if (path == "-") {
    text << stdin_stream.rdbuf();
    return text.str();
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    const std::string why = std::strerror(errno);
    return Status(errno == ENOENT ? ErrorCode::kNotFound : ErrorCode::kIOError,
                  "cannot open '" + path + "': " + why);
  }
  text << in.rdbuf();
  if (in.bad()) return Status::IOError("cannot read '" + path + "'");
  return text.str();
}

void PrintReport(std::ostream& os, const ChromaImportReport& r) {
  os << "imported " << r.lesson_ids.size() << " lesson" << (r.lesson_ids.size() == 1 ? "" : "s")
     << " into topic '" << r.topic << "'\n"
     << "embeddings (" << r.model_id << "): " << r.embeddings_kept << " kept from the dump, "
     << r.embeddings_computed << " computed\n";
  if (r.tags_skipped > 0) {
    os << r.tags_skipped << " metadata entr" << (r.tags_skipped == 1 ? "y" : "ies")
       << " could not become tags and were skipped\n";
  }
}

void AddChroma(CLI::App& parent, Context& ctx) {
  struct Args {
    std::string file;
    ChromaImportOptions options;
  };
  auto a = std::make_shared<Args>();
  CLI::App* cmd = parent.add_subcommand(
      "chroma",
      "Import a Chroma collection dump (collection.get(include=[documents, metadatas, "
      "embeddings]) as JSON) as lessons, in one transaction");
  cmd->add_option("file", a->file, "Dump file; - is stdin")->required();
  cmd->add_option("--collection", a->options.collection,
                  "Collection name, the lessons' topic (default: the dump's \"name\" or "
                  "\"collection\" field)");
  cmd->add_option("--model-id", a->options.model_id,
                  "Model id that produced the dump's embeddings; they are kept only if it is the "
                  "configured embedder's and the dimension matches, else re-embedded");
  OnRun(cmd, ctx, [a](Context& c) -> Status {
    ENGRAM_ASSIGN_OR_RETURN(std::string text, ReadFile(a->file, c.in()));
    ENGRAM_ASSIGN_OR_RETURN(Json dump, ParseJson(text, "chroma dump"));
    ENGRAM_ASSIGN_OR_RETURN(EmbedderConfig config, EmbedderConfigFromEnv());
    ENGRAM_ASSIGN_OR_RETURN(std::unique_ptr<Embedder> embedder, OpenEmbedder(config));
    // The import embeds (or keeps) the vectors itself; an Engine with an
    // embedder would embed every lesson a second time.
    ENGRAM_ASSIGN_OR_RETURN(Engine * engine, c.OpenEngine(/*keyword_only=*/true));
    ProgressBar bar;
    ChromaImportOptions options = a->options;
    options.progress = [&bar](std::string_view phase, std::size_t done, std::size_t total) {
      bar.Update(phase, done, total);
    };
    auto report = ImportChromaDump(*engine, *embedder, dump, options);
    bar.Finish();
    if (!report.ok()) return report.status();
    c.Emit(ToJson(*report), [&](std::ostream& os) { PrintReport(os, *report); });
    return Status::Ok();
  });
}

}  // namespace

void AddImportCommands(CLI::App& app, Context& ctx) {
  CLI::App* import = app.add_subcommand("import", "Import lessons from other memory stores");
  import->require_subcommand(1);
  AddChroma(*import, ctx);
}

}  // namespace engram::cli
