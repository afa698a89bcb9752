// Engine key-value calls: TTL on the manual clock, compare-and-set,
// validation; and DefaultDbPath.
#include <gtest/gtest.h>

#include <cstdlib>
#include <optional>
#include <string>

#include "engine_fixture.h"

namespace engram::testing {
namespace {

TEST_F(EngineTest, KvTtlExpiresOnTheEngineClock) {
  KvPutOptions options;
  options.ttl_ms = 10'000;
  auto put = engine_->KvPut("agent", "cursor", Json{{"pos", 3}}, options);
  ASSERT_TRUE(put.ok()) << put.status().ToString();
  EXPECT_EQ(put->version, 1);
  ASSERT_TRUE(put->expires_at.has_value());
  EXPECT_EQ(*put->expires_at, kStartMs + 10'000);
  ASSERT_TRUE(engine_->KvPut("agent", "prefs", Json{{"theme", "dark"}}).ok());

  clock_.AdvanceMs(9'999);
  auto got = engine_->KvGet("agent", "cursor");
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(got->value, (Json{{"pos", 3}}));

  clock_.AdvanceMs(1);
  EXPECT_ERROR(engine_->KvGet("agent", "cursor"), ErrorCode::kNotFound, "cursor");
  auto listed = engine_->KvList("agent", "", 100);
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ((*listed)[0].key, "prefs");
}

TEST_F(EngineTest, KvCompareAndSet) {
  KvPutOptions create;
  create.expected_version = 0;
  ASSERT_TRUE(engine_->KvPut("ns", "k", 1, create).ok());
  EXPECT_FALSE(engine_->KvPut("ns", "k", 2, create).ok());
  KvPutOptions next;
  next.expected_version = 1;
  auto put = engine_->KvPut("ns", "k", 2, next);
  ASSERT_TRUE(put.ok()) << put.status().ToString();
  EXPECT_EQ(put->version, 2);
  auto got = engine_->KvGet("ns", "k");
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->value, 2);
}

TEST_F(EngineTest, InvalidKvPutStoresNothing) {
  EXPECT_ERROR(engine_->KvPut("", "k", 1), ErrorCode::kInvalidArgument, "");
  EXPECT_ERROR(engine_->KvPut("ns", std::string("a\0b", 3), 1), ErrorCode::kInvalidArgument, "");
  KvPutOptions options;
  options.ttl_ms = 0;
  EXPECT_ERROR(engine_->KvPut("ns", "k", 1, options), ErrorCode::kInvalidArgument, "ttl");
  options = KvPutOptions{};
  options.expected_version = -1;
  EXPECT_ERROR(engine_->KvPut("ns", "k", 1, options), ErrorCode::kInvalidArgument, "version");
  Json big = std::string(engine_->limits().max_json_bytes + 1, 'x');
  EXPECT_ERROR(engine_->KvPut("ns", "k", big), ErrorCode::kInvalidArgument, "");
  EXPECT_ERROR(engine_->KvList("ns", "", 0), ErrorCode::kInvalidArgument, "limit");
  auto listed = engine_->KvList("ns", "", 100);
  ASSERT_TRUE(listed.ok());
  EXPECT_TRUE(listed->empty());
}

TEST_F(EngineTest, KvValuesAreRedacted) {
  auto put = engine_->KvPut("agent", "creds", Json{{"password", "hunter2hunter2"}, {"user", "me"}});
  ASSERT_TRUE(put.ok());
  auto got = engine_->KvGet("agent", "creds");
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->value["user"], "me");
  EXPECT_EQ(got->value.dump().find("hunter2"), std::string::npos) << got->value.dump();
}

TEST_F(EngineTest, KvDeleteUnknownKeyIsNotFound) {
  EXPECT_ERROR(engine_->KvDelete("ns", "missing"), ErrorCode::kNotFound, "missing");
}

// Sets (or unsets, with nullopt) an environment variable for one scope.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, std::optional<std::string> value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    if (value) {
      setenv(name, value->c_str(), 1);
    } else {
      unsetenv(name);
    }
  }
  ~ScopedEnv() {
    if (old_) {
      setenv(name_, old_->c_str(), 1);
    } else {
      unsetenv(name_);
    }
  }

 private:
  const char* name_;
  std::optional<std::string> old_;
};

TEST(DefaultDbPath, PrefersEngramDbThenXdgThenHome) {
  ScopedEnv home("HOME", "/home/ada");
  {
    ScopedEnv db("ENGRAM_DB", "/data/mine.db");
    ScopedEnv xdg("XDG_DATA_HOME", "/xdg");
    EXPECT_EQ(DefaultDbPath(), "/data/mine.db");
  }
  {
    ScopedEnv db("ENGRAM_DB", std::nullopt);
    ScopedEnv xdg("XDG_DATA_HOME", "/xdg");
    EXPECT_EQ(DefaultDbPath(), "/xdg/engram/engram.db");
  }
  {
    ScopedEnv db("ENGRAM_DB", "");
    ScopedEnv xdg("XDG_DATA_HOME", std::nullopt);
    EXPECT_EQ(DefaultDbPath(), "/home/ada/.local/share/engram/engram.db");
  }
}

}  // namespace
}  // namespace engram::testing
