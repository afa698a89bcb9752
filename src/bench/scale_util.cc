#include "bench/scale_util.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>

namespace engram::bench {

double Percentile(std::vector<double> values, double p) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  auto rank = static_cast<long>(std::ceil(p * static_cast<double>(values.size()))) - 1;
  rank = std::clamp<long>(rank, 0, static_cast<long>(values.size()) - 1);
  return values[static_cast<std::size_t>(rank)];
}

LatencySummary Summarize(const std::vector<double>& ms) {
  LatencySummary s;
  s.count = ms.size();
  if (ms.empty()) return s;
  s.p50_ms = Percentile(ms, 0.5);
  s.p99_ms = Percentile(ms, 0.99);
  double sum = 0;
  for (double x : ms) sum += x;
  s.mean_ms = sum / static_cast<double>(ms.size());
  return s;
}

long ProcKb(const char* key) {
  std::ifstream f("/proc/self/status");
  std::string line;
  const std::size_t kl = std::strlen(key);
  while (std::getline(f, line)) {
    if (line.compare(0, kl, key) == 0 && line.size() > kl && line[kl] == ':') {
      return std::strtol(line.c_str() + kl + 1, nullptr, 10);
    }
  }
  return -1;
}

std::uint64_t Fnv1a(std::string_view bytes, std::uint64_t seed) {
  std::uint64_t h = seed;
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

Progress::Progress(std::string label, std::size_t total, bool enabled)
    : label_(std::move(label)), total_(total), enabled_(enabled && total > 0) {}

Progress::~Progress() { Finish(); }

void Progress::Update(std::size_t done) {
  if (!enabled_) return;
  const int permille = static_cast<int>(1000 * std::min(done, total_) / total_);
  if (permille == last_permille_) return;
  last_permille_ = permille;
  constexpr int kWidth = 30;
  const int filled = permille * kWidth / 1000;
  std::fprintf(stderr, "\r\033[K%-22s [%.*s%*s] %zu/%zu", label_.c_str(), filled,
               "##############################", kWidth - filled, "", done, total_);
  std::fflush(stderr);
  drawn_ = true;
}

void Progress::Finish() {
  if (drawn_) std::fprintf(stderr, "\r\033[K");
  drawn_ = false;
}

bool DropFromPageCache(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  const bool ok = ::posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED) == 0;
  ::close(fd);
  return ok;
}

}  // namespace engram::bench
