#include "server/json_schema.h"

#include <gtest/gtest.h>

namespace engram::server {
namespace {

Json PersonSchema() {
  return js::Object({{"name", js::Str("name", 5)},
                     {"age", js::Int("age", 0, 150)},
                     {"score", js::Num("score", 0.0, 1.0)},
                     {"tags", js::Array(js::Str("tag"), "tags")},
                     {"kind", js::Enum({"a", "b"}, "kind")},
                     {"extra", js::AnyObject("free")}},
                    {"name"});
}

TEST(JsonSchema, AcceptsValidObject) {
  Json v = {{"name", "bob"}, {"age", 3},    {"score", 0.5},
            {"tags", {"x"}}, {"kind", "a"}, {"extra", {{"anything", 1}}}};
  EXPECT_TRUE(ValidateJson(PersonSchema(), v).ok());
}

TEST(JsonSchema, MissingRequiredFieldIsNamed) {
  Status st = ValidateJson(PersonSchema(), Json{{"age", 3}});
  EXPECT_TRUE(st.IsInvalidArgument());
  EXPECT_EQ(st.message(), "arguments.name is required");
}

TEST(JsonSchema, WrongTypeNamesPathAndTypes) {
  Status st = ValidateJson(PersonSchema(), Json{{"name", "x"}, {"tags", {"ok", 7}}});
  EXPECT_EQ(st.message(), "arguments.tags[1] must be a string, not an integer");
}

TEST(JsonSchema, UnknownFieldRejectedInClosedObject) {
  Status st = ValidateJson(PersonSchema(), Json{{"name", "x"}, {"nme", "typo"}});
  EXPECT_EQ(st.message(), "arguments.nme is not a known field");
}

TEST(JsonSchema, OpenObjectAcceptsUnknownFields) {
  Json schema = js::Object({{"a", js::Int("a")}}, {}, "", /*open=*/true);
  EXPECT_TRUE(ValidateJson(schema, Json{{"b", true}}).ok());
}

TEST(JsonSchema, BoundsAndEnums) {
  EXPECT_FALSE(ValidateJson(PersonSchema(), Json{{"name", "x"}, {"age", -1}}).ok());
  EXPECT_FALSE(ValidateJson(PersonSchema(), Json{{"name", "x"}, {"score", 1.5}}).ok());
  Status st = ValidateJson(PersonSchema(), Json{{"name", "x"}, {"kind", "c"}});
  EXPECT_EQ(st.message(), "arguments.kind must be one of \"a\", \"b\", not \"c\"");
  st = ValidateJson(PersonSchema(), Json{{"name", "toolong"}});
  EXPECT_EQ(st.message(), "arguments.name is 7 bytes; the limit is 5");
}

TEST(JsonSchema, IntegerAcceptsWholeFloatsOnly) {
  Json schema = js::Int("n");
  EXPECT_TRUE(ValidateJson(schema, Json(3.0)).ok());
  EXPECT_FALSE(ValidateJson(schema, Json(3.5)).ok());
  EXPECT_TRUE(ValidateJson(js::Num("x"), Json(3)).ok());
}

TEST(JsonSchema, NullableAcceptsNull) {
  EXPECT_FALSE(ValidateJson(js::Str("s"), Json(nullptr)).ok());
  EXPECT_TRUE(ValidateJson(js::Nullable(js::Str("s")), Json(nullptr)).ok());
}

TEST(JsonSchema, TopLevelTypeMismatch) {
  Status st = ValidateJson(PersonSchema(), Json::array());
  EXPECT_EQ(st.message(), "arguments must be an object, not an array");
}

// Issue 20 §2: an integer field without explicit bounds is still bounded,
// so 1e300 or 2^64-1 can never be read into an int64 or an int.
TEST(JsonSchema, IntegersAreAlwaysBounded) {
  const Json schema = js::Object({{"n", js::Int("n")}, {"m", js::Int("m", 0, 10)}}, {});
  EXPECT_TRUE(ValidateJson(schema, Json::parse(R"({"n":9007199254740991})")).ok());
  for (const char* bad : {R"({"n":1e300})", R"({"n":18446744073709551615})",
                          R"({"n":-9007199254740992})", R"({"m":4294967296})", R"({"m":11})"}) {
    Status st = ValidateJson(schema, Json::parse(bad));
    EXPECT_EQ(st.code(), ErrorCode::kInvalidArgument) << bad;
  }
}

}  // namespace
}  // namespace engram::server
