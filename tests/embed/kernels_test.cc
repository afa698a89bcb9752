#include "embed/kernels.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

namespace engram::embed {
namespace {

std::vector<float> Random(std::size_t n, std::mt19937& rng) {
  std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
  std::vector<float> v(n);
  for (float& x : v) x = dist(rng);
  return v;
}

// Straightforward c = a*b + bias with the epilogue, in double.
std::vector<float> Naive(const std::vector<float>& a, const std::vector<float>& b,
                         const std::vector<float>& bias, const std::vector<float>& c0, int m, int k,
                         int n, Epilogue epilogue) {
  std::vector<float> c(c0);
  for (int i = 0; i < m; ++i) {
    for (int j = 0; j < n; ++j) {
      double v = bias[j];
      for (int kk = 0; kk < k; ++kk) v += static_cast<double>(a[i * k + kk]) * b[kk * n + j];
      if (epilogue == Epilogue::kRelu) v = std::max(v, 0.0);
      if (epilogue == Epilogue::kAccumulate) v += c0[i * n + j];
      c[i * n + j] = static_cast<float>(v);
    }
  }
  return c;
}

TEST(MatMulTest, BothKernelsMatchNaiveProductForAllTileRemainders) {
  std::mt19937 rng(7);
  for (MatMulKernel kernel : {MatMulKernel::kBest, MatMulKernel::kPortable}) {
    for (Epilogue epilogue : {Epilogue::kStore, Epilogue::kRelu, Epilogue::kAccumulate}) {
      for (int m : {1, 5, 6, 13}) {
        const int k = 37, n = 40;  // n is not a multiple of the 16-column panel
        const auto a = Random(m * k, rng), b = Random(k * n, rng), bias = Random(n, rng);
        const auto c0 = Random(m * n, rng);
        PackedMatrix packed(b, k, n, bias);
        std::vector<float> c(c0);
        MatMul(a.data(), m, k, packed, c.data(), n, epilogue, kernel);
        const auto want = Naive(a, b, bias, c0, m, k, n, epilogue);
        for (int i = 0; i < m * n; ++i) ASSERT_NEAR(c[i], want[i], 1e-4) << "m=" << m << " i=" << i;
      }
    }
  }
  EXPECT_NE(std::string(MatMulKernelName()), "");
}

TEST(MatMulTest, RowsDoNotDependOnBatchSize) {
  std::mt19937 rng(11);
  const int m = 9, k = 64, n = 32;
  const auto a = Random(m * k, rng), b = Random(k * n, rng), bias = Random(n, rng);
  PackedMatrix packed(b, k, n, bias);
  std::vector<float> all(m * n);
  MatMul(a.data(), m, k, packed, all.data(), n, Epilogue::kStore);
  for (int i = 0; i < m; ++i) {
    std::vector<float> one(n);
    MatMul(a.data() + i * k, 1, k, packed, one.data(), n, Epilogue::kStore);
    for (int j = 0; j < n; ++j) ASSERT_EQ(one[j], all[i * n + j]);
  }
}

TEST(LayerNormTest, NormalisesEachRow) {
  const std::vector<float> x = {1, 2, 3, 4, -2, -2, -2, -2};
  const std::vector<float> scale(4, 2.0f), bias(4, 0.5f);
  std::vector<float> out(8);
  LayerNorm(x.data(), 2, 4, scale.data(), bias.data(), 1e-6f, out.data());
  // Row 0: mean 2.5, variance 1.25.
  EXPECT_NEAR(out[0], 2.0f * (1 - 2.5f) / std::sqrt(1.25f) + 0.5f, 1e-5);
  EXPECT_NEAR(out[3], 2.0f * (4 - 2.5f) / std::sqrt(1.25f) + 0.5f, 1e-5);
  for (int i = 4; i < 8; ++i) EXPECT_NEAR(out[i], 0.5f, 1e-5);  // constant row -> bias
}

TEST(SoftmaxTest, SumsToOneAndIsShiftInvariant) {
  std::vector<float> x = {1000.0f, 1001.0f, 1002.0f};
  Softmax(x.data(), 3);
  EXPECT_NEAR(x[0] + x[1] + x[2], 1.0f, 1e-6);
  EXPECT_NEAR(x[2] / x[1], std::exp(1.0f), 1e-4);
}

}  // namespace
}  // namespace engram::embed
