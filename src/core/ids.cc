#include "engram/ids.h"

#include <cstdint>
#include <mutex>
#include <random>

namespace engram {
namespace {

constexpr std::uint64_t kTimestampMask = (std::uint64_t{1} << 48) - 1;
constexpr std::uint32_t kSeqMax = 0xFFF;       // 12-bit rand_a field used as a counter
constexpr std::uint32_t kSeqSeedMask = 0x7FF;  // seeds leave room to count upwards
// A clock that steps back by less than this keeps the counter running so ids
// stay ordered; a larger jump (e.g. a test clock) restarts at the given time.
constexpr std::int64_t kBackwardToleranceMs = 1000;

// Process-wide generator state: the last timestamp used and a counter within
// it (RFC 9562 "method 1"), so ids created in the same millisecond still sort
// in creation order.
struct IdState {
  std::mutex mu;
  std::mt19937_64 rng{std::random_device{}()};
  std::int64_t last_ms = -1;
  std::uint32_t seq = 0;
};

IdState& State() {
  static IdState state;
  return state;
}

void AppendHex(std::string& out, std::uint64_t value, int nibbles) {
  static constexpr char kHex[] = "0123456789abcdef";
  for (int i = nibbles - 1; i >= 0; --i) out += kHex[(value >> (i * 4)) & 0xF];
}

}  // namespace

std::string NewId(Timestamp now_ms) {
  if (now_ms < 0) now_ms = 0;
  std::int64_t ms = 0;
  std::uint32_t seq = 0;
  std::uint64_t rand_b = 0;
  {
    IdState& st = State();
    std::lock_guard<std::mutex> lock(st.mu);
    const bool continues = now_ms <= st.last_ms && st.last_ms - now_ms < kBackwardToleranceMs;
    if (continues) {
      if (++st.seq > kSeqMax) {  // counter exhausted: borrow the next millisecond
        ++st.last_ms;
        st.seq = 0;
      }
    } else {
      st.last_ms = now_ms;
      st.seq = static_cast<std::uint32_t>(st.rng()) & kSeqSeedMask;
    }
    ms = st.last_ms;
    seq = st.seq;
    rand_b = st.rng();
  }
  const std::uint64_t ts = static_cast<std::uint64_t>(ms) & kTimestampMask;
  const std::uint64_t variant_and_rand = (std::uint64_t{0b10} << 62) | (rand_b >> 2);
  std::string out;
  out.reserve(36);
  AppendHex(out, ts >> 16, 8);
  out += '-';
  AppendHex(out, ts & 0xFFFF, 4);
  out += '-';
  AppendHex(out, (std::uint64_t{0x7} << 12) | seq, 4);
  out += '-';
  AppendHex(out, variant_and_rand >> 48, 4);
  out += '-';
  AppendHex(out, variant_and_rand & 0xFFFFFFFFFFFF, 12);
  return out;
}

bool IsValidId(std::string_view id) {
  if (id.size() != 36) return false;
  for (std::size_t i = 0; i < id.size(); ++i) {
    const char c = id[i];
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (c != '-') return false;
    } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
      return false;
    }
  }
  return true;
}

}  // namespace engram
