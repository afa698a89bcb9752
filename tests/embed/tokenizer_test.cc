#include <gtest/gtest.h>

#include "embed/nfkc.h"
#include "embed/tfjs_weights.h"
#include "embed/unigram_tokenizer.h"
#include "embed/utf8.h"
#include "golden.h"

namespace engram::embed {
namespace {

std::string Nfkc(std::string_view s) { return EncodeUtf8(NormalizeNfkc(DecodeUtf8(s))); }

TEST(Utf8Test, RoundTripsAllPlanes) {
  const std::string text = "a\u00e9\u20ac\U0001F389";
  const std::u32string cps = DecodeUtf8(text);
  EXPECT_EQ(cps, (std::u32string{U'a', 0xE9, 0x20AC, 0x1F389}));
  EXPECT_EQ(EncodeUtf8(cps), text);
  EXPECT_EQ(Utf16Length(cps), 5u);  // the emoji is a surrogate pair
}

TEST(Utf8Test, InvalidBytesBecomeReplacementCharacters) {
  EXPECT_EQ(DecodeUtf8("a\xff"
                       "b"),
            (std::u32string{U'a', 0xFFFD, U'b'}));
  EXPECT_EQ(DecodeUtf8("\xc3"), (std::u32string{0xFFFD}));              // truncated
  EXPECT_EQ(DecodeUtf8("\xc0\xaf"), (std::u32string{0xFFFD, 0xFFFD}));  // overlong
  EXPECT_EQ(DecodeUtf8("\xed\xa0\x80").size(), 3u);                     // surrogate
}

TEST(NfkcTest, AsciiIsUnchanged) {
  EXPECT_EQ(Nfkc("Hello, world! 123"), "Hello, world! 123");
  EXPECT_EQ(Nfkc(""), "");
}

TEST(NfkcTest, CompatibilityMappings) {
  EXPECT_EQ(Nfkc("\ufb01le"), "file");                  // ligature
  EXPECT_EQ(Nfkc("\uff26\uff55\uff4c\uff4c"), "Full");  // fullwidth
  EXPECT_EQ(Nfkc("x\u00b2"), "x2");                     // superscript
  EXPECT_EQ(Nfkc("\u00bd"), "1\u20442");                // vulgar fraction
  EXPECT_EQ(Nfkc("a\u00a0b"), "a b");                   // no-break space
  EXPECT_EQ(Nfkc("\u2460"), "1");                       // circled digit
  EXPECT_EQ(Nfkc("\U0001D54E"), "W");                   // double-struck
  EXPECT_EQ(Nfkc("\uff8a\uff9d"), "\u30cf\u30f3");      // halfwidth katakana
}

TEST(NfkcTest, CanonicalCompositionAndOrdering) {
  EXPECT_EQ(Nfkc("e\u0301"), "\u00e9");
  EXPECT_EQ(Nfkc("\u00e9"), "\u00e9");
  EXPECT_EQ(Nfkc("s\u0307\u0323"), "\u1e69");        // reordered, then composed
  EXPECT_EQ(Nfkc("\u212b"), "\u00c5");               // angstrom sign
  EXPECT_EQ(Nfkc("a\u0334\u0301"), "\u00e1\u0334");  // ccc 1 does not block ccc 230
  EXPECT_EQ(Nfkc("a\u0301\u0301"), "\u00e1\u0301");  // equal classes block
  EXPECT_EQ(Nfkc("\u1100\u1161\u11a8"), "\uac01");   // Hangul jamo compose
  EXPECT_EQ(Nfkc("\ud55c"), "\ud55c");               // Hangul syllable stable
}

class TokenizerGoldenTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ENGRAM_SKIP_WITHOUT_MODEL();
    auto text = ReadFile(embed_test::InstalledModelDir() / "vocab.json");
    ASSERT_TRUE(text.ok()) << text.status().ToString();
    auto json = ParseJson(*text, "vocab.json");
    ASSERT_TRUE(json.ok()) << json.status().ToString();
    auto t = UnigramTokenizer::FromJson(*json);
    ASSERT_TRUE(t.ok()) << t.status().ToString();
    tokenizer_ = std::make_unique<UnigramTokenizer>(std::move(t).value());
  }
  std::unique_ptr<UnigramTokenizer> tokenizer_;
};

TEST_F(TokenizerGoldenTest, MatchesReferenceTokenIds) {
  const auto cases = embed_test::LoadGolden();
  ASSERT_GE(cases.size(), 50u);
  for (const auto& c : cases) {
    EXPECT_EQ(tokenizer_->Encode(c.text), c.tokens) << "text: " << c.text;
  }
}

TEST_F(TokenizerGoldenTest, EmptyTextHasNoTokensAndUnknownsCollapse) {
  EXPECT_TRUE(tokenizer_->Encode("").empty());
  const auto ids = tokenizer_->Encode("\u65e5\u672c\u8a9e");  // no CJK pieces
  ASSERT_EQ(ids.size(), 2u);                                  // "▁" then one unknown
  EXPECT_EQ(ids[1], UnigramTokenizer::kUnknownId);
}

TEST(TokenizerTest, RejectsMalformedVocabulary) {
  EXPECT_EQ(UnigramTokenizer::FromJson(Json::object()).status().code(), ErrorCode::kCorruption);
  Json vocab = Json::array();
  for (int i = 0; i < 8; ++i) vocab.push_back(Json::array({"p" + std::to_string(i), -1.0}));
  vocab[7] = "not a pair";
  EXPECT_EQ(UnigramTokenizer::FromJson(vocab).status().code(), ErrorCode::kCorruption);
}

TEST(TokenizerTest, ViterbiPrefersHigherScoringSegmentation) {
  Json vocab = Json::array();
  for (int i = 0; i < UnigramTokenizer::kReservedIds; ++i) vocab.push_back(Json::array({"", 0.0}));
  vocab.push_back(Json::array({"\u2581ab", -1.0}));  // 6
  vocab.push_back(Json::array({"\u2581a", -1.0}));   // 7
  vocab.push_back(Json::array({"b", -5.0}));         // 8
  vocab.push_back(Json::array({"c", -1.0}));         // 9
  auto t = UnigramTokenizer::FromJson(vocab);
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->Encode("ab"), (std::vector<std::int32_t>{6}));
  EXPECT_EQ(t->Encode("abc"), (std::vector<std::int32_t>{6, 9}));
  // The reference's quirk: an unknown piece scores 0, above any real piece,
  // so the "▁a▁c" lattice ends in "a" (unknown), "▁" (unknown), then "c".
  EXPECT_EQ(t->Encode("a c"), (std::vector<std::int32_t>{0, 9}));
  EXPECT_EQ(t->Encode("abxyc"), (std::vector<std::int32_t>{6, 0, 9}));  // unknowns collapse
}

}  // namespace
}  // namespace engram::embed
