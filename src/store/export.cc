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
#include "engram/time.h"
#include "store/export_records.h"

namespace engram {
namespace {

constexpr std::string_view kMagic = "engram-export";

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

Result<Json> ParseLine(std::string_view text, std::size_t line_no) {
  Result<Json> j = ParseJson(text, "line " + std::to_string(line_no));
  if (!j.ok()) return Status::Corruption("export " + j.status().message());
  return j;
}

// The header's format version, once magic and version are checked.
Result<int> CheckHeader(const Json& h) {
  if (!h.is_object() || !h.contains("magic") || !h["magic"].is_string() ||
      h["magic"].get<std::string>() != kMagic) {
    return Status::Corruption("not an engram export: the header has no \"magic\":\"" +
                              std::string(kMagic) + "\"");
  }
  const Json* v = h.contains("format_version") ? &h["format_version"] : nullptr;
  if (v == nullptr || !v->is_number_integer() ||
      v->get<std::int64_t>() < kOldestExportFormatVersion ||
      v->get<std::int64_t>() > kExportFormatVersion) {
    return Status::FailedPrecondition(
        "unsupported export format_version " + (v != nullptr ? v->dump() : "(missing)") +
        "; this engram reads versions " + std::to_string(kOldestExportFormatVersion) + " to " +
        std::to_string(kExportFormatVersion));
  }
  return static_cast<int>(v->get<std::int64_t>());
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
    return export_internal::WriteRecords(
        store, [&w](std::string_view kind, const Json& data) { return w.Record(kind, data); },
        stats);
  }));
  ENGRAM_RETURN_IF_ERROR(w.Line("{\"kind\":\"trailer\",\"records\":" + std::to_string(w.records()) +
                                ",\"crc32\":\"" + Hex32(w.crc()) + "\"}"));
  out.flush();
  if (!out) return Status::IOError("flushing the export failed");
  stats.invalid_utf8_replaced = w.replaced_utf8();
  stats.format_version = kExportFormatVersion;
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
  ENGRAM_ASSIGN_OR_RETURN(const int version, CheckHeader(header));
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

  export_internal::ParsedRecords parsed;
  for (std::size_t i = 1; i + 1 < lines.size(); ++i) {
    ENGRAM_ASSIGN_OR_RETURN(Json line, ParseLine(lines[i], i + 1));
    Status st = export_internal::ParseRecord(version, i + 1, line, parsed);
    if (!st.ok()) {
      return Status::Corruption("export line " + std::to_string(i + 1) + ": " + st.message());
    }
  }

  ExportStats stats;
  Status written = store.RunInTransaction(
      [&]() -> Status { return export_internal::ImportRecords(store, parsed, stats); });
  // A record the store refuses as malformed means the file failed a check
  // (the message names the record's line).
  if (written.code() == ErrorCode::kInvalidArgument) return Status::Corruption(written.message());
  ENGRAM_RETURN_IF_ERROR(written);
  stats.format_version = version;
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
