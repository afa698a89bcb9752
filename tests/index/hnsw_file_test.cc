// HnswIndex::Save / Load: round trip, and every way a file can be wrong.
#include <gtest/gtest.h>
#include <unistd.h>
#include <zlib.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "engram/vector_index.h"
#include "index_file_util.h"
#include "test_vectors.h"

namespace engram {
namespace {

namespace fs = std::filesystem;
using testing_index_file::AsVersion1;
using testing_index_file::AsVersion2;
using testing_index_file::Reseal;
using testing_vectors::Clustered;
using testing_vectors::IdOf;

constexpr std::size_t kDim = 48;

std::string ReadAll(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}
void WriteAll(const fs::path& p, const std::string& bytes) {
  std::ofstream(p, std::ios::binary | std::ios::trunc)
      .write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}
class HnswFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("engram-index-test-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
    path_ = (dir_ / "lessons.idx").string();
    options_.dimension = kDim;
    options_.model_id = "use-lite-en@0.2.0";
    index_ = HnswIndex::Create(options_).value();
    data_ = Clustered(600, kDim, 12, 21);
    for (std::size_t i = 0; i < data_.size(); ++i) {
      ItemMeta m;
      m.type = static_cast<std::uint8_t>(i % 5);
      m.confidence = static_cast<float>(i) / 600.0f;
      m.project_hash = ProjectHash(i % 3 ? "a" : "b");
      m.updated_at = 1'700'000'000'000 + static_cast<std::int64_t>(i);
      m.last_used_at = i % 2 ? 0 : m.updated_at + 5;
      ASSERT_TRUE(index_->Add(IdOf(i), data_[i], m).ok());
    }
    for (std::size_t i = 0; i < 600; i += 4) ASSERT_TRUE(index_->Remove(IdOf(i)).ok());
  }
  void TearDown() override { fs::remove_all(dir_); }

  Status LoadStatus(const HnswOptions& o, std::string_view fp = {}) {
    return HnswIndex::Load(path_, o, fp).status();
  }

