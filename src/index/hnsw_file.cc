// HnswIndex::Save / HnswIndex::Load: the index file envelope around
// hnswlib's own (unversioned, unchecked) saveIndex bytes. Layout, all
// little-endian (docs/INDEX.md):
//   char[8] magic "ENGRVIDX" | u32 format version (3; Load also reads 1, 2)
//   | u32 dimension | u32 metric
//   | u32 reserved | u64 M | u64 ef_construction | u64 label count
//   | u64 live count | str16 model id | str16 source fingerprint
//   | u64 n + n bytes id table (LabelTable::Encode)
//   | u64 n + n bytes hnswlib graph (HierarchicalNSW::saveIndex)
//   | u32 CRC-32 of every byte before it.
// Graph elements are VectorRecords (vector_record.h) since version 3; the
// float-only elements of versions 1 and 2 are converted while loading.
// Load checks magic and version, then the CRC, then every size and the
// graph's structure before it hands anything to the caller.
#include <algorithm>
#include <cstring>
#include <utility>

#include "index/bytes.h"
#include "index/file_io.h"
#include "index/hnsw_index_impl.h"
#include "index/vector_record.h"

namespace engram {
namespace index_internal {
namespace {

constexpr char kMagic[8] = {'E', 'N', 'G', 'R', 'V', 'I', 'D', 'X'};
constexpr std::uint32_t kMetricInnerProduct = 1;  // 1 - <a, b> over unit vectors
constexpr std::size_t kMaxFingerprintBytes = 1024;
constexpr std::uint64_t kFixedHeaderBytes = 56;  // magic .. live count
constexpr std::uint64_t kMinFileBytes = kFixedHeaderBytes + 2 + 2 + 8 + 8 + 4;
constexpr std::uint64_t kMaxHeaderBytes =
    kFixedHeaderBytes + 2 + 255 + 2 + kMaxFingerprintBytes + 8;
constexpr std::uint64_t kGraphHeaderBytes = 96;  // saveIndex's fixed fields
constexpr std::uint64_t kMaxLevels = 64;

// The fields saveIndex writes before the element data, in order.
struct GraphHeader {
  std::uint64_t offset_level0 = 0, max_elements = 0, count = 0, size_data_per_element = 0,
                label_offset = 0, offset_data = 0;
  std::int32_t max_level = 0;
  std::uint32_t entry_point = 0;
  std::uint64_t max_m = 0, max_m0 = 0, m = 0;
  double mult = 0;
  std::uint64_t ef_construction = 0;
};

bool ParseGraphHeader(std::string_view bytes, GraphHeader* h) {
  ByteReader r(bytes);
  return r.Get(&h->offset_level0) && r.Get(&h->max_elements) && r.Get(&h->count) &&
         r.Get(&h->size_data_per_element) && r.Get(&h->label_offset) && r.Get(&h->offset_data) &&
         r.Get(&h->max_level) && r.Get(&h->entry_point) && r.Get(&h->max_m) && r.Get(&h->max_m0) &&
         r.Get(&h->m) && r.Get(&h->mult) && r.Get(&h->ef_construction);
}

std::uint64_t LinksBytes(std::uint64_t max_m) { return max_m * 4 + 4; }

// Bytes of one element's data in a graph of file format `version`.
std::uint64_t ElementDataBytes(std::uint32_t version, std::size_t dimension) {
  return version >= kFirstRecordFormatVersion ? RecordLayout::For(dimension).bytes
                                              : dimension * sizeof(float);
}

// The header must describe elements of `vector_bytes` data bytes of a sane
// graph, and the per-element link-list sizes must add up to exactly
// `graph_bytes` (what hnswlib's loadIndex would otherwise find out by
// throwing midway).
// On success *header holds the graph header's bytes.
std::string CheckGraphBytes(const FileReader& file, std::uint64_t offset, std::uint64_t graph_bytes,
                            std::uint64_t vector_bytes, std::size_t dimension,
                            std::size_t label_count, std::string* header, Status* io) {
  std::string raw;
  *io = file.ReadAt(offset, kGraphHeaderBytes, header);
  GraphHeader h;
  if (!io->ok() || !ParseGraphHeader(*header, &h)) return "graph header truncated";
  const std::uint64_t links0 = LinksBytes(h.max_m0);
  if (h.m < 2 || h.m > 1024 || h.max_m != h.m || h.max_m0 != 2 * h.m) return "bad graph degree";
  if (h.offset_level0 != 0 || h.offset_data != links0 || h.label_offset != links0 + vector_bytes ||
      h.size_data_per_element != links0 + vector_bytes + 8) {
    return "graph element layout does not match dimension " + std::to_string(dimension);
  }
  if (h.count > label_count) return "graph holds more elements than the id table";
  if (h.count > 0 && (h.entry_point >= h.count || h.max_level < 0 ||
                      static_cast<std::uint64_t>(h.max_level) >= kMaxLevels)) {
    return "bad graph entry point";
  }
  std::uint64_t pos = kGraphHeaderBytes + h.count * h.size_data_per_element;
  const std::uint64_t upper = LinksBytes(h.max_m);
  for (std::uint64_t i = 0; i < h.count; ++i) {
    std::uint32_t n = 0;
    if (pos + 4 > graph_bytes) return "graph truncated";
    *io = file.ReadAt(offset + pos, 4, &raw);
    if (!io->ok()) return "graph truncated";
    std::memcpy(&n, raw.data(), 4);
    if (n % upper != 0 || n / upper >= kMaxLevels) return "bad link list size";
    pos += 4 + n;
  }
  if (pos != graph_bytes) return "graph size does not add up";
  return {};
}

// Writes the checked graph of a version 1 or 2 file (float-only elements;
// `header` is its header as CheckGraphBytes read it) to `out` with
// VectorRecord elements: the header's element size and label offset grow,
// each element's floats become a record, its links and label are copied,
// and the upper-layer link lists follow unchanged.
Status UpgradeGraph(const FileReader& file, std::uint64_t offset, std::uint64_t graph_bytes,
                    std::size_t dimension, std::string header, ScratchFile* out) {
  GraphHeader h;
  (void)ParseGraphHeader(header, &h);  // CheckGraphBytes parsed it already
  const RecordLayout layout = RecordLayout::For(dimension);
  const std::uint64_t links0 = h.offset_data, old_size = h.size_data_per_element;
  const std::uint64_t label_offset = links0 + layout.bytes, new_size = label_offset + 8;
  std::memcpy(header.data() + 24, &new_size, 8);  // size_data_per_element
  std::memcpy(header.data() + 32, &label_offset, 8);
  ENGRAM_RETURN_IF_ERROR(out->Append(header));

  constexpr std::uint64_t kBatch = 1024;
  std::string in, converted;
  std::vector<float> vector(dimension);
  for (std::uint64_t first = 0; first < h.count; first += kBatch) {
    const std::uint64_t n = std::min(kBatch, h.count - first);
    ENGRAM_RETURN_IF_ERROR(
        file.ReadAt(offset + kGraphHeaderBytes + first * old_size, n * old_size, &in));
    converted.assign(n * new_size, '\0');
    for (std::uint64_t j = 0; j < n; ++j) {
      const char* src = in.data() + j * old_size;
      char* dst = converted.data() + j * new_size;
      std::memcpy(dst, src, links0);
      std::memcpy(vector.data(), src + links0, dimension * sizeof(float));
      EncodeRecord(vector.data(), layout, dst + links0);
      std::memcpy(dst + label_offset, src + links0 + dimension * sizeof(float), 8);
    }
    ENGRAM_RETURN_IF_ERROR(out->Append(converted));
  }
  constexpr std::uint64_t kChunk = 1 << 20;
  for (std::uint64_t pos = kGraphHeaderBytes + h.count * old_size; pos < graph_bytes;
       pos += kChunk) {
    ENGRAM_RETURN_IF_ERROR(file.ReadAt(offset + pos, std::min(kChunk, graph_bytes - pos), &in));
    ENGRAM_RETURN_IF_ERROR(out->Append(in));
  }
  return Status::Ok();
}

}  // namespace

Status HnswIndexImpl::Save(const std::string& path, std::string_view fingerprint) const {
  if (fingerprint.size() > kMaxFingerprintBytes) {
    return Status::InvalidArgument("source fingerprint longer than 1024 bytes");
  }
  std::shared_lock lock(mu_);
  std::string head(kMagic, sizeof kMagic);
  ByteWriter w(&head);
  w.Put(kIndexFormatVersion);
  w.Put(static_cast<std::uint32_t>(dimension_));
  w.Put(kMetricInnerProduct);
  w.Put<std::uint32_t>(0);
  w.Put<std::uint64_t>(graph_->M());
  w.Put<std::uint64_t>(graph_->ef_construction());
  w.Put<std::uint64_t>(table_.size());
  w.Put<std::uint64_t>(table_.live_count());
  w.PutString16(options_.model_id);
  w.PutString16(fingerprint);
  std::string ids;
  table_.Encode(&ids);
  w.Put<std::uint64_t>(ids.size());
  head += ids;

  ScratchFile scratch;
  ENGRAM_RETURN_IF_ERROR(scratch.Create());
  ENGRAM_RETURN_IF_ERROR(graph_->SaveTo(scratch.path()));
  ENGRAM_ASSIGN_OR_RETURN(const std::uint64_t graph_bytes, scratch.Size());
  w.Put(graph_bytes);

  AtomicFileWriter out(path);
  ENGRAM_RETURN_IF_ERROR(out.Open());
  ENGRAM_RETURN_IF_ERROR(out.Append(head));
  ENGRAM_RETURN_IF_ERROR(out.AppendFrom(scratch.fd(), graph_bytes));
  std::string tail;
  ByteWriter(&tail).Put(out.crc());
  ENGRAM_RETURN_IF_ERROR(out.Append(tail));
  return out.Commit();
}

}  // namespace index_internal

Result<std::unique_ptr<HnswIndex>> HnswIndex::Load(const std::string& path,
                                                   const HnswOptions& options,
                                                   std::string_view expected_fingerprint) {
  using namespace index_internal;  // NOLINT(google-build-using-namespace): this file's own helpers
  ENGRAM_RETURN_IF_ERROR(CheckHnswOptions(options));
  const auto corrupt = [&](const std::string& why) {
    return Status::Corruption("vector index '" + path + "': " + why);
  };
  const auto unusable = [&](const std::string& why) {
    return Status::FailedPrecondition("vector index '" + path + "': " + why);
  };
  FileReader file;
  ENGRAM_RETURN_IF_ERROR(file.Open(path));
  const std::uint64_t size = file.size();
  if (size < kMinFileBytes)
    return corrupt("too short to be an index (" + std::to_string(size) + " bytes)");

  std::string head;
  ENGRAM_RETURN_IF_ERROR(file.ReadAt(0, std::min(size - 4, kMaxHeaderBytes), &head));
  if (std::memcmp(head.data(), kMagic, sizeof kMagic) != 0)
    return corrupt("bad magic (not an engram vector index)");
  ByteReader r(std::string_view(head).substr(sizeof kMagic));
  std::uint32_t version = 0, dimension = 0, metric = 0, reserved = 0;
  (void)r.Get(&version);  // the minimum size covers the fixed header
  if (version < kOldestIndexFormatVersion || version > kIndexFormatVersion) {
    return unusable("format version " + std::to_string(version) + "; this build reads versions " +
                    std::to_string(kOldestIndexFormatVersion) + " to " +
                    std::to_string(kIndexFormatVersion));
  }
  std::string stored_crc;
  ENGRAM_RETURN_IF_ERROR(file.ReadAt(size - 4, 4, &stored_crc));
  std::uint32_t want = 0, got = 0;
  std::memcpy(&want, stored_crc.data(), 4);
  ENGRAM_RETURN_IF_ERROR(file.Crc(0, size - 4, &got));
  if (got != want) return corrupt("checksum mismatch (damaged or truncated file)");

  std::uint64_t m = 0, ef_construction = 0, label_count = 0, live_count = 0, ids_bytes = 0;
  std::string model_id, fingerprint;
  if (!r.Get(&dimension) || !r.Get(&metric) || !r.Get(&reserved) || !r.Get(&m) ||
      !r.Get(&ef_construction) || !r.Get(&label_count) || !r.Get(&live_count) ||
      !r.GetString16(&model_id) || !r.GetString16(&fingerprint) || !r.Get(&ids_bytes)) {
    return corrupt("header truncated");
  }
  if (metric != kMetricInnerProduct) return unusable("unknown metric " + std::to_string(metric));
  if (model_id != options.model_id) {
    return unusable("built with model '" + model_id + "', expected '" + options.model_id + "'");
  }
  if (dimension != options.dimension) {
    return unusable("dimension " + std::to_string(dimension) + ", expected " +
                    std::to_string(options.dimension));
  }
  if (!expected_fingerprint.empty() && fingerprint != expected_fingerprint) {
    return unusable("stale: built from '" + fingerprint + "', the source is now '" +
                    std::string(expected_fingerprint) + "'");
  }
  const std::uint64_t ids_offset = head.size() - r.remaining();
  if (label_count > 0xFFFFFFFFull || live_count > label_count || ids_bytes > size - ids_offset) {
    return corrupt("bad item counts or id table size");
  }
  std::string ids, graph_len;
  ENGRAM_RETURN_IF_ERROR(file.ReadAt(ids_offset, ids_bytes, &ids));
  ENGRAM_RETURN_IF_ERROR(file.ReadAt(ids_offset + ids_bytes, 8, &graph_len));
  std::uint64_t graph_bytes = 0;
  std::memcpy(&graph_bytes, graph_len.data(), 8);
  const std::uint64_t graph_offset = ids_offset + ids_bytes + 8;
  if (graph_bytes > size || graph_offset + graph_bytes + 4 != size)
    return corrupt("section sizes do not add up");
  ENGRAM_ASSIGN_OR_RETURN(LabelTable table,
                          LabelTable::Decode(ids, label_count, /*with_times=*/version >= 2));
  if (table.live_count() != live_count) return corrupt("live count does not match the id table");
  Status io;
  std::string graph_header;
  if (std::string why =
          CheckGraphBytes(file, graph_offset, graph_bytes, ElementDataBytes(version, dimension),
                          dimension, label_count, &graph_header, &io);
      !why.empty()) {
    return io.ok() ? corrupt(why) : io;
  }

  ScratchFile scratch;
  ENGRAM_RETURN_IF_ERROR(scratch.Create());
  if (version >= kFirstRecordFormatVersion) {
    ENGRAM_RETURN_IF_ERROR(file.CopyTo(graph_offset, graph_bytes, scratch.fd()));
  } else {
    ENGRAM_RETURN_IF_ERROR(UpgradeGraph(file, graph_offset, graph_bytes, dimension,
                                        std::move(graph_header), &scratch));
  }
  auto graph = HnswGraph::LoadFrom(
      scratch.path(), {dimension, 0, 0, options.initial_capacity, options.random_seed}, table);
  if (!graph.ok()) {
    const Status& st = graph.status();
    return st.code() == ErrorCode::kCorruption ? corrupt(st.message()) : st;
  }
  HnswOptions loaded = options;
  loaded.M = static_cast<std::size_t>(m);
  loaded.ef_construction = static_cast<std::size_t>(ef_construction);
  return std::unique_ptr<HnswIndex>(std::make_unique<HnswIndexImpl>(
      loaded, std::move(graph).value(), std::move(table), std::move(fingerprint), version));
}

}  // namespace engram
