// The one place engram includes hnswlib (Debian libhnswlib-dev 0.6.2,
// header-only). Its headers trip -Wall -Wextra; the warnings are silenced for
// these headers only, so engram's own code keeps -Werror.
#pragma once

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
