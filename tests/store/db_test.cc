// The RAII SQLite layer: statement cache (reuse and re-entrant use of the
// same SQL), binding and typed columns, transaction guards, error mapping,
// float32 BLOB encoding, and retry with backoff.
#include "store/sqlite/db.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cmath>

#include "store/sqlite/retry.h"
#include "store_test_util.h"

namespace engram::sqlite {
namespace {

using store_test::TempDir;

class DbTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto c = Connection::Open(dir_.File("t.db"), false, 1000);
    ASSERT_TRUE(c.ok()) << c.status().ToString();
    conn_ = std::move(c).value();
    ASSERT_TRUE(conn_->Exec("CREATE TABLE t (k INTEGER PRIMARY KEY, s TEXT, d REAL, b BLOB)").ok());
  }
  std::int64_t Count() {
    auto st = conn_->Query("SELECT count(*) FROM t");
    EXPECT_TRUE(st.ok());
    EXPECT_TRUE(*st->Step());
    return st->Int(0);
  }
  TempDir dir_;
  std::unique_ptr<Connection> conn_;
};

TEST_F(DbTest, BindStepAndTypedColumns) {
  auto n = conn_->Run("INSERT INTO t VALUES (?, ?, ?, ?)", 1, "text", 2.5, std::nullopt);
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(*n, 1);
  std::optional<std::string> none;
  ASSERT_TRUE(conn_->Run("INSERT INTO t (k, s) VALUES (?, ?)", std::int64_t{2}, none).ok());
  auto st = conn_->Query("SELECT k, s, d, b FROM t ORDER BY k");
  ASSERT_TRUE(st.ok());
  ASSERT_TRUE(*st->Step());
  EXPECT_EQ(st->Int(0), 1);
  EXPECT_EQ(st->Text(1), "text");
  EXPECT_DOUBLE_EQ(st->Double(2), 2.5);
  EXPECT_TRUE(st->IsNull(3));
  ASSERT_TRUE(*st->Step());
  EXPECT_EQ(st->OptText(1), std::nullopt);
  EXPECT_EQ(st->OptDouble(2), std::nullopt);
  EXPECT_FALSE(*st->Step());
}

TEST_F(DbTest, QuotedIdentifierNamesAnyTable) {
  EXPECT_EQ(QuotedIdentifier("plain"), "\"plain\"");
  // A name holding a quote and a space still names exactly that table.
  const std::string odd = "we\"ird name";
  EXPECT_EQ(QuotedIdentifier(odd), "\"we\"\"ird name\"");
  ASSERT_TRUE(conn_->Exec("CREATE TABLE " + QuotedIdentifier(odd) + " (x)").ok());
  ASSERT_TRUE(conn_->Run("INSERT INTO " + QuotedIdentifier(odd) + " VALUES (7)").ok());
  auto st = conn_->Query("SELECT name FROM sqlite_schema WHERE name = ?1", odd);
  ASSERT_TRUE(st.ok());
  EXPECT_TRUE(*st->Step());
}

TEST_F(DbTest, SameSqlCanBeBorrowedTwiceAtOnce) {
  for (int k = 1; k <= 3; ++k) ASSERT_TRUE(conn_->Run("INSERT INTO t (k) VALUES (?)", k).ok());
  const char* sql = "SELECT k FROM t ORDER BY k";
  auto outer = conn_->Query(sql);
  ASSERT_TRUE(outer.ok());
  int pairs = 0;
  while (*outer->Step()) {
    auto inner = conn_->Query(sql);  // cache entry is in use: a second copy
    ASSERT_TRUE(inner.ok());
    while (*inner->Step()) ++pairs;
  }
  EXPECT_EQ(pairs, 9);
  // Both copies went back; the next borrow starts from a reset statement.
  auto again = conn_->Query(sql);
  ASSERT_TRUE(*again->Step());
  EXPECT_EQ(again->Int(0), 1);
}

