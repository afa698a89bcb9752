// `engram db ...`, `engram version`, `engram ops` and --help on every command.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "cli_fixture.h"

namespace engram::testing {
namespace {

class DbCliTest : public CliTest {
 protected:
  // One of everything: a completed episode, an updated lesson, a kv entry.
  void Populate() {
    episode_id_ = EngramJson({"episode", "start", "Populate", "--tag", "x"}).value("id", "");
    EngramJson({"episode", "log-step", episode_id_, "--tool", "bash", "--action", "ls"});
    EngramJson({"episode", "complete", episode_id_, "--outcome", "partial", "--completed", "a",
                "--failed", "b"});
    lesson_id_ = EngramJson({"lesson", "add", "--topic", "t", "--title", "v1", "--content", "c"})
                     .value("id", "");
    EngramJson({"lesson", "update", lesson_id_, "--title", "v2"});
    EngramJson({"kv", "put", "ns", "k", R"({"a":[1,2]})"});
  }

  // Everything Populate wrote, as the JSON the CLI prints for it.
  Json Snapshot(const std::string& db) {
    auto get = [&](std::vector<std::string> args) {
      args.insert(args.begin(), {"--db", db, "--json"});
      RunResult r = RunEngram(args, BaseOptions());
      EXPECT_EQ(r.exit_code, kExitOk) << r.err;
      return r.json();
    };
    return {get({"episode", "get", episode_id_}), get({"lesson", "get", lesson_id_}),
            get({"lesson", "history", lesson_id_}), get({"kv", "get", "ns", "k"})};
  }

