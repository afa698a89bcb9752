// Inner-product kernels (see ip_kernel.h). Each ISA's dot product and its
// distance wrapper share one target attribute so the wrapper inlines it.
#include "index/ip_kernel.h"

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define ENGRAM_X86_KERNELS 1
#endif

namespace engram::index_internal {
namespace {

std::size_t Dim(const void* param) { return *static_cast<const std::size_t*>(param); }
const float* F(const void* p) { return static_cast<const float*>(p); }

float DotScalar(const float* a, const float* b, std::size_t n) {
  float sum = 0.0f;
  for (std::size_t i = 0; i < n; ++i) sum += a[i] * b[i];
  return sum;
}
float DistanceScalar(const void* a, const void* b, const void* dim) {
  return 1.0f - DotScalar(F(a), F(b), Dim(dim));
}

#ifdef ENGRAM_X86_KERNELS

// SSE2 is part of x86-64: no target attribute needed.
float DotSse(const float* a, const float* b, std::size_t n) {
  __m128 s0 = _mm_setzero_ps(), s1 = _mm_setzero_ps(), s2 = _mm_setzero_ps(), s3 = _mm_setzero_ps();
  std::size_t i = 0;
  for (; i + 16 <= n; i += 16) {
    s0 = _mm_add_ps(s0, _mm_mul_ps(_mm_loadu_ps(a + i), _mm_loadu_ps(b + i)));
    s1 = _mm_add_ps(s1, _mm_mul_ps(_mm_loadu_ps(a + i + 4), _mm_loadu_ps(b + i + 4)));
    s2 = _mm_add_ps(s2, _mm_mul_ps(_mm_loadu_ps(a + i + 8), _mm_loadu_ps(b + i + 8)));
    s3 = _mm_add_ps(s3, _mm_mul_ps(_mm_loadu_ps(a + i + 12), _mm_loadu_ps(b + i + 12)));
  }
  for (; i + 4 <= n; i += 4) {
    s0 = _mm_add_ps(s0, _mm_mul_ps(_mm_loadu_ps(a + i), _mm_loadu_ps(b + i)));
  }
  __m128 s = _mm_add_ps(_mm_add_ps(s0, s1), _mm_add_ps(s2, s3));
  s = _mm_add_ps(s, _mm_movehl_ps(s, s));
  s = _mm_add_ss(s, _mm_shuffle_ps(s, s, 1));
  float sum = _mm_cvtss_f32(s);
  for (; i < n; ++i) sum += a[i] * b[i];
  return sum;
}
float DistanceSse(const void* a, const void* b, const void* dim) {
  return 1.0f - DotSse(F(a), F(b), Dim(dim));
}

__attribute__((target("avx2,fma"))) float DotAvx2(const float* a, const float* b, std::size_t n) {
  __m256 s0 = _mm256_setzero_ps(), s1 = _mm256_setzero_ps(), s2 = _mm256_setzero_ps(),
         s3 = _mm256_setzero_ps();
  std::size_t i = 0;
  for (; i + 32 <= n; i += 32) {
    s0 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i), s0);
    s1 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i + 8), _mm256_loadu_ps(b + i + 8), s1);
    s2 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i + 16), _mm256_loadu_ps(b + i + 16), s2);
    s3 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i + 24), _mm256_loadu_ps(b + i + 24), s3);
  }
  for (; i + 8 <= n; i += 8) {
    s0 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i), s0);
  }
  const __m256 s8 = _mm256_add_ps(_mm256_add_ps(s0, s1), _mm256_add_ps(s2, s3));
  __m128 s = _mm_add_ps(_mm256_castps256_ps128(s8), _mm256_extractf128_ps(s8, 1));
  s = _mm_add_ps(s, _mm_movehl_ps(s, s));
  s = _mm_add_ss(s, _mm_shuffle_ps(s, s, 1));
  float sum = _mm_cvtss_f32(s);
  for (; i < n; ++i) sum += a[i] * b[i];
  return sum;
}
__attribute__((target("avx2,fma"))) float DistanceAvx2(const void* a, const void* b,
                                                       const void* dim) {
  return 1.0f - DotAvx2(F(a), F(b), Dim(dim));
}

