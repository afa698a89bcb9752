// JSON Lines export/import of a whole Store (format: docs/FORMATS.md).
//
// Export runs inside one Store transaction so the file is a consistent
// snapshot. Import reads the whole input, checks header, trailer, record
// count and CRC-32, converts every record into its model type, and only then
// writes everything inside one Store transaction.
#include <zlib.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <exception>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

#include "engram/export.h"
#include "engram/fulltext.h"
#include "engram/time.h"

namespace engram {
namespace {

constexpr std::string_view kMagic = "engram-export";

Json EmbeddingToJson(const Embedding& e) {
  return Json{{"lesson_id", e.lesson_id},
              {"model_id", e.model_id},
              {"dim", e.vector.size()},
              {"vector", e.vector},
              {"created_at", e.created_at}};
}

Result<Embedding> EmbeddingFromJson(const Json& j) {
  try {
    Embedding e;
    e.lesson_id = j.at("lesson_id").get<std::string>();
    e.model_id = j.at("model_id").get<std::string>();
    e.vector = j.at("vector").get<std::vector<float>>();
    e.created_at = j.at("created_at").get<Timestamp>();
    if (j.at("dim").get<std::size_t>() != e.vector.size()) {
      return Status::InvalidArgument("embedding dim does not match its vector");
    }
    return e;
  } catch (const std::exception& ex) {
    return Status::InvalidArgument(std::string("embedding: ") + ex.what());
  }
}

std::string Hex32(std::uint32_t v) {
  char buf[9];
  std::snprintf(buf, sizeof buf, "%08x", v);
  return buf;
}

std::uint32_t Crc(std::uint32_t crc, std::string_view bytes) {
  // zlib takes uInt lengths; feed large inputs in chunks.
  while (!bytes.empty()) {
    auto n = static_cast<uInt>(std::min<std::size_t>(bytes.size(), 1u << 30));
    crc = static_cast<std::uint32_t>(crc32(crc, reinterpret_cast<const Bytef*>(bytes.data()), n));
    bytes.remove_prefix(n);
  }
  return crc;
}

std::int64_t Count(std::string_view text, std::string_view what) {
  std::int64_t n = 0;
  for (auto at = text.find(what); at != std::string_view::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

// `j` as JSON text. Invalid UTF-8 in stored text (a damaged byte, text
// written by an older version) is replaced by U+FFFD, as everywhere engram
// prints stored text; `replaced` counts the sequences replaced.
Result<std::string> Dump(const Json& j, std::int64_t& replaced) {
  try {
    return j.dump();
  } catch (const Json::type_error& e) {
    if (e.id != 316) {  // not "invalid UTF-8 byte"
      return Status::InvalidArgument(std::string("record cannot be written as JSON: ") + e.what());
    }
  } catch (const std::exception& e) {
    return Status::InvalidArgument(std::string("record cannot be written as JSON: ") + e.what());
  }
  try {
    std::string text = j.dump(-1, ' ', false, Json::error_handler_t::replace);
    // U+FFFD the text already held is in both; only replacements differ.
    static constexpr std::string_view kReplacement = "\xEF\xBF\xBD";
    const std::string kept = j.dump(-1, ' ', false, Json::error_handler_t::ignore);
    replaced += Count(text, kReplacement) - Count(kept, kReplacement);
    return text;
  } catch (const std::exception& e) {
    return Status::InvalidArgument(std::string("record cannot be written as JSON: ") + e.what());
  }
}

// Writes lines to `out`, keeping the running CRC-32 of everything written.
class LineWriter {
 public:
  explicit LineWriter(std::ostream& out) : out_(out) {}
  Status Line(std::string_view text) {
    out_.write(text.data(), static_cast<std::streamsize>(text.size()));
    out_.put('\n');
    if (!out_) return Status::IOError("writing the export failed");
    crc_ = Crc(Crc(crc_, text), "\n");
    return Status::Ok();
  }
  // {"kind":"<kind>","data":<data>}: kind first so a reader can dispatch.
  Status Record(std::string_view kind, const Json& data) {
    ENGRAM_ASSIGN_OR_RETURN(std::string body, Dump(data, replaced_utf8_));
    ++records_;
    return Line("{\"kind\":\"" + std::string(kind) + "\",\"data\":" + body + "}");
  }
  std::uint32_t crc() const { return crc_; }
  std::int64_t records() const { return records_; }
  std::int64_t replaced_utf8() const { return replaced_utf8_; }

 private:
  std::ostream& out_;
  std::uint32_t crc_ = 0;
  std::int64_t records_ = 0;
  std::int64_t replaced_utf8_ = 0;
};

// Every record of an import, converted and ready to write.
struct Parsed {
  std::vector<Episode> episodes;
  std::vector<std::pair<Lesson, std::vector<LessonVersion>>> lessons;
  std::vector<Embedding> embeddings;
  std::vector<KvEntry> kv;
  std::vector<Note> notes;
};

Status ParseRecord(const Json& line, Parsed& p) {
  if (!line.is_object() || !line.contains("kind") || !line["kind"].is_string() ||
      !line.contains("data")) {
    return Status::InvalidArgument("not a {\"kind\", \"data\"} record");
  }
  const std::string kind = line["kind"].get<std::string>();
  const Json& data = line["data"];
  if (kind == "episode") {
    ENGRAM_ASSIGN_OR_RETURN(Episode e, EpisodeFromJson(data));
    p.episodes.push_back(std::move(e));
  } else if (kind == "lesson") {
    if (!data.is_object() || !data.contains("lesson") || !data.contains("history") ||
        !data["history"].is_array()) {
      return Status::InvalidArgument("lesson record needs \"lesson\" and a \"history\" array");
    }
    ENGRAM_ASSIGN_OR_RETURN(Lesson l, LessonFromJson(data["lesson"]));
    std::vector<LessonVersion> history;
    for (const Json& v : data["history"]) {
      ENGRAM_ASSIGN_OR_RETURN(LessonVersion lv, LessonVersionFromJson(v));
      history.push_back(std::move(lv));
    }
    p.lessons.emplace_back(std::move(l), std::move(history));
  } else if (kind == "embedding") {
    ENGRAM_ASSIGN_OR_RETURN(Embedding e, EmbeddingFromJson(data));
    p.embeddings.push_back(std::move(e));
  } else if (kind == "kv") {
    ENGRAM_ASSIGN_OR_RETURN(KvEntry e, KvEntryFromJson(data));
    p.kv.push_back(std::move(e));
  } else if (kind == "note") {
    ENGRAM_ASSIGN_OR_RETURN(Note n, NoteFromJson(data));
    if (n.id <= 0 || n.position < 0) {
      return Status::InvalidArgument("note record needs a positive id and a position");
    }
    p.notes.push_back(std::move(n));
  } else {
    return Status::InvalidArgument("unknown record kind '" + kind + "'");
  }
  return Status::Ok();
}

Result<Json> ParseLine(std::string_view text, std::size_t line_no) {
  Result<Json> j = ParseJson(text, "line " + std::to_string(line_no));
  if (!j.ok()) return Status::Corruption("export " + j.status().message());
  return j;
}

Status CheckHeader(const Json& h) {
  if (!h.is_object() || !h.contains("magic") || !h["magic"].is_string() ||
      h["magic"].get<std::string>() != kMagic) {
    return Status::Corruption("not an engram export: the header has no \"magic\":\"" +
                              std::string(kMagic) + "\"");
  }
  if (!h.contains("format_version") || !h["format_version"].is_number_integer() ||
      h["format_version"].get<std::int64_t>() != kExportFormatVersion) {
    return Status::FailedPrecondition(
        "unsupported export format_version " +
        (h.contains("format_version") ? h["format_version"].dump() : std::string("(missing)")) +
        "; this engram reads version " + std::to_string(kExportFormatVersion));
  }
  return Status::Ok();
}

// Notes live in the store's full-text side (a store without one has none).
Status ExportNotes(Store& store, LineWriter& w, ExportStats& stats) {
  FullTextIndex* text = store.fulltext();
  if (text == nullptr) return Status::Ok();
  ENGRAM_ASSIGN_OR_RETURN(std::vector<std::string> threads, text->NoteThreads());
  for (const std::string& thread : threads) {
    ENGRAM_ASSIGN_OR_RETURN(std::vector<Note> notes, text->ThreadNotes(thread));
    for (const Note& n : notes) {
      ++stats.notes;
      ENGRAM_RETURN_IF_ERROR(w.Record("note", ToJson(n)));
    }
  }
  return Status::Ok();
}

// Imported threads replace the stored threads of the same name.
Status ImportNotes(Store& store, const std::vector<Note>& notes) {
  if (notes.empty()) return Status::Ok();
  FullTextIndex* text = store.fulltext();
  if (text == nullptr) return Status::FailedPrecondition("this store cannot hold notes");
  std::vector<std::string> threads;
  threads.reserve(notes.size());
  for (const Note& n : notes) threads.push_back(n.thread);
  std::sort(threads.begin(), threads.end());
  threads.erase(std::unique(threads.begin(), threads.end()), threads.end());
  for (const std::string& t : threads) ENGRAM_RETURN_IF_ERROR(text->DeleteThread(t).status());
  return text->AddNotes(notes).status();
}

Result<ExportStats> Export(Store& store, std::ostream& out) {
  ExportStats stats;
  LineWriter w(out);
  ENGRAM_RETURN_IF_ERROR(store.RunInTransaction([&]() -> Status {
    ENGRAM_ASSIGN_OR_RETURN(StoreStats s, store.Stats());
    ENGRAM_RETURN_IF_ERROR(w.Line("{\"magic\":\"" + std::string(kMagic) +
                                  "\",\"format_version\":" + std::to_string(kExportFormatVersion) +
                                  ",\"schema_version\":" + std::to_string(s.schema_version) +
                                  ",\"created_at\":\"" + FormatIso8601(SystemClock::Get().NowMs()) +
                                  "\"}"));
    ENGRAM_RETURN_IF_ERROR(store.ForEachEpisode([&](const Episode& e) {
      ++stats.episodes;
      return w.Record("episode", ToJson(e));
    }));
    ENGRAM_RETURN_IF_ERROR(
        store.ForEachLesson([&](const Lesson& l, const std::vector<LessonVersion>& history) {
          ++stats.lessons;
          stats.lesson_versions += static_cast<std::int64_t>(history.size());
          Json h = Json::array();
          for (const LessonVersion& v : history) h.push_back(ToJson(v));
          return w.Record("lesson", Json{{"lesson", ToJson(l)}, {"history", std::move(h)}});
        }));
    ENGRAM_RETURN_IF_ERROR(store.ForEachEmbedding([&](const Embedding& e) {
      ++stats.embeddings;
      return w.Record("embedding", EmbeddingToJson(e));
    }));
    ENGRAM_RETURN_IF_ERROR(store.ForEachKv([&](const KvEntry& e) {
      ++stats.kv_entries;
      return w.Record("kv", ToJson(e));
    }));
    return ExportNotes(store, w, stats);
  }));
  ENGRAM_RETURN_IF_ERROR(w.Line("{\"kind\":\"trailer\",\"records\":" + std::to_string(w.records()) +
                                ",\"crc32\":\"" + Hex32(w.crc()) + "\"}"));
  out.flush();
  if (!out) return Status::IOError("flushing the export failed");
  stats.invalid_utf8_replaced = w.replaced_utf8();
  return stats;
}

Result<ExportStats> Import(Store& store, std::istream& in) {
  std::string text;
  try {
    text.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  } catch (const std::exception& e) {
    return Status::IOError(std::string("reading the export failed: ") + e.what());
  }
  if (in.bad()) return Status::IOError("reading the export failed");
  if (text.empty()) return Status::Corruption("not an engram export: the input is empty");

  // Split into lines; the last line (the trailer) may lack its newline.
  std::vector<std::string_view> lines;
  std::vector<std::size_t> starts;
  for (std::size_t pos = 0; pos < text.size();) {
    std::size_t nl = text.find('\n', pos);
    if (nl == std::string::npos) nl = text.size();
    starts.push_back(pos);
    lines.emplace_back(text.data() + pos, nl - pos);
    pos = nl + 1;
  }

  ENGRAM_ASSIGN_OR_RETURN(Json header, ParseLine(lines.front(), 1));
  ENGRAM_RETURN_IF_ERROR(CheckHeader(header));
  if (lines.size() < 2) return Status::Corruption("export is truncated: no trailer");
  Result<Json> trailer = ParseJson(lines.back(), "trailer");
  if (!trailer.ok() || !trailer->is_object() || trailer->value("kind", "") != "trailer") {
    return Status::Corruption("export is truncated or damaged: the last line is not a trailer");
  }
  const std::size_t record_count = lines.size() - 2;
  if (!(*trailer)["records"].is_number_integer() ||
      (*trailer)["records"].get<std::int64_t>() != static_cast<std::int64_t>(record_count)) {
    return Status::Corruption("export trailer announces " + (*trailer)["records"].dump() +
                              " records but the file holds " + std::to_string(record_count));
  }
  const std::string expected = Hex32(Crc(0, std::string_view(text).substr(0, starts.back())));
  if (trailer->value("crc32", "") != expected) {
    return Status::Corruption("export checksum mismatch: trailer says " +
                              (*trailer)["crc32"].dump() + ", content has \"" + expected + "\"");
  }

  Parsed parsed;
  for (std::size_t i = 1; i + 1 < lines.size(); ++i) {
    ENGRAM_ASSIGN_OR_RETURN(Json line, ParseLine(lines[i], i + 1));
    Status st = ParseRecord(line, parsed);
    if (!st.ok()) {
      return Status::Corruption("export line " + std::to_string(i + 1) + ": " + st.message());
    }
  }

  ExportStats stats;
  Status written = store.RunInTransaction([&]() -> Status {
    // Lessons before embeddings: an embedding needs its lesson.
    for (const Episode& e : parsed.episodes) ENGRAM_RETURN_IF_ERROR(store.ImportEpisode(e));
    for (const auto& [lesson, history] : parsed.lessons) {
      ENGRAM_RETURN_IF_ERROR(store.ImportLesson(lesson, history));
      stats.lesson_versions += static_cast<std::int64_t>(history.size());
    }
    for (const Embedding& e : parsed.embeddings) ENGRAM_RETURN_IF_ERROR(store.PutEmbedding(e));
    for (const KvEntry& e : parsed.kv) ENGRAM_RETURN_IF_ERROR(store.ImportKv(e));
    return ImportNotes(store, parsed.notes);
  });
  // A record the store refuses as malformed means the file failed a check.
  if (written.code() == ErrorCode::kInvalidArgument) {
    return Status::Corruption("export record rejected: " + written.message());
  }
  ENGRAM_RETURN_IF_ERROR(written);
  stats.episodes = static_cast<std::int64_t>(parsed.episodes.size());
  stats.lessons = static_cast<std::int64_t>(parsed.lessons.size());
  stats.embeddings = static_cast<std::int64_t>(parsed.embeddings.size());
  stats.kv_entries = static_cast<std::int64_t>(parsed.kv.size());
  stats.notes = static_cast<std::int64_t>(parsed.notes.size());
  // A bulk load leaves the full-text postings in many segments: merge them
  // (Store::OptimizeFullText). The import is committed either way; a failed
  // merge leaves the index correct, only unmerged, so it does not fail it.
  if (stats.episodes + stats.lessons + stats.notes >= kOptimizeAfterRecords) {
    (void)store.OptimizeFullText();
  }
  return stats;
}

// Anything nlohmann or the stream throws becomes a Status here.
template <typename F>
Result<ExportStats> NoThrow(std::string_view what, F&& f) {
  try {
    return f();
  } catch (const std::exception& e) {
    return Status::InvalidArgument(std::string(what) + " failed: " + e.what());
  }
}

}  // namespace

Result<ExportStats> ExportJsonl(Store& store, std::ostream& out) {
  return NoThrow("export", [&] { return Export(store, out); });
}

Result<ExportStats> ImportJsonl(Store& store, std::istream& in) {
  return NoThrow("import", [&] { return Import(store, in); });
}

}  // namespace engram
