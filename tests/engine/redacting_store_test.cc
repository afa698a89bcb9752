// RedactingStore (src/store/redacting_store.h) as the Engine installs it:
// what is written with a secret is stored redacted, found again by the same
// argument (kv keys, note threads, listing filters), and ordinary text is
// stored and searched unchanged.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "engine_fixture.h"
#include "engram/store.h"

namespace engram::testing {
namespace {

constexpr const char* kToken = "ghp_R8x2Kq9ZtLmW4vN7pB3cJ6hY1sD5fG0aE2uI";
constexpr const char* kUrl = "postgres://shop:Pg7SecretPw42@db:5432/shop";

TEST_F(EngineTest, KvKeyWithASecretIsStoredRedactedAndFoundByTheSameKey) {
  const std::string key = std::string("deploy ") + kToken;
  ASSERT_TRUE(engine_->KvPut("ns", key, Json{{kUrl, kUrl}}, {}).ok());
  auto got = engine_->KvGet("ns", key);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(got->key, "deploy [REDACTED:github_token]");
  EXPECT_EQ(got->value.dump().find("Pg7SecretPw42"), std::string::npos) << got->value.dump();
  auto listed = engine_->KvList("ns", "deploy ", 10);
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_TRUE(engine_->KvDelete("ns", key).ok());
  EXPECT_EQ(engine_->KvGet("ns", key).status().code(), ErrorCode::kNotFound);
}

TEST_F(EngineTest, NoteThreadWithASecretIsFoundByTheSameName) {
  FullTextIndex* text = engine_->store().fulltext();
  ASSERT_NE(text, nullptr);
  Note note;
  note.thread = std::string("session ") + kToken;
  note.speaker = kUrl;
  note.text = std::string("deploy with ") + kToken;
  note.metadata = Json{{kToken, 1}};
  auto added = text->AddNotes(std::vector<Note>{note});
  ASSERT_TRUE(added.ok()) << added.status().ToString();
  auto thread = text->ThreadNotes(note.thread);
  ASSERT_TRUE(thread.ok());
  ASSERT_EQ(thread->size(), 1u);
  const std::string stored = ToJson((*thread)[0]).dump();
  EXPECT_EQ(stored.find("R8x2Kq9Z"), std::string::npos) << stored;
  EXPECT_EQ(stored.find("Pg7SecretPw42"), std::string::npos) << stored;
  EXPECT_EQ((*thread)[0].text, "deploy with [REDACTED:github_token]");
  auto deleted = text->DeleteThread(note.thread);
  ASSERT_TRUE(deleted.ok());
  EXPECT_EQ(*deleted, 1);
}

TEST_F(EngineTest, LessonFieldsAndFiltersAreRedactedAlike) {
  NewLesson in;
  in.topic = std::string("deploy-") + kToken;
  in.title = "Rotate the database password";
  in.content = std::string("The old URL was ") + kUrl + ".";
  in.scope = LessonScope::kProject;
  in.project = std::string("shop ") + kToken;
  in.tags = {"akiaiosfodnn7example", "deploy"};
  auto added = engine_->AddLesson(in);
  ASSERT_TRUE(added.ok()) << added.status().ToString();
  EXPECT_EQ(added->topic, "deploy-[REDACTED:github_token]");
  EXPECT_EQ(added->project, "shop [REDACTED:github_token]");
  EXPECT_EQ(added->tags, (std::vector<std::string>{"deploy", "redacted"}));
  EXPECT_EQ(added->content,
            "The old URL was postgres://shop:[REDACTED:url_password]@db:5432/shop.");
  // The returned lesson is the stored lesson.
  auto stored = engine_->GetLesson(added->id);
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(ToJson(*stored), ToJson(*added));
  LessonFilter filter;
  filter.topic = in.topic;
  filter.project = in.project;
  auto listed = engine_->ListLessons(filter);
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ((*listed)[0].id, added->id);
  // An update's reason is stored redacted in the history.
  LessonPatch patch;
  patch.title = "Rotate it again";
  ASSERT_TRUE(engine_->UpdateLesson(added->id, patch, std::string("leaked ") + kToken).ok());
  auto history = engine_->store().LessonHistory(added->id);
  ASSERT_TRUE(history.ok());
  ASSERT_EQ(history->size(), 1u);
  EXPECT_EQ((*history)[0].reason, "leaked [REDACTED:github_token]");
}

TEST_F(EngineTest, ALessonWithASecretAddedTwiceMergesWithoutRepeatingItsText) {
  NewLesson in;
  in.topic = "deploy";
  in.title = "Rotate the database password after a leak";
  in.content = std::string("The leaked URL was ") + kUrl + "; rotate it at once.";
  auto first = engine_->AddLesson(in);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  auto second = engine_->AddLesson(in);  // on_duplicate: merge
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_EQ(second->id, first->id);
  EXPECT_EQ(second->content, first->content);
}

TEST_F(EngineTest, OrdinaryTextIsStoredAndSearchedUnchanged) {
  const std::string content =
      "Run ninja -j8 after cmake; commit 3f786850e387550fdab836ed7e6dc881de23001b fixed the "
      "flaky test 123e4567-e89b-12d3-a456-426614174000.";
  NewLesson in;
  in.topic = "build";
  in.title = "Use ninja for faster builds";
  in.content = content;
  auto added = engine_->AddLesson(in);
  ASSERT_TRUE(added.ok());
  EXPECT_EQ(added->content, content);
  SearchRequest request;
  request.query = "3f786850e387550fdab836ed7e6dc881de23001b ninja";
  auto found = engine_->SearchLessons(request);
  ASSERT_TRUE(found.ok()) << found.status().ToString();
  ASSERT_FALSE(found->results.empty());
  EXPECT_EQ(found->results[0].lesson.id, added->id);
}

TEST_F(EngineTest, ImportThroughTheEngineStoreIsRedacted) {
  KvEntry entry;
  entry.ns = kToken;
  entry.key = "k";
  entry.value = Json{{"url", kUrl}};
  entry.version = 1;
  ASSERT_TRUE(engine_->store().ImportKv(entry).ok());
  std::vector<std::string> namespaces;
  ASSERT_TRUE(engine_->store()
                  .ForEachKv([&](const KvEntry& e) {
                    namespaces.push_back(e.ns);
                    EXPECT_EQ(e.value.dump().find("Pg7SecretPw42"), std::string::npos);
                    return Status::Ok();
                  })
                  .ok());
  EXPECT_EQ(namespaces, (std::vector<std::string>{"[REDACTED:github_token]"}));
}

TEST_F(EngineTest, WithoutRedactionTheStoreIsNotWrapped) {
  EngineOptions raw;
  raw.redact_secrets = false;
  engine_ = Open(raw);
  ASSERT_TRUE(engine_->KvPut("ns", kToken, Json(kUrl), {}).ok());
  auto got = engine_->KvGet("ns", kToken);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->key, kToken);
  EXPECT_EQ(got->value, kUrl);
}

}  // namespace
}  // namespace engram::testing
