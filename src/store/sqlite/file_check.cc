#include "store/sqlite/file_check.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <thread>
#include <utility>

#include "store/sqlite/page_checksum.h"

namespace engram::sqlite {
namespace {

constexpr std::uint32_t kWalVersion = 3007000;
constexpr auto kConfirmDelay = std::chrono::milliseconds(100);

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

// Opens `path` read-only: the descriptor and size, fd -1 when missing.
Status OpenForScan(const std::string& path, int& fd, std::int64_t& size) {
  fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  size = 0;
  if (fd < 0) {
    if (errno == ENOENT) return Status::Ok();
    return Status::IOError("cannot open '" + path + "': " + std::strerror(errno));
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0) return Status::IOError("cannot stat '" + path + "'");
  size = st.st_size;
  return Status::Ok();
}

// Reads exactly n bytes at `off`; false on a short read (the file shrank).
bool ReadAt(int fd, unsigned char* buf, std::size_t n, std::int64_t off) {
  std::size_t done = 0;
  while (done < n) {
    ssize_t r = ::pread(fd, buf + done, n - done, static_cast<off_t>(off + done));
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return false;
    done += static_cast<std::size_t>(r);
  }
  return true;
}

struct Frame {
  std::uint32_t pgno = 0;
  std::uint32_t salt1 = 0, salt2 = 0;
  WalChecksum stored;
};

Frame DecodeFrame(const unsigned char* h) {
  return {LoadBigEndian32(h),
          LoadBigEndian32(h + 8),
          LoadBigEndian32(h + 12),
          {LoadBigEndian32(h + 16), LoadBigEndian32(h + 20)}};
}

WalChecksum FrameChecksum(bool big_endian, const unsigned char* header8, const unsigned char* page,
                          std::size_t page_size, WalChecksum seed) {
  WalChecksum ck = WalChecksumBytes(big_endian, header8, 8, seed);
  return WalChecksumBytes(big_endian, page, page_size, ck);
}

// Whether frame `buf` (its header then its page) fails only through damage
// one flipped bit explains: in its pgno/commit fields, or in its stored
// checksum (then `next`, the following frame, checks against the
// recomputed one).
bool OneBitExplains(bool big_endian, const unsigned char* buf, std::size_t page_size,
                    WalChecksum seed, const unsigned char* next) {
  const unsigned char* page = buf + kWalFrameHeaderBytes;
  const Frame f = DecodeFrame(buf);
  const WalChecksum computed = FrameChecksum(big_endian, buf, page, page_size, seed);
  if (next != nullptr && FrameChecksum(big_endian, next, next + kWalFrameHeaderBytes, page_size,
                                       computed) == DecodeFrame(next).stored) {
    return true;
  }
  unsigned char header8[8];
  for (int bit = 0; bit < 64; ++bit) {
    std::memcpy(header8, buf, 8);
    header8[bit / 8] ^= static_cast<unsigned char>(1U << (bit % 8));
    if (FrameChecksum(big_endian, header8, page, page_size, seed) == f.stored) return true;
  }
  return false;
}

std::string FrameName(std::int64_t index, std::uint32_t pgno) {
  return "WAL frame " + std::to_string(index + 1) + " (page " + std::to_string(pgno) + ")";
}

Result<WalScan> ScanWalOnce(const std::string& path, bool page_checksums, bool every_page) {
  WalScan s;
  int raw = -1;
  std::int64_t size = 0;
  ENGRAM_RETURN_IF_ERROR(OpenForScan(path, raw, size));
  Fd fd(raw);
  if (raw < 0 || size == 0) return s;
  s.exists = true;
  unsigned char h[kWalHeaderBytes];
  if (size < static_cast<std::int64_t>(kWalHeaderBytes) || !ReadAt(raw, h, sizeof h, 0)) return s;
  const std::uint32_t magic = LoadBigEndian32(h);
  const bool big_endian = magic == kWalMagicBigEndian;
  const std::int64_t page_size = LoadBigEndian32(h + 8);
  const WalChecksum header_ck{LoadBigEndian32(h + 24), LoadBigEndian32(h + 28)};
  const bool header_ok = (magic == kWalMagicBigEndian || magic == kWalMagicLittleEndian) &&
                         LoadBigEndian32(h + 4) == kWalVersion && IsPageSize(page_size) &&
                         WalChecksumBytes(big_endian, h, 24, {}) == header_ck;
  if (!header_ok) {
    const auto frames = size - static_cast<std::int64_t>(kWalHeaderBytes);
    if (frames >= static_cast<std::int64_t>(kWalFrameHeaderBytes) + 512) {
      s.damage = "its header fails its checks while " + std::to_string(frames) +
                 " bytes of frames follow: SQLite would ignore every frame";
    }
    return s;
  }
  s.page_size = page_size;
  s.salt1 = LoadBigEndian32(h + 16);
  s.salt2 = LoadBigEndian32(h + 20);
  const auto ps = static_cast<std::size_t>(page_size);
  const std::int64_t frame_bytes = page_size + static_cast<std::int64_t>(kWalFrameHeaderBytes);
  const std::int64_t frames = (size - static_cast<std::int64_t>(kWalHeaderBytes)) / frame_bytes;
  auto offset = [&](std::int64_t k) {
    return static_cast<std::int64_t>(kWalHeaderBytes) + k * frame_bytes;
  };
  std::vector<unsigned char> buf(static_cast<std::size_t>(frame_bytes));
  WalChecksum ck = header_ck;
  // A transaction that rewrites page 1 (a VACUUM, a restore) may change the
  // format: its page 1 says whether its frames carry checksums.
  bool format = page_checksums;
  bool group_format = format;
  std::vector<std::pair<std::int64_t, std::uint32_t>> unchecked;  // this transaction's
  auto settle = [&] {
    for (const auto& [index, pgno] : unchecked) {
      if (group_format) s.bad_pages.push_back(FrameName(index, pgno));
    }
    unchecked.clear();
    format = group_format;
  };
  std::int64_t k = 0;
  for (; k < frames; ++k) {
    if (!ReadAt(raw, buf.data(), buf.size(), offset(k))) break;
    const Frame f = DecodeFrame(buf.data());
    const unsigned char* page = buf.data() + kWalFrameHeaderBytes;
    const WalChecksum next = FrameChecksum(big_endian, buf.data(), page, ps, ck);
    if (f.salt1 != s.salt1 || f.salt2 != s.salt2 || f.pgno == 0 || next != f.stored) break;
    ck = next;
    s.valid_frames = k + 1;
    if (f.pgno == 1 && IsDatabaseHeader(page, ps)) {
      group_format = page[kReserveByteOffset] == kReservedBytes;
    }
    if (every_page && !PageChecksumMatches(page, ps)) unchecked.emplace_back(k, f.pgno);
    if (LoadBigEndian32(buf.data() + 4) != 0) settle();  // a commit frame
  }
  settle();
  page_checksums = format;
  if (k >= frames) return s;
  s.break_frame = k;
  std::vector<unsigned char> broken = buf;
  std::vector<unsigned char> next;
  unsigned char later[kWalFrameHeaderBytes];
  for (std::int64_t j = k + 1; j < frames; ++j) {
    if (!ReadAt(raw, later, sizeof later, offset(j))) break;
    const Frame f = DecodeFrame(later);
    if (f.salt1 != s.salt1 || f.salt2 != s.salt2) continue;
    ++s.later_frames;
    if (j == k + 1) {
      next.resize(buf.size());
      if (!ReadAt(raw, next.data(), next.size(), offset(j))) next.clear();
    }
  }
  if (s.later_frames == 0) return s;  // a torn final write: recovery is right
  const Frame f = DecodeFrame(broken.data());
  const unsigned char* page = broken.data() + kWalFrameHeaderBytes;
  const bool damaged =
      !page_checksums || f.salt1 != s.salt1 || f.salt2 != s.salt2 ||
      !PageChecksumMatches(page, ps) ||
      OneBitExplains(big_endian, broken.data(), ps, ck, next.empty() ? nullptr : next.data());
  if (damaged) {
    s.damage = FrameName(k, f.pgno) + " fails its checksum while " +
               std::to_string(s.later_frames) +
               " later frames of the same WAL follow: SQLite's recovery would drop them";
  }
  return s;
}

// Scans twice when the first scan finds something, keeping what both saw:
// a writer appending or restarting the WAL meanwhile is not damage.
Result<WalScan> ScanWalConfirmed(const std::string& path, bool page_checksums, bool every_page) {
  ENGRAM_ASSIGN_OR_RETURN(WalScan first, ScanWalOnce(path, page_checksums, every_page));
  if (first.damage.empty() && first.bad_pages.empty()) return first;
  std::this_thread::sleep_for(kConfirmDelay);
  ENGRAM_ASSIGN_OR_RETURN(WalScan second, ScanWalOnce(path, page_checksums, every_page));
  if (second.break_frame != first.break_frame || second.salt1 != first.salt1 ||
      second.salt2 != first.salt2) {
    second.damage.clear();
  }
  std::erase_if(second.bad_pages, [&](const std::string& p) {
    return std::find(first.bad_pages.begin(), first.bad_pages.end(), p) == first.bad_pages.end();
  });
  return second;
}

}  // namespace

Result<WalScan> ScanWal(const std::string& wal_path, bool page_checksums) {
  return ScanWalConfirmed(wal_path, page_checksums, /*every_page=*/true);
}

Result<bool> FileHasPageChecksums(const std::string& db_path) {
  int raw = -1;
  std::int64_t size = 0;
  ENGRAM_RETURN_IF_ERROR(OpenForScan(db_path, raw, size));
  Fd fd(raw);
  unsigned char h[100];
  if (raw < 0 || size < 100 || !ReadAt(raw, h, sizeof h, 0)) return false;
  return IsDatabaseHeader(h, sizeof h) && h[kReserveByteOffset] == kReservedBytes;
}

Status ScanPages(const std::string& db_path, std::vector<std::string>& problems, std::size_t max) {
  int raw = -1;
  std::int64_t size = 0;
  ENGRAM_RETURN_IF_ERROR(OpenForScan(db_path, raw, size));
  Fd fd(raw);
  auto add = [&](std::string p) {
    if (problems.size() < max) problems.push_back(std::move(p));
  };
  unsigned char h[100];
  bool checksums = false;
  if (raw >= 0 && size >= 100 && ReadAt(raw, h, sizeof h, 0) && IsDatabaseHeader(h, sizeof h)) {
    const std::int64_t field = (static_cast<std::int64_t>(h[16]) << 8) | h[17];
    const std::int64_t ps = field == 1 ? 65536 : field;
    if (!IsPageSize(ps)) {
      add("page 1: the header's page size " + std::to_string(field) + " is invalid");
      return Status::Ok();
    }
    std::vector<unsigned char> page(static_cast<std::size_t>(ps));
    checksums = h[kReserveByteOffset] == kReservedBytes;
    // Pages past the database's size (bytes 28..31, valid when bytes 92..95
    // repeat the change counter at 24..27) are not part of it.
    std::int64_t pages = size / ps;
    const std::uint32_t in_header = LoadBigEndian32(h + 28);
    if (in_header != 0 && LoadBigEndian32(h + 24) == LoadBigEndian32(h + 92)) {
      pages = std::min<std::int64_t>(pages, in_header);
    }
    if (!checksums) {
      if (ReadAt(raw, page.data(), page.size(), 0) &&
          ReserveByteDamaged(page.data(), page.size())) {
        add("page 1: damaged reserved-bytes count (byte 20)");
      }
    } else {
      auto bad = [&](std::int64_t pgno) {
        return ReadAt(raw, page.data(), page.size(), (pgno - 1) * ps) &&
               !PageChecksumMatches(page.data(), page.size());
      };
      std::vector<std::int64_t> suspects;
      for (std::int64_t pgno = 1; pgno <= pages; ++pgno) {
        if (bad(pgno)) suspects.push_back(pgno);
      }
      if (!suspects.empty()) std::this_thread::sleep_for(kConfirmDelay);
      for (std::int64_t pgno : suspects) {
        if (bad(pgno)) add("page " + std::to_string(pgno) + ": page checksum mismatch");
      }
    }
  }
  ENGRAM_ASSIGN_OR_RETURN(WalScan wal, ScanWalConfirmed(db_path + "-wal", checksums, true));
  for (std::string& p : wal.bad_pages) add(p + ": page checksum mismatch");
  if (!wal.damage.empty()) add("'" + db_path + "-wal': " + wal.damage);
  return Status::Ok();
}

Status CheckBeforeOpen(const std::string& db_path) {
  struct stat db {};
  if (::stat(db_path.c_str(), &db) != 0) return Status::Ok();  // missing: a new store
  const std::string wal_path = db_path + "-wal";
  struct stat wal {};
  if (db.st_size == 0 && ::stat(wal_path.c_str(), &wal) == 0 && wal.st_size > 0) {
    return Status::Corruption("'" + db_path + "' is empty but its WAL '" + wal_path + "' holds " +
                              std::to_string(wal.st_size) +
                              " bytes: the database file was truncated");
  }
  ENGRAM_ASSIGN_OR_RETURN(bool checksums, FileHasPageChecksums(db_path));
  ENGRAM_ASSIGN_OR_RETURN(WalScan scan, ScanWalConfirmed(wal_path, checksums, false));
  if (!scan.damage.empty()) return Status::Corruption("'" + wal_path + "': " + scan.damage);
  return Status::Ok();
}

}  // namespace engram::sqlite
