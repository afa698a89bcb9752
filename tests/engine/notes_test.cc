// Engine notes: AddNote validates every field itself (not only the
// operation schema does), assigns the timestamp on the Engine's clock and
// writes through redaction; SearchNotes keeps to the asking project.
#include <gtest/gtest.h>

#include <string>

#include "engine_fixture.h"
#include "engram/int_ranges.h"

namespace engram::testing {
namespace {

NewNote MakeNote(const std::string& text) {
  NewNote n;
  n.thread = "chat";
  n.text = text;
  return n;
}

TEST_F(EngineTest, AddNoteAssignsPositionAndTimestamp) {
  auto first = engine_->AddNote(MakeNote("We deploy with blue-green"));
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_GT(first->id, 0);
  EXPECT_EQ(first->position, 0);
  EXPECT_EQ(first->timestamp, kStartMs);
  NewNote dated = MakeNote("ok");
  dated.timestamp = 1000;
  auto second = engine_->AddNote(dated);
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_EQ(second->position, 1);
  EXPECT_EQ(second->timestamp, 1000);
}

TEST_F(EngineTest, AddNoteValidatesEveryField) {
  NewNote n = MakeNote("text");
  n.timestamp = kMaxTimestampMs + 1;
  EXPECT_ERROR(engine_->AddNote(n), ErrorCode::kInvalidArgument, "timestamp");
  n.timestamp = kMinTimestampMs - 1;
  EXPECT_ERROR(engine_->AddNote(n), ErrorCode::kInvalidArgument, "timestamp");
  n = MakeNote("text");
  n.position = -2;
  EXPECT_ERROR(engine_->AddNote(n), ErrorCode::kInvalidArgument, "position");
  n = MakeNote("");
  EXPECT_ERROR(engine_->AddNote(n), ErrorCode::kInvalidArgument, "text");
  n = MakeNote("text");
  n.thread = "";
  EXPECT_ERROR(engine_->AddNote(n), ErrorCode::kInvalidArgument, "thread");
  n = MakeNote(std::string(engine_->limits().max_text_bytes + 1, 'a'));
  EXPECT_ERROR(engine_->AddNote(n), ErrorCode::kInvalidArgument, "text");
  n = MakeNote("text");
  n.project = std::string("a\nb");
  EXPECT_ERROR(engine_->AddNote(n), ErrorCode::kInvalidArgument, "project");
  n = MakeNote("text");
  n.speaker = std::string(engine_->limits().max_short_text_bytes + 1, 's');
  EXPECT_ERROR(engine_->AddNote(n), ErrorCode::kInvalidArgument, "speaker");
  n = MakeNote("text");
  n.metadata = Json::array();
  EXPECT_ERROR(engine_->AddNote(n), ErrorCode::kInvalidArgument, "metadata");
  n = MakeNote("bad \xff utf-8");
  EXPECT_ERROR(engine_->AddNote(n), ErrorCode::kInvalidArgument, "UTF-8");
  // Nothing was stored by the rejected calls.
  NoteSearchRequest r;
  r.query = "text";
  auto found = engine_->SearchNotes(r);
  ASSERT_TRUE(found.ok()) << found.status().ToString();
  EXPECT_TRUE(found->results.empty());
}

TEST_F(EngineTest, AddNoteRedactsSecrets) {
  NewNote n = MakeNote("push with ghp_R8x2Kq9ZtLmW4vN7pB3cJ6hY1sD5fG0aE2uI now");
  n.metadata = Json{{"password", "hunter2hunter2"}};
  auto added = engine_->AddNote(n);
  ASSERT_TRUE(added.ok()) << added.status().ToString();
  EXPECT_EQ(added->text.find("ghp_R8x2"), std::string::npos) << added->text;
  EXPECT_NE(added->text.find("[REDACTED:github_token]"), std::string::npos) << added->text;
  EXPECT_EQ(added->metadata.dump().find("hunter2"), std::string::npos) << added->metadata.dump();
}

TEST_F(EngineTest, SearchNotesKeepsToTheAskingProject) {
  NewNote global = MakeNote("deploy with blue-green in global");
  NewNote mine = MakeNote("deploy with canaries in alpha");
  mine.project = "alpha";
  NewNote theirs = MakeNote("deploy with a big bang in beta");
  theirs.project = "beta";
  for (const NewNote& n : {global, mine, theirs}) ASSERT_TRUE(engine_->AddNote(n).ok());
  NoteSearchRequest r;
  r.query = "deploy";
  r.project = "alpha";
  auto found = engine_->SearchNotes(r);
  ASSERT_TRUE(found.ok()) << found.status().ToString();
  EXPECT_EQ(found->mode, "bm25");
  EXPECT_FALSE(found->note.empty());
  ASSERT_EQ(found->results.size(), 2u);
  for (const NoteResult& h : found->results) EXPECT_NE(h.note.project, "beta");
  r.query = "";
  EXPECT_ERROR(engine_->SearchNotes(r), ErrorCode::kInvalidArgument, "query");
  r.query = "deploy";
  r.limit = 0;
  EXPECT_ERROR(engine_->SearchNotes(r), ErrorCode::kInvalidArgument, "limit");
}

}  // namespace
}  // namespace engram::testing
