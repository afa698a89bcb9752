// Checksums of the SQLite store's pages and of its WAL frames.
//
//  - PageHash is a 64-bit hash of a page minus its last 8 bytes; the page
//    checksum VFS (checksum_vfs.h) keeps it in those 8 bytes, SQLite's
//    "reserved bytes" (header byte 20 = kReservedBytes), little-endian.
//    Four 64-bit lanes, each word mixed by a bijection (multiply by an odd
//    constant, rotate), the lanes summed, then the tail and a final mix,
//    every step a bijection of the word it takes: a change confined to one
//    64-bit word, such as any single-bit flip, always changes the hash;
//    other damage goes unnoticed with probability 2^-64. About 0.3 us per
//    4 KB page (bench/README.md, "Page checksums").
//  - WalChecksum is the WAL format's cumulative checksum
//    (https://sqlite.org/fileformat2.html#walformat): pairs of 32-bit words
//    in the byte order the WAL header's magic names.
//
// Thread safety: pure functions.
#pragma once

#include <cstddef>
#include <cstdint>

namespace engram::sqlite {

// Bytes reserved at the end of each page for its checksum.
constexpr int kReservedBytes = 8;
// Offset of the reserved-bytes count in the database header.
constexpr std::size_t kReserveByteOffset = 20;

std::uint64_t PageHash(const unsigned char* data, std::size_t n);

// Writes the checksum of page[0, size - 8) into page[size - 8, size).
void StampPage(unsigned char* page, std::size_t size);
// Whether the last 8 bytes of `page` hold the checksum of the rest.
bool PageChecksumMatches(const unsigned char* page, std::size_t size);
// For page 1 of a file whose header says it has no checksums (byte 20 is
// not 8): whether the page checks with byte 20 set back to 8, i.e. the file
// has checksums and its reserved-bytes count was damaged.
bool ReserveByteDamaged(const unsigned char* page, std::size_t size);
// Whether `data` starts with SQLite's header string: only page 1 does (any
// other page starts with a b-tree header or a page number below 2^30).
bool IsDatabaseHeader(const unsigned char* data, std::size_t size);
// A page size SQLite may use: a power of two in [512, 65536].
bool IsPageSize(std::int64_t size);

// --- WAL format ---
constexpr std::size_t kWalHeaderBytes = 32;
constexpr std::size_t kWalFrameHeaderBytes = 24;
constexpr std::uint32_t kWalMagicLittleEndian = 0x377f0682;
constexpr std::uint32_t kWalMagicBigEndian = 0x377f0683;

struct WalChecksum {
  std::uint32_t s0 = 0;
  std::uint32_t s1 = 0;
  bool operator==(const WalChecksum&) const = default;
};

// Continues `seed` over `n` bytes (a multiple of 8) of `data`, read as
// 32-bit words in big-endian order if `big_endian`, else little-endian.
WalChecksum WalChecksumBytes(bool big_endian, const unsigned char* data, std::size_t n,
                             WalChecksum seed);

std::uint32_t LoadBigEndian32(const unsigned char* p);
void StoreBigEndian32(unsigned char* p, std::uint32_t v);

}  // namespace engram::sqlite
