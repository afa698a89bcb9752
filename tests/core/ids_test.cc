#include "engram/ids.h"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <thread>
#include <vector>

namespace engram {
namespace {

TEST(NewId, IsCanonicalVersion7Uuid) {
  const std::string id = NewId(1'700'000'000'000);
  ASSERT_TRUE(IsValidId(id)) << id;
  EXPECT_EQ(id[14], '7');                                                // version nibble
  EXPECT_NE(std::string("89ab").find(id[19]), std::string::npos) << id;  // RFC variant
}

TEST(NewId, EncodesTheTimestampInTheFirst48Bits) {
  const Timestamp t = 0x0193'F1C2'7B4E;
  const std::string id = NewId(t);
  EXPECT_EQ(id.substr(0, 13), "0193f1c2-7b4e");
}

TEST(NewId, SortsInCreationOrderWithinTheSameMillisecond) {
  std::vector<std::string> ids;
  for (int i = 0; i < 5000; ++i) ids.push_back(NewId(1'800'000'000'000));
  for (std::size_t i = 1; i < ids.size(); ++i) EXPECT_LT(ids[i - 1], ids[i]) << i;
}

TEST(NewId, SortsByTimestampAcrossMilliseconds) {
  const std::string a = NewId(1'800'000'100'000);
  const std::string b = NewId(1'800'000'100'001);
  const std::string c = NewId(1'800'000'200'000);
  EXPECT_LT(a, b);
  EXPECT_LT(b, c);
}

TEST(NewId, IsUniqueAcrossThreads) {
  constexpr int kThreads = 4;
  constexpr int kPerThread = 2000;
  std::vector<std::vector<std::string>> out(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&out, t] {
      for (int i = 0; i < kPerThread; ++i) out[t].push_back(NewId(1'900'000'000'000));
    });
  }
  for (auto& th : threads) th.join();
  std::set<std::string> all;
  for (const auto& v : out) all.insert(v.begin(), v.end());
  EXPECT_EQ(all.size(), static_cast<std::size_t>(kThreads * kPerThread));
}

TEST(IsValidId, RejectsNonCanonicalForms) {
  EXPECT_TRUE(IsValidId("0193f1c2-7b4e-7a10-8c3d-2f9e6b1a4c5d"));
  EXPECT_FALSE(IsValidId(""));
  EXPECT_FALSE(IsValidId("0193F1C2-7B4E-7A10-8C3D-2F9E6B1A4C5D"));  // upper case
  EXPECT_FALSE(IsValidId("0193f1c2-7b4e-7a10-8c3d-2f9e6b1a4c5"));   // short
  EXPECT_FALSE(IsValidId("0193f1c27b4e-7a10-8c3d-2f9e6b1a4c5d0"));  // dash misplaced
  EXPECT_FALSE(IsValidId("0193f1c2-7b4e-7a10-8c3d-2f9e6b1a4c5g"));  // non-hex
  EXPECT_FALSE(IsValidId("{193f1c2-7b4e-7a10-8c3d-2f9e6b1a4c5d}"));
}

}  // namespace
}  // namespace engram