__attribute__((target("avx512f"))) float DotAvx512(const float* a, const float* b, std::size_t n) {
  __m512 s0 = _mm512_setzero_ps(), s1 = _mm512_setzero_ps(), s2 = _mm512_setzero_ps(),
         s3 = _mm512_setzero_ps();
  std::size_t i = 0;
  for (; i + 64 <= n; i += 64) {
    s0 = _mm512_fmadd_ps(_mm512_loadu_ps(a + i), _mm512_loadu_ps(b + i), s0);
    s1 = _mm512_fmadd_ps(_mm512_loadu_ps(a + i + 16), _mm512_loadu_ps(b + i + 16), s1);
    s2 = _mm512_fmadd_ps(_mm512_loadu_ps(a + i + 32), _mm512_loadu_ps(b + i + 32), s2);
    s3 = _mm512_fmadd_ps(_mm512_loadu_ps(a + i + 48), _mm512_loadu_ps(b + i + 48), s3);
  }
  for (; i + 16 <= n; i += 16) {
    s0 = _mm512_fmadd_ps(_mm512_loadu_ps(a + i), _mm512_loadu_ps(b + i), s0);
  }
  if (i < n) {  // masked lanes are neither read nor summed
    const auto mask = static_cast<__mmask16>((1u << (n - i)) - 1u);
    s1 =
        _mm512_fmadd_ps(_mm512_maskz_loadu_ps(mask, a + i), _mm512_maskz_loadu_ps(mask, b + i), s1);
  }
  // Fold 16 lanes to 4. The maskz_ forms with a full mask: the plain ones
  // (and _mm512_reduce_add_ps) trip GCC 12's -Wuninitialized in its headers.
  __m512 s16 = _mm512_add_ps(_mm512_add_ps(s0, s1), _mm512_add_ps(s2, s3));
  s16 = _mm512_add_ps(s16, _mm512_maskz_shuffle_f32x4(0xFFFF, s16, s16, 0x4E));
  s16 = _mm512_add_ps(s16, _mm512_maskz_shuffle_f32x4(0xFFFF, s16, s16, 0xB1));
  __m128 s = _mm512_maskz_extractf32x4_ps(0xF, s16, 0);
  s = _mm_add_ps(s, _mm_movehl_ps(s, s));
  s = _mm_add_ss(s, _mm_shuffle_ps(s, s, 1));
  return _mm_cvtss_f32(s);
}
__attribute__((target("avx512f"))) float DistanceAvx512(const void* a, const void* b,
                                                        const void* dim) {
  return 1.0f - DotAvx512(F(a), F(b), Dim(dim));
}

#endif  // ENGRAM_X86_KERNELS

std::vector<IpKernel> Detect() {
  std::vector<IpKernel> out = {{KernelIsa::kScalar, "scalar", DotScalar, DistanceScalar}};
#ifdef ENGRAM_X86_KERNELS
  __builtin_cpu_init();
  out.push_back({KernelIsa::kSse, "sse", DotSse, DistanceSse});
  // __builtin_cpu_supports also checks that the OS saves the wider registers.
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) {
    out.push_back({KernelIsa::kAvx2Fma, "avx2+fma", DotAvx2, DistanceAvx2});
  }
  if (__builtin_cpu_supports("avx512f")) {
    out.push_back({KernelIsa::kAvx512, "avx512f", DotAvx512, DistanceAvx512});
  }
#endif
  return out;
}

}  // namespace

std::vector<IpKernel> SupportedIpKernels() { return Detect(); }

const IpKernel& BestIpKernel() {
  static const IpKernel best = Detect().back();
  return best;
}

}  // namespace engram::index_internal
