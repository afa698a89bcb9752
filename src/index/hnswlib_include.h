// The one place engram includes hnswlib (Debian libhnswlib-dev 0.6.2,
// header-only). Its headers trip -Wall -Wextra; the warnings are silenced for
// these headers only, so engram's own code keeps -Werror.
#pragma once

// Under AddressSanitizer, build hnswlib without its hand-written SSE code:
// its prefetches read one link past the end of full upper-layer link lists
// (a 4-byte over-read inside the malloc block, harmless in practice, but
// ASan rightly stops on it). Release builds keep it. (hnswlib's distance
// kernels are unused either way: engram brings its own, ip_kernel.h.)
#if defined(__SANITIZE_ADDRESS__) && !defined(NO_MANUAL_VECTORIZATION)
#define NO_MANUAL_VECTORIZATION
#endif

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-parameter"
#pragma GCC diagnostic ignored "-Wunused-variable"
#pragma GCC diagnostic ignored "-Wunused-but-set-variable"
#pragma GCC diagnostic ignored "-Wunused-function"
#pragma GCC diagnostic ignored "-Wsign-compare"
#pragma GCC diagnostic ignored "-Wreorder"
#pragma GCC diagnostic ignored "-Wtype-limits"
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
#include <hnswlib/hnswlib.h>
#pragma GCC diagnostic pop

namespace engram::index_internal {
using Hnsw = hnswlib::HierarchicalNSW<float>;
}  // namespace engram::index_internal
