// WithEngine<Base>: a gtest fixture base that gives each test a fresh Engine
// over a SQLite store in its own temporary directory, and the operation
// table over it; everything is removed after the test. CallOk calls an
// operation and checks its output against the published schema.
//
// Thread safety: one test, one thread.
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <memory>
#include <string>

#include "engram/engine.h"
#include "server/json_schema.h"
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
  // Calls operation `name`; expects success and an output its published
  // schema accepts. Null when the call failed.
  Json CallOk(const std::string& name, const Json& args) {
    Result<Json> r = table_->Call(name, args);
    EXPECT_TRUE(r.ok()) << name << ": " << r.status().ToString();
    if (!r.ok()) return nullptr;
    Status st = ValidateJson(table_->Find(name)->output_schema, *r, name + ".output");
    EXPECT_TRUE(st.ok()) << st.message() << "\n" << r->dump(2);
    return *r;
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
