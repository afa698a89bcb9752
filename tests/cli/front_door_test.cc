// One front door (docs/ARCHITECTURE.md): the servers (src/server) and the
// CLI (src/cli, benchmark commands aside) reach the data only through the
// Engine. No file of theirs includes a store header or calls store(), nor
// searches notes with retrieval::ThreadSearcher itself, so every read and
// write passes the Engine's validation and redaction, and a replicated
// store can intercept every write in one place. This test reads their
// sources and names each file that reaches past the Engine.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

namespace engram::testing {
namespace {

namespace fs = std::filesystem;

// What a front end must not write: the Store and its sub-interfaces'
// headers, the Store accessor, the note searcher and the store factory.
const std::vector<std::pair<std::regex, std::string>>& Forbidden() {
  static const std::vector<std::pair<std::regex, std::string>> kForbidden = {
      {std::regex(R"(#\s*include\s*["<]engram/(store|fulltext)\.h[">])"), "a store header"},
      {std::regex(R"(#\s*include\s*["<]store/)"), "a store implementation header"},
      {std::regex(R"(#\s*include\s*["<]retrieval/note_search\.h[">])"), "the note searcher"},
      {std::regex(R"(\bstore\s*\(\s*\))"), "a store() call"},
      {std::regex(R"(\bThreadSearcher\b)"), "retrieval::ThreadSearcher"},
      {std::regex(R"(\bOpenSqliteStore\b)"), "OpenSqliteStore"},
  };
  return kForbidden;
}

// Each line of `text` that reaches past the Engine, as "line N: what".
std::vector<std::string> Violations(const std::string& text) {
  std::vector<std::string> found;
  std::istringstream lines(text);
  int n = 0;
  for (std::string line; std::getline(lines, line);) {
    ++n;
    const std::string code = line.substr(0, line.find("//"));  // comments may name them
    for (const auto& [pattern, what] : Forbidden()) {
      if (std::regex_search(code, pattern)) {
        found.push_back("line " + std::to_string(n) + ": " + what);
      }
    }
  }
  return found;
}

// The front ends' sources: src/server and src/cli, without the benchmark
// commands (src/cli/bench_*), which measure the store itself.
std::vector<fs::path> FrontEndSources() {
  std::vector<fs::path> files;
  for (const char* dir : {"src/server", "src/cli"}) {
    for (const auto& entry : fs::recursive_directory_iterator(fs::path(ENGRAM_SOURCE_DIR) / dir)) {
      const fs::path& p = entry.path();
      if (!entry.is_regular_file()) continue;
      if (p.extension() != ".cc" && p.extension() != ".h") continue;
      if (p.filename().string().rfind("bench_", 0) == 0) continue;
      files.push_back(p);
    }
  }
  return files;
}

TEST(FrontDoorTest, TheDetectorSeesEachWayPastTheEngine) {
  EXPECT_EQ(Violations("#include \"engram/store.h\"\n").size(), 1u);
  EXPECT_EQ(Violations("#include \"engram/fulltext.h\"\n").size(), 1u);
  EXPECT_EQ(Violations("#include \"store/sqlite/sqlite_store.h\"\n").size(), 1u);
  EXPECT_EQ(Violations("#include \"retrieval/note_search.h\"\n").size(), 1u);
  EXPECT_EQ(Violations("  auto s = engine->store().Stats();\n").size(), 1u);
  EXPECT_EQ(Violations("  Store& s = engine.store ();\n").size(), 1u);
  EXPECT_EQ(Violations("  retrieval::ThreadSearcher::Open(fts);\n").size(), 1u);
  EXPECT_EQ(Violations("  auto s = OpenSqliteStore(o);\n").size(), 1u);
  // What the front ends do write is not flagged.
  EXPECT_TRUE(Violations("#include \"engram/store_stats.h\"\n"
                         "  ENGRAM_ASSIGN_OR_RETURN(StoreStats s, engine.Stats());\n"
                         "  // engine.store() is for the Engine's services\n"
                         "  restore();\n")
                  .empty());
}

TEST(FrontDoorTest, ServersAndCliReachTheDataOnlyThroughTheEngine) {
  const std::vector<fs::path> files = FrontEndSources();
  // The scan reads the real tree: both front ends, dozens of files.
  ASSERT_GT(files.size(), 40u) << "sources not found under " << ENGRAM_SOURCE_DIR;
  for (const fs::path& file : files) {
    std::ifstream in(file);
    ASSERT_TRUE(in) << file;
    std::stringstream text;
    text << in.rdbuf();
    for (const std::string& v : Violations(text.str())) {
      ADD_FAILURE() << fs::relative(file, ENGRAM_SOURCE_DIR).string() << " " << v
                    << ": go through the Engine (include/engram/engine.h) instead";
    }
  }
}

}  // namespace
}  // namespace engram::testing