TEST_F(DbTest, ErrorsMapToStatusCodes) {
  ASSERT_TRUE(conn_->Run("INSERT INTO t (k) VALUES (1)").ok());
  EXPECT_EQ(conn_->Run("INSERT INTO t (k) VALUES (1)").status().code(), ErrorCode::kAlreadyExists);
  EXPECT_EQ(conn_->Prepare("SELEKT").status().code(), ErrorCode::kInternal);
  auto bad_bind = conn_->Query("SELECT ?", 1, 2);  // index 2 is out of range
  ASSERT_TRUE(bad_bind.ok());
  EXPECT_EQ(bad_bind->Step().status().code(), ErrorCode::kInvalidArgument);
  Status st = FromSqlite(SQLITE_BUSY, nullptr, "ctx");
  EXPECT_EQ(st.code(), ErrorCode::kBusy);
  EXPECT_EQ(FromSqlite(SQLITE_CORRUPT, nullptr, "ctx").code(), ErrorCode::kCorruption);
  EXPECT_EQ(FromSqlite(SQLITE_IOERR_FSYNC, nullptr, "ctx").code(), ErrorCode::kIOError);
}

TEST_F(DbTest, TransactionRollsBackUnlessCommitted) {
  {
    auto tx = Transaction::Begin(*conn_, TxKind::kWrite, false);
    ASSERT_TRUE(tx.ok());
    ASSERT_TRUE(conn_->Run("INSERT INTO t (k) VALUES (1)").ok());
  }
  EXPECT_EQ(Count(), 0);
  {
    auto tx = Transaction::Begin(*conn_, TxKind::kWrite, false);
    ASSERT_TRUE(conn_->Run("INSERT INTO t (k) VALUES (1)").ok());
    {
      auto sp = Transaction::Begin(*conn_, TxKind::kWrite, true);
      ASSERT_TRUE(sp.ok());
      ASSERT_TRUE(conn_->Run("INSERT INTO t (k) VALUES (2)").ok());
    }  // savepoint rolled back, outer transaction still open
    auto sp = Transaction::Begin(*conn_, TxKind::kWrite, true);
    ASSERT_TRUE(conn_->Run("INSERT INTO t (k) VALUES (3)").ok());
    ASSERT_TRUE(sp->Commit().ok());
    ASSERT_TRUE(tx->Commit().ok());
  }
  EXPECT_EQ(Count(), 2);
}

TEST(FloatBlobTest, RoundTripsBitExactlyAndChecksSize) {
  std::vector<float> v = {0.0f, -0.0f, 1.0f / 3, -1e-38f, 3.4e38f, INFINITY};
  std::string blob = EncodeFloats(v);
  ASSERT_EQ(blob.size(), v.size() * 4);
  EXPECT_EQ(static_cast<unsigned char>(EncodeFloats({1.0f})[3]), 0x3f);  // little-endian
  auto back = DecodeFloats(blob, static_cast<std::int64_t>(v.size()));
  ASSERT_TRUE(back.ok());
  for (std::size_t i = 0; i < v.size(); ++i) {
    EXPECT_EQ(std::signbit((*back)[i]), std::signbit(v[i]));
    EXPECT_EQ((*back)[i], v[i]);
  }
  EXPECT_EQ(DecodeFloats(blob, 5).status().code(), ErrorCode::kCorruption);
  EXPECT_EQ(DecodeFloats("", 0).status().code(), ErrorCode::kCorruption);
}

TEST(RetryTest, RetriesBusyUntilSuccessOrBudget) {
  int calls = 0;
  Status st =
      RetryBusy(1000, "op", [&] { return ++calls < 4 ? Status::Busy("locked") : Status::Ok(); });
  EXPECT_TRUE(st.ok());
  EXPECT_EQ(calls, 4);

  calls = 0;
  EXPECT_EQ(RetryBusy(1000, "op", [&] { return ++calls, Status::NotFound("x"); }).code(),
            ErrorCode::kNotFound);
  EXPECT_EQ(calls, 1);  // other errors are not retried

  auto start = std::chrono::steady_clock::now();
  st = RetryBusy(50, "op", [] { return Status::Busy("locked"); });
  EXPECT_EQ(st.code(), ErrorCode::kBusy);
  EXPECT_NE(st.message().find("50 ms"), std::string::npos);
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(50));
}

}  // namespace
}  // namespace engram::sqlite
