// Shared helpers for the export tests (export_test.cc, export_v2_test.cc):
// splitting an export into lines, resealing a tampered one with a matching
// trailer, and a fixture that fills a store with records of every kind.
//
// Thread safety: test-only helpers, used from one thread.
#pragma once

#include <sstream>
#include <string>
#include <vector>

#include "engram/export.h"
#include "store_test_util.h"

namespace engram::store_test {

std::vector<std::string> Lines(const std::string& text);
std::string Join(const std::vector<std::string>& lines);
// Rewrites the trailer so count and CRC match `lines` (all but the trailer).
std::string Reseal(std::vector<std::string> lines);

class ExportTest : public StoreTest {
 protected:
  // Episodes (one completed, with steps), lessons (one with history and
  // uses), embeddings, kv entries (one expired), notes in two threads.
  void Populate(Store& s);
  // After Populate: a third lesson, patterns linked to both episodes,
  // heuristics, feedback on a lesson and a pattern, an open and a resolved
  // contradiction, a pending and a decided candidate, lesson uses and an
  // embedding cache entry.
  void PopulateLearning(Store& s);

  std::string Export(Store& s) {
    std::ostringstream out;
    auto r = ExportJsonl(s, out);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return out.str();
  }

  Result<ExportStats> Import(Store& s, const std::string& text) {
    std::istringstream in(text);
    return ImportJsonl(s, in);
  }

  // Everything except the header (its created_at varies) and the trailer.
  static std::vector<std::string> Records(const std::string& text) {
    auto lines = Lines(text);
    return {lines.begin() + 1, lines.end() - 1};
  }
};

}  // namespace engram::store_test
