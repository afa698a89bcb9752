#include "store/sqlite/checksum_vfs.h"

#include <cstddef>
#include <cstring>
#include <mutex>
#include <new>
#include <utility>
#include <vector>

#include "store/sqlite/page_checksum.h"

namespace engram::sqlite {
namespace {

constexpr const char* kVfsName = "engram-checksum";
constexpr sqlite3_int64 kFirstFramePage =
    static_cast<sqlite3_int64>(kWalHeaderBytes) + static_cast<sqlite3_int64>(kWalFrameHeaderBytes);

// What a database file and its WAL share: whether pages carry checksums.
struct Shared {
  bool checksummed = false;  // byte 20 == 8 when page 1 was last seen
  int override_mode = -1;    // kFcntlChecksumOverride
  bool Stamp() const { return override_mode == -1 ? checksummed : override_mode == 1; }
  bool Check() const { return override_mode == -1; }
};

enum Kind { kMain, kWal };

// SQLite allocates szOsFile bytes: this struct, then the real file.
struct CkFile {
  sqlite3_file base{};
  sqlite3_file* real = nullptr;
  Kind kind = kMain;
  const char* name = nullptr;
  Shared own;
  Shared* shared = nullptr;  // &own, or for a WAL its database's
  // WAL: the last 24-byte write (SQLite writes a frame header just before
  // the frame's page).
  sqlite3_int64 header_offset = -1;
  unsigned char header[kWalFrameHeaderBytes] = {};
};
static_assert(sizeof(CkFile) % alignof(std::max_align_t) == 0, "the real file follows, aligned");

sqlite3_vfs g_vfs;
sqlite3_io_methods g_methods;
thread_local std::string g_failure;

sqlite3_vfs* Real(sqlite3_vfs* vfs) { return static_cast<sqlite3_vfs*>(vfs->pAppData); }
CkFile* Ck(sqlite3_file* f) { return reinterpret_cast<CkFile*>(f); }
const sqlite3_io_methods* M(CkFile* f) { return f->real->pMethods; }

// Frame index (0-based) of a page-sized access at `off` of a WAL, or -1
// when `off` is not where a frame's page starts.
sqlite3_int64 FrameOf(sqlite3_int64 off, int page_size) {
  if (off < kFirstFramePage) return -1;
  const sqlite3_int64 frame = page_size + static_cast<sqlite3_int64>(kWalFrameHeaderBytes);
  if ((off - kFirstFramePage) % frame != 0) return -1;
  return (off - kFirstFramePage) / frame;
}

int Fail(CkFile* f, int amt, sqlite3_int64 off, const char* what) {
  std::string where;
  if (f->kind == kMain) {
    where = "page " + std::to_string(off / amt + 1);
  } else {
    unsigned char pgno[4] = {};
    sqlite3_int64 frame = FrameOf(off, amt);
    where = "WAL frame " + std::to_string(frame + 1);
    if (M(f)->xRead(f->real, pgno, 4, off - static_cast<sqlite3_int64>(kWalFrameHeaderBytes)) ==
        SQLITE_OK) {
      where += " (page " + std::to_string(LoadBigEndian32(pgno)) + ")";
    }
  }
  g_failure = std::string(what) + " in " + where + " of '" + (f->name ? f->name : "?") + "'";
  sqlite3_log(SQLITE_IOERR_DATA, "%s", g_failure.c_str());
  return SQLITE_IOERR_DATA;
}

// Notes page 1's reserved-bytes count, then checks a page just read.
int CheckPage(CkFile* f, const unsigned char* p, int amt, sqlite3_int64 off) {
  if (f->kind == kWal && FrameOf(off, amt) < 0) return SQLITE_OK;
  if (IsDatabaseHeader(p, static_cast<std::size_t>(amt))) {
    f->shared->checksummed = p[kReserveByteOffset] == kReservedBytes;
  }
  if (!f->shared->Check()) return SQLITE_OK;
  const auto n = static_cast<std::size_t>(amt);
  if (f->shared->checksummed) {
    return PageChecksumMatches(p, n) ? SQLITE_OK : Fail(f, amt, off, "page checksum mismatch");
  }
  return ReserveByteDamaged(p, n) ? Fail(f, amt, off, "damaged reserved-bytes count (byte 20)")
                                  : SQLITE_OK;
}

// After a stamped frame page was written: makes the frame header's
// cumulative checksum match the page on disk. SQLite computed it over its
// own buffer, whose reserved bytes were stale; the next frame is seeded
// from this one on disk, so the chain stays whole.
int FixFrameHeader(CkFile* f, const unsigned char* page, int amt, sqlite3_int64 header_off) {
  unsigned char wal_header[kWalHeaderBytes];
  int rc = M(f)->xRead(f->real, wal_header, sizeof wal_header, 0);
  if (rc != SQLITE_OK) return rc;
  const std::uint32_t magic = LoadBigEndian32(wal_header);
  if (magic != kWalMagicBigEndian && magic != kWalMagicLittleEndian) return SQLITE_OK;
  const bool big_endian = magic == kWalMagicBigEndian;
  unsigned char seed_bytes[8];
  if (header_off == static_cast<sqlite3_int64>(kWalHeaderBytes)) {
    std::memcpy(seed_bytes, wal_header + 24, 8);
  } else {
    const sqlite3_int64 prev = header_off - amt - static_cast<sqlite3_int64>(kWalFrameHeaderBytes);
    rc = M(f)->xRead(f->real, seed_bytes, 8, prev + 16);
    if (rc != SQLITE_OK) return rc;
  }
  WalChecksum ck{LoadBigEndian32(seed_bytes), LoadBigEndian32(seed_bytes + 4)};
  ck = WalChecksumBytes(big_endian, f->header, 8, ck);
  ck = WalChecksumBytes(big_endian, page, static_cast<std::size_t>(amt), ck);
  unsigned char out[8];
  StoreBigEndian32(out, ck.s0);
  StoreBigEndian32(out + 4, ck.s1);
  if (std::memcmp(out, f->header + 16, 8) == 0) return SQLITE_OK;
  std::memcpy(f->header + 16, out, 8);
  return M(f)->xWrite(f->real, out, 8, header_off + 16);
}

// --- io methods ---

int Close(sqlite3_file* file) { return M(Ck(file))->xClose(Ck(file)->real); }

int Read(sqlite3_file* file, void* buf, int amt, sqlite3_int64 off) {
  CkFile* f = Ck(file);
  int rc = M(f)->xRead(f->real, buf, amt, off);
  if (rc != SQLITE_OK) return rc;
  const auto* p = static_cast<const unsigned char*>(buf);
  if (f->kind == kMain && off == 0 && IsDatabaseHeader(p, static_cast<std::size_t>(amt))) {
    f->shared->checksummed = p[kReserveByteOffset] == kReservedBytes;
  }
  if (!IsPageSize(amt)) return SQLITE_OK;
  return CheckPage(f, p, amt, off);
}

int Write(sqlite3_file* file, const void* buf, int amt, sqlite3_int64 off) {
  CkFile* f = Ck(file);
  const auto* p = static_cast<const unsigned char*>(buf);
  const auto n = static_cast<std::size_t>(amt);
  if (f->kind == kWal && n == kWalFrameHeaderBytes) {
    f->header_offset = off;
    std::memcpy(f->header, p, n);
    return M(f)->xWrite(f->real, buf, amt, off);
  }
  if (f->kind == kMain && off == 0 && IsDatabaseHeader(p, n)) {
    f->shared->checksummed = p[kReserveByteOffset] == kReservedBytes;
  }
  if (!IsPageSize(amt) || (f->kind == kWal && FrameOf(off, amt) < 0)) {
    return M(f)->xWrite(f->real, buf, amt, off);
  }
  if (IsDatabaseHeader(p, n)) f->shared->checksummed = p[kReserveByteOffset] == kReservedBytes;
  const unsigned char* out = p;
  if (f->shared->Stamp()) {
    thread_local std::vector<unsigned char> page;
    page.assign(p, p + n);
    StampPage(page.data(), n);
    out = page.data();
  }
  int rc = M(f)->xWrite(f->real, out, amt, off);
  // Even an unstamped frame: SQLite seeds its checksum from its own running
  // value, which stamped frames before it made stale.
  const sqlite3_int64 header_off = off - static_cast<sqlite3_int64>(kWalFrameHeaderBytes);
  if (rc == SQLITE_OK && f->kind == kWal && f->header_offset == header_off) {
    rc = FixFrameHeader(f, out, amt, header_off);
  }
  return rc;
}

int Truncate(sqlite3_file* file, sqlite3_int64 size) {
  CkFile* f = Ck(file);
  f->header_offset = -1;
  return M(f)->xTruncate(f->real, size);
}
int Sync(sqlite3_file* file, int flags) { return M(Ck(file))->xSync(Ck(file)->real, flags); }
int FileSize(sqlite3_file* file, sqlite3_int64* size) {
  return M(Ck(file))->xFileSize(Ck(file)->real, size);
}
int Lock(sqlite3_file* file, int level) { return M(Ck(file))->xLock(Ck(file)->real, level); }
int Unlock(sqlite3_file* file, int level) { return M(Ck(file))->xUnlock(Ck(file)->real, level); }
int CheckReservedLock(sqlite3_file* file, int* out) {
  return M(Ck(file))->xCheckReservedLock(Ck(file)->real, out);
}

int FileControl(sqlite3_file* file, int op, void* arg) {
  CkFile* f = Ck(file);
  if (op == kFcntlChecksumOverride) {
    int mode = *static_cast<int*>(arg);
    f->shared->override_mode = mode < 0 ? -1 : (mode > 0 ? 1 : 0);
    return SQLITE_OK;
  }
  if (op == kFcntlChecksumState) {
    *static_cast<int*>(arg) = f->shared->checksummed ? 1 : 0;
    return SQLITE_OK;
  }
  return M(f)->xFileControl(f->real, op, arg);
}

int SectorSize(sqlite3_file* file) { return M(Ck(file))->xSectorSize(Ck(file)->real); }
int DeviceCharacteristics(sqlite3_file* file) {
  return M(Ck(file))->xDeviceCharacteristics(Ck(file)->real);
}
int ShmMap(sqlite3_file* file, int region, int size, int extend, void volatile** out) {
  return M(Ck(file))->xShmMap(Ck(file)->real, region, size, extend, out);
}
int ShmLock(sqlite3_file* file, int offset, int n, int flags) {
  return M(Ck(file))->xShmLock(Ck(file)->real, offset, n, flags);
}
void ShmBarrier(sqlite3_file* file) { M(Ck(file))->xShmBarrier(Ck(file)->real); }
int ShmUnmap(sqlite3_file* file, int delete_flag) {
  return M(Ck(file))->xShmUnmap(Ck(file)->real, delete_flag);
}

// A memory-mapped page is checked like a read one; one that fails is handed
// back, so SQLite reads it with xRead, which reports the failure.
int Fetch(sqlite3_file* file, sqlite3_int64 off, int amt, void** out) {
  CkFile* f = Ck(file);
  int rc = M(f)->xFetch(f->real, off, amt, out);
  if (rc != SQLITE_OK || *out == nullptr || !IsPageSize(amt) || f->kind != kMain) return rc;
  const auto* p = static_cast<const unsigned char*>(*out);
  const auto n = static_cast<std::size_t>(amt);
  if (IsDatabaseHeader(p, n)) f->shared->checksummed = p[kReserveByteOffset] == kReservedBytes;
  if (!f->shared->Check()) return SQLITE_OK;
  bool bad = f->shared->checksummed ? !PageChecksumMatches(p, n) : ReserveByteDamaged(p, n);
  if (bad) {
    rc = M(f)->xUnfetch(f->real, off, *out);
    *out = nullptr;
  }
  return rc;
}
int Unfetch(sqlite3_file* file, sqlite3_int64 off, void* p) {
  return M(Ck(file))->xUnfetch(Ck(file)->real, off, p);
}

// --- vfs methods ---

int Open(sqlite3_vfs* vfs, sqlite3_filename name, sqlite3_file* file, int flags, int* out_flags) {
  sqlite3_vfs* real = Real(vfs);
  if ((flags & (SQLITE_OPEN_MAIN_DB | SQLITE_OPEN_WAL)) == 0) {
    return real->xOpen(real, name, file, flags, out_flags);
  }
  CkFile* f = new (file) CkFile();  // SQLite's memory: nothing to destroy (trivial members)
  f->real = reinterpret_cast<sqlite3_file*>(f + 1);
  f->kind = (flags & SQLITE_OPEN_WAL) != 0 ? kWal : kMain;
  f->name = name;
  f->shared = &f->own;
  int rc = real->xOpen(real, name, f->real, flags, out_flags);
  if (f->real->pMethods == nullptr) return rc;  // nothing to close
  if (f->kind == kWal) {
    sqlite3_file* db = sqlite3_database_file_object(name);
    if (db != nullptr && db->pMethods == &g_methods) f->shared = &Ck(db)->own;
  }
  f->base.pMethods = &g_methods;
  return rc;
}

int Delete(sqlite3_vfs* vfs, const char* name, int sync_dir) {
  return Real(vfs)->xDelete(Real(vfs), name, sync_dir);
}
int Access(sqlite3_vfs* vfs, const char* name, int flags, int* out) {
  return Real(vfs)->xAccess(Real(vfs), name, flags, out);
}
int FullPathname(sqlite3_vfs* vfs, const char* name, int n, char* out) {
  return Real(vfs)->xFullPathname(Real(vfs), name, n, out);
}
void* DlOpen(sqlite3_vfs* vfs, const char* name) { return Real(vfs)->xDlOpen(Real(vfs), name); }
void DlError(sqlite3_vfs* vfs, int n, char* out) { Real(vfs)->xDlError(Real(vfs), n, out); }
void (*DlSym(sqlite3_vfs* vfs, void* handle, const char* symbol))(void) {
  return Real(vfs)->xDlSym(Real(vfs), handle, symbol);
}
void DlClose(sqlite3_vfs* vfs, void* handle) { Real(vfs)->xDlClose(Real(vfs), handle); }
int Randomness(sqlite3_vfs* vfs, int n, char* out) {
  return Real(vfs)->xRandomness(Real(vfs), n, out);
}
int Sleep(sqlite3_vfs* vfs, int us) { return Real(vfs)->xSleep(Real(vfs), us); }
int CurrentTime(sqlite3_vfs* vfs, double* out) { return Real(vfs)->xCurrentTime(Real(vfs), out); }
int GetLastError(sqlite3_vfs* vfs, int n, char* out) {
  return Real(vfs)->xGetLastError(Real(vfs), n, out);
}
int CurrentTimeInt64(sqlite3_vfs* vfs, sqlite3_int64* out) {
  return Real(vfs)->xCurrentTimeInt64(Real(vfs), out);
}

int Register() {
  sqlite3_vfs* real = sqlite3_vfs_find(nullptr);
  if (real == nullptr) return SQLITE_ERROR;
  g_methods = sqlite3_io_methods{3,
                                 Close,
                                 Read,
                                 Write,
                                 Truncate,
                                 Sync,
                                 FileSize,
                                 Lock,
                                 Unlock,
                                 CheckReservedLock,
                                 FileControl,
                                 SectorSize,
                                 DeviceCharacteristics,
                                 ShmMap,
                                 ShmLock,
                                 ShmBarrier,
                                 ShmUnmap,
                                 Fetch,
                                 Unfetch};
  g_vfs = sqlite3_vfs{};
  g_vfs.iVersion = 2;
  g_vfs.szOsFile = static_cast<int>(sizeof(CkFile)) + real->szOsFile;
  g_vfs.mxPathname = real->mxPathname;
  g_vfs.zName = kVfsName;
  g_vfs.pAppData = real;
  g_vfs.xOpen = Open;
  g_vfs.xDelete = Delete;
  g_vfs.xAccess = Access;
  g_vfs.xFullPathname = FullPathname;
  g_vfs.xDlOpen = DlOpen;
  g_vfs.xDlError = DlError;
  g_vfs.xDlSym = DlSym;
  g_vfs.xDlClose = DlClose;
  g_vfs.xRandomness = Randomness;
  g_vfs.xSleep = Sleep;
  g_vfs.xCurrentTime = CurrentTime;
  g_vfs.xGetLastError = GetLastError;
  g_vfs.xCurrentTimeInt64 = CurrentTimeInt64;
  return sqlite3_vfs_register(&g_vfs, /*makeDflt=*/0);
}

}  // namespace

Result<const char*> ChecksumVfsName() {
  static std::once_flag once;
  static int rc = SQLITE_OK;
  std::call_once(once, [] { rc = Register(); });
  if (rc != SQLITE_OK) {
    return Status::Internal(std::string("cannot register the page checksum VFS: ") +
                            sqlite3_errstr(rc));
  }
  return kVfsName;
}

std::string TakeChecksumFailure() { return std::exchange(g_failure, std::string()); }

bool HasPageChecksums(sqlite3* db) {
  int state = 0;
  return sqlite3_file_control(db, "main", kFcntlChecksumState, &state) == SQLITE_OK && state == 1;
}

}  // namespace engram::sqlite
