// Dense CPU kernels for the native USE Lite model: a packed, register-tiled
// matrix multiply (the only hot spot) and the small row-wise ops around it.
//
// MatMul picks, once per process, an AVX2+FMA kernel when the CPU has those
// instructions (compiled with a function target attribute, so the default
// build needs no -march flag) and a portable kernel otherwise. Either way a
// row's result depends only on that row: batching never changes outputs.
//
// Thread safety: PackedMatrix is immutable after Pack; every function is
// reentrant and writes only to its output arguments.
#pragma once

#include <cstddef>
#include <span>
#include <vector>

namespace engram::embed {

// A [k x n] weight matrix (row-major, TF "MatMul" layout: in x out) repacked
// into column panels of kPanel columns, each panel k rows deep, zero-padded
// to a whole panel; plus a bias of n entries.
class PackedMatrix {
 public:
  static constexpr int kPanel = 16;

  PackedMatrix() = default;
  PackedMatrix(std::span<const float> weights, int k, int n, std::span<const float> bias);

  int k() const { return k_; }
  int n() const { return n_; }
  const float* panel(int p) const {
    return data_.data() + static_cast<std::size_t>(p) * k_ * kPanel;
  }
  const float* bias() const { return bias_.data(); }

 private:
  int k_ = 0;
  int n_ = 0;
  std::vector<float> data_;
  std::vector<float> bias_;
};

enum class Epilogue {
  kStore,       // c = a*b + bias
  kRelu,        // c = max(a*b + bias, 0)
  kAccumulate,  // c += a*b + bias (a residual connection)
};

enum class MatMulKernel {
  kBest,      // AVX2+FMA when the CPU has it, else portable
  kPortable,  // baseline SIMD only (tests use it to cover both paths)
};

// c[m x b.n()] (row stride ldc) from a[m x b.k()] (row stride lda).
void MatMul(const float* a, int m, int lda, const PackedMatrix& b, float* c, int ldc,
            Epilogue epilogue, MatMulKernel kernel = MatMulKernel::kBest);

// Name of the MatMul kernel in use ("avx2-fma" or "portable").
const char* MatMulKernelName();

// Layer normalisation of each of `rows` rows of `dim` entries, as the graph
// computes it: (x - mean) * (scale * rsqrt(var + eps)) + bias.
void LayerNorm(const float* x, int rows, int dim, const float* scale, const float* bias, float eps,
               float* out);

// In-place softmax of `n` entries.
void Softmax(float* x, int n);

}  // namespace engram::embed
