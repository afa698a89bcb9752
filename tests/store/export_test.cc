// JSONL export/import: lossless round trip, header/trailer/CRC-32 format,
// and rejection of damaged or invalid input with nothing written.
#include <gtest/gtest.h>

#include <sstream>

#include "engram/export.h"
#include "export_test_util.h"

namespace engram::store_test {
namespace {

TEST_F(ExportTest, FormatHasHeaderRecordsAndCheckedTrailer) {
  Populate(*store_);
  std::ostringstream out;
  auto stats = ExportJsonl(*store_, out);
  ASSERT_TRUE(stats.ok()) << stats.status().ToString();
  EXPECT_EQ(stats->episodes, 2);
  EXPECT_EQ(stats->lessons, 2);
  EXPECT_EQ(stats->lesson_versions, 1);
  EXPECT_EQ(stats->embeddings, 2);
  EXPECT_EQ(stats->kv_entries, 2);
  EXPECT_EQ(stats->notes, 3);
  auto lines = Lines(out.str());
  ASSERT_EQ(lines.size(), 2u + 11u);
  EXPECT_EQ(stats->format_version, 2);
  EXPECT_EQ(lines[0].rfind("{\"magic\":\"engram-export\",\"format_version\":2,", 0), 0u)
      << lines[0];
  Json header = Json::parse(lines[0]);
  EXPECT_EQ(header["schema_version"], SqliteSchemaVersion());
  EXPECT_TRUE(ParseIso8601(header["created_at"].get<std::string>()).has_value());
  EXPECT_EQ(Json::parse(lines[1])["kind"], "episode");
  EXPECT_EQ(Json::parse(lines[3])["kind"], "lesson");
  EXPECT_EQ(Json::parse(lines[3])["data"]["history"].size(), 1u);
  EXPECT_EQ(Json::parse(lines[5])["kind"], "embedding");
  EXPECT_EQ(Json::parse(lines[7])["kind"], "kv");
  EXPECT_EQ(Reseal(lines), out.str());  // the trailer's CRC-32 covers every prior byte
}

TEST_F(ExportTest, RoundTripIsLossless) {
  Populate(*store_);
  const std::string first = Export(*store_);
  auto fresh = Open("fresh.db");
  auto stats = Import(*fresh, first);
  ASSERT_TRUE(stats.ok()) << stats.status().ToString();
  EXPECT_EQ(stats->episodes, 2);
  EXPECT_EQ(stats->lesson_versions, 1);
  EXPECT_EQ(stats->notes, 3);
  EXPECT_EQ(Records(Export(*fresh)), Records(first));
  EXPECT_TRUE(fresh->Verify().ok());
  // Imported notes are searchable (their full-text rows came with them).
  auto hits = fresh->fulltext()->SearchNoteText("t1", "flaky login", 5);
  ASSERT_TRUE(hits.ok()) << hits.status().ToString();
  ASSERT_EQ(hits->size(), 1u);
  EXPECT_EQ((*hits)[0].note_id, 2);
  auto emb = fresh->GetEmbedding("l-2", "use-lite");
  ASSERT_TRUE(emb.ok());
  EXPECT_EQ(emb->vector, std::vector<float>{1.0f / 3});
  // Importing again replaces by id: same content, no duplicates.
  ASSERT_TRUE(Import(*fresh, first).ok());
  EXPECT_EQ(Records(Export(*fresh)), Records(first));
  EXPECT_EQ(fresh->Stats()->steps, 2);
}

TEST_F(ExportTest, InvalidUtf8InStoredTextIsReplacedAndCounted) {
  Lesson l = MakeLesson("l-bad");
  l.title = "bad \xff byte";                         // one invalid byte
  l.content = "two \xc3 and \xe2\x82";               // a cut two-byte and a cut three-byte sequence
  l.tags = {"caf\xc3\xa9", "\xef\xbf\xbd already"};  // valid, and a U+FFFD kept as it is
  ASSERT_TRUE(store_->InsertLesson(l).ok());
  std::ostringstream out;
  auto stats = ExportJsonl(*store_, out);
  ASSERT_TRUE(stats.ok()) << stats.status().ToString();
  EXPECT_EQ(stats->lessons, 1);
  EXPECT_EQ(stats->invalid_utf8_replaced, 3);
  const std::string text = out.str();
  EXPECT_NE(text.find("bad \xef\xbf\xbd byte"), std::string::npos);
  EXPECT_NE(text.find("caf\xc3\xa9"), std::string::npos);
  // The export is whole and imports.
  auto fresh = Open("fresh.db");
  auto imported = Import(*fresh, text);
  ASSERT_TRUE(imported.ok()) << imported.status().ToString();
  auto got = fresh->GetLesson("l-bad");
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->title, "bad \xef\xbf\xbd byte");
}

class TamperTest : public ExportTest {
 protected:
  void SetUp() override {
    ExportTest::SetUp();
    Populate(*store_);
    good_ = Export(*store_);
    target_ = Open("target.db");
    ASSERT_TRUE(target_->CreateEpisode(MakeEpisode("existing")).ok());
    before_ = Records(Export(*target_));
  }
  void ExpectRejected(const std::string& text, ErrorCode code) {
    auto r = Import(*target_, text);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), code) << r.status().ToString();
    EXPECT_EQ(Records(Export(*target_)), before_);
  }
  std::string good_;
  std::unique_ptr<Store> target_;
  std::vector<std::string> before_;
};

