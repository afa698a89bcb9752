// Timestamps and the clock seam.
//
// All timestamps are milliseconds since the Unix epoch (UTC), stored as
// INTEGER and rendered as ISO-8601 ("2026-11-22T04:15:11.123Z") for people.
// Clock is a seam so tests can control time (TTL, decay, durations).
//
// Thread safety: SystemClock is stateless; ManualClock is not synchronised.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace engram {

using Timestamp = std::int64_t;  // ms since epoch, UTC

class Clock {
 public:
  virtual ~Clock() = default;
  virtual Timestamp NowMs() const = 0;
};

// Wall clock. Default for every component.
class SystemClock final : public Clock {
 public:
  Timestamp NowMs() const override;
  static const SystemClock& Get();
};

// A clock tests set and advance by hand.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(Timestamp start) : now_(start) {}
  Timestamp NowMs() const override { return now_; }
  void Set(Timestamp t) { now_ = t; }
  void AdvanceMs(std::int64_t ms) { now_ += ms; }

 private:
  Timestamp now_;
};

// "2026-11-22T04:15:11.123Z"
std::string FormatIso8601(Timestamp ms);
// Accepts "YYYY-MM-DDTHH:MM:SS[.mmm]Z" and "YYYY-MM-DD"; nullopt otherwise.
std::optional<Timestamp> ParseIso8601(std::string_view text);

}  // namespace engram
