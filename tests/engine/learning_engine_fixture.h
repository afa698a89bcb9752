// LearningEngineTest: an Engine over a fresh SQLite store in a temporary
// directory with a fixed clock, optionally with the deterministic hashing
// embedder, and helpers to add lessons. Used by the cluster, profile,
// promotion, expansion, audit and lesson search tests.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "engram/embedder.h"
#include "engram/engine.h"

namespace engram::testing {

class LearnClock : public Clock {
 public:
  Timestamp NowMs() const override { return now; }
  Timestamp now = 1'795'320'000'000;  // 2026-11-22
};

class LearningEngineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("engram-learn-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->test_suite_name() + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    Open(false);
  }
  std::string db() const { return (dir_ / "t.db").string(); }
  void TearDown() override {
    engine_.reset();
    std::filesystem::remove_all(dir_);
  }
  void Open(bool with_embedder) { Open(with_embedder, EngineOptions{}); }
  // With `o` (its clock and embedder are set here).
  void Open(bool with_embedder, EngineOptions o) {
    engine_.reset();
    o.clock = &clock_;
    if (with_embedder) {
      auto e = OpenHashingEmbedder();
      ASSERT_TRUE(e.ok());
      o.embedder = std::shared_ptr<const Embedder>(std::move(*e));
    }
    auto e = Engine::OpenSqlite(db(), o);
    ASSERT_TRUE(e.ok()) << e.status().ToString();
    engine_ = std::move(*e);
  }
  Lesson Add(const std::string& title, const std::string& content, const std::string& topic,
             LessonType type = LessonType::kBestPractice, double confidence = 0.5,
             const std::string& project = "", const std::vector<std::string>& tags = {}) {
    NewLesson l;
    l.type = type;
    l.topic = topic;
    l.title = title;
    l.content = content;
    l.confidence = confidence;
    l.tags = tags;
    if (!project.empty()) {
      l.scope = LessonScope::kProject;
      l.project = project;
    }
    auto r = engine_->AddLesson(l);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : Lesson{};
  }
  static constexpr Timestamp kDayMs = 24LL * 3600 * 1000;
  LearnClock clock_;
  std::filesystem::path dir_;
  std::unique_ptr<Engine> engine_;
};

}  // namespace engram::testing
