#include "store/sqlite/page_checksum.h"

#include <bit>
#include <cstring>
#include <vector>

namespace engram::sqlite {
namespace {

constexpr std::uint64_t kP1 = 0x9E3779B185EBCA87ULL;
constexpr std::uint64_t kP2 = 0xC2B2AE3D27D4EB4FULL;
constexpr std::uint64_t kP3 = 0x165667B19E3779F9ULL;
constexpr std::uint64_t kP4 = 0x85EBCA77C2B2AE63ULL;
constexpr std::uint64_t kP5 = 0x27D4EB2F165667C5ULL;

std::uint64_t Load64(const unsigned char* p) {
  std::uint64_t v = 0;
  std::memcpy(&v, p, sizeof v);
  if constexpr (std::endian::native == std::endian::big) v = __builtin_bswap64(v);
  return v;
}

std::uint32_t Load32(const unsigned char* p, bool big_endian) {
  if (big_endian) return LoadBigEndian32(p);
  return static_cast<std::uint32_t>(p[0]) | static_cast<std::uint32_t>(p[1]) << 8 |
         static_cast<std::uint32_t>(p[2]) << 16 | static_cast<std::uint32_t>(p[3]) << 24;
}

// A bijection of `word` for a fixed `acc` (odd multipliers, a rotation).
std::uint64_t Round(std::uint64_t acc, std::uint64_t word) {
  acc += word * kP2;
  return std::rotl(acc, 31) * kP1;
}

}  // namespace

std::uint64_t PageHash(const unsigned char* data, std::size_t n) {
  std::uint64_t v1 = kP1 + kP2;
  std::uint64_t v2 = kP2;
  std::uint64_t v3 = 0;
  std::uint64_t v4 = 0 - kP1;
  std::size_t i = 0;
  for (; i + 32 <= n; i += 32) {
    v1 = Round(v1, Load64(data + i));
    v2 = Round(v2, Load64(data + i + 8));
    v3 = Round(v3, Load64(data + i + 16));
    v4 = Round(v4, Load64(data + i + 24));
  }
  // A plain sum keeps each lane's change visible (no merge rounds that two
  // changed inputs could cancel in).
  std::uint64_t h = std::rotl(v1, 1) + std::rotl(v2, 7) + std::rotl(v3, 12) + std::rotl(v4, 18);
  h += static_cast<std::uint64_t>(n);
  for (; i + 8 <= n; i += 8) {
    h ^= Round(0, Load64(data + i));
    h = std::rotl(h, 27) * kP1 + kP4;
  }
  for (; i < n; ++i) {
    h ^= data[i] * kP5;
    h = std::rotl(h, 11) * kP1;
  }
  h ^= h >> 33;
  h *= kP2;
  h ^= h >> 29;
  h *= kP3;
  h ^= h >> 32;
  return h;
}

void StampPage(unsigned char* page, std::size_t size) {
  std::uint64_t h = PageHash(page, size - kReservedBytes);
  for (int b = 0; b < kReservedBytes; ++b) {
    page[size - kReservedBytes + b] = static_cast<unsigned char>(h >> (8 * b));
  }
}

bool PageChecksumMatches(const unsigned char* page, std::size_t size) {
  std::uint64_t h = PageHash(page, size - kReservedBytes);
  for (int b = 0; b < kReservedBytes; ++b) {
    if (page[size - kReservedBytes + b] != static_cast<unsigned char>(h >> (8 * b))) return false;
  }
  return true;
}

bool ReserveByteDamaged(const unsigned char* page, std::size_t size) {
  if (!IsDatabaseHeader(page, size) || page[kReserveByteOffset] == kReservedBytes) return false;
  // Only page 1 of a file without checksums gets here: a copy is cheap.
  std::vector<unsigned char> copy(page, page + size);
  copy[kReserveByteOffset] = static_cast<unsigned char>(kReservedBytes);
  return PageChecksumMatches(copy.data(), size);
}

bool IsDatabaseHeader(const unsigned char* data, std::size_t size) {
  static constexpr char kMagic[] = "SQLite format 3";  // 16 bytes with its NUL
  return size >= 100 && std::memcmp(data, kMagic, sizeof kMagic) == 0;
}

bool IsPageSize(std::int64_t size) {
  return size >= 512 && size <= 65536 && (size & (size - 1)) == 0;
}

WalChecksum WalChecksumBytes(bool big_endian, const unsigned char* data, std::size_t n,
                             WalChecksum seed) {
  std::uint32_t s0 = seed.s0;
  std::uint32_t s1 = seed.s1;
  for (std::size_t i = 0; i + 8 <= n; i += 8) {
    s0 += Load32(data + i, big_endian) + s1;
    s1 += Load32(data + i + 4, big_endian) + s0;
  }
  return {s0, s1};
}

std::uint32_t LoadBigEndian32(const unsigned char* p) {
  return static_cast<std::uint32_t>(p[0]) << 24 | static_cast<std::uint32_t>(p[1]) << 16 |
         static_cast<std::uint32_t>(p[2]) << 8 | static_cast<std::uint32_t>(p[3]);
}

void StoreBigEndian32(unsigned char* p, std::uint32_t v) {
  p[0] = static_cast<unsigned char>(v >> 24);
  p[1] = static_cast<unsigned char>(v >> 16);
  p[2] = static_cast<unsigned char>(v >> 8);
  p[3] = static_cast<unsigned char>(v);
}

}  // namespace engram::sqlite
