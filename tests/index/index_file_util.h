// Test helpers that edit saved vector index files (docs/INDEX.md, "File
// format"): reseal the CRC after a deliberate change, or rewrite a file in
// the older format 1.
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

// Rewrites a version 2 file as version 1 wrote it: no item times in the id
// table (docs/INDEX.md, "File format").
inline std::string AsVersion1(const std::string& v2) {
  std::size_t at = 56;           // fixed header
  for (int s = 0; s < 2; ++s) {  // model id, fingerprint
    std::uint16_t n = 0;
    std::memcpy(&n, v2.data() + at, 2);
    at += 2 + n;
  }
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
