// WithEngine<Base>: a gtest fixture base that gives each test a fresh Engine
// over a SQLite store in its own temporary directory, and the operation
// table over it; everything is removed after the test.
//
// Thread safety: one test, one thread.
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <memory>
#include <string>

#include "engram/engine.h"
#include "server/operation.h"

namespace engram::server {

template <typename Base>
class WithEngine : public Base {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/engram-server-test-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    auto engine = Engine::OpenSqlite(dir_ + "/t.db");
    ASSERT_TRUE(engine.ok()) << engine.status().ToString();
    engine_ = std::move(engine).value();
    table_ = std::make_unique<OperationTable>(*engine_);
  }
  void TearDown() override {
    table_.reset();
    engine_.reset();
    std::filesystem::remove_all(dir_);
  }

  std::string dir_;
  std::unique_ptr<Engine> engine_;
  std::unique_ptr<OperationTable> table_;
};

}  // namespace engram::server