  fs::path dir_;
  std::string path_;
  HnswOptions options_;
  std::unique_ptr<HnswIndex> index_;
  std::vector<std::vector<float>> data_;
};

TEST_F(HnswFileTest, RoundTripKeepsItemsMetaAndResults) {
  ASSERT_TRUE(index_->Save(path_, "lessons=450;max_updated=17").ok());
  auto loaded = HnswIndex::Load(path_, options_, "lessons=450;max_updated=17");
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  HnswIndex& b = **loaded;
  EXPECT_EQ(b.size(), 450u);
  EXPECT_EQ(b.source_fingerprint(), "lessons=450;max_updated=17");
  EXPECT_EQ(b.model_id(), options_.model_id);
  for (std::size_t i = 0; i < 600; ++i) {
    ASSERT_EQ(b.Contains(IdOf(i)), i % 4 != 0) << i;
    if (i % 4) {
      EXPECT_EQ(b.GetMeta(IdOf(i)).value(), index_->GetMeta(IdOf(i)).value());
    }
  }
  const SearchFilter f = [](std::string_view, const ItemMeta& m) { return m.type == 2; };
  for (std::size_t q = 0; q < 600; q += 25) {
    auto x = index_->Search(data_[q], 10, f), y = b.Search(data_[q], 10, f);
    ASSERT_EQ(x->size(), y->size());
    for (std::size_t i = 0; i < x->size(); ++i) EXPECT_EQ((*x)[i].id, (*y)[i].id);
    auto u = index_->Search(data_[q], 10), v = b.Search(data_[q], 10);
    for (std::size_t i = 0; i < u->size(); ++i) EXPECT_EQ((*u)[i].id, (*v)[i].id);
  }
  // Removed slots are reused after loading, and the loaded index saves again.
  const std::size_t cap = b.capacity();
  for (std::size_t i = 0; i < 150; ++i)
    ASSERT_TRUE(b.Add("re-" + std::to_string(i), data_[i], {}).ok());
  EXPECT_EQ(b.capacity(), cap);
  EXPECT_EQ(b.Search(data_[8], 1)->front().id, "re-8");
  ASSERT_TRUE(b.Save(path_, "v2").ok());
  auto again = HnswIndex::Load(path_, options_);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ((*again)->size(), 600u);
  EXPECT_EQ((*again)->Search(data_[8], 1)->front().id, "re-8");
}

TEST_F(HnswFileTest, SaveLeavesNoTemporaryFilesAndReplacesTheOldFile) {
  ASSERT_TRUE(index_->Save(path_, "one").ok());
  ASSERT_TRUE(index_->Remove(IdOf(1)).ok());
  ASSERT_TRUE(index_->Save(path_, "two").ok());
  std::size_t files = 0;
  for (const auto& e : fs::directory_iterator(dir_)) files += e.is_regular_file() ? 1 : 0;
  EXPECT_EQ(files, 1u);
  auto loaded = HnswIndex::Load(path_, options_);
  ASSERT_TRUE(loaded.ok());
  EXPECT_EQ((*loaded)->source_fingerprint(), "two");
  EXPECT_FALSE((*loaded)->Contains(IdOf(1)));
  EXPECT_TRUE(
      index_->Save((dir_ / "no-such-dir" / "x.idx").string(), "").code() == ErrorCode::kNotFound ||
      index_->Save((dir_ / "no-such-dir" / "x.idx").string(), "").code() == ErrorCode::kIOError);
}

TEST_F(HnswFileTest, EmptyIndexRoundTrips) {
  auto empty = HnswIndex::Create(options_).value();
  ASSERT_TRUE(empty->Save(path_, "").ok());
  auto loaded = HnswIndex::Load(path_, options_);
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  EXPECT_EQ((*loaded)->size(), 0u);
  EXPECT_TRUE((*loaded)->Search(data_[0], 5)->empty());
  ASSERT_TRUE((*loaded)->Add("a", data_[0], {}).ok());
  EXPECT_EQ((*loaded)->Search(data_[0], 5)->front().id, "a");
}

TEST_F(HnswFileTest, MissingFileIsNotFound) { EXPECT_TRUE(LoadStatus(options_).IsNotFound()); }

TEST_F(HnswFileTest, TruncatedFilesAreCorruption) {
  ASSERT_TRUE(index_->Save(path_, "fp").ok());
  const std::string good = ReadAll(path_);
  for (std::size_t len : {std::size_t{0}, std::size_t{7}, std::size_t{12}, std::size_t{60},
                          std::size_t{200}, good.size() / 2, good.size() - 5, good.size() - 1}) {
    WriteAll(path_, good.substr(0, len));
    const Status st = LoadStatus(options_);
    EXPECT_EQ(st.code(), ErrorCode::kCorruption) << len << ": " << st.ToString();
  }
}

TEST_F(HnswFileTest, AnyFlippedByteIsCorruption) {
  ASSERT_TRUE(index_->Save(path_, "fp").ok());
  const std::string good = ReadAll(path_);
  // Header fields, the id table, the graph, the CRC itself; skip the version
  // field (bytes 8..11), which has its own error (next test).
  for (std::size_t pos :
       {std::size_t{0}, std::size_t{13}, std::size_t{30}, std::size_t{60}, std::size_t{90},
        good.size() / 3, good.size() / 2, good.size() - 100, good.size() - 2}) {
    std::string bad = good;
    bad[pos] = static_cast<char>(bad[pos] ^ 0x10);
    WriteAll(path_, bad);
    const Status st = LoadStatus(options_);
    EXPECT_EQ(st.code(), ErrorCode::kCorruption) << pos << ": " << st.ToString();
  }
}

TEST_F(HnswFileTest, WrongMagicIsCorruption) {
  WriteAll(path_, std::string(4096, 'x'));
  EXPECT_EQ(LoadStatus(options_).code(), ErrorCode::kCorruption);
  // A raw hnswlib file (no envelope) is refused too.
  ASSERT_TRUE(index_->Save(path_, "fp").ok());
  std::string bytes = ReadAll(path_);
  std::memcpy(bytes.data(), "HNSWLIB!", 8);
  Reseal(&bytes);
  WriteAll(path_, bytes);
  const Status st = LoadStatus(options_);
  EXPECT_EQ(st.code(), ErrorCode::kCorruption);
  EXPECT_NE(st.message().find("magic"), std::string::npos) << st.ToString();
}

TEST_F(HnswFileTest, OtherFormatVersionIsFailedPrecondition) {
  ASSERT_TRUE(index_->Save(path_, "fp").ok());
  const std::string good = ReadAll(path_);
  for (const std::uint32_t version : {0u, HnswIndex::kFormatVersion + 1}) {
    std::string bytes = good;
    std::memcpy(bytes.data() + 8, &version, 4);
    Reseal(&bytes);
    WriteAll(path_, bytes);
    const Status st = LoadStatus(options_);
    EXPECT_EQ(st.code(), ErrorCode::kFailedPrecondition);
    EXPECT_NE(st.message().find("version " + std::to_string(version)), std::string::npos)
        << st.ToString();
  }
}

TEST_F(HnswFileTest, Version2FilesAreConvertedToRecordsWhileLoading) {
  ASSERT_TRUE(index_->Save(path_, "fp").ok());
  const std::string v3 = ReadAll(path_);
  auto current = HnswIndex::Load(path_, options_, "fp");
  ASSERT_TRUE(current.ok()) << current.status().ToString();
  EXPECT_EQ((*current)->loaded_format_version(), HnswIndex::kFormatVersion);
  const std::string v2 = AsVersion2(v3);
  ASSERT_FALSE(v2.empty());
  EXPECT_LT(v2.size(), v3.size()) << "no codes in version 2";
  WriteAll(path_, v2);
  auto loaded = HnswIndex::Load(path_, options_, "fp");
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  HnswIndex& old = **loaded;
  EXPECT_EQ(old.loaded_format_version(), 2u);
  EXPECT_EQ(old.size(), 450u);
  // Same graph, same records: every search (plain, filtered) answers alike.
  const SearchFilter filter = [](std::string_view, const ItemMeta& m) { return m.type % 2 == 1; };
  for (std::size_t q = 1; q < 600; q += 37) {
    const auto a = (*current)->Search(data_[q], 10).value();
    const auto b = old.Search(data_[q], 10).value();
    ASSERT_EQ(a.size(), b.size());
    for (std::size_t i = 0; i < a.size(); ++i) {
      EXPECT_EQ(a[i].id, b[i].id);
      EXPECT_EQ(a[i].score, b[i].score);
    }
    const auto fa = (*current)->Search(data_[q], 5, filter).value();
    const auto fb = old.Search(data_[q], 5, filter).value();
    ASSERT_EQ(fa.size(), fb.size());
    for (std::size_t i = 0; i < fa.size(); ++i) EXPECT_EQ(fa[i].id, fb[i].id);
  }
  // Saved again, it is the current format, byte for byte what the current
  // file loaded and saved again gives.
  const std::string again = (dir_ / "again.idx").string();
  ASSERT_TRUE((*current)->Save(again, "fp").ok());
  ASSERT_TRUE(old.Save(path_, "fp").ok());
  EXPECT_EQ(HnswIndex::Load(path_, options_).value()->loaded_format_version(),
            HnswIndex::kFormatVersion);
  EXPECT_EQ(ReadAll(path_), ReadAll(again));
}

TEST_F(HnswFileTest, Version2FileWithAWrongElementSizeIsCorruption) {
  ASSERT_TRUE(index_->Save(path_, "fp").ok());
  std::string v3 = ReadAll(path_);
  const std::uint32_t two = 2;  // a version 3 graph under a version 2 header
  std::memcpy(v3.data() + 8, &two, 4);
  Reseal(&v3);
  WriteAll(path_, v3);
  const Status st = LoadStatus(options_);
  EXPECT_EQ(st.code(), ErrorCode::kCorruption) << st.ToString();
  EXPECT_NE(st.message().find("element layout"), std::string::npos) << st.ToString();
}

TEST_F(HnswFileTest, Version1FilesLoadWithoutItemTimes) {
  ASSERT_TRUE(index_->Save(path_, "fp").ok());
  const std::string v1 = AsVersion1(AsVersion2(ReadAll(path_)));
  ASSERT_FALSE(v1.empty());
  WriteAll(path_, v1);
  auto loaded = HnswIndex::Load(path_, options_, "fp");
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  HnswIndex& b = **loaded;
  EXPECT_EQ(b.loaded_format_version(), 1u);
  EXPECT_EQ(b.size(), 450u);
  for (std::size_t i = 1; i < 600; i += 4) {
    ItemMeta want = index_->GetMeta(IdOf(i)).value();
    want.updated_at = want.last_used_at = 0;  // version 1 has no times
    EXPECT_EQ(b.GetMeta(IdOf(i)).value(), want) << i;
  }
  EXPECT_EQ(b.Search(data_[9], 1)->front().id, IdOf(9));
  // Saved again, it is the current version and keeps the times set since.
  ItemMeta m = index_->GetMeta(IdOf(9)).value();
  ASSERT_TRUE(b.SetMeta(IdOf(9), m).ok());
  ASSERT_TRUE(b.Save(path_, "fp").ok());
  auto again = HnswIndex::Load(path_, options_);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ((*again)->loaded_format_version(), HnswIndex::kFormatVersion);
  EXPECT_EQ((*again)->GetMeta(IdOf(9)).value(), m);
}

TEST_F(HnswFileTest, OtherModelOrDimensionOrStaleFingerprintIsFailedPrecondition) {
  ASSERT_TRUE(index_->Save(path_, "fp-1").ok());
  HnswOptions other_model = options_;
  other_model.model_id = "another-model@1";
  Status st = LoadStatus(other_model);
  EXPECT_EQ(st.code(), ErrorCode::kFailedPrecondition);
  EXPECT_NE(st.message().find("another-model@1"), std::string::npos) << st.ToString();

  HnswOptions other_dim = options_;
  other_dim.dimension = 512;
  st = LoadStatus(other_dim);
  EXPECT_EQ(st.code(), ErrorCode::kFailedPrecondition);
  EXPECT_NE(st.message().find("dimension"), std::string::npos) << st.ToString();

  st = LoadStatus(options_, "fp-2");
  EXPECT_EQ(st.code(), ErrorCode::kFailedPrecondition);
  EXPECT_NE(st.message().find("stale"), std::string::npos) << st.ToString();
  EXPECT_TRUE(LoadStatus(options_, "fp-1").ok());
}

// Resealed damage (a valid CRC over bad content) is still caught by the
// structural checks: counts, id table, graph layout.
TEST_F(HnswFileTest, ResealedStructuralDamageIsCorruption) {
  ASSERT_TRUE(index_->Save(path_, "fp").ok());
  const std::string good = ReadAll(path_);
  const auto try_patch = [&](std::size_t pos, std::uint64_t value, std::size_t width) {
    std::string bad = good;
    std::memcpy(bad.data() + pos, &value, width);
    Reseal(&bad);
    WriteAll(path_, bad);
    return LoadStatus(options_);
  };
  EXPECT_EQ(try_patch(40, 999999, 8).code(), ErrorCode::kCorruption);  // label count
  EXPECT_EQ(try_patch(48, 601, 8).code(), ErrorCode::kCorruption);     // live count
  // The graph header follows the id table: find it through the header sizes.
  const std::size_t ids_len_at = 56 + 2 + options_.model_id.size() + 2 + 2;
  std::uint64_t ids_len = 0;
  std::memcpy(&ids_len, good.data() + ids_len_at, 8);
  const std::size_t graph_at = ids_len_at + 8 + ids_len + 8;
  EXPECT_EQ(try_patch(graph_at + 16, 100000, 8).code(), ErrorCode::kCorruption);    // element count
  EXPECT_EQ(try_patch(graph_at + 24, 12, 8).code(), ErrorCode::kCorruption);        // element size
  EXPECT_EQ(try_patch(graph_at + 52, 1u << 30, 4).code(), ErrorCode::kCorruption);  // entry point
  // A neighbour id far outside the graph, in element 5's base-layer list.
  // Elements: links, a VectorRecord (codes, scale, floats), the label.
  const std::size_t record = (kDim + 3) / 4 * 4 + 4 + kDim * 4;
  const std::size_t element = graph_at + 96 + 5 * (2 * 16 * 4 + 4 + record + 8);
  EXPECT_EQ(try_patch(element + 4, 0x7FFFFFFF, 4).code(), ErrorCode::kCorruption);
  EXPECT_EQ(try_patch(ids_len_at + 8, 7, 1).code(),
            ErrorCode::kCorruption);  // live flag of label 0
}

}  // namespace
}  // namespace engram
