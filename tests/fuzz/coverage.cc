// Edge coverage for libFuzzer from GCC's -fsanitize-coverage=trace-pc
// (tests/fuzz/README.md): each instrumented block calls
// __sanitizer_cov_trace_pc; this hashes the (previous, current) caller
// pair, AFL-style, into libFuzzer's extra counters, which libFuzzer reads
// as coverage features. libFuzzer's own definition of the hook (which
// only reports that trace-pc is unsupported) is weakened at build time.
//
// Thread safety: the previous-block state is per thread; counter updates
// race benignly (a lost increment only blurs a hit count).
// NOLINTBEGIN(bugprone-reserved-identifier): the sanitizer hooks' names are fixed.
#include <cstddef>
#include <cstdint>

extern "C" {

__attribute__((section("__libfuzzer_extra_counters"))) std::uint8_t engram_fuzz_edges[1 << 16];

__attribute__((no_sanitize("address", "undefined"))) void __sanitizer_cov_trace_pc() {
  static thread_local std::uintptr_t previous = 0;
  const auto pc = reinterpret_cast<std::uintptr_t>(__builtin_return_address(0));
  const std::uintptr_t block = (pc ^ (pc >> 16)) & 0xffff;
  ++engram_fuzz_edges[(block ^ previous) & 0xffff];
  previous = block >> 1;
}

// GCC also traces floating-point comparisons, which libFuzzer has no hook
// for: they carry no guidance here.
void __sanitizer_cov_trace_cmpf(float, float) {}
void __sanitizer_cov_trace_cmpd(double, double) {}

}  // extern "C"
// NOLINTEND(bugprone-reserved-identifier)
