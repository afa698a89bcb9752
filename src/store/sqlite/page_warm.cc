// SqliteStore::WarmPages: reads every page of the tables and indexes that
// searches read, on a read-only connection of its own, so that the OS holds
// them in its page cache before the first searches (docs/RETRIEVAL.md,
// "Warm-up"). SQLite's dbstat table walks one b-tree's pages, overflow pages
// included; reading it is what brings them in. Once all of them are read,
// the store's own connection turns on memory-mapped reads.
#include <array>
#include <mutex>
#include <string>
#include <string_view>

#include "store/sqlite/sqlite_store.h"

namespace engram::sqlite {
namespace {

// Lessons first, in the order a search reads them: rows by id, the text
// rows full-text hits map to (the one a cold store missed most at 1M
// lessons), tags, the full-text index itself, word bounds; then the same
// for a context retrieval's episodes. The embeddings are left out: searches
// read the vector index's copies.
constexpr std::array<std::string_view, 17> kSearchStructures = {
    "sqlite_autoindex_lessons_1",
    "lessons",
    "lesson_text",
    "sqlite_autoindex_lesson_text_1",
    "lesson_tags",
    "lesson_fts_docsize",
    "lesson_fts_idx",
    "lesson_fts_data",
    "fts_word_bounds",
    "sqlite_autoindex_episodes_1",
    "episodes",
    "episode_text",
    "sqlite_autoindex_episode_text_1",
    "episode_tags",
    "episode_fts_docsize",
    "episode_fts_idx",
    "episode_fts_data",
};

// Rows of dbstat read between two looks at the stop token.
constexpr int kRowsPerStep = 256;

}  // namespace

Result<PageWarmStats> SqliteStore::WarmPages(const PageWarmOptions& options) {
  if (options.max_bytes < 0) return Status::InvalidArgument("max_bytes must be >= 0");
  PageWarmStats out;
  if (options.max_bytes == 0) return out;
  ENGRAM_ASSIGN_OR_RETURN(
      std::unique_ptr<Connection> conn,
      Connection::Open(options_.path, /*read_only=*/true, options_.busy_timeout_ms));
  for (std::string_view name : kSearchStructures) {
    ENGRAM_ASSIGN_OR_RETURN(Statement st,
                            conn->Query("SELECT pgsize FROM dbstat WHERE name = ?1", name));
    int rows = 0;
    for (;; ++rows) {
      if (rows % kRowsPerStep == 0 && options.stop.stop_requested()) {
        out.stopped = true;
        return out;
      }
      ENGRAM_ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) break;
      if (out.bytes >= options.max_bytes) return out;  // that page was read, past the budget
      out.bytes += st.Int(0);
    }
    if (rows > 0) ++out.structures;  // a b-tree has a page at least: none, no such table
  }
  // Every page searches read is in the OS cache now: mapped reads of them
  // fault without I/O, and save a copy per page read (SqliteOptions::mmap_mib).
  std::lock_guard lock(mu_);
  if (options_.mmap_mib > 0 && depth_ == 0) {
    ENGRAM_RETURN_IF_ERROR(
        conn_->Exec("PRAGMA mmap_size = " + std::to_string(1048576LL * options_.mmap_mib)));
  }
  return out;
}

}  // namespace engram::sqlite
