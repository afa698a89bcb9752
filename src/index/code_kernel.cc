// Int8 code kernels (see code_kernel.h). Each ISA's dot product and its
// record distance share one target attribute so the distance inlines it.
#include "index/code_kernel.h"

#include "index/vector_record.h"

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define ENGRAM_X86_KERNELS 1
#endif

namespace engram::index_internal {
namespace {

const RecordLayout& Layout(const void* param) { return *static_cast<const RecordLayout*>(param); }

std::int32_t DotScalar(const std::int8_t* a, const std::int8_t* b, std::size_t n) {
  std::int32_t sum = 0;
  for (std::size_t i = 0; i < n; ++i) sum += std::int32_t{a[i]} * b[i];
  return sum;
}
float DistanceScalar(const void* a, const void* b, const void* param) {
  const RecordLayout& l = Layout(param);
  const auto dot = static_cast<float>(DotScalar(RecordCodes(a), RecordCodes(b), l.dimension));
  return 1.0f - RecordScale(a, l) * RecordScale(b, l) * dot;
}

#ifdef ENGRAM_X86_KERNELS

__attribute__((target("avx2"))) std::int32_t HorizontalSum(__m256i v) {
  __m128i s = _mm_add_epi32(_mm256_castsi256_si128(v), _mm256_extracti128_si256(v, 1));
  s = _mm_add_epi32(s, _mm_shuffle_epi32(s, 0x4E));
  s = _mm_add_epi32(s, _mm_shuffle_epi32(s, 0xB1));
  return _mm_cvtsi128_si32(s);
}

// 16 codes, sign-extended to int16.
__attribute__((target("avx2"))) __m256i Load16(const std::int8_t* p) {
  return _mm256_cvtepi8_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)));
}

// 16 codes at a time: sign-extend to int16, multiply pairwise, add pairs.
__attribute__((target("avx2"))) std::int32_t DotAvx2(const std::int8_t* a, const std::int8_t* b,
                                                     std::size_t n) {
  const auto load = Load16;
  __m256i s0 = _mm256_setzero_si256(), s1 = _mm256_setzero_si256();
  std::size_t i = 0;
  for (; i + 32 <= n; i += 32) {
    s0 = _mm256_add_epi32(s0, _mm256_madd_epi16(load(a + i), load(b + i)));
    s1 = _mm256_add_epi32(s1, _mm256_madd_epi16(load(a + i + 16), load(b + i + 16)));
  }
  for (; i + 16 <= n; i += 16)
    s0 = _mm256_add_epi32(s0, _mm256_madd_epi16(load(a + i), load(b + i)));
  std::int32_t sum = HorizontalSum(_mm256_add_epi32(s0, s1));
  for (; i < n; ++i) sum += std::int32_t{a[i]} * b[i];
  return sum;
}
__attribute__((target("avx2"))) float DistanceAvx2(const void* a, const void* b,
                                                   const void* param) {
  const RecordLayout& l = Layout(param);
  const auto dot = static_cast<float>(DotAvx2(RecordCodes(a), RecordCodes(b), l.dimension));
  return 1.0f - RecordScale(a, l) * RecordScale(b, l) * dot;
}

// 32 codes, sign-extended to int16.
__attribute__((target("avx512bw,avx2"))) __m512i Load32(const std::int8_t* p) {
  return _mm512_cvtepi8_epi16(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(p)));
}

// 32 codes at a time, as DotAvx2 does 16.
__attribute__((target("avx512bw,avx2"))) std::int32_t DotAvx512(const std::int8_t* a,
                                                                const std::int8_t* b,
                                                                std::size_t n) {
  const auto load = Load32;
  __m512i s0 = _mm512_setzero_si512(), s1 = _mm512_setzero_si512();
  std::size_t i = 0;
  for (; i + 64 <= n; i += 64) {
    s0 = _mm512_add_epi32(s0, _mm512_madd_epi16(load(a + i), load(b + i)));
    s1 = _mm512_add_epi32(s1, _mm512_madd_epi16(load(a + i + 32), load(b + i + 32)));
  }
  for (; i + 32 <= n; i += 32)
    s0 = _mm512_add_epi32(s0, _mm512_madd_epi16(load(a + i), load(b + i)));
  // The maskz_ forms with a full mask: the plain ones trip GCC 12's
  // -Wuninitialized in its headers (see ip_kernel.cc).
  const __m512i s = _mm512_add_epi32(s0, s1);
  std::int32_t sum = HorizontalSum(_mm256_add_epi32(_mm512_maskz_extracti64x4_epi64(0xFF, s, 0),
                                                    _mm512_maskz_extracti64x4_epi64(0xFF, s, 1)));
  for (; i < n; ++i) sum += std::int32_t{a[i]} * b[i];
  return sum;
}
__attribute__((target("avx512bw,avx2"))) float DistanceAvx512(const void* a, const void* b,
                                                              const void* param) {
  const RecordLayout& l = Layout(param);
  const auto dot = static_cast<float>(DotAvx512(RecordCodes(a), RecordCodes(b), l.dimension));
  return 1.0f - RecordScale(a, l) * RecordScale(b, l) * dot;
}

#endif  // ENGRAM_X86_KERNELS

std::vector<CodeKernel> Detect() {
  std::vector<CodeKernel> out = {{"scalar", DotScalar, DistanceScalar}};
#ifdef ENGRAM_X86_KERNELS
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx2")) out.push_back({"avx2", DotAvx2, DistanceAvx2});
  if (__builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx2")) {
    out.push_back({"avx512bw", DotAvx512, DistanceAvx512});
  }
#endif
  return out;
}

}  // namespace

std::vector<CodeKernel> SupportedCodeKernels() { return Detect(); }

const CodeKernel& BestCodeKernel() {
  static const CodeKernel best = Detect().back();
  return best;
}

}  // namespace engram::index_internal
