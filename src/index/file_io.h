// File plumbing for the index file: an atomic, checksummed writer, a
// positional reader, and an anonymous scratch file that hnswlib (which only
// saves to / loads from a path) can write to and read from.
//
// Ownership: each object owns its file descriptor and closes it (a writer
// that was not committed also removes its temporary file).
// Thread safety: none; one object per thread.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "engram/status.h"

namespace engram::index_internal {

// Owns a POSIX file descriptor.
class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : fd_(fd) {}
  UniqueFd(UniqueFd&& o) noexcept : fd_(o.release()) {}
  UniqueFd& operator=(UniqueFd&& o) noexcept;
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  ~UniqueFd();
  int get() const { return fd_; }
  int release() {
    const int fd = fd_;
    fd_ = -1;
    return fd;
  }

 private:
  int fd_ = -1;
};

// CRC-32 (zlib, IEEE polynomial) of `bytes`, continuing from `crc`.
std::uint32_t Crc32(std::uint32_t crc, std::string_view bytes);

// Writes `path` atomically: bytes go to "<path>.tmp.<pid>.<n>"; Commit()
// fsyncs it, renames it over `path` and fsyncs the directory. Keeps a
// running CRC-32 of everything appended.
class AtomicFileWriter {
 public:
  explicit AtomicFileWriter(std::string path) : path_(std::move(path)) {}
  ~AtomicFileWriter();  // removes the temporary file unless committed
  Status Open();
  Status Append(std::string_view bytes);
  // Appends `size` bytes read from `fd` starting at offset 0.
  Status AppendFrom(int fd, std::uint64_t size);
  std::uint32_t crc() const { return crc_; }
  Status Commit();

 private:
  std::string path_;
  std::string tmp_path_;
  UniqueFd fd_;
  std::uint32_t crc_ = 0;
  bool committed_ = false;
};

// Positional reads of an existing file.
class FileReader {
 public:
  // NotFound when `path` does not exist, IOError otherwise.
  Status Open(const std::string& path);
  std::uint64_t size() const { return size_; }
  // Exactly `n` bytes at `offset` (IOError / Corruption when short).
  Status ReadAt(std::uint64_t offset, std::uint64_t n, std::string* out) const;
  // CRC-32 of `n` bytes at `offset`, read in chunks.
  Status Crc(std::uint64_t offset, std::uint64_t n, std::uint32_t* crc) const;
  // Copies `n` bytes at `offset` to the start of `fd`.
  Status CopyTo(std::uint64_t offset, std::uint64_t n, int fd) const;

 private:
  std::string path_;
  UniqueFd fd_;
  std::uint64_t size_ = 0;
};

// An unnamed temporary file reachable through path() until destroyed: a
// memfd ("/proc/self/fd/N") on Linux, else an unlinked-on-close file in the
// system temporary directory.
class ScratchFile {
 public:
  ScratchFile() = default;
  ~ScratchFile();
  ScratchFile(const ScratchFile&) = delete;
  ScratchFile& operator=(const ScratchFile&) = delete;
  Status Create();
  int fd() const { return fd_.get(); }
  const std::string& path() const { return path_; }
  // Writes `bytes` at the file's current position (the end, unless
  // FileReader::CopyTo reset it).
  Status Append(std::string_view bytes);
  Result<std::uint64_t> Size() const;

 private:
  UniqueFd fd_;
  std::string path_;
  bool unlink_on_close_ = false;
};

}  // namespace engram::index_internal
