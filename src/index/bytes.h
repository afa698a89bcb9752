// Little-endian byte encoding for the index file (src/index/index_file.cc)
// and its id table (label_table.cc). ByteReader never reads past its input:
// every getter returns false once the input is exhausted.
//
// Thread safety: plain values.
#pragma once

#include <bit>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <type_traits>

namespace engram::index_internal {

static_assert(std::endian::native == std::endian::little,
              "the index file is little-endian; add byte swapping for this platform");

class ByteWriter {
 public:
  explicit ByteWriter(std::string* out) : out_(out) {}
  template <typename T>
  void Put(T value) {
    static_assert(std::is_trivially_copyable_v<T>);
    out_->append(reinterpret_cast<const char*>(&value), sizeof(T));
  }
  // u16 length + bytes. REQUIRES: s.size() <= 65535.
  void PutString16(std::string_view s) {
    Put(static_cast<std::uint16_t>(s.size()));
    out_->append(s);
  }

 private:
  std::string* out_;
};

class ByteReader {
 public:
  explicit ByteReader(std::string_view in) : in_(in) {}
  template <typename T>
  [[nodiscard]] bool Get(T* value) {
    static_assert(std::is_trivially_copyable_v<T>);
    if (in_.size() < sizeof(T)) return false;
    std::memcpy(value, in_.data(), sizeof(T));
    in_.remove_prefix(sizeof(T));
    return true;
  }
  [[nodiscard]] bool GetString16(std::string* s) {
    std::uint16_t n = 0;
    if (!Get(&n) || in_.size() < n) return false;
    s->assign(in_.substr(0, n));
    in_.remove_prefix(n);
    return true;
  }
  std::size_t remaining() const { return in_.size(); }

 private:
  std::string_view in_;
};

}  // namespace engram::index_internal