  std::string episode_id_, lesson_id_;
};

TEST_F(DbCliTest, StatusAndVerify) {
  Populate();
  Json status = EngramJson({"db", "status"});
  EXPECT_EQ(status["episodes"], 1);
  EXPECT_EQ(status["lessons"], 1);
  EXPECT_EQ(status["kv_entries"], 1);
  EXPECT_EQ(EngramJson({"db", "verify"})["ok"], true);
  RunResult human = Engram({"db", "status"});
  EXPECT_NE(human.out.find("episodes"), std::string::npos) << human.out;
}

TEST_F(DbCliTest, OptimizeMergesTheFullTextAndKeepsSearchAnswers) {
  const char* lessons[][2] = {
      {"Retry flaky network calls", "Exponential backoff with jitter avoids thundering herds."},
      {"Jitter the cron schedule", "Spread nightly jobs so the database is not hit at once."},
      {"Retry only idempotent requests", "A retried POST needs an idempotency key."},
      {"Pin the compiler version", "CI and laptops must build with the same g++."},
      {"Vacuum after bulk deletes", "SQLite keeps free pages until VACUUM runs."},
      {"Log the retry count", "Operators need to see how often a call was retried."},
  };
  for (const auto& l : lessons) {
    EngramJson({"lesson", "add", "--topic", "t", "--title", l[0], "--content", l[1]});
  }
  const Json before = EngramJson({"search", "retry jitter", "--limit", "3"});
  ASSERT_EQ(before["results"].size(), 3u) << before.dump();
  const Json done = EngramJson({"db", "optimize"});
  EXPECT_EQ(done["ok"], true);
  EXPECT_GE(done["seconds"].get<double>(), 0.0);
  // The same ranking; only the uses the first search recorded differ.
  auto ranking = [](Json j) {
    for (Json& r : j["results"]) {
      r["lesson"].erase("use_count");
      r["lesson"].erase("last_used_at");
    }
    return j;
  };
  EXPECT_EQ(ranking(EngramJson({"search", "retry jitter", "--limit", "3"})), ranking(before));
  RunResult human = Engram({"db", "optimize"});
  EXPECT_NE(human.out.find("optimized the full-text indexes"), std::string::npos) << human.out;
  EXPECT_EQ(EngramJson({"db", "verify"})["ok"], true);
}

TEST_F(DbCliTest, ExportImportRoundTripIntoANewDatabase) {
  Populate();
  const std::string file = dir_.File("export.jsonl");
  Json stats = EngramJson({"db", "export", file});
  EXPECT_EQ(stats["episodes"], 1);
  EXPECT_EQ(stats["lessons"], 1);
  ASSERT_TRUE(std::filesystem::exists(file));
  EXPECT_FALSE(std::filesystem::exists(file + ".tmp"));

  // Format 2 counts every kind of record; the completed episode's patterns too.
  EXPECT_EQ(stats["format_version"], 2);
  EXPECT_GE(stats["patterns"].get<int>(), 1) << stats.dump();
  for (const char* kind : {"heuristics", "feedback", "contradictions", "candidates"}) {
    EXPECT_TRUE(stats[kind].is_number_integer()) << kind << " missing in " << stats.dump();
  }

  const std::string fresh = dir_.File("fresh.db");
  RunResult imported = RunEngram({"--db", fresh, "--json", "db", "import", file}, BaseOptions());
  ASSERT_EQ(imported.exit_code, kExitOk) << imported.err;
  EXPECT_EQ(imported.json()["kv_entries"], 1);
  Json counts = imported.json(), written = stats;
  counts.erase("indexed");
  written.erase("invalid_utf8_replaced");
  EXPECT_EQ(counts, written) << "the import reads back what the export wrote";
  EXPECT_EQ(Snapshot(fresh), Snapshot(db_path()));
  RunResult human = RunEngram({"--db", dir_.File("human.db"), "db", "import", file}, BaseOptions());
  ASSERT_EQ(human.exit_code, kExitOk) << human.err;
  EXPECT_NE(human.out.find(" patterns, 0 heuristics, 0 feedback events, 0 contradictions, "
                           "0 candidates (" +
                           file + ", format 2)"),
            std::string::npos)
      << human.out;

  // Export to stdout carries exactly the export.
  RunResult to_stdout = Engram({"db", "export", "-"});
  ASSERT_EQ(to_stdout.exit_code, kExitOk) << to_stdout.err;
  EXPECT_EQ(to_stdout.out.rfind(R"({"magic":"engram-export")", 0), 0u) << to_stdout.out;
}

// Issue 20 §4: `db import` embeds and indexes what it imported, so the next
// search does not embed the backlog inside the request.
TEST_F(DbCliTest, ImportIndexesTheImportedLessons) {
  RunOptions hashing = BaseOptions();
  hashing.env.emplace_back("ENGRAM_EMBEDDER", "hashing");
  const std::string file = dir_.File("export.jsonl");
  {
    const std::string source = dir_.File("source.db");
    RunOptions none = BaseOptions();
    none.env.emplace_back("ENGRAM_EMBEDDER", "none");  // lessons without embeddings
    for (const char* title : {"Retry flaky network calls", "Pin the compiler version"}) {
      RunResult added = RunEngram({"--db", source, "--json", "lesson", "add", "--topic", "t",
                                   "--title", title, "--content", "a lesson to import"},
                                  none);
      ASSERT_EQ(added.exit_code, kExitOk) << added.err;
    }
    ASSERT_EQ(RunEngram({"--db", source, "db", "export", file}, none).exit_code, kExitOk);
  }
  const std::string fresh = dir_.File("fresh.db");
  RunResult imported = RunEngram({"--db", fresh, "--json", "db", "import", file}, hashing);
  ASSERT_EQ(imported.exit_code, kExitOk) << imported.err;
  EXPECT_EQ(imported.json()["indexed"], 2) << imported.out;
  EXPECT_TRUE(std::filesystem::exists(fresh + ".lessons.hnsw"));
  RunResult human = RunEngram({"--db", dir_.File("human.db"), "db", "import", file}, hashing);
  ASSERT_EQ(human.exit_code, kExitOk) << human.err;
  EXPECT_NE(human.out.find("indexed 2 lessons"), std::string::npos) << human.out;
}

TEST_F(DbCliTest, ImportRejectsACorruptFileAndChangesNothing) {
  Populate();
  const std::string file = dir_.File("export.jsonl");
  EngramJson({"db", "export", file});
  std::string text;
  {
    std::ifstream in(file);
    text.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  const std::size_t at = text.find("Populate");
  ASSERT_NE(at, std::string::npos);
  text[at] = 'X';  // the checksum no longer matches
  std::ofstream(dir_.File("bad.jsonl")) << text;
  const std::string fresh = dir_.File("fresh.db");
  RunResult r = RunEngram({"--db", fresh, "db", "import", dir_.File("bad.jsonl")}, BaseOptions());
  EXPECT_EQ(r.exit_code, kExitCorruption) << r.err;
  RunResult listed = RunEngram({"--db", fresh, "--json", "episode", "list"}, BaseOptions());
  EXPECT_EQ(listed.json().size(), 0u);
  EXPECT_EQ(Engram({"db", "import", dir_.File("missing.jsonl")}).exit_code, kExitNotFound);
}

TEST_F(DbCliTest, BackupAndRestore) {
  Populate();
  const std::string backup = dir_.File("backup.db");
  ASSERT_EQ(Engram({"db", "backup", backup}).exit_code, kExitOk);
  const Json before = Snapshot(db_path());
  EngramJson({"episode", "delete", episode_id_});
  EngramJson({"kv", "put", "ns", "k", "0"});
  RunResult restored = Engram({"db", "restore", backup});
  ASSERT_EQ(restored.exit_code, kExitOk) << restored.err;
  EXPECT_EQ(Snapshot(db_path()), before);

  std::ofstream(dir_.File("garbage.db")) << "not a database";
  RunResult bad = Engram({"db", "restore", dir_.File("garbage.db")});
  EXPECT_NE(bad.exit_code, kExitOk);
  EXPECT_EQ(Snapshot(db_path()), before);  // untouched
}

TEST_F(CliTest, VersionCommandAndFlag) {
  RunResult flag = RunEngram({"--version"}, BaseOptions());
  EXPECT_EQ(flag.exit_code, kExitOk);
  EXPECT_NE(flag.out.find("engram"), std::string::npos) << flag.out;
  Json version = EngramJson({"version"});
  EXPECT_TRUE(version["version"].is_string());
  EXPECT_TRUE(version["schema_version"].is_number_integer());
}

TEST_F(CliTest, HelpWorksForEveryCommand) {
  const std::vector<std::vector<std::string>> commands = {
      {},
      {"episode"},
      {"episode", "start"},
      {"episode", "log-step"},
      {"episode", "complete"},
      {"episode", "get"},
      {"episode", "list"},
      {"episode", "delete"},
      {"lesson"},
      {"lesson", "add"},
      {"lesson", "get"},
      {"lesson", "list"},
      {"lesson", "update"},
      {"lesson", "deprecate"},
      {"lesson", "delete"},
      {"lesson", "history"},
      {"kv"},
      {"kv", "put"},
      {"kv", "get"},
      {"kv", "list"},
      {"kv", "delete"},
      {"db"},
      {"db", "status"},
      {"db", "verify"},
      {"db", "backup"},
      {"db", "restore"},
      {"db", "export"},
      {"db", "import"},
      {"version"},
      {"mcp"},
      {"serve"},
      {"call"},
      {"ops"},
  };
  for (std::vector<std::string> args : commands) {
    args.push_back("--help");
    RunResult r = RunEngram(args, BaseOptions());
    EXPECT_EQ(r.exit_code, kExitOk) << ::testing::PrintToString(args) << r.err;
    EXPECT_NE(r.out.find("Usage"), std::string::npos) << ::testing::PrintToString(args) << r.out;
  }
  EXPECT_FALSE(std::filesystem::exists(dir_.File(".local")));  // --help opens no database
}

// Issue 21 §3: a mistyped command is named, with where to look, not "A
// subcommand is required".
TEST_F(CliTest, AnUnknownCommandIsNamed) {
  const struct {
    std::vector<std::string> args;
    std::string message;
  } cases[] = {
      {{"frobnicate"}, "unknown command 'frobnicate' for 'engram'; 'engram --help' lists"},
      {{"lesson", "frob"}, "unknown command 'frob' for 'engram lesson'; 'engram lesson --help'"},
      {{"--json", "kv", "fetch", "--db", "x.db"}, "unknown command 'fetch' for 'engram kv'"},
  };
  for (const auto& c : cases) {
    RunResult r = RunEngram(c.args, BaseOptions());
    EXPECT_EQ(r.exit_code, kExitUsage) << ::testing::PrintToString(c.args);
    EXPECT_NE(r.err.find(c.message), std::string::npos) << r.err;
  }
  // No word left over: CLI11's own message; a missing option is not an
  // unknown command, even with a stray word beside it.
  RunResult r = RunEngram({"lesson"}, BaseOptions());
  EXPECT_EQ(r.exit_code, kExitUsage);
  EXPECT_NE(r.err.find("A subcommand is required"), std::string::npos) << r.err;
  r = RunEngram({"contradictions", "resolve", "c1", "--winner", "x"}, BaseOptions());
  EXPECT_EQ(r.exit_code, kExitUsage);
  EXPECT_EQ(r.err.find("unknown command"), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(dir_.File(".local")));  // no database opened
}

// Issue 21 §3: `engram ops` is a table whose title column starts two
// spaces after the longest operation name, so no name runs into its title.
TEST_F(CliTest, OpsTitlesStartTwoSpacesAfterTheLongestName) {
  const Json ops = EngramJson({"ops"})["operations"];
  std::size_t longest = 0;
  for (const Json& op : ops) longest = std::max(longest, op["name"].get<std::string>().size());
  ASSERT_GT(longest, 20u);  // the width of the old fixed column
  RunResult r = Engram({"ops"});
  ASSERT_EQ(r.exit_code, kExitOk) << r.err;
  std::istringstream lines(r.out);
  std::vector<std::string> names;
  for (std::string line; std::getline(lines, line);) {
    const std::string name = line.substr(0, line.find(' '));
    EXPECT_EQ(line.find_first_not_of(' ', name.size()), longest + 2) << line;
    names.push_back(name);
  }
  ASSERT_EQ(names.size(), ops.size() + 1) << r.out;  // a header, then one row per operation
  EXPECT_EQ(names[0], "operation");
  for (std::size_t i = 0; i < ops.size(); ++i) EXPECT_EQ(names[i + 1], ops[i]["name"]);
}

}  // namespace
}  // namespace engram::testing
