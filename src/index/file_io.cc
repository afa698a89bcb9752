#include "index/file_io.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#ifdef __linux__
#include <sys/mman.h>
#endif

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <vector>

namespace engram::index_internal {
namespace {

constexpr std::size_t kChunk = 1 << 20;

Status Errno(const std::string& what, const std::string& path) {
  const int e = errno;
  std::string msg = what + " '" + path + "': " + std::strerror(e);
  return e == ENOENT ? Status::NotFound(std::move(msg)) : Status::IOError(std::move(msg));
}

Status WriteAll(int fd, const char* data, std::size_t n, const std::string& path) {
  while (n > 0) {
    const ssize_t w = ::write(fd, data, n);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return Errno("cannot write", path);
    data += w;
    n -= static_cast<std::size_t>(w);
  }
  return Status::Ok();
}

// Reads exactly n bytes at offset; Corruption if the file ends first.
Status PreadAll(int fd, char* data, std::size_t n, std::uint64_t offset, const std::string& path) {
  while (n > 0) {
    const ssize_t r = ::pread(fd, data, n, static_cast<off_t>(offset));
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) return Errno("cannot read", path);
    if (r == 0) return Status::Corruption("'" + path + "' ends early (truncated)");
    data += r;
    n -= static_cast<std::size_t>(r);
    offset += static_cast<std::uint64_t>(r);
  }
  return Status::Ok();
}

// Calls fn(chunk) for consecutive chunks of n bytes of fd from offset.
template <typename Fn>
Status ForEachChunk(int fd, std::uint64_t offset, std::uint64_t n, const std::string& path, Fn fn) {
  std::vector<char> buf(static_cast<std::size_t>(std::min<std::uint64_t>(n, kChunk)));
  while (n > 0) {
    const std::size_t len = static_cast<std::size_t>(std::min<std::uint64_t>(n, kChunk));
    ENGRAM_RETURN_IF_ERROR(PreadAll(fd, buf.data(), len, offset, path));
    ENGRAM_RETURN_IF_ERROR(fn(std::string_view(buf.data(), len)));
    offset += len;
    n -= len;
  }
  return Status::Ok();
}

}  // namespace

UniqueFd& UniqueFd::operator=(UniqueFd&& o) noexcept {
  if (this != &o) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = o.release();
  }
  return *this;
}

UniqueFd::~UniqueFd() {
  if (fd_ >= 0) ::close(fd_);
}

std::uint32_t Crc32(std::uint32_t crc, std::string_view bytes) {
  while (!bytes.empty()) {
    const auto len = static_cast<uInt>(std::min<std::size_t>(bytes.size(), kChunk));
    crc =
        static_cast<std::uint32_t>(::crc32(crc, reinterpret_cast<const Bytef*>(bytes.data()), len));
    bytes.remove_prefix(len);
  }
  return crc;
}

AtomicFileWriter::~AtomicFileWriter() {
  if (!committed_ && !tmp_path_.empty()) {
    fd_ = UniqueFd();
    ::unlink(tmp_path_.c_str());
  }
}

Status AtomicFileWriter::Open() {
  static std::atomic<unsigned> counter{0};
  tmp_path_ = path_ + ".tmp." + std::to_string(::getpid()) + "." + std::to_string(counter++);
  fd_ = UniqueFd(::open(tmp_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
  if (fd_.get() < 0) {
    const Status st = Errno("cannot create", tmp_path_);
    tmp_path_.clear();
    return Status::IOError(st.message());
  }
  return Status::Ok();
}

Status AtomicFileWriter::Append(std::string_view bytes) {
  crc_ = Crc32(crc_, bytes);
  return WriteAll(fd_.get(), bytes.data(), bytes.size(), tmp_path_);
}

Status AtomicFileWriter::AppendFrom(int fd, std::uint64_t size) {
  return ForEachChunk(fd, 0, size, "scratch file",
                      [&](std::string_view chunk) { return Append(chunk); });
}

Status AtomicFileWriter::Commit() {
  if (::fsync(fd_.get()) != 0) return Errno("cannot fsync", tmp_path_);
  fd_ = UniqueFd();
  if (::rename(tmp_path_.c_str(), path_.c_str()) != 0) return Errno("cannot rename to", path_);
  committed_ = true;
  std::filesystem::path dir = std::filesystem::path(path_).parent_path();
  if (dir.empty()) dir = ".";
  const UniqueFd dfd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (dfd.get() < 0 || ::fsync(dfd.get()) != 0)
    return Errno("cannot fsync directory", dir.string());
  return Status::Ok();
}

Status FileReader::Open(const std::string& path) {
  path_ = path;
  fd_ = UniqueFd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd_.get() < 0) return Errno("cannot open", path);
  struct stat st {};
  if (::fstat(fd_.get(), &st) != 0) return Errno("cannot stat", path);
  if (!S_ISREG(st.st_mode)) return Status::IOError("'" + path + "' is not a regular file");
  size_ = static_cast<std::uint64_t>(st.st_size);
  return Status::Ok();
}

Status FileReader::ReadAt(std::uint64_t offset, std::uint64_t n, std::string* out) const {
  if (offset > size_ || n > size_ - offset) {
    return Status::Corruption("'" + path_ + "' ends early (truncated)");
  }
  out->resize(static_cast<std::size_t>(n));
  return PreadAll(fd_.get(), out->data(), out->size(), offset, path_);
}

Status FileReader::Crc(std::uint64_t offset, std::uint64_t n, std::uint32_t* crc) const {
  *crc = 0;
  return ForEachChunk(fd_.get(), offset, n, path_, [&](std::string_view chunk) {
    *crc = Crc32(*crc, chunk);
    return Status::Ok();
  });
}

Status FileReader::CopyTo(std::uint64_t offset, std::uint64_t n, int fd) const {
  if (::ftruncate(fd, 0) != 0 || ::lseek(fd, 0, SEEK_SET) != 0)
    return Errno("cannot reset", "scratch file");
  return ForEachChunk(fd_.get(), offset, n, path_, [&](std::string_view chunk) {
    return WriteAll(fd, chunk.data(), chunk.size(), "scratch file");
  });
}

ScratchFile::~ScratchFile() {
  fd_ = UniqueFd();
  if (unlink_on_close_) ::unlink(path_.c_str());
}

Status ScratchFile::Create() {
#ifdef __linux__
  fd_ = UniqueFd(::memfd_create("engram-index", MFD_CLOEXEC));
  if (fd_.get() >= 0) {
    path_ = "/proc/self/fd/" + std::to_string(fd_.get());
    if (::access(path_.c_str(), R_OK | W_OK) == 0) return Status::Ok();
    fd_ = UniqueFd();  // no /proc: use a real temporary file
  }
#endif
  std::string templ = (std::filesystem::temp_directory_path() / "engram-index-XXXXXX").string();
  fd_ = UniqueFd(::mkstemp(templ.data()));
  if (fd_.get() < 0) return Errno("cannot create scratch file", templ);
  path_ = templ;
  unlink_on_close_ = true;
  return Status::Ok();
}

Status ScratchFile::Append(std::string_view bytes) {
  return WriteAll(fd_.get(), bytes.data(), bytes.size(), "scratch file");
}

Result<std::uint64_t> ScratchFile::Size() const {
  struct stat st {};
  if (::fstat(fd_.get(), &st) != 0) return Errno("cannot stat", path_);
  return static_cast<std::uint64_t>(st.st_size);
}

}  // namespace engram::index_internal
