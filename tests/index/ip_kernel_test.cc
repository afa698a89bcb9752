#include "index/ip_kernel.h"
#include "engram/vector_index.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <random>
#include <string>
#include <vector>

namespace engram::index_internal {
namespace {

// <a, b> in double precision, and the bound on a float kernel's rounding
// error for it: n * eps * sum |a_i b_i| (any summation order).
struct Reference {
  double dot = 0.0;
  double bound = 0.0;
};
Reference Exact(const float* a, const float* b, std::size_t n) {
  Reference r;
  double abs_sum = 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    r.dot += static_cast<double>(a[i]) * b[i];
    abs_sum += std::fabs(static_cast<double>(a[i]) * b[i]);
  }
  r.bound = static_cast<double>(n + 2) * 1.2e-7 * abs_sum + 1e-30;
  return r;
}

std::vector<float> RandomVector(std::mt19937& rng, std::size_t n) {
  std::normal_distribution<float> gauss(0.0f, 1.0f);
  std::vector<float> v(n);
  for (float& x : v) x = gauss(rng);
  return v;
}

TEST(IpKernelTest, EverySupportedKernelAgreesWithTheReference) {
  const std::vector<IpKernel> kernels = SupportedIpKernels();
  ASSERT_FALSE(kernels.empty());
  EXPECT_EQ(kernels.front().isa, KernelIsa::kScalar);
  std::mt19937 rng(7);
  for (const IpKernel& k : kernels) {
    SCOPED_TRACE(k.name);
    for (std::size_t n = 0; n <= 140; ++n) {
      // Offset by one float so loads are unaligned too.
      std::vector<float> a = RandomVector(rng, n + 1), b = RandomVector(rng, n + 1);
      const Reference ref = Exact(a.data() + 1, b.data() + 1, n);
      const float got = k.dot(a.data() + 1, b.data() + 1, n);
      ASSERT_NEAR(got, ref.dot, ref.bound) << "dimension " << n;
      const float dist = k.distance(a.data() + 1, b.data() + 1, &n);
      ASSERT_NEAR(dist, 1.0 - ref.dot, ref.bound + 1.2e-7 * std::fabs(1.0 - ref.dot))
          << "dimension " << n;
    }
    for (const std::size_t n : {255u, 256u, 300u, 384u, 511u, 512u, 513u, 768u, 1000u, 1536u}) {
      std::vector<float> a = RandomVector(rng, n), b = RandomVector(rng, n);
      const Reference ref = Exact(a.data(), b.data(), n);
      EXPECT_NEAR(k.dot(a.data(), b.data(), n), ref.dot, ref.bound) << "dimension " << n;
    }
  }
}

TEST(IpKernelTest, KernelsReadNoFurtherThanTheDimension) {
  // Poison beyond the end: a kernel that read it would return NaN.
  std::mt19937 rng(11);
  for (const IpKernel& k : SupportedIpKernels()) {
    SCOPED_TRACE(k.name);
    for (std::size_t n = 1; n <= 70; ++n) {
      std::vector<float> a = RandomVector(rng, n + 64), b = RandomVector(rng, n + 64);
      for (std::size_t i = n; i < n + 64; ++i) a[i] = b[i] = std::nanf("");
      const float got = k.dot(a.data(), b.data(), n);
      ASSERT_TRUE(std::isfinite(got)) << "dimension " << n;
    }
  }
}

TEST(IpKernelTest, UnitVectorsGiveCosineDistance) {
  std::vector<float> x(512, 0.0f), y(512, 0.0f);
  x[3] = 1.0f;
  y[3] = 0.6f;
  y[500] = 0.8f;
  const std::size_t n = 512;
  for (const IpKernel& k : SupportedIpKernels()) {
    EXPECT_FLOAT_EQ(k.distance(x.data(), x.data(), &n), 0.0f) << k.name;
    EXPECT_NEAR(k.distance(x.data(), y.data(), &n), 0.4f, 1e-6f) << k.name;
  }
}

TEST(IpKernelTest, BestKernelIsTheLastSupportedOne) {
  const std::vector<IpKernel> kernels = SupportedIpKernels();
  EXPECT_EQ(BestIpKernel().isa, kernels.back().isa);
  EXPECT_STREQ(BestIpKernel().name, kernels.back().name);
#if defined(__x86_64__)
  EXPECT_GE(kernels.size(), 2u);  // scalar and the SSE baseline at least
#endif
}

}  // namespace
}  // namespace engram::index_internal

namespace engram {
namespace {

TEST(InnerProductTest, UsesTheShorterLengthAndMatchesTheReference) {
  std::mt19937 rng(7);
  for (std::size_t n : {1u, 7u, 16u, 33u, 512u}) {
    std::vector<float> a = index_internal::RandomVector(rng, n);
    std::vector<float> b = index_internal::RandomVector(rng, n + 5);  // 5 extra entries ignored
    const index_internal::Reference ref = index_internal::Exact(a.data(), b.data(), n);
    EXPECT_NEAR(InnerProduct(a, b), ref.dot, ref.bound) << "n = " << n;
    EXPECT_NEAR(InnerProduct(b, a), ref.dot, ref.bound) << "n = " << n;
  }
  EXPECT_EQ(InnerProduct({}, std::vector<float>{1.0f, 2.0f}), 0.0f);
}

}  // namespace
}  // namespace engram
