// Input limits. Every write is checked against these before anything is
// stored; a violation returns InvalidArgument naming the field and the limit,
// and stores nothing.
#pragma once

#include <cstddef>

namespace engram {

struct Limits {
  std::size_t max_description_bytes = 8 * 1024;  // episode description
  std::size_t max_text_bytes = 64 * 1024;        // step action/observation/output, lesson content
  std::size_t max_short_text_bytes =
      256;  // tool, topic, language, framework, domain, project, kv key/ns
  std::size_t max_title_bytes = 512;        // lesson title, outcome verdict/reason
  std::size_t max_json_bytes = 256 * 1024;  // serialized parameters, metadata, kv value
  std::size_t max_steps_per_episode = 2000;
  std::size_t max_tags = 32;         // tags per episode context or lesson
  std::size_t max_tag_bytes = 64;    // tag format: [a-z0-9][a-z0-9._:+#/-]*
  std::size_t max_list_items = 256;  // artifacts, completed, failed lists
  // Lesson::situations: at most this many, each at most
  // max_description_bytes (an episode description fits).
  std::size_t max_situations = 8;
};

}  // namespace engram
