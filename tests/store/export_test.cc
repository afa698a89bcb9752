// JSONL export/import: lossless round trip, header/trailer/CRC-32 format,
// and rejection of damaged or invalid input with nothing written.
#include <gtest/gtest.h>
#include <zlib.h>

#include <cstdio>
#include <sstream>

#include "engram/export.h"
#include "store_test_util.h"

namespace engram::store_test {
namespace {

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

std::string Join(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) out += l + "\n";
  return out;
}

// Rewrites the trailer so the CRC matches `lines` (all but the trailer).
std::string Reseal(std::vector<std::string> lines) {
  lines.pop_back();
  std::string body = Join(lines);
  auto crc = crc32(0, reinterpret_cast<const Bytef*>(body.data()), static_cast<uInt>(body.size()));
  char hex[9];
  std::snprintf(hex, sizeof hex, "%08lx", static_cast<unsigned long>(crc));
  return body + "{\"kind\":\"trailer\",\"records\":" + std::to_string(lines.size() - 1) +
         ",\"crc32\":\"" + hex + "\"}\n";
}

class ExportTest : public StoreTest {
 protected:
  void Populate(Store& s) {
    Episode e = MakeEpisode("ep-1");
    ASSERT_TRUE(s.CreateEpisode(e).ok());
    ASSERT_TRUE(s.AppendStep("ep-1", MakeStep("a", 11), 10).ok());
    ASSERT_TRUE(s.AppendStep("ep-1", MakeStep("b", 12), 10).ok());
    ASSERT_TRUE(s.CompleteEpisode("ep-1", MakeSuccess(), MakeReward(), MakeReflection(), 99).ok());
    ASSERT_TRUE(s.CreateEpisode(MakeEpisode("ep-2", 5'000)).ok());
    Lesson l = MakeLesson("l-1");
    l.last_used_at = 77;
    ASSERT_TRUE(s.InsertLesson(l).ok());
    l.version = 2;
    l.content = "better";
    l.updated_at = 2'000;
    ASSERT_TRUE(s.UpdateLesson(l, "update").ok());
    ASSERT_TRUE(s.InsertLesson(MakeLesson("l-2")).ok());
    ASSERT_TRUE(s.PutEmbedding({"l-1", "use-lite", {0.1f, -2.5f, 1e-30f, 3.4e38f}, 5}).ok());
    ASSERT_TRUE(s.PutEmbedding({"l-2", "use-lite", {1.0f / 3}, 6}).ok());
    KvPutOptions ttl;
    ttl.ttl_ms = 10;
    ASSERT_TRUE(s.KvPut("ns", "expiring", Json{{"a", nullptr}}, ttl, 1).ok());
    ASSERT_TRUE(s.KvPut("ns", "k", Json::array({1, "x", 2.5}), {}, 1).ok());
    ASSERT_TRUE(s.KvPut("ns", "k", "v2", {}, 2).ok());
    // Notes: ids interleave across threads, so the export must keep them.
    ASSERT_NE(s.fulltext(), nullptr);
    Note n;
    n.thread = "t2";
    n.text = "the deploy script needs the staging token";
    n.timestamp = 3;
    ASSERT_TRUE(s.fulltext()->AddNotes({&n, 1}).ok());
    n.thread = "t1";
    n.speaker = "ana";
    n.text = "flaky login test fixed by awaiting setup";
    n.metadata = Json{{"session", 1}};
    ASSERT_TRUE(s.fulltext()->AddNotes({&n, 1}).ok());
    n.text = "second note in thread one";
    ASSERT_TRUE(s.fulltext()->AddNotes({&n, 1}).ok());
  }

  std::string Export(Store& s) {
    std::ostringstream out;
    auto r = ExportJsonl(s, out);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return out.str();
  }

  Result<ExportStats> Import(Store& s, const std::string& text) {
    std::istringstream in(text);
    return ImportJsonl(s, in);
  }

  // Everything except the header (its created_at varies) and the trailer.
  static std::vector<std::string> Records(const std::string& text) {
    auto lines = Lines(text);
    return {lines.begin() + 1, lines.end() - 1};
  }
};

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
  EXPECT_EQ(lines[0].rfind("{\"magic\":\"engram-export\",\"format_version\":1,", 0), 0u)
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
  h = Json::parse(lines[0]);
  h["format_version"] = 2;
  ExpectRejected(with_header(h), ErrorCode::kFailedPrecondition);
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
