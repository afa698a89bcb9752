// The page checksum VFS: a shim over SQLite's default VFS through which
// engram opens every database. It follows the design of SQLite's
// ext/misc/cksumvfs.c (own code): a database whose header reserves 8 bytes
// per page (byte 20 = kReservedBytes, set before the first table is created,
// or by `engram db enable-checksums` on an older file) keeps a 64-bit
// checksum of each page in those bytes (page_checksum.h):
//
//  - written on every page write, to the database file and to the WAL (from
//    a copy: SQLite's page buffer is not touched). A WAL frame's own
//    checksum covers the page as SQLite handed it over, so after stamping a
//    frame's page the shim rewrites the frame header's cumulative checksum
//    (seeded from the previous frame on disk) to match what is on disk;
//  - checked on every page read, from the database file (also through
//    memory-mapped reads: a page that fails is unmapped and read again with
//    xRead, which reports it) and from the WAL. A mismatch fails the read
//    with SQLITE_IOERR_DATA; TakeChecksumFailure() names the file and page,
//    and FromSqlite (db.h) turns it into a kCorruption Status;
//  - a file whose byte 20 is not 8 is passed through unchanged, except that
//    page 1 is checked with byte 20 set back to 8: a damaged reserved-bytes
//    count must not turn the checks off silently.
// Other files (journals, temp files) are not wrapped.
//
// Ownership: the VFS is registered once per process and never unregistered.
// Thread safety: registration is once-only; a file object is used by one
// connection at a time (SQLite's rule); the failure text is per thread.
#pragma once

#include <sqlite3.h>

#include <string>

#include "engram/status.h"

namespace engram::sqlite {

// The registered VFS's name, for sqlite3_open_v2.
Result<const char*> ChecksumVfsName();

// The description of the last checksum failure on this thread ("page 7 of
// '/x/engram.db'"), cleared by the call; "" if there was none.
std::string TakeChecksumFailure();

// sqlite3_file_control opcode for database "main": *(int*)arg = 1 stamps
// every page written from now on and checks none read, 0 stamps and checks
// nothing, -1 goes back to following byte 20. For copies that change a
// file's format (backup, restore, the VACUUM of enable-checksums), whose
// pages can reach the disk before page 1 does.
constexpr int kFcntlChecksumOverride = 0x456E6701;
// sqlite3_file_control opcode for database "main": *(int*)arg = 1 when the
// file's pages carry checksums (byte 20 is 8), else 0.
constexpr int kFcntlChecksumState = 0x456E6702;

// Whether database "main" of `db` has page checksums (false when not opened
// through this VFS).
bool HasPageChecksums(sqlite3* db);

}  // namespace engram::sqlite
