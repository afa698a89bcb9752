// `engram import chroma` end to end with the real binary and the hashing
// embedder (ENGRAM_EMBEDDER=hashing, 8 dimensions: model id hashing-v1-8).
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "cli_fixture.h"

namespace engram::testing {
namespace {

inline constexpr int kExitUnavailable = 7;

const std::string kDump = std::string(ENGRAM_SOURCE_DIR) + "/tests/data/chroma_dump.json";

class ImportCliTest : public CliTest {
 protected:
  // `engram --db <db> args...` with the hashing embedder configured.
  RunResult Import(std::vector<std::string> args,
                   std::vector<std::pair<std::string, std::optional<std::string>>> env = {
                       {"ENGRAM_EMBEDDER", "hashing"}, {"ENGRAM_EMBED_DIM", "8"}}) {
    args.insert(args.begin(), {"--db", db_path(), "import", "chroma"});
    RunOptions options = BaseOptions();
    options.env.insert(options.env.end(), env.begin(), env.end());
    return RunEngram(args, options);
  }

  // lesson id -> stored vector, from `engram db export`.
  std::map<std::string, std::vector<float>> StoredVectors() {
    RunResult r = Engram({"db", "export", "-"});
    EXPECT_EQ(r.exit_code, kExitOk) << r.err;
    std::map<std::string, std::vector<float>> out;
    std::istringstream lines(r.out);
    for (std::string line; std::getline(lines, line);) {
      Json j = Json::parse(line);
      if (j.value("kind", "") != "embedding") continue;
      EXPECT_EQ(j["data"]["model_id"], "hashing-v1-8");
      out[j["data"]["lesson_id"]] = j["data"]["vector"].get<std::vector<float>>();
    }
    return out;
  }

  std::string WriteFile(const std::string& name, const std::string& text) {
    const std::string path = dir_.File(name);
    std::ofstream(path) << text;
    return path;
  }
};

TEST_F(ImportCliTest, ImportsLessonsAndKeepsEmbeddingsOfTheSameModel) {
  RunResult r = Import({"--json", kDump, "--model-id", "hashing-v1-8"});
  ASSERT_EQ(r.exit_code, kExitOk) << r.err;
  Json report = r.json();
  EXPECT_EQ(report["imported"], 4);
  EXPECT_EQ(report["topic"], "team-lessons");
  EXPECT_EQ(report["model_id"], "hashing-v1-8");
  EXPECT_EQ(report["embeddings_kept"], 3);
  EXPECT_EQ(report["embeddings_computed"], 1);

  Json lessons = EngramJson({"lesson", "list", "--topic", "team-lessons"});
  ASSERT_EQ(lessons.size(), 4u) << lessons.dump();
  Json gotcha = EngramJson({"lesson", "get", report["lesson_ids"][0]});
  EXPECT_EQ(gotcha["type"], "gotcha");
  EXPECT_EQ(gotcha["title"], "Always await async setup in jest.");
  EXPECT_EQ(gotcha["tags"],
            Json::array({"framework:jest", "language:typescript", "priority:2", "reviewed:true"}));
  EXPECT_EQ(gotcha["confidence"], 0.9);

  auto vectors = StoredVectors();
  ASSERT_EQ(vectors.size(), 4u);
  EXPECT_EQ(vectors[report["lesson_ids"][0]], (std::vector<float>{1, 0, 0, 0, 0, 0, 0, 0}));
  EXPECT_EQ(vectors[report["lesson_ids"][1]], (std::vector<float>{0, 1, 0, 0, 0, 0, 0, 0}));
}

TEST_F(ImportCliTest, ReembedsWhenTheModelDiffers) {
  RunResult r = Import({"--json", kDump, "--model-id", "all-MiniLM-L6-v2"});
  ASSERT_EQ(r.exit_code, kExitOk) << r.err;
  EXPECT_EQ(r.json()["embeddings_kept"], 0);
  EXPECT_EQ(r.json()["embeddings_computed"], 4);
  auto vectors = StoredVectors();
  const std::vector<float>& first = vectors[r.json()["lesson_ids"][0]];
  ASSERT_EQ(first.size(), 8u);
  EXPECT_NE(first, (std::vector<float>{1, 0, 0, 0, 0, 0, 0, 0}));
  double norm = 0;
  for (float x : first) norm += static_cast<double>(x) * x;
  EXPECT_NEAR(norm, 1.0, 1e-5);
}

TEST_F(ImportCliTest, HumanOutputIsQuietWhenPiped) {
  RunResult r = Import({kDump, "--collection", "renamed"});
  ASSERT_EQ(r.exit_code, kExitOk) << r.err;
  EXPECT_NE(r.out.find("imported 4 lessons into topic 'renamed'"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("hashing-v1-8"), std::string::npos) << r.out;
  EXPECT_EQ(r.err.find('\r'), std::string::npos) << "no progress bar without a terminal";
  EXPECT_EQ(EngramJson({"lesson", "list", "--topic", "renamed"}).size(), 4u);
}

TEST_F(ImportCliTest, MalformedDumpIsRejectedAndStoresNothing) {
  const std::string bad = WriteFile(
      "bad.json", R"({"name":"c","ids":["x","y"],"documents":["one"],"metadatas":[null,null]})");
  RunResult r = Import({bad});
  EXPECT_EQ(r.exit_code, kExitInvalidArgument);
  EXPECT_NE(r.err.find("\"documents\" has 1 entries but \"ids\" has 2"), std::string::npos)
      << r.err;
  const std::string not_json = WriteFile("not.json", "{\"ids\": [");
  EXPECT_EQ(Import({not_json}).exit_code, kExitInvalidArgument);
  EXPECT_EQ(Import({dir_.File("missing.json")}).exit_code, kExitNotFound);
  EXPECT_EQ(EngramJson({"lesson", "list"}).size(), 0u);
}

TEST_F(ImportCliTest, UnavailableEmbedderIsAnErrorNotAFallback) {
  RunResult r = Import({kDump}, {{"ENGRAM_EMBEDDER", "http"}, {"ENGRAM_EMBED_MODEL", ""}});
  EXPECT_EQ(r.exit_code, kExitUnavailable);
  EXPECT_NE(r.err.find("ENGRAM_EMBED_MODEL"), std::string::npos) << r.err;
  EXPECT_EQ(EngramJson({"lesson", "list"}).size(), 0u);
}

}  // namespace
}  // namespace engram::testing
