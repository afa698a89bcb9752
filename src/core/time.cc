#include "engram/time.h"

#include <chrono>
#include <cstdio>

namespace engram {
namespace {

constexpr std::int64_t kMsPerSecond = 1000;
constexpr std::int64_t kMsPerDay = 86'400'000;

// Days since 1970-01-01 for a proleptic Gregorian date (H. Hinnant's
// days_from_civil); exact for every representable year.
std::int64_t DaysFromCivil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2 ? 1 : 0;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

struct CivilDate {
  std::int64_t year;
  unsigned month;
  unsigned day;
};

CivilDate CivilFromDays(std::int64_t z) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  const std::int64_t y = static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2 ? 1 : 0);
  return {y, m, d};
}

bool IsLeapYear(std::int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

unsigned DaysInMonth(std::int64_t y, unsigned m) {
  static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && IsLeapYear(y) ? 29 : kDays[m - 1];
}

// Reads exactly `n` decimal digits at `pos`; false if any is not a digit.
bool ReadDigits(std::string_view text, std::size_t pos, std::size_t n, unsigned& out) {
  if (pos + n > text.size()) return false;
  out = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    const char c = text[i];
    if (c < '0' || c > '9') return false;
    out = out * 10 + static_cast<unsigned>(c - '0');
  }
  return true;
}

}  // namespace

Timestamp SystemClock::NowMs() const {
  using std::chrono::duration_cast;
  using std::chrono::milliseconds;
  return duration_cast<milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

const SystemClock& SystemClock::Get() {
  static const SystemClock clock;
  return clock;
}

std::string FormatIso8601(Timestamp ms) {
  // Floor division so times before the epoch render correctly.
  std::int64_t days = ms / kMsPerDay;
  std::int64_t rem = ms % kMsPerDay;
  if (rem < 0) {
    rem += kMsPerDay;
    --days;
  }
  const CivilDate date = CivilFromDays(days);
  const auto millis = static_cast<int>(rem % kMsPerSecond);
  const auto secs = static_cast<int>(rem / kMsPerSecond);
  char buf[48];
  std::snprintf(buf, sizeof(buf), "%04lld-%02u-%02uT%02d:%02d:%02d.%03dZ",
                static_cast<long long>(date.year), date.month, date.day, secs / 3600,
                (secs / 60) % 60, secs % 60, millis);
  return buf;
}

std::optional<Timestamp> ParseIso8601(std::string_view text) {
  unsigned year = 0, month = 0, day = 0;
  if (!ReadDigits(text, 0, 4, year) || text.size() < 10 || text[4] != '-' ||
      !ReadDigits(text, 5, 2, month) || text[7] != '-' || !ReadDigits(text, 8, 2, day)) {
    return std::nullopt;
  }
  if (month < 1 || month > 12 || day < 1 || day > DaysInMonth(year, month)) return std::nullopt;
  const std::int64_t days = DaysFromCivil(year, month, day);
  if (text.size() == 10) return days * kMsPerDay;

  unsigned hour = 0, minute = 0, second = 0;
  if (text[10] != 'T' || !ReadDigits(text, 11, 2, hour) || text.size() < 20 || text[13] != ':' ||
      !ReadDigits(text, 14, 2, minute) || text[16] != ':' || !ReadDigits(text, 17, 2, second)) {
    return std::nullopt;
  }
  if (hour > 23 || minute > 59 || second > 59) return std::nullopt;
  std::size_t pos = 19;
  unsigned millis = 0;
  if (text[pos] == '.') {
    // One to three fractional digits: ".5" is 500 ms, ".123" is 123 ms.
    std::size_t digits = 0;
    while (pos + 1 + digits < text.size() && digits < 4 && text[pos + 1 + digits] >= '0' &&
           text[pos + 1 + digits] <= '9') {
      ++digits;
    }
    if (digits < 1 || digits > 3 || !ReadDigits(text, pos + 1, digits, millis)) return std::nullopt;
    for (std::size_t i = digits; i < 3; ++i) millis *= 10;
    pos += 1 + digits;
  }
  if (pos + 1 != text.size() || text[pos] != 'Z') return std::nullopt;
  return days * kMsPerDay + ((hour * 60 + minute) * 60 + second) * kMsPerSecond + millis;
}

}  // namespace engram
