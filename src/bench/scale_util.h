// Small measuring helpers of the scale benchmark (docs: bench/README.md):
// nearest-rank percentiles, wall-clock timing, the process's resident memory
// from /proc, FNV-1a checksums and a progress bar that draws only on a
// terminal.
//
// Ownership: plain values. Thread safety: Progress is for one thread; the
// free functions are pure (ProcKb reads /proc/self/status;
// DropFromPageCache advises the OS).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace engram::bench {

using Clock = std::chrono::steady_clock;

inline double MsSince(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

// Nearest-rank percentile (p in (0, 1]) of `values`; 0 for an empty input.
double Percentile(std::vector<double> values, double p);

struct LatencySummary {
  double p50_ms = 0;
  double p99_ms = 0;
  double mean_ms = 0;
  std::size_t count = 0;
};
LatencySummary Summarize(const std::vector<double>& ms);

// A field of /proc/self/status in kB (e.g. "VmRSS", "VmHWM"); -1 if absent.
long ProcKb(const char* key);

// Asks the OS to drop the clean cached pages of `path` (posix_fadvise
// DONTNEED), as after a reboot; false if the file cannot be opened. The
// file must not be mapped or written meanwhile for it to take effect.
bool DropFromPageCache(const std::string& path);

// 64-bit FNV-1a, continued from `seed`.
std::uint64_t Fnv1a(std::string_view bytes, std::uint64_t seed = 14695981039346656037ull);

// A one-line bar on stderr, redrawn in place. Draws nothing unless `enabled`
// (the caller passes "stderr is a terminal and output is not --json").
class Progress {
 public:
  Progress(std::string label, std::size_t total, bool enabled);
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  void Update(std::size_t done);
  void Finish();  // erases the bar

 private:
  std::string label_;
  std::size_t total_;
  bool enabled_;
  bool drawn_ = false;
  int last_permille_ = -1;
};

}  // namespace engram::bench
