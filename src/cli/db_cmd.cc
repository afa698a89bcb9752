// `engram db status|verify|optimize|enable-checksums|backup|restore|export|import`: maintenance
// of the database file through the Engine's maintenance calls and the JSONL
// export format (export.h).
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <ostream>
#include <string>

#include "cli/context.h"
#include "cli/output.h"
#include "engram/export.h"

namespace engram::cli {
namespace {

Json ExportStatsJson(const ExportStats& s, const std::string& file) {
  return {{"file", file},
          {"format_version", s.format_version},
          {"episodes", s.episodes},
          {"lessons", s.lessons},
          {"lesson_versions", s.lesson_versions},
          {"embeddings", s.embeddings},
          {"kv_entries", s.kv_entries},
          {"notes", s.notes},
          {"patterns", s.patterns},
          {"heuristics", s.heuristics},
          {"feedback", s.feedback},
          {"contradictions", s.contradictions},
          {"candidates", s.candidates}};
}

void PrintExportStats(std::ostream& os, std::string_view verb, const ExportStats& s,
                      const std::string& file) {
  os << verb << " " << s.episodes << " episodes, " << s.lessons << " lessons (" << s.lesson_versions
     << " earlier versions), " << s.embeddings << " embeddings, " << s.kv_entries << " kv entries, "
     << s.notes << " notes, " << s.patterns << " patterns, " << s.heuristics << " heuristics, "
     << s.feedback << " feedback events, " << s.contradictions << " contradictions, "
     << s.candidates << " candidates (" << file << ", format " << s.format_version << ")\n";
  if (s.invalid_utf8_replaced > 0) {
    os << "replaced " << s.invalid_utf8_replaced
       << " invalid UTF-8 sequences in stored text with U+FFFD\n";
  }
}

// Writes the export to `path` through a temporary file renamed into place,
// so an interrupted export never leaves a truncated file under that name.
Result<ExportStats> ExportToFile(Engine& engine, const std::string& path) {
  const std::string tmp = path + ".tmp";
  std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
  if (!out) return Status::IOError("cannot create '" + tmp + "': " + std::strerror(errno));
  Result<ExportStats> stats = engine.Export(out);
  out.close();
  Status st = stats.status();
  if (st.ok() && !out) st = Status::IOError("cannot write '" + tmp + "'");
  if (st.ok() && std::rename(tmp.c_str(), path.c_str()) != 0) {
    st = Status::IOError("cannot rename '" + tmp + "' to '" + path + "'");
  }
  if (!st.ok()) {
    std::remove(tmp.c_str());
    return st;
  }
  return stats;
}

// `export -`: stdout carries the complete export and nothing else, or
// nothing at all. The export is written to a temporary file first and
// copied out only once it is whole. The replacement count, if any, goes to
// stderr.
Status ExportToStdout(Context& c, Engine& engine) {
  std::string tmp = (std::filesystem::temp_directory_path() / "engram-export-XXXXXX").string();
  int fd = ::mkstemp(tmp.data());
  if (fd < 0) return Status::IOError("cannot create a temporary file for the export");
  ::close(fd);
  struct Remove {
    std::string path;
    ~Remove() { std::remove(path.c_str()); }
  } remove{tmp};
  ENGRAM_ASSIGN_OR_RETURN(ExportStats stats, ExportToFile(engine, tmp));
  std::ifstream in(tmp, std::ios::binary);
  if (!in) return Status::IOError("cannot read back the export from '" + tmp + "'");
  c.out() << in.rdbuf();
  c.out().flush();
  if (!c.out()) return Status::IOError("cannot write the export to stdout");
  if (stats.invalid_utf8_replaced > 0 && !c.json()) {
    std::cerr << "engram: replaced " << stats.invalid_utf8_replaced
              << " invalid UTF-8 sequences in stored text with U+FFFD\n";
  }
  return Status::Ok();
}

// A command whose work is one Engine call taking a path (backup, restore);
// `done` says what happened ("backed up to").
void AddPathCommand(CLI::App& parent, Context& ctx, const std::string& name,
                    const std::string& description, std::string_view done,
                    Status (Engine::*call)(const std::string&)) {
  auto path = std::make_shared<std::string>();
  CLI::App* cmd = parent.add_subcommand(name, description);
  cmd->add_option("path", *path, "Backup file")->required();
  OnRun(cmd, ctx, [path, call, done, name](Context& c) -> Status {
    ENGRAM_ASSIGN_OR_RETURN(Engine * engine, c.OpenEngine());
    ENGRAM_RETURN_IF_ERROR((engine->*call)(*path));
    c.Emit(Json{{name, *path}, {"db", c.DbPath()}},
           [&](std::ostream& os) { os << c.DbPath() << ": " << done << " " << *path << "\n"; });
    return Status::Ok();
  });
}

void AddExport(CLI::App& parent, Context& ctx) {
  auto file = std::make_shared<std::string>("-");
  CLI::App* cmd = parent.add_subcommand(
      "export", "Write every record as JSON Lines (to FILE, or stdout with -)");
  cmd->add_option("file", *file, "Output file; - is stdout")->capture_default_str();
  OnRun(cmd, ctx, [file](Context& c) -> Status {
    ENGRAM_ASSIGN_OR_RETURN(Engine * engine, c.OpenEngine());
    if (*file == "-") return ExportToStdout(c, *engine);
    ENGRAM_ASSIGN_OR_RETURN(ExportStats stats, ExportToFile(*engine, *file));
    Json summary = ExportStatsJson(stats, *file);
    summary["invalid_utf8_replaced"] = stats.invalid_utf8_replaced;
    c.Emit(summary, [&](std::ostream& os) { PrintExportStats(os, "exported", stats, *file); });
    return Status::Ok();
  });
}

void AddImport(CLI::App& parent, Context& ctx) {
  auto file = std::make_shared<std::string>();
  CLI::App* cmd = parent.add_subcommand(
      "import", "Load a JSON Lines export; records with existing ids are replaced");
  cmd->add_option("file", *file, "Export file; - is stdin")->required();
  OnRun(cmd, ctx, [file](Context& c) -> Status {
    std::ifstream in;
    if (*file != "-") {
      in.open(*file, std::ios::binary);
      if (!in) {
        const std::string why = std::strerror(errno);
        return Status(errno == ENOENT ? ErrorCode::kNotFound : ErrorCode::kIOError,
                      "cannot open '" + *file + "': " + why);
      }
    }
    ENGRAM_ASSIGN_OR_RETURN(Engine * engine, c.OpenEngine());
    ENGRAM_ASSIGN_OR_RETURN(ExportStats stats, engine->Import(*file == "-" ? c.in() : in));
    Json summary = ExportStatsJson(stats, *file);
    // The imported lessons are embedded and indexed now, with a progress
    // bar, rather than by the next search. The import stands either way.
    std::optional<int> indexed;
    if (engine->embedder() != nullptr && stats.lessons > 0) {
      const bool tty = !c.json() && ::isatty(STDERR_FILENO) == 1;
      Result<int> n = engine->UpdateLessonIndex(ProgressBar(tty));
      if (n.ok()) {
        indexed = *n;
        summary["indexed"] = *n;
      } else {
        std::cerr << "engram: warning: the lesson index was not updated (" << n.status().ToString()
                  << "); the next search or `engram reindex` does it\n";
      }
    }
    c.Emit(summary, [&](std::ostream& os) {
      PrintExportStats(os, "imported", stats, *file);
      if (indexed) os << "indexed " << *indexed << " lessons\n";
    });
    return Status::Ok();
  });
}

}  // namespace

void AddDbCommands(CLI::App& app, Context& ctx) {
  CLI::App* db = app.add_subcommand("db", "Database status, checks, backups and exports");
  db->require_subcommand(1);
  OnRun(db->add_subcommand("status", "Show the database path, schema and record counts"), ctx,
        [](Context& c) -> Status {
          ENGRAM_ASSIGN_OR_RETURN(Engine * engine, c.OpenEngine());
          ENGRAM_ASSIGN_OR_RETURN(StoreStats stats, engine->Stats());
          c.Emit(ToJson(stats), [&](std::ostream& os) { PrintStats(os, stats); });
          return Status::Ok();
        });
  OnRun(db->add_subcommand("verify", "Check integrity and engram's invariants"), ctx,
        [](Context& c) -> Status {
          ENGRAM_ASSIGN_OR_RETURN(Engine * engine, c.OpenEngine());
          ENGRAM_RETURN_IF_ERROR(engine->Verify());
          c.Emit(Json{{"ok", true}, {"db", c.DbPath()}},
                 [&](std::ostream& os) { os << "ok: " << c.DbPath() << " passed every check\n"; });
          return Status::Ok();
        });
  OnRun(db->add_subcommand("optimize",
                           "Merge the full-text indexes into one segment each (after bulk loads)"),
        ctx, [](Context& c) -> Status {
          ENGRAM_ASSIGN_OR_RETURN(Engine * engine, c.OpenEngine());
          const auto t0 = std::chrono::steady_clock::now();
          ENGRAM_RETURN_IF_ERROR(engine->OptimizeFullText());
          const double s =
              std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
          c.Emit(Json{{"ok", true}, {"db", c.DbPath()}, {"seconds", s}}, [&](std::ostream& os) {
            os << "optimized the full-text indexes of " << c.DbPath() << " in "
               << static_cast<int>(s * 1000) << " ms\n";
          });
          return Status::Ok();
        });
  OnRun(db->add_subcommand("enable-checksums",
                           "Rewrite an older database so that every page carries a checksum"),
        ctx, [](Context& c) -> Status {
          ENGRAM_ASSIGN_OR_RETURN(Engine * engine, c.OpenEngine());
          ENGRAM_ASSIGN_OR_RETURN(StoreStats before, engine->Stats());
          const auto t0 = std::chrono::steady_clock::now();
          ENGRAM_RETURN_IF_ERROR(engine->EnablePageChecksums());
          const double s =
              std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
          const bool rewritten = !before.page_checksums;
          c.Emit(Json{{"ok", true},
                      {"db", c.DbPath()},
                      {"page_checksums", true},
                      {"rewritten", rewritten},
                      {"seconds", s}},
                 [&](std::ostream& os) {
                   if (!rewritten) {
                     os << c.DbPath() << ": every page already carries a checksum\n";
                   } else {
                     os << "added page checksums to " << c.DbPath() << " in "
                        << static_cast<int>(s * 1000) << " ms\n";
                   }
                 });
          return Status::Ok();
        });
  AddPathCommand(*db, ctx, "backup", "Copy the database, consistently, to PATH", "backed up to",
                 &Engine::Backup);
  AddPathCommand(*db, ctx, "restore",
                 "Replace the database with the backup at PATH (checked first)", "restored from",
                 &Engine::Restore);
  AddExport(*db, ctx);
  AddImport(*db, ctx);
}

}  // namespace engram::cli
