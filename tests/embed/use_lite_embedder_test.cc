#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <numeric>

#include "engram/embedder.h"
#include "golden.h"

namespace engram {
namespace {

namespace fs = std::filesystem;

double Cosine(const std::vector<float>& a, const std::vector<float>& b) {
  double dot = 0, na = 0, nb = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    dot += static_cast<double>(a[i]) * b[i];
    na += static_cast<double>(a[i]) * a[i];
    nb += static_cast<double>(b[i]) * b[i];
  }
  return dot / std::sqrt(na * nb);
}

class UseLiteEmbedderTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (!embed_test::ModelInstalled()) return;
    auto e = OpenUseLiteEmbedder();
    ASSERT_TRUE(e.ok()) << e.status().ToString();
    embedder_ = std::move(e).value().release();
    cases_ = new std::vector<embed_test::GoldenCase>(embed_test::LoadGolden());
  }
  static void TearDownTestSuite() {
    delete embedder_;
    delete cases_;
    embedder_ = nullptr;
    cases_ = nullptr;
  }
  void SetUp() override {
    ENGRAM_SKIP_WITHOUT_MODEL();
    ASSERT_NE(embedder_, nullptr);
    ASSERT_GE(cases_->size(), 50u);
  }
  std::vector<std::string> Texts() const {
    std::vector<std::string> texts;
    for (const auto& c : *cases_) texts.push_back(c.text);
    return texts;
  }

  static Embedder* embedder_;
  static std::vector<embed_test::GoldenCase>* cases_;
};
Embedder* UseLiteEmbedderTest::embedder_ = nullptr;
std::vector<embed_test::GoldenCase>* UseLiteEmbedderTest::cases_ = nullptr;

TEST_F(UseLiteEmbedderTest, DescribesItself) {
  EXPECT_EQ(embedder_->dimension(), 512);
  EXPECT_EQ(embedder_->model_id(), UseLiteModelId());
}

TEST_F(UseLiteEmbedderTest, MatchesReferenceVectors) {
  std::vector<double> cosines;
  for (const auto& c : *cases_) {
    auto v = embedder_->Embed(c.text);
    ASSERT_TRUE(v.ok()) << v.status().ToString();
    ASSERT_EQ(v->size(), c.embedding.size());
    const double cos = Cosine(*v, c.embedding);
    EXPECT_GE(cos, 0.999) << "text: " << c.text;
    cosines.push_back(cos);
  }
  std::sort(cosines.begin(), cosines.end());
  std::cout << std::fixed << std::setprecision(9) << "[ golden   ] " << cosines.size()
            << " sentences, cosine min " << cosines.front() << ", median "
            << cosines[cosines.size() / 2] << "\n";
}

TEST_F(UseLiteEmbedderTest, OutputIsUnitLength) {
  auto batch = embedder_->EmbedBatch(Texts());
  ASSERT_TRUE(batch.ok()) << batch.status().ToString();
  for (const auto& v : *batch) {
    ASSERT_EQ(v.size(), 512u);
    const double norm = std::sqrt(std::inner_product(v.begin(), v.end(), v.begin(), 0.0));
    EXPECT_NEAR(norm, 1.0, 1e-5);
  }
}

TEST_F(UseLiteEmbedderTest, IsDeterministicAndBatchEqualsSingle) {
  const auto texts = Texts();
  auto first = embedder_->EmbedBatch(texts);
  auto second = embedder_->EmbedBatch(texts);
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_EQ(*first, *second);
  for (std::size_t i = 0; i < texts.size(); ++i) {
    auto single = embedder_->Embed(texts[i]);
    ASSERT_TRUE(single.ok());
    EXPECT_EQ(*single, (*first)[i]) << "text: " << texts[i];
  }
}

TEST_F(UseLiteEmbedderTest, EmptyBatchAndSimilarity) {
  auto none = embedder_->EmbedBatch({});
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
  auto a = embedder_->Embed("How do I fix a segmentation fault?");
  auto b = embedder_->Embed("Debugging a crash caused by invalid memory access");
  auto c = embedder_->Embed("My favourite fruit is a ripe mango.");
  ASSERT_TRUE(a.ok() && b.ok() && c.ok());
  EXPECT_GT(Cosine(*a, *b), Cosine(*a, *c));
}

TEST_F(UseLiteEmbedderTest, LazyEmbedderDescribesItselfAndMatchesEager) {
  ENGRAM_SKIP_WITHOUT_MODEL();
  auto lazy = OpenUseLiteEmbedder({.model_dir = "", .lazy = true});
  ASSERT_TRUE(lazy.ok()) << lazy.status().ToString();
  EXPECT_EQ((*lazy)->model_id(), embedder_->model_id());
  EXPECT_EQ((*lazy)->dimension(), embedder_->dimension());
  // Prepare loads the weights now; embedding afterwards gives the same vectors.
  const Status prepared = (*lazy)->Prepare();
  ASSERT_TRUE(prepared.ok()) << prepared.ToString();
  EXPECT_TRUE((*lazy)->Prepare().ok());
  const std::vector<std::string> texts = {"Prefer composition over inheritance.",
                                          "useEffect runs after render"};
  auto got = (*lazy)->EmbedBatch(texts);
  auto want = embedder_->EmbedBatch(texts);
  ASSERT_TRUE(got.ok() && want.ok());
  EXPECT_EQ(*got, *want);
}

class UseLiteErrorsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ =
        fs::temp_directory_path() /
        ("engram_embed_test_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
         "_" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  // Copies the installed model into dir_ (skips if it is not installed).
  void CopyModel() {
    for (const auto& entry : fs::directory_iterator(embed_test::InstalledModelDir())) {
      fs::copy_file(entry.path(), dir_ / entry.path().filename());
    }
  }
  static void Write(const fs::path& path, const std::string& text) {
    std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
  }
  Status Open() { return OpenUseLiteEmbedder({.model_dir = dir_.string()}).status(); }
  fs::path dir_;
};

TEST_F(UseLiteErrorsTest, MissingDirIsUnavailableAndSaysWhere) {
  auto e = OpenUseLiteEmbedder({.model_dir = (dir_ / "nope").string()});
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.status().code(), ErrorCode::kUnavailable);
  EXPECT_NE(e.status().message().find((dir_ / "nope").string()), std::string::npos);
  EXPECT_NE(e.status().message().find("install-model.sh"), std::string::npos);
}

TEST_F(UseLiteErrorsTest, EmptyDirIsUnavailable) {
  const Status st = Open();
  EXPECT_EQ(st.code(), ErrorCode::kUnavailable) << st.ToString();
  EXPECT_NE(st.message().find("vocab.json"), std::string::npos);
}

TEST_F(UseLiteErrorsTest, LazyOpenChecksFilesButLoadsOnFirstUse) {
  auto missing = OpenUseLiteEmbedder({.model_dir = dir_.string(), .lazy = true});
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), ErrorCode::kUnavailable);
  EXPECT_NE(missing.status().message().find("model.json"), std::string::npos);

  // Files present but garbled: opening lazily succeeds (nothing is parsed),
  // the first embed reports the corruption, and so does every later one.
  Write(dir_ / "model.json", "{\"modelTopology\": [1, 2");
  Write(dir_ / "vocab.json", "[]");
  auto lazy = OpenUseLiteEmbedder({.model_dir = dir_.string(), .lazy = true});
  ASSERT_TRUE(lazy.ok()) << lazy.status().ToString();
  EXPECT_EQ((*lazy)->dimension(), 512);
  // Prepare reports the load's failure as the first embed would.
  const Status prepared = (*lazy)->Prepare();
  EXPECT_EQ(prepared.code(), ErrorCode::kCorruption) << prepared.ToString();
  for (int i = 0; i < 2; ++i) {
    auto v = (*lazy)->Embed("hello");
    ASSERT_FALSE(v.ok());
    EXPECT_EQ(v.status().code(), ErrorCode::kCorruption) << v.status().ToString();
    EXPECT_EQ(v.status().message(), prepared.message());
  }
}

TEST_F(UseLiteErrorsTest, EnvironmentVariableIsUsed) {
  setenv("ENGRAM_MODEL_DIR", (dir_ / "from-env").c_str(), 1);
  auto e = OpenUseLiteEmbedder();
  unsetenv("ENGRAM_MODEL_DIR");
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.status().code(), ErrorCode::kUnavailable);
  EXPECT_NE(e.status().message().find("ENGRAM_MODEL_DIR"), std::string::npos);
}

TEST_F(UseLiteErrorsTest, MissingShardIsUnavailable) {
  ENGRAM_SKIP_WITHOUT_MODEL();
  CopyModel();
  fs::remove(dir_ / "group1-shard3of7");
  const Status st = Open();
  EXPECT_EQ(st.code(), ErrorCode::kUnavailable) << st.ToString();
  EXPECT_NE(st.message().find("group1-shard3of7"), std::string::npos);
}

TEST_F(UseLiteErrorsTest, TruncatedShardIsCorruption) {
  ENGRAM_SKIP_WITHOUT_MODEL();
  CopyModel();
  fs::resize_file(dir_ / "group1-shard7of7", 1000);
  const Status st = Open();
  EXPECT_EQ(st.code(), ErrorCode::kCorruption) << st.ToString();
}

TEST_F(UseLiteErrorsTest, GarbledModelJsonIsCorruption) {
  ENGRAM_SKIP_WITHOUT_MODEL();
  CopyModel();
  Write(dir_ / "model.json", "{\"modelTopology\": [1, 2");
  const Status st = Open();
  EXPECT_EQ(st.code(), ErrorCode::kCorruption) << st.ToString();
  EXPECT_NE(st.message().find("model.json"), std::string::npos);
}

TEST_F(UseLiteErrorsTest, WrongVocabularyIsCorruption) {
  ENGRAM_SKIP_WITHOUT_MODEL();
  CopyModel();
  Write(dir_ / "vocab.json",
        R"([["a", 0], ["b", 0], ["c", 0], ["d", 0], ["e", 0], ["f", 0], ["g", "x"]])");
  const Status st = Open();
  EXPECT_EQ(st.code(), ErrorCode::kCorruption) << st.ToString();
  EXPECT_NE(st.message().find("vocab.json"), std::string::npos);
}

}  // namespace
}  // namespace engram
