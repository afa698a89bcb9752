#include "engram/time.h"

#include <gtest/gtest.h>

namespace engram {
namespace {

TEST(FormatIso8601, RendersEpochAndMilliseconds) {
  EXPECT_EQ(FormatIso8601(0), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(FormatIso8601(1'795'320'911'123), "2026-11-22T04:15:11.123Z");
}

TEST(FormatIso8601, RendersTimesBeforeTheEpoch) {
  EXPECT_EQ(FormatIso8601(-1), "1969-12-31T23:59:59.999Z");
}

TEST(FormatIso8601, HandlesLeapDay) {
  EXPECT_EQ(FormatIso8601(951'782'400'000), "2000-02-29T00:00:00.000Z");
}

TEST(ParseIso8601, ParsesFullTimestamp) {
  EXPECT_EQ(ParseIso8601("2026-11-22T04:15:11.123Z"), 1'795'320'911'123);
}

TEST(ParseIso8601, ParsesWithoutFraction) { EXPECT_EQ(ParseIso8601("1970-01-01T00:00:01Z"), 1000); }

TEST(ParseIso8601, ShortFractionIsScaledToMilliseconds) {
  EXPECT_EQ(ParseIso8601("1970-01-01T00:00:00.5Z"), 500);
  EXPECT_EQ(ParseIso8601("1970-01-01T00:00:00.05Z"), 50);
}

TEST(ParseIso8601, ParsesDateOnlyAsMidnightUtc) {
  EXPECT_EQ(ParseIso8601("2000-02-29"), 951'782'400'000);
}

TEST(ParseIso8601, RejectsMalformedInput) {
  for (const char* bad :
       {"", "2026", "2026-13-01", "2026-02-30", "2025-02-29", "2026-1-01", "2026-01-01T24:00:00Z",
        "2026-01-01T00:60:00Z", "2026-01-01T00:00:00", "2026-01-01T00:00:00.Z",
        "2026-01-01T00:00:00.1234Z", "2026-01-01T00:00:00+01:00", "2026-01-01 00:00:00Z",
        "2026-01-01x", "abcd-ef-ghT00:00:00Z"}) {
    EXPECT_FALSE(ParseIso8601(bad).has_value()) << bad;
  }
}

TEST(ParseIso8601, RoundTripsFormattedTimestamps) {
  for (Timestamp t : {Timestamp{0}, Timestamp{-86'400'001}, Timestamp{1'700'000'000'999},
                      Timestamp{4'102'444'800'000}}) {
    EXPECT_EQ(ParseIso8601(FormatIso8601(t)), t) << t;
  }
}

TEST(SystemClock, ReturnsCurrentTimeInMilliseconds) {
  const Timestamp now = SystemClock::Get().NowMs();
  EXPECT_GT(now, 1'700'000'000'000);  // after Nov 2023
  EXPECT_LT(now, 7'000'000'000'000);
}

TEST(ManualClock, AdvancesOnlyWhenTold) {
  ManualClock clock(1000);
  EXPECT_EQ(clock.NowMs(), 1000);
  clock.AdvanceMs(250);
  EXPECT_EQ(clock.NowMs(), 1250);
  clock.Set(5);
  EXPECT_EQ(clock.NowMs(), 5);
}

}  // namespace
}  // namespace engram
