// ParseJson: the one way untrusted text becomes Json (engram/json.h).
#include "engram/json_limits.h"

#include <gtest/gtest.h>

#include <string>

namespace engram {
namespace {

std::string Nested(int levels, char open = '[', char close = ']') {
  return std::string(levels, open) + std::string(levels, close);
}

TEST(ParseJson, AcceptsNestingUpToTheLimitAndRejectsDeeper) {
  EXPECT_TRUE(ParseJson(Nested(kMaxJsonDepth), "x").ok());
  Result<Json> deep = ParseJson(Nested(kMaxJsonDepth + 1), "value");
  ASSERT_FALSE(deep.ok());
  EXPECT_EQ(deep.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(deep.status().message().find("value nests arrays and objects deeper than 256"),
            std::string::npos)
      << deep.status().message();
}

TEST(ParseJson, HundredThousandLevelsIsAnErrorNotACrash) {
  // Recursive descent over this overflows the stack; the depth scan comes first.
  const std::string text = "{\"a\":" + Nested(100000) + "}";
  Result<Json> r = ParseJson(text, "metadata");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), ErrorCode::kInvalidArgument);
}

TEST(ParseJson, BracketsInsideStringsDoNotCount) {
  const std::string text = "{\"s\":\"" + std::string(1000, '[') + "\\\"" + "\"}";
  Result<Json> r = ParseJson(text, "x");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ((*r)["s"].get<std::string>().size(), 1001u);
}

TEST(ParseJson, TheDepthLimitIsAnOption) {
  JsonParseOptions o;
  o.max_depth = 2;
  EXPECT_TRUE(ParseJsonWith("{\"a\":[1]}", "x", o).ok());
  EXPECT_FALSE(ParseJsonWith("{\"a\":[[1]]}", "x", o).ok());
}

TEST(ParseJson, NumberBeyondDoubleRangeIsInvalidArgument) {
  Result<Json> r = ParseJson(R"({"x":1e400})", "payload");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("payload holds a number out of range"), std::string::npos)
      << r.status().message();
  // Large but finite numbers are fine.
  EXPECT_TRUE(ParseJson(R"({"x":1e300})", "payload").ok());
}

TEST(ParseJson, ErrorQuotesOnlyABoundedPartOfTheBadToken) {
  const std::string text = "{\"x\":\"" + std::string(7 * 1024 * 1024, 'a');  // unterminated
  Result<Json> r = ParseJson(text, "request");
  ASSERT_FALSE(r.ok());
  EXPECT_LT(r.status().message().size(), 400u) << r.status().message().substr(0, 400);
  EXPECT_NE(r.status().message().find("bytes)"), std::string::npos) << r.status().message();
}

TEST(ParseJson, InvalidUtf8IsAnErrorWhoseMessageCanBeSerialised) {
  Result<Json> r = ParseJson("{\"x\":\"\xff\"}", "message");
  ASSERT_FALSE(r.ok());
  Json reply = {{"error", r.status().message()}};
  EXPECT_NO_THROW((void)reply.dump(-1, ' ', false, Json::error_handler_t::replace));
}

TEST(JsonValueDepth, MeasuresWithoutRecursion) {
  EXPECT_EQ(JsonValueDepth(Json(1), 10), 0);
  EXPECT_EQ(JsonValueDepth(Json::parse(R"({"a":[1,{"b":[]}]})"), 10), 4);
  // Built deeper than a recursive walk could survive; the walk stops past the limit.
  Json deep = Json::array();
  Json* cur = &deep;
  for (int i = 0; i < 300; ++i) {
    cur->push_back(Json::array());
    cur = &(*cur)[0];
  }
  EXPECT_GT(JsonValueDepth(deep, kMaxJsonDepth), kMaxJsonDepth);
}

TEST(CapJsonErrorMessage, CutsTheQuoteAndTheWhole) {
  const std::string msg = "syntax error; last read: '" + std::string(1000, 'q') + "'";
  const std::string capped = CapJsonErrorMessage(msg);
  EXPECT_LT(capped.size(), 120u);
  EXPECT_NE(capped.find("(1000 bytes)"), std::string::npos) << capped;
  EXPECT_EQ(CapJsonErrorMessage(std::string(1000, 'z'), 50).size(), 53u);
}

}  // namespace
}  // namespace engram
