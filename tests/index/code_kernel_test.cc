// VectorRecord encoding (vector_record.h) and the int8 code kernels
// (code_kernel.h) the graph walks with.
#include "index/code_kernel.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <random>
#include <vector>

#include "index/vector_record.h"

namespace engram::index_internal {
namespace {

std::vector<float> UnitVector(std::mt19937& rng, std::size_t n) {
  std::normal_distribution<float> gauss(0.0f, 1.0f);
  std::vector<float> v(n);
  double norm = 0.0;
  for (float& x : v) {
    x = gauss(rng);
    norm += static_cast<double>(x) * x;
  }
  for (float& x : v) x = static_cast<float>(x / std::sqrt(norm));
  return v;
}

std::vector<char> Record(const std::vector<float>& v) {
  const RecordLayout l = RecordLayout::For(v.size());
  std::vector<char> r(l.bytes);
  EncodeRecord(v.data(), l, r.data());
  return r;
}

TEST(VectorRecordTest, LayoutPutsCodesFirstAndTheFloatsAfterTheScale) {
  const RecordLayout l = RecordLayout::For(10);
  EXPECT_EQ(l.scale_offset, 12u);  // 10 codes padded to 12
  EXPECT_EQ(l.vector_offset, 16u);
  EXPECT_EQ(l.bytes, 16u + 40u);
  EXPECT_EQ(RecordLayout::For(512).bytes, 512u + 4u + 2048u);
}

TEST(VectorRecordTest, EncodingKeepsTheVectorAndBoundsTheCodeError) {
  std::mt19937 rng(3);
  for (const std::size_t n : {1u, 7u, 64u, 513u}) {
    const std::vector<float> v = UnitVector(rng, n);
    const RecordLayout l = RecordLayout::For(n);
    const std::vector<char> r = Record(v);
    EXPECT_EQ(std::memcmp(RecordVector(r.data(), l), v.data(), n * sizeof(float)), 0);
    const float scale = RecordScale(r.data(), l);
    std::int32_t max_code = 0;
    for (std::size_t i = 0; i < n; ++i) {
      const std::int32_t c{RecordCodes(r.data())[i]};
      max_code = std::max(max_code, std::abs(c));
      EXPECT_LE(std::fabs(static_cast<float>(c) * scale - v[i]), scale * 0.5f + 1e-7f);
    }
    EXPECT_EQ(max_code, 127) << "the largest entry uses the full code range";
    for (std::size_t i = n; i < l.scale_offset; ++i) EXPECT_EQ(r[i], 0) << "padding";
  }
}

TEST(VectorRecordTest, ZeroVectorHasZeroScaleAndCodes) {
  const std::vector<float> zero(9, 0.0f);
  const std::vector<char> r = Record(zero);
  const RecordLayout l = RecordLayout::For(9);
  EXPECT_EQ(RecordScale(r.data(), l), 0.0f);
  for (std::size_t i = 0; i < 9; ++i) EXPECT_EQ(RecordCodes(r.data())[i], 0);
  EXPECT_EQ(SupportedCodeKernels().front().distance(r.data(), r.data(), &l), 1.0f);
}

TEST(CodeKernelTest, EveryKernelSumsExactlyAsTheScalarOne) {
  std::mt19937 rng(5);
  std::uniform_int_distribution<int> code(-127, 127);
  const std::vector<CodeKernel> kernels = SupportedCodeKernels();
  ASSERT_FALSE(kernels.empty());
  EXPECT_STREQ(kernels.front().name, "scalar");
  for (const CodeKernel& k : kernels) {
    SCOPED_TRACE(k.name);
    for (std::size_t n = 0; n <= 200; ++n) {
      // One byte of offset, so loads are unaligned; poison past the end.
      std::vector<std::int8_t> a(n + 65, 127), b(n + 65, 127);
      std::int32_t want = 0;
      for (std::size_t i = 1; i <= n; ++i) {
        a[i] = static_cast<std::int8_t>(code(rng));
        b[i] = static_cast<std::int8_t>(code(rng));
        want += std::int32_t{a[i]} * b[i];
      }
      ASSERT_EQ(k.dot(a.data() + 1, b.data() + 1, n), want) << "dimension " << n;
    }
    // Extremes: every product at its largest magnitude.
    const std::vector<std::int8_t> hi(4096, 127), lo(4096, -127);
    EXPECT_EQ(k.dot(hi.data(), lo.data(), hi.size()), -127 * 127 * 4096);
  }
  EXPECT_STREQ(BestCodeKernel().name, kernels.back().name);
}

TEST(CodeKernelTest, CodeDistanceEstimatesTheFloatDistance) {
  std::mt19937 rng(9);
  const std::size_t n = 512;
  const RecordLayout l = RecordLayout::For(n);
  for (const CodeKernel& k : SupportedCodeKernels()) {
    SCOPED_TRACE(k.name);
    double worst = 0.0;
    for (int trial = 0; trial < 200; ++trial) {
      const std::vector<float> a = UnitVector(rng, n);
      std::vector<float> b = UnitVector(rng, n);
      if (trial % 2) {  // near neighbours too: b = a + small noise
        for (std::size_t i = 0; i < n; ++i) b[i] = a[i] + 0.1f * b[i];
        double norm = 0.0;
        for (float x : b) norm += static_cast<double>(x) * x;
        for (float& x : b) x = static_cast<float>(x / std::sqrt(norm));
      }
      double dot = 0.0;
      for (std::size_t i = 0; i < n; ++i) dot += static_cast<double>(a[i]) * b[i];
      const std::vector<char> ra = Record(a), rb = Record(b);
      worst = std::max(worst, std::fabs(k.distance(ra.data(), rb.data(), &l) - (1.0 - dot)));
      EXPECT_FLOAT_EQ(k.distance(ra.data(), rb.data(), &l), k.distance(rb.data(), ra.data(), &l));
    }
    EXPECT_LT(worst, 3e-3) << "int8 codes of 512-d unit vectors";
    EXPECT_GT(worst, 0.0) << "codes are an estimate, not the float distance";
  }
}

}  // namespace
}  // namespace engram::index_internal
