// Distances between VectorRecords (vector_record.h) on their int8 codes,
// chosen at run time like the float kernels (ip_kernel.h): AVX-512BW, then
// AVX2, then portable scalar code.
//
// The code dot product is an exact integer sum, so every kernel returns the
// same value; the distance is 1 - scale_a * scale_b * <codes_a, codes_b>, an
// estimate of 1 - <a, b> within about 1e-3 for unit vectors. The distance
// function has hnswlib's DISTFUNC shape; its third argument points to the
// RecordLayout.
//
// Thread safety: plain functions; the choice is made once, thread-safely.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "index/ip_kernel.h"

namespace engram::index_internal {

using CodeDotFn = std::int32_t (*)(const std::int8_t*, const std::int8_t*, std::size_t);

struct CodeKernel {
  const char* name = "scalar";  // "scalar", "avx2", "avx512bw"
  CodeDotFn dot = nullptr;
  DistanceFn distance = nullptr;  // on two records; param: const RecordLayout*
};

// The fastest code kernel this CPU supports (chosen once).
const CodeKernel& BestCodeKernel();
// Every code kernel this CPU can run, slowest first (starts with scalar).
std::vector<CodeKernel> SupportedCodeKernels();

}  // namespace engram::index_internal
