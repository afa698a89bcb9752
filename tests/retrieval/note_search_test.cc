// Note search: score smoothing over neighbouring turns and sessions.
#include <gtest/gtest.h>

#include "retrieval/note_search.h"

namespace engram::retrieval {
namespace {

TEST(NoteSearch, SmoothingAddsNeighboursAndSession) {
  NoteSearchOptions o;
  std::vector<double> base = {0, 0, 4, 0, 0, 0};
  std::vector<int> sessions = {0, 0, 0, 1, 1, 1};
  auto s = SmoothScores(base, sessions, o);
  EXPECT_DOUBLE_EQ(s[2], 4 + 0.3 * 4);
  EXPECT_DOUBLE_EQ(s[1], 0.5 * 4 + 0.3 * 4);
  EXPECT_DOUBLE_EQ(s[0], 0.25 * 4 + 0.3 * 4);
  EXPECT_DOUBLE_EQ(s[3], 0.5 * 4);  // other session: neighbour term only
  EXPECT_DOUBLE_EQ(s[4], 0.25 * 4);
  EXPECT_DOUBLE_EQ(s[5], 0.0);
}

TEST(NoteSearch, SessionsFromMetadataElseTimeGaps) {
  std::vector<Note> notes(4);
  notes[0].timestamp = 0;
  notes[1].timestamp = 1000;
  notes[2].timestamp = 2 * 3600 * 1000;
  notes[3].timestamp = 2 * 3600 * 1000 + 5;
  EXPECT_EQ(SessionsOf(notes, 3600 * 1000), (std::vector<int>{0, 0, 1, 1}));
  notes[1].metadata = Json{{"session", 7}};
  notes[3].metadata = Json{{"session", 7}};
  auto s = SessionsOf(notes, 3600 * 1000);
  EXPECT_EQ(s[1], s[3]);
  EXPECT_NE(s[0], s[1]);
}

}  // namespace
}  // namespace engram::retrieval
