#include "embed/nfkc.h"

#include <algorithm>
#include <cstdint>
#include <utility>

namespace engram::embed {
namespace {

struct CccRange {
  char32_t first;
  char32_t last;
  std::uint8_t ccc;
};
struct DecompEntry {
  char32_t cp;
  std::uint16_t offset;
  std::uint8_t length;
};
struct ComposeEntry {
  char32_t first;
  char32_t second;
  char32_t composite;
};

#include "embed/nfkc_tables.inc"

// Hangul syllable arithmetic (Unicode 3.12).
constexpr char32_t kSBase = 0xAC00, kLBase = 0x1100, kVBase = 0x1161, kTBase = 0x11A7;
constexpr char32_t kLCount = 19, kVCount = 21, kTCount = 28;
constexpr char32_t kNCount = kVCount * kTCount, kSCount = kLCount * kNCount;

int CombiningClass(char32_t cp) {
  if (cp < 0x300) return 0;
  const auto* end = std::end(kCccRanges);
  const auto* it = std::upper_bound(std::begin(kCccRanges), end, cp,
                                    [](char32_t c, const CccRange& r) { return c < r.first; });
  if (it == std::begin(kCccRanges)) return 0;
  --it;
  return cp <= it->last ? it->ccc : 0;
}

void AppendDecomposition(char32_t cp, std::u32string& out) {
  if (cp >= kSBase && cp < kSBase + kSCount) {
    const char32_t s = cp - kSBase;
    out.push_back(kLBase + s / kNCount);
    out.push_back(kVBase + (s % kNCount) / kTCount);
    if (s % kTCount != 0) out.push_back(kTBase + s % kTCount);
    return;
  }
  const auto* end = std::end(kDecompIndex);
  const auto* it = std::lower_bound(std::begin(kDecompIndex), end, cp,
                                    [](const DecompEntry& e, char32_t c) { return e.cp < c; });
  if (it == end || it->cp != cp) {
    out.push_back(cp);
    return;
  }
  out.append(kDecompPool + it->offset, it->length);
}

// Stable sort of each run of non-starters by combining class.
void CanonicalOrder(std::u32string& s) {
  std::size_t i = 0;
  while (i < s.size()) {
    if (CombiningClass(s[i]) == 0) {
      ++i;
      continue;
    }
    std::size_t j = i;
    while (j < s.size() && CombiningClass(s[j]) != 0) ++j;
    std::stable_sort(s.begin() + i, s.begin() + j,
                     [](char32_t a, char32_t b) { return CombiningClass(a) < CombiningClass(b); });
    i = j;
  }
}

// The primary composite of <first, second>, or 0 when there is none.
char32_t Compose(char32_t first, char32_t second) {
  if (first >= kLBase && first < kLBase + kLCount && second >= kVBase &&
      second < kVBase + kVCount) {
    return kSBase + ((first - kLBase) * kVCount + (second - kVBase)) * kTCount;
  }
  if (first >= kSBase && first < kSBase + kSCount && (first - kSBase) % kTCount == 0 &&
      second > kTBase && second < kTBase + kTCount) {
    return first + (second - kTBase);
  }
  const auto* end = std::end(kComposePairs);
  const auto* it =
      std::lower_bound(std::begin(kComposePairs), end, std::pair{first, second},
                       [](const ComposeEntry& e, const std::pair<char32_t, char32_t>& key) {
                         return std::pair{e.first, e.second} < key;
                       });
  return it != end && it->first == first && it->second == second ? it->composite : 0;
}

// Canonical composition algorithm (Unicode 3.11, D117).
void CanonicalCompose(std::u32string& s) {
  if (s.empty()) return;
  std::size_t starter = 0;
  bool have_starter = CombiningClass(s[0]) == 0;
  int last_ccc = have_starter ? 0 : 256;
  std::size_t out = 1;
  for (std::size_t i = 1; i < s.size(); ++i) {
    const char32_t cp = s[i];
    const int ccc = CombiningClass(cp);
    const bool blocked = last_ccc != 0 && last_ccc >= ccc;
    if (have_starter && !blocked && (last_ccc != 0 || out == starter + 1)) {
      if (const char32_t composite = Compose(s[starter], cp); composite != 0) {
        s[starter] = composite;
        continue;
      }
    }
    if (ccc == 0) {
      starter = out;
      have_starter = true;
    }
    last_ccc = ccc;
    s[out++] = cp;
  }
  s.resize(out);
}

}  // namespace

std::u32string NormalizeNfkc(std::u32string_view text) {
  if (std::all_of(text.begin(), text.end(), [](char32_t c) { return c < 0xA0; })) {
    return std::u32string(text);  // Latin-1 controls and ASCII are NFKC-stable
  }
  std::u32string s;
  s.reserve(text.size());
  for (char32_t cp : text) AppendDecomposition(cp, s);
  CanonicalOrder(s);
  CanonicalCompose(s);
  return s;
}

}  // namespace engram::embed
