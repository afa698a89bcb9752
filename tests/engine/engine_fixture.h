// EngineTest: an Engine over a real SqliteStore in a fresh temporary
// directory, driven by a ManualClock.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "engram/engine.h"
#include "engram/ids.h"
#include "engram/reward.h"
#include "temp_dir.h"

namespace engram::testing {

// 2026-11-22T04:00:00Z
inline constexpr Timestamp kStartMs = 1795320000000;

class EngineTest : public ::testing::Test {
 protected:
  void SetUp() override { engine_ = Open(EngineOptions{}); }

  // An Engine over this test's database with `options` and the test clock.
  std::unique_ptr<Engine> Open(EngineOptions options) {
    options.clock = &clock_;
    auto engine = Engine::OpenSqlite(db_path(), options);
    EXPECT_TRUE(engine.ok()) << engine.status().ToString();
    return engine.ok() ? std::move(engine).value() : nullptr;
  }

  std::unique_ptr<Store> OpenStore() {
    SqliteOptions options;
    options.path = db_path();
    auto store = OpenSqliteStore(options);
    EXPECT_TRUE(store.ok()) << store.status().ToString();
    return store.ok() ? std::move(store).value() : nullptr;
  }

  std::string db_path() const { return dir_.File("engram.db"); }

  Episode StartOrDie(const std::string& description) {
    StartEpisodeRequest request;
    request.description = description;
    auto episode = engine_->StartEpisode(request);
    EXPECT_TRUE(episode.ok()) << episode.status().ToString();
    return episode.ok() ? episode.value() : Episode{};
  }

  Lesson AddLessonOrDie(const std::string& title) {
    NewLesson lesson;
    lesson.topic = "testing";
    lesson.title = title;
    lesson.content = "Await async setup in beforeEach.";
    auto added = engine_->AddLesson(lesson);
    EXPECT_TRUE(added.ok()) << added.status().ToString();
    return added.ok() ? added.value() : Lesson{};
  }

  TempDir dir_;
  ManualClock clock_{kStartMs};
  std::unique_ptr<Engine> engine_;
};

inline Status StatusOf(const Status& status) { return status; }
template <typename T>
Status StatusOf(const Result<T>& result) {
  return result.status();
}

// Asserts `result` (a Status or Result) failed with `code` and a message mentioning `needle`.
#define EXPECT_ERROR(result, error_code, needle)                                \
  do {                                                                          \
    const ::engram::Status st_ = ::engram::testing::StatusOf(result);           \
    EXPECT_EQ(st_.code(), (error_code)) << st_.ToString();                      \
    EXPECT_NE(st_.message().find(needle), std::string::npos) << st_.ToString(); \
  } while (0)

}  // namespace engram::testing
