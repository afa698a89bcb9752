// ProjectHash, MetaOf and InnerProduct (engram/vector_index.h).
#include <algorithm>
#include <cstdint>

#include "engram/vector_index.h"
#include "index/ip_kernel.h"

namespace engram {

std::uint64_t ProjectHash(std::string_view project) {
  if (project.empty()) return 0;
  std::uint64_t h = 0xcbf29ce484222325ull;  // FNV-1a 64
  for (const char c : project) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001b3ull;
  }
  return h == 0 ? 1 : h;
}

ItemMeta MetaOf(const Lesson& lesson) {
  ItemMeta m;
  m.project_hash = lesson.scope == LessonScope::kProject ? ProjectHash(lesson.project) : 0;
  m.confidence = static_cast<float>(lesson.confidence);
  m.type = static_cast<std::uint8_t>(lesson.type);
  m.scope = static_cast<std::uint8_t>(lesson.scope);
  m.deprecated = lesson.deprecated;
  m.kind = 0;
  m.updated_at = lesson.updated_at;
  m.last_used_at = lesson.last_used_at.value_or(0);
  return m;
}

float InnerProduct(std::span<const float> a, std::span<const float> b) {
  return index_internal::BestIpKernel().dot(a.data(), b.data(), std::min(a.size(), b.size()));
}

}  // namespace engram
