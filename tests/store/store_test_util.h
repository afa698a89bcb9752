// Shared helpers for the store tests: a fresh temporary directory per test,
// store openers and builders of valid model values.
//
// Thread safety: test-only helpers, used from one thread (or one forked
// child) at a time.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include "engram/store.h"

namespace engram::store_test {

// Creates a unique directory under $TMPDIR (or /tmp); removes it on scope exit.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::string File(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

// A test fixture with a fresh directory and a store opened in it.
class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override;
  std::unique_ptr<Store> Open(const std::string& name = "engram.db");
  std::string db_path() const { return dir_.File("engram.db"); }

  TempDir dir_;
  std::unique_ptr<Store> store_;
};

Episode MakeEpisode(const std::string& id, Timestamp started_at = 1'000);
Step MakeStep(const std::string& action, Timestamp ts = 2'000);
Lesson MakeLesson(const std::string& id, Timestamp created_at = 1'000);
Outcome MakeSuccess();
RewardBreakdown MakeReward(double total = 0.75);
Reflection MakeReflection();

// Runs a raw SQL statement on `path` through the sqlite3 C API and engram's
// page checksum VFS, so pages it writes carry checksums (to build old or
// damaged files). Fails the test on error.
void RawSql(const std::string& path, const std::string& sql);

// The rows `sql` returns on `path` (opened read-only through the checksum
// VFS), each as its columns' values joined by " | ": NULL as NULL, numbers
// as text (reals with 17 digits), text quoted, BLOBs as x'hex'. Fails the
// test on error.
std::vector<std::string> RawRows(const std::string& path, const std::string& sql);

// A whole file's bytes ("" when it cannot be read), and writing them back;
// for tests that damage files on purpose.
inline std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}
inline void WriteAll(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << bytes;
}

}  // namespace engram::store_test
