// The files one engram store occupies, side by side: the SQLite database,
// its write-ahead log and shared-memory file, and the saved lesson vector
// index. Named here once so that the engine, the CLI and the benchmarks
// agree on them.
//
// Ownership: pure functions returning new strings.
// Thread safety: safe from any thread.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace engram {

// "<db_path>.lessons.hnsw": where the Engine saves the lesson index of the
// store at db_path unless EngineOptions::lesson_index_path says otherwise.
std::string LessonIndexPath(std::string_view db_path);

// Every file of the store at db_path: the database, "-wal", "-shm" and the
// lesson index, in that order (for removing or copying a store whole).
std::vector<std::string> StoreFilePaths(std::string_view db_path);

}  // namespace engram
