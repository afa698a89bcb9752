#include "embed/kernels.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define ENGRAM_EMBED_X86 1
#endif

namespace engram::embed {
namespace {

constexpr int kPanel = PackedMatrix::kPanel;
constexpr int kRows = 6;  // rows per register tile

// Writes a tile of `rows` x `cols` accumulators (row stride kPanel) to c,
// adding the bias and applying the epilogue.
void StoreTile(const float* acc, int rows, int cols, const float* bias, float* c, int ldc,
               Epilogue epilogue) {
  for (int r = 0; r < rows; ++r) {
    float* out = c + static_cast<std::size_t>(r) * ldc;
    for (int j = 0; j < cols; ++j) {
      float v = acc[r * kPanel + j] + bias[j];
      if (epilogue == Epilogue::kRelu) v = std::max(v, 0.0f);
      if (epilogue == Epilogue::kAccumulate) v += out[j];
      out[j] = v;
    }
  }
}

// Portable tile: R rows of a against one packed panel, written so that the
// compiler vectorises the column loop with baseline SIMD.
template <int R>
void TilePortable(const float* a, int lda, const float* panel, int k, float* acc) {
  float t[R][kPanel] = {};
  for (int kk = 0; kk < k; ++kk) {
    const float* b = panel + static_cast<std::size_t>(kk) * kPanel;
    for (int r = 0; r < R; ++r) {
      const float av = a[static_cast<std::size_t>(r) * lda + kk];
      for (int j = 0; j < kPanel; ++j) t[r][j] += av * b[j];
    }
  }
  std::memcpy(acc, t, sizeof(t));
}

#ifdef ENGRAM_EMBED_X86
// AVX2 tile: R rows x 16 columns held in 2R ymm registers (R <= 6 keeps all
// accumulators, two panel rows and one broadcast within the 16 registers).
template <int R>
__attribute__((target("avx2,fma"))) void TileAvx2(const float* a, int lda, const float* panel,
                                                  int k, float* acc) {
  __m256 lo[R], hi[R];
#pragma GCC unroll 6
  for (int r = 0; r < R; ++r) lo[r] = hi[r] = _mm256_setzero_ps();
  for (int kk = 0; kk < k; ++kk) {
    const float* b = panel + static_cast<std::size_t>(kk) * kPanel;
    const __m256 b0 = _mm256_loadu_ps(b), b1 = _mm256_loadu_ps(b + 8);
#pragma GCC unroll 6
    for (int r = 0; r < R; ++r) {
      const __m256 av = _mm256_broadcast_ss(a + static_cast<std::size_t>(r) * lda + kk);
      lo[r] = _mm256_fmadd_ps(av, b0, lo[r]);
      hi[r] = _mm256_fmadd_ps(av, b1, hi[r]);
    }
  }
#pragma GCC unroll 6
  for (int r = 0; r < R; ++r) {
    _mm256_storeu_ps(acc + r * kPanel, lo[r]);
    _mm256_storeu_ps(acc + r * kPanel + 8, hi[r]);
  }
}
#endif

using TileFn = void (*)(const float*, int, const float*, int, float*);

struct Kernel {
  TileFn tiles[kRows];  // by row count - 1
  const char* name;
};

constexpr Kernel kPortableKernel = {{TilePortable<1>, TilePortable<2>, TilePortable<3>,
                                     TilePortable<4>, TilePortable<5>, TilePortable<6>},
                                    "portable"};

Kernel SelectKernel() {
#ifdef ENGRAM_EMBED_X86
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) {
    return {{TileAvx2<1>, TileAvx2<2>, TileAvx2<3>, TileAvx2<4>, TileAvx2<5>, TileAvx2<6>},
            "avx2-fma"};
  }
#endif
  return kPortableKernel;
}

const Kernel& ActiveKernel() {
  static const Kernel kernel = SelectKernel();
  return kernel;
}

}  // namespace

PackedMatrix::PackedMatrix(std::span<const float> weights, int k, int n,
                           std::span<const float> bias)
    : k_(k), n_(n), bias_(bias.begin(), bias.end()) {
  const int panels = (n + kPanel - 1) / kPanel;
  data_.assign(static_cast<std::size_t>(panels) * k * kPanel, 0.0f);
  for (int p = 0; p < panels; ++p) {
    float* dst = data_.data() + static_cast<std::size_t>(p) * k * kPanel;
    const int cols = std::min(kPanel, n - p * kPanel);
    for (int kk = 0; kk < k; ++kk) {
      std::memcpy(dst + static_cast<std::size_t>(kk) * kPanel,
                  weights.data() + static_cast<std::size_t>(kk) * n + p * kPanel,
                  sizeof(float) * cols);
    }
  }
  bias_.resize(n, 0.0f);
}

void MatMul(const float* a, int m, int lda, const PackedMatrix& b, float* c, int ldc,
            Epilogue epilogue, MatMulKernel which) {
  const Kernel& kernel = which == MatMulKernel::kPortable ? kPortableKernel : ActiveKernel();
  alignas(32) float acc[kRows * kPanel];
  const int panels = (b.n() + kPanel - 1) / kPanel;
  for (int p = 0; p < panels; ++p) {
    const int col = p * kPanel;
    const int cols = std::min(kPanel, b.n() - col);
    for (int row = 0; row < m; row += kRows) {
      const int rows = std::min(kRows, m - row);
      kernel.tiles[rows - 1](a + static_cast<std::size_t>(row) * lda, lda, b.panel(p), b.k(), acc);
      StoreTile(acc, rows, cols, b.bias() + col, c + static_cast<std::size_t>(row) * ldc + col, ldc,
                epilogue);
    }
  }
}

const char* MatMulKernelName() { return ActiveKernel().name; }

void LayerNorm(const float* x, int rows, int dim, const float* scale, const float* bias, float eps,
               float* out) {
  for (int r = 0; r < rows; ++r) {
    const float* in = x + static_cast<std::size_t>(r) * dim;
    float* o = out + static_cast<std::size_t>(r) * dim;
    float sum = 0.0f;
    for (int i = 0; i < dim; ++i) sum += in[i];
    const float mean = sum / static_cast<float>(dim);
    float sq = 0.0f;
    for (int i = 0; i < dim; ++i) sq += (in[i] - mean) * (in[i] - mean);
    const float inv = 1.0f / std::sqrt(sq / static_cast<float>(dim) + eps);
    for (int i = 0; i < dim; ++i) o[i] = (scale[i] * inv) * (in[i] - mean) + bias[i];
  }
}

void Softmax(float* x, int n) {
  const float max = *std::max_element(x, x + n);
  float sum = 0.0f;
  for (int i = 0; i < n; ++i) {
    x[i] = std::exp(x[i] - max);
    sum += x[i];
  }
  const float inv = 1.0f / sum;
  for (int i = 0; i < n; ++i) x[i] *= inv;
}

}  // namespace engram::embed
