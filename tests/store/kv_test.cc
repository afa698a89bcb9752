// Key-value: versions, compare-and-set, TTL (expired invisible, lazily
// purged), prefix listing, delete, import.
#include <gtest/gtest.h>

#include "store_test_util.h"

namespace engram::store_test {
namespace {

using KvTest = StoreTest;

KvPutOptions Cas(std::int64_t expected) {
  KvPutOptions o;
  o.expected_version = expected;
  return o;
}

KvPutOptions Ttl(std::int64_t ms) {
  KvPutOptions o;
  o.ttl_ms = ms;
  return o;
}

TEST_F(KvTest, PutIncrementsVersionAndKeepsCreatedAt) {
  auto a = store_->KvPut("ns", "k", Json{{"x", 1}}, {}, 100);
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_EQ(a->version, 1);
  auto b = store_->KvPut("ns", "k", Json::array({1, 2}), {}, 200);
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->version, 2);
  EXPECT_EQ(b->created_at, 100);
  EXPECT_EQ(b->updated_at, 200);
  auto got = store_->KvGet("ns", "k", 300);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(ToJson(*got), ToJson(*b));
  EXPECT_TRUE(store_->KvGet("other", "k", 300).status().IsNotFound());
}

TEST_F(KvTest, CompareAndSet) {
  EXPECT_EQ(store_->KvPut("ns", "k", 1, Cas(1), 1).status().code(), ErrorCode::kFailedPrecondition);
  ASSERT_TRUE(store_->KvPut("ns", "k", 1, Cas(0), 1).ok());
  EXPECT_EQ(store_->KvPut("ns", "k", 2, Cas(0), 2).status().code(), ErrorCode::kFailedPrecondition);
  ASSERT_TRUE(store_->KvPut("ns", "k", 2, Cas(1), 2).ok());
  EXPECT_EQ(store_->KvPut("ns", "k", 3, Cas(1), 3).status().code(), ErrorCode::kFailedPrecondition);
  auto got = store_->KvGet("ns", "k", 4);
  EXPECT_EQ(got->value, 2);
  EXPECT_EQ(got->version, 2);
}

TEST_F(KvTest, TtlHidesExpiredEntriesAndRestartsVersions) {
  ASSERT_TRUE(store_->KvPut("ns", "k", "v", Ttl(100), 1'000).ok());
  EXPECT_EQ(store_->KvGet("ns", "k", 1'099)->expires_at, 1'100);
  EXPECT_TRUE(store_->KvGet("ns", "k", 1'100).status().IsNotFound());
  EXPECT_TRUE(store_->KvList("ns", "", 10, 1'100)->empty());
  // An expired key does not exist for CAS; a new put starts at version 1.
  auto again = store_->KvPut("ns", "k", "w", Cas(0), 2'000);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(again->version, 1);
  EXPECT_EQ(again->created_at, 2'000);
  EXPECT_FALSE(again->expires_at.has_value());
  EXPECT_EQ(store_->KvPut("ns", "k", "v", Ttl(0), 1).status().code(), ErrorCode::kInvalidArgument);
}

TEST_F(KvTest, ExpiredEntriesArePurgedByLaterPuts) {
  for (int i = 0; i < 10; ++i) {
    ASSERT_TRUE(store_->KvPut("ns", "t" + std::to_string(i), i, Ttl(10), 100).ok());
  }
  int before = 0;
  ASSERT_TRUE(store_->ForEachKv([&](const KvEntry&) { return ++before, Status::Ok(); }).ok());
  EXPECT_EQ(before, 10);  // ForEachKv includes expired-but-not-purged entries
  ASSERT_TRUE(store_->KvPut("ns", "live", 1, {}, 500).ok());
  EXPECT_EQ(store_->Stats()->kv_entries, 1);
}

TEST_F(KvTest, ListByPrefixAscendingWithLimit) {
  for (const char* k : {"b/2", "a/1", "b/1", "b", "c", "b\xff", "b/3"}) {
    ASSERT_TRUE(store_->KvPut("ns", k, 1, {}, 1).ok());
  }
  ASSERT_TRUE(store_->KvPut("other", "b/9", 1, {}, 1).ok());
  auto keys = [&](const std::string& prefix, int limit) {
    std::vector<std::string> out;
    auto r = store_->KvList("ns", prefix, limit, 2);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    if (r.ok()) {
      for (const KvEntry& e : *r) out.push_back(e.key);
    }
    return out;
  };
  EXPECT_EQ(keys("b/", 10), (std::vector<std::string>{"b/1", "b/2", "b/3"}));
  EXPECT_EQ(keys("b", 10), (std::vector<std::string>{"b", "b/1", "b/2", "b/3", "b\xff"}));
  EXPECT_EQ(keys("b/", 2), (std::vector<std::string>{"b/1", "b/2"}));
  EXPECT_EQ(keys("", 100).size(), 7u);
  EXPECT_TRUE(keys("zz", 10).empty());
  EXPECT_EQ(store_->KvList("ns", "", 0, 1).status().code(), ErrorCode::kInvalidArgument);
}

TEST_F(KvTest, DeleteAndValidation) {
  ASSERT_TRUE(store_->KvPut("ns", "k", 1, {}, 1).ok());
  ASSERT_TRUE(store_->KvDelete("ns", "k").ok());
  EXPECT_TRUE(store_->KvGet("ns", "k", 2).status().IsNotFound());
  EXPECT_TRUE(store_->KvDelete("ns", "k").IsNotFound());
  EXPECT_EQ(store_->KvPut("", "k", 1, {}, 1).status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(store_->KvPut("ns", "k", std::string("\xc3"), {}, 1).status().code(),
            ErrorCode::kInvalidArgument);
  EXPECT_TRUE(store_->KvGet("ns", "k", 2).status().IsNotFound());
}

TEST_F(KvTest, ImportPreservesEveryField) {
  KvEntry e{"ns", "k", Json{{"deep", {1, 2}}}, 7, 10, 20, 30};
  ASSERT_TRUE(store_->ImportKv(e).ok());
  KvEntry seen;
  ASSERT_TRUE(store_->ForEachKv([&](const KvEntry& x) { return seen = x, Status::Ok(); }).ok());
  EXPECT_EQ(ToJson(seen), ToJson(e));
  e.version = 0;
  EXPECT_EQ(store_->ImportKv(e).code(), ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace engram::store_test
