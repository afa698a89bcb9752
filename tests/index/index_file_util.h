// Test helpers that edit saved vector index files (docs/INDEX.md, "File
// format"): reseal the CRC after a deliberate change, or rewrite a file in
// the older formats 2 and 1.
#pragma once

#include <zlib.h>

#include <cstdint>
#include <cstring>
#include <string>

namespace engram::testing_index_file {

// Rewrites the trailing CRC so that only the deliberate change is "wrong".
inline void Reseal(std::string* bytes) {
  const auto crc = static_cast<std::uint32_t>(::crc32(
      0, reinterpret_cast<const Bytef*>(bytes->data()), static_cast<uInt>(bytes->size() - 4)));
  std::memcpy(bytes->data() + bytes->size() - 4, &crc, 4);
}

// Offset of the id table's u64 size: after the fixed header, the model id
// and the fingerprint (two str16 fields).
inline std::size_t IdsSizeOffset(const std::string& file) {
  std::size_t at = 56;
  for (int s = 0; s < 2; ++s) {
    std::uint16_t n = 0;
    std::memcpy(&n, file.data() + at, 2);
    at += 2 + n;
  }
  return at;
}

// Rewrites a version 3 file as version 2 wrote it: graph elements hold the
// float vector only (no int8 codes, no scale) (docs/INDEX.md).
inline std::string AsVersion2(const std::string& v3) {
  std::uint32_t dimension = 0;
  std::memcpy(&dimension, v3.data() + 12, 4);
  const std::size_t at = IdsSizeOffset(v3);
  std::uint64_t ids_bytes = 0, graph_bytes = 0;
  std::memcpy(&ids_bytes, v3.data() + at, 8);
  const std::size_t graph_at = at + 8 + ids_bytes + 8;
  std::memcpy(&graph_bytes, v3.data() + graph_at - 8, 8);
  const std::string graph = v3.substr(graph_at, graph_bytes);
  std::uint64_t count = 0, size = 0, label_offset = 0, links0 = 0;
  std::memcpy(&count, graph.data() + 16, 8);
  std::memcpy(&size, graph.data() + 24, 8);
  std::memcpy(&label_offset, graph.data() + 32, 8);
  std::memcpy(&links0, graph.data() + 40, 8);
  const std::size_t floats_at = links0 + (dimension + 3) / 4 * 4 + 4;  // past codes and scale
  const std::uint64_t vector_bytes = 4ull * dimension;
  if (label_offset != floats_at + vector_bytes || size != label_offset + 8) return {};
  const std::uint64_t new_size = links0 + vector_bytes + 8, new_label = links0 + vector_bytes;
  std::string out = graph.substr(0, 96);
  std::memcpy(out.data() + 24, &new_size, 8);
  std::memcpy(out.data() + 32, &new_label, 8);
  for (std::uint64_t i = 0; i < count; ++i) {
    const std::size_t e = 96 + i * size;
    out += graph.substr(e, links0);
    out += graph.substr(e + floats_at, vector_bytes);
    out += graph.substr(e + label_offset, 8);
  }
  out += graph.substr(96 + count * size);
  std::string v2 = v3.substr(0, graph_at - 8);
  const std::uint32_t two = 2;
  std::memcpy(v2.data() + 8, &two, 4);
  const std::uint64_t out_bytes = out.size();
  v2.append(reinterpret_cast<const char*>(&out_bytes), 8);
  v2 += out;
  v2.append(4, '\0');
  Reseal(&v2);
  return v2;
}

// Rewrites a version 2 file as version 1 wrote it: no item times in the id
// table (docs/INDEX.md, "File format").
inline std::string AsVersion1(const std::string& v2) {
  const std::size_t at = IdsSizeOffset(v2);
  std::uint64_t ids_bytes = 0, labels = 0;
  std::memcpy(&ids_bytes, v2.data() + at, 8);
  std::memcpy(&labels, v2.data() + 40, 8);
  const std::size_t ids_at = at + 8;
  std::string table;
  std::size_t p = ids_at;
  for (std::uint64_t i = 0; i < labels; ++i) {
    const bool live = v2[p] != 0;
    table += v2[p++];
    if (!live) continue;
    std::uint16_t n = 0;
    std::memcpy(&n, v2.data() + p, 2);
    const std::size_t kept = 2 + n + 8 + 4 + 4;  // id, project hash, confidence, 4 x u8
    table += v2.substr(p, kept);
    p += kept + 16;  // skip updated_at, last_used_at
  }
  if (p != ids_at + ids_bytes) return {};  // not a well-formed version 2 file
  std::string v1 = v2.substr(0, at);
  const std::uint32_t one = 1;
  std::memcpy(v1.data() + 8, &one, 4);
  const std::uint64_t table_bytes = table.size();
  v1.append(reinterpret_cast<const char*>(&table_bytes), 8);
  v1 += table;
  v1 += v2.substr(ids_at + ids_bytes);
  Reseal(&v1);
  return v1;
}

}  // namespace engram::testing_index_file
