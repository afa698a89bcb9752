// Inner-product kernels for the vector index, chosen at run time.
//
// The default build has no -march flag, so the binary runs on any x86-64;
// hnswlib's own kernels are chosen at compile time and fall back to SSE
// there. These kernels are compiled for several instruction sets with
// __attribute__((target(...))) and the best one the CPU supports is picked
// once (__builtin_cpu_supports): AVX-512F, then AVX2+FMA, then SSE (the
// x86-64 baseline), then portable scalar code on other architectures. Every
// kernel handles any dimension (tails that are not a multiple of the vector
// width are summed exactly), so callers never need padding.
//
// Distances are 1 - <a, b> (hnswlib's inner-product distance; smaller is
// closer). The function has hnswlib's DISTFUNC shape: the third argument
// points to the dimension as a std::size_t.
//
// Thread safety: plain functions; the dispatch choice is made once,
// thread-safely, on first use.
#pragma once

#include <cstddef>
#include <vector>

namespace engram::index_internal {

enum class KernelIsa { kScalar, kSse, kAvx2Fma, kAvx512 };

// float distance(const void* a, const void* b, const void* dimension_as_size_t)
using DistanceFn = float (*)(const void*, const void*, const void*);
using DotFn = float (*)(const float*, const float*, std::size_t);

struct IpKernel {
  KernelIsa isa = KernelIsa::kScalar;
  const char* name = "scalar";    // "scalar", "sse", "avx2+fma", "avx512f"
  DotFn dot = nullptr;            // <a, b>
  DistanceFn distance = nullptr;  // 1 - <a, b>, hnswlib DISTFUNC shape
};

// The fastest kernel this CPU supports (chosen once).
const IpKernel& BestIpKernel();
// Every kernel this CPU can run, slowest first (always starts with scalar).
std::vector<IpKernel> SupportedIpKernels();

}  // namespace engram::index_internal
