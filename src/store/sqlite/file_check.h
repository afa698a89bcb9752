// Checks of a store's files read directly, outside SQLite: what SQLite
// would not report or would silently work around.
//
//  - ScanWal walks a WAL as SQLite's recovery does (header magic, version,
//    page size and checksum; then frames while they carry the header's
//    salts and continue the cumulative checksum; the WAL format is in
//    https://sqlite.org/fileformat2.html#walformat). Recovery stops at the
//    first frame that fails and drops everything after it, which is right
//    for a torn final write but loses acknowledged transactions when a
//    frame in the middle is damaged. ScanWal reports damage when the
//    failing frame is followed by frames of the same WAL generation (the
//    header's salts) and the failure is not that of frames left over by a
//    rolled-back transaction: in a store with page checksums that means the
//    frame's page fails its checksum, or one flipped bit in its header
//    explains the failure, or its salts are not the current ones; without
//    page checksums the two cannot be told apart and both are reported.
//    A header that fails its checks while frames follow is damage too.
//  - ScanPages checks the page checksum of every page of the database file
//    and of every frame of its WAL, collecting every bad one.
//  - CheckBeforeOpen runs before SQLite opens a store: a zero-length
//    database beside a non-empty WAL, or a damaged WAL, is kCorruption.
//
// Reads race with other processes writing the files: a finding is
// reported only when a second scan 100 ms later agrees.
//
// Thread safety: free functions with no shared state.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "engram/status.h"

namespace engram::sqlite {

struct WalScan {
  bool exists = false;            // a WAL file of 1 byte or more
  std::int64_t page_size = 0;     // from its header (0: no valid header)
  std::int64_t valid_frames = 0;  // frames recovery accepts (up to a commit or not)
  std::int64_t break_frame = -1;  // 0-based index of the first failing frame, or -1
  std::int64_t later_frames = 0;  // frames after it carrying the current salts
  std::uint32_t salt1 = 0, salt2 = 0;
  std::string damage;                  // "" or why recovery would drop acknowledged frames
  std::vector<std::string> bad_pages;  // frames whose page fails its checksum
};

// Scans `wal_path`. `page_checksums`: the database's pages carry checksums
// (then every valid frame's page is checked into bad_pages). IOError only
// when the file exists but cannot be read.
Result<WalScan> ScanWal(const std::string& wal_path, bool page_checksums);

// Whether the database file at `db_path` has page checksums (header byte
// 20 is 8; a missing or empty file has none).
Result<bool> FileHasPageChecksums(const std::string& db_path);

// Appends to `problems` (at most `max` entries) every page of `db_path` and
// of its WAL whose checksum fails, and the WAL's damage if any.
Status ScanPages(const std::string& db_path, std::vector<std::string>& problems, std::size_t max);

// kCorruption naming the file when `db_path` is empty beside a non-empty
// "-wal", or its WAL is damaged (ScanWal); OK for a missing file.
Status CheckBeforeOpen(const std::string& db_path);

}  // namespace engram::sqlite
