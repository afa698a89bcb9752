// Engine construction, the default database path and the key-value calls.
// Episodes live in episodes.cc, lessons in lessons.cc.
#include "engram/engine.h"

#include <cstdlib>
#include <filesystem>
#include <string>
#include <system_error>
#include <utility>

#include "core/validate.h"
#include "engine/internal.h"
#include "engine/lesson_use_recorder.h"
#include "engine/search_state.h"
#include "engram/store_files.h"
#include "store/redacting_store.h"

namespace engram {

Engine::Engine(std::unique_ptr<Store> store, EngineOptions options)
    : store_(options.redact_secrets ? NewRedactingStore(std::move(store)) : std::move(store)),
      options_(std::move(options)),
      clock_(options_.clock != nullptr ? options_.clock : &SystemClock::Get()),
      search_(std::make_unique<SearchState>()),
      writer_(engine_internal::NewLessonWriter(*this)) {
  // Invalid options record nothing; FlushLessonUses reports why.
  if (LessonUseRecorder::Validate(options_.lesson_uses).ok()) {
    uses_ = NewEngineUseRecorder(*store_, *search_, options_.lesson_uses);
  }
}

Engine::~Engine() = default;  // uses_ first: its last batch is written

Result<std::unique_ptr<Engine>> Engine::OpenSqlite(const std::string& db_path,
                                                   EngineOptions options) {
  if (options.lesson_index_path.empty()) options.lesson_index_path = LessonIndexPath(db_path);
  // A missing file is a new store; an empty one beside the index built from
  // it was truncated (the store itself checks its WAL).
  std::error_code ec;
  if (std::filesystem::is_regular_file(db_path, ec) &&
      std::filesystem::file_size(db_path, ec) == 0 && !ec &&
      std::filesystem::exists(options.lesson_index_path, ec)) {
    return Status::Corruption("'" + db_path + "' is empty but its index '" +
                              options.lesson_index_path +
                              "' exists: the database file was truncated");
  }
  SqliteOptions sqlite;
  sqlite.path = db_path;
  ENGRAM_ASSIGN_OR_RETURN(std::unique_ptr<Store> store, OpenSqliteStore(sqlite));
  ENGRAM_RETURN_IF_ERROR(LessonUseRecorder::Validate(options.lesson_uses));
  auto engine = std::make_unique<Engine>(std::move(store), options);
  // Use recording writes through a second connection of its own, so that a
  // batch's transaction and fsync never hold the connection searches read
  // through (bench/README.md, "contra": p99 5.3x at 20k lessons otherwise).
  // An in-memory database has no second connection: it keeps the shared one.
  if (engine->uses_ && db_path != ":memory:" && !db_path.starts_with("file:")) {
    engine->uses_ = NewEngineUseRecorder(
        *engine->store_, [sqlite] { return OpenSqliteStore(sqlite); }, *engine->search_,
        engine->options_.lesson_uses);
  }
  return engine;
}

std::string DefaultDbPath() {
  auto env = [](const char* name) -> std::string {
    const char* value = std::getenv(name);
    return value != nullptr ? value : "";
  };
  if (std::string db = env("ENGRAM_DB"); !db.empty()) return db;
  if (std::string xdg = env("XDG_DATA_HOME"); !xdg.empty()) return xdg + "/engram/engram.db";
  if (std::string home = env("HOME"); !home.empty()) {
    return home + "/.local/share/engram/engram.db";
  }
  return "engram.db";  // no home directory at all: the working directory
}

}  // namespace engram
