#include "engram/store_files.h"

namespace engram {

std::string LessonIndexPath(std::string_view db_path) {
  return std::string(db_path) + ".lessons.hnsw";
}

std::vector<std::string> StoreFilePaths(std::string_view db_path) {
  const std::string db(db_path);
  return {db, db + "-wal", db + "-shm", LessonIndexPath(db_path)};
}

}  // namespace engram