TEST_F(TamperTest, FlippedByteIsRejected) {
  for (std::size_t pos : {good_.size() / 2, good_.size() / 3, good_.find("\"ep-2\"") + 2}) {
    std::string bad = good_;
    bad[pos] ^= 0x01;
    ExpectRejected(bad, ErrorCode::kCorruption);
  }
}

TEST_F(TamperTest, TruncationIsRejected) {
  auto lines = Lines(good_);
  ExpectRejected(good_.substr(0, good_.size() / 2), ErrorCode::kCorruption);
  lines.pop_back();
  ExpectRejected(Join(lines), ErrorCode::kCorruption);  // no trailer
  ExpectRejected(lines[0] + "\n", ErrorCode::kCorruption);
  // A dropped record with the old trailer: count and CRC no longer match.
  auto again = Lines(good_);
  again.erase(again.begin() + 2);
  ExpectRejected(Join(again), ErrorCode::kCorruption);
}

TEST_F(TamperTest, WrongMagicOrVersionIsRejected) {
  auto lines = Lines(good_);
  auto with_header = [&](Json h) {
    auto copy = lines;
    copy[0] = h.dump();
    return Reseal(copy);
  };
  Json h = Json::parse(lines[0]);
  h["magic"] = "other-export";
  ExpectRejected(with_header(h), ErrorCode::kCorruption);
  for (int version : {0, 3}) {  // this engram reads 1 and 2
    h = Json::parse(lines[0]);
    h["format_version"] = version;
    ExpectRejected(with_header(h), ErrorCode::kFailedPrecondition);
  }
  ExpectRejected("", ErrorCode::kCorruption);
  ExpectRejected("hello\n", ErrorCode::kCorruption);
}

TEST_F(TamperTest, InvalidRecordWithValidChecksumWritesNothing) {
  auto lines = Lines(good_);
  // The last kv record is invalid (version 0): every record before it would
  // import fine, yet nothing may be written.
  std::size_t last_kv = 0;
  for (std::size_t i = 1; i + 1 < lines.size(); ++i) {
    if (Json::parse(lines[i])["kind"] == "kv") last_kv = i;
  }
  ASSERT_GT(last_kv, 0u);
  Json kv = Json::parse(lines[last_kv]);
  kv["data"]["version"] = 0;
  lines[last_kv] = kv.dump();
  ExpectRejected(Reseal(lines), ErrorCode::kCorruption);

  // The last record, a note, is invalid (empty text, refused by the store
  // after everything else was written in the transaction): nothing remains.
  lines = Lines(good_);
  Json note = Json::parse(lines[lines.size() - 2]);
  ASSERT_EQ(note["kind"], "note");
  note["data"]["text"] = "";
  lines[lines.size() - 2] = note.dump();
  ExpectRejected(Reseal(lines), ErrorCode::kCorruption);
  note["data"]["text"] = 5;
  lines[lines.size() - 2] = note.dump();
  ExpectRejected(Reseal(lines), ErrorCode::kCorruption);

  lines = Lines(good_);
  Json rec = Json::parse(lines[1]);
  rec["kind"] = "mystery";
  lines[1] = rec.dump();
  ExpectRejected(Reseal(lines), ErrorCode::kCorruption);

  lines = Lines(good_);
  Json emb = Json::parse(lines[5]);
  emb["data"]["lesson_id"] = "no-such-lesson";
  lines[5] = emb.dump();
  ExpectRejected(Reseal(lines), ErrorCode::kNotFound);

  lines = Lines(good_);
  Json ep = Json::parse(lines[1]);
  ep["data"]["steps"][1]["number"] = 7;
  lines[1] = ep.dump();
  ExpectRejected(Reseal(lines), ErrorCode::kCorruption);
}

}  // namespace
}  // namespace engram::store_test
