// Opinion profiles: built-ins, validation of custom profiles, and their
// effect on lesson ranking through Engine::SearchLessons.
#include <gtest/gtest.h>

#include "engram/opinion_profile.h"
#include "learn/opinion_profile.h"
#include "learning_engine_fixture.h"
#include "retrieval/ranking.h"

namespace engram {
namespace {

using testing::LearningEngineTest;

TEST(OpinionProfileTest, DefaultProfileIsTodaysRanking) {
  auto p = learn::BuiltInProfile("default");
  ASSERT_TRUE(p.ok());
  retrieval::RankingOptions ro;
  EXPECT_DOUBLE_EQ(p->confidence, ro.confidence_weight);
  EXPECT_DOUBLE_EQ(p->recency, ro.recency_weight);
  EXPECT_DOUBLE_EQ(1 - p->novelty, ro.mmr_lambda);
  EXPECT_DOUBLE_EQ(1 + p->safety, ro.weight_gotcha);
  EXPECT_NEAR(1 + p->safety / 2, ro.weight_anti_pattern, 1e-12);
}

TEST(OpinionProfileTest, BuiltInsAreValidAndDistinct) {
  std::vector<std::string> names;
  for (const OpinionProfile& p : learn::BuiltInProfiles()) {
    EXPECT_TRUE(learn::ValidateProfile(p).ok()) << p.name;
    EXPECT_EQ(p.source, "built_in");
    names.push_back(p.name);
  }
  EXPECT_EQ(names,
            (std::vector<std::string>{"default", "pragmatic", "strict", "startup", "enterprise"}));
  EXPECT_GT(learn::BuiltInProfile("strict")->confidence,
            learn::BuiltInProfile("startup")->confidence);
  EXPECT_GT(learn::BuiltInProfile("enterprise")->safety, learn::BuiltInProfile("default")->safety);
  EXPECT_TRUE(learn::BuiltInProfile("nope").status().IsNotFound());
}

TEST(OpinionProfileTest, CustomProfileFromJsonFillsDefaultsAndValidates) {
  auto p = learn::ProfileFromJson("careful", Json{{"confidence", 1.0}, {"description", "x"}});
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->source, "custom");
  EXPECT_DOUBLE_EQ(p->confidence, 1.0);
  EXPECT_DOUBLE_EQ(p->recency, 0.1);  // the default profile's

  auto bad = learn::ProfileFromJson("careful", Json{{"confidence", 1.5}});
  ASSERT_FALSE(bad.ok());
  EXPECT_TRUE(bad.status().IsInvalidArgument());
  EXPECT_NE(bad.status().message().find("'confidence' must be in [0"), std::string::npos);
  auto unknown = learn::ProfileFromJson("careful", Json{{"speed", 1}});
  EXPECT_NE(unknown.status().message().find("unknown field 'speed'"), std::string::npos);
  auto text = learn::ProfileFromJson("careful", Json{{"novelty", "high"}});
  EXPECT_NE(text.status().message().find("'novelty' must be a number"), std::string::npos);
  EXPECT_FALSE(learn::ProfileFromJson("careful", Json::array()).ok());
  EXPECT_FALSE(learn::ProfileFromJson("Bad Name", Json::object()).ok());
  EXPECT_FALSE(learn::ProfileFromJson("n", Json{{"novelty", 0.95}}).ok());
  EXPECT_FALSE(learn::ProfileFromJson("n", Json{{"safety", -0.1}}).ok());
}

class ProfileSearchTest : public LearningEngineTest {};

TEST_F(ProfileSearchTest, DefaultProfileLeavesResultsUnchanged) {
  Add("Retry flaky network calls", "Retry network calls with backoff.", "network");
  Add("Network timeouts", "Set a timeout on every network call.", "network", LessonType::kGotcha,
      0.9);
  SearchRequest r;
  r.min_relevance = 0.0;  // every result: not a relevance test
  r.query = "network call";
  auto plain = engine_->SearchLessons(r);
  r.profile = "default";
  auto named = engine_->SearchLessons(r);
  ASSERT_TRUE(plain.ok() && named.ok());
  ASSERT_EQ(plain->results.size(), named->results.size());
  for (std::size_t i = 0; i < plain->results.size(); ++i) {
    EXPECT_EQ(plain->results[i].lesson.id, named->results[i].lesson.id);
    EXPECT_DOUBLE_EQ(plain->results[i].score, named->results[i].score);
    EXPECT_EQ(named->results[i].explanation.profile, "default");
  }
  EXPECT_EQ(named->profile["name"], "default");
}

TEST_F(ProfileSearchTest, StrictPrefersConfidentLessons) {
  Lesson weak = Add("Cache invalidation keys", "Cache keys with version cache invalidation.",
                    "caching", LessonType::kBestPractice, 0.1);
  Lesson strong = Add("Cache warming", "Warm the cache after deploys.", "caching",
                      LessonType::kBestPractice, 1.0);
  SearchRequest r;
  r.min_relevance = 0.0;  // every result: not a relevance test
  r.query = "cache invalidation";
  r.diversify = false;
  auto def = engine_->SearchLessons(r);
  r.profile = "strict";
  auto strict = engine_->SearchLessons(r);
  ASSERT_TRUE(def.ok() && strict.ok());
  ASSERT_EQ(def->results.size(), 2u);
  ASSERT_EQ(strict->results.size(), 2u);
  EXPECT_EQ(def->results[0].lesson.id, weak.id);  // more relevant
  EXPECT_EQ(strict->results[0].lesson.id, strong.id);
  const ScoreExplanation& e = strict->results[1].explanation;
  EXPECT_NEAR(e.confidence_factor, 1 - 0.9 + 0.9 * 0.1, 1e-9);
  EXPECT_EQ(e.profile, "strict");
  EXPECT_EQ(strict->profile["confidence"], 0.9);
}

TEST_F(ProfileSearchTest, EnterpriseRaisesWarnings) {
  Add("Deploy checklist", "Run the deploy checklist.", "deploy", LessonType::kBestPractice);
  Add("Deploy checklist gotcha", "Never skip the deploy checklist.", "deploy", LessonType::kGotcha);
  SearchRequest r;
  r.min_relevance = 0.0;  // every result: not a relevance test
  r.query = "deploy checklist";
  r.profile = "enterprise";
  auto resp = engine_->SearchLessons(r);
  ASSERT_TRUE(resp.ok());
  ASSERT_EQ(resp->results.size(), 2u);
  EXPECT_EQ(resp->results[0].lesson.type, LessonType::kGotcha);
  EXPECT_DOUBLE_EQ(resp->results[0].explanation.type_weight, 1.5);
  EXPECT_DOUBLE_EQ(resp->results[1].explanation.type_weight, 1.0);
}

TEST_F(ProfileSearchTest, CustomProfileFromKvIsUsedAndBadOnesAreRejected) {
  Add("Feature flags", "Guard releases with feature flags.", "release");
  ASSERT_TRUE(engine_
                  ->KvPut(std::string(kProfilesNamespace), "careful",
                          Json{{"confidence", 1.0}, {"recency", 0.0}})
                  .ok());
  SearchRequest r;
  r.min_relevance = 0.0;  // every result: not a relevance test
  r.query = "feature flags";
  r.profile = "careful";
  auto resp = engine_->SearchLessons(r);
  ASSERT_TRUE(resp.ok()) << resp.status().ToString();
  EXPECT_EQ(resp->profile["source"], "custom");
  ASSERT_EQ(resp->results.size(), 1u);
  EXPECT_NEAR(resp->results[0].explanation.confidence_factor, 0.5, 1e-9);  // 1 - 1 + 1 * 0.5

  ASSERT_TRUE(engine_->KvPut(std::string(kProfilesNamespace), "broken", Json{{"recency", 9}}).ok());
  r.profile = "broken";
  auto bad = engine_->SearchLessons(r);
  ASSERT_FALSE(bad.ok());
  EXPECT_TRUE(bad.status().IsInvalidArgument());
  EXPECT_NE(bad.status().message().find("recency"), std::string::npos);

  r.profile = "nonexistent";
  auto unknown = engine_->SearchLessons(r);
  ASSERT_FALSE(unknown.ok());
  EXPECT_TRUE(unknown.status().IsNotFound());
  EXPECT_NE(unknown.status().message().find("available: default, pragmatic"), std::string::npos);
  EXPECT_NE(unknown.status().message().find("careful"), std::string::npos);
  // Listing validates every stored profile and names the bad one.
  auto listed = engine_->ListOpinionProfiles();
  ASSERT_FALSE(listed.ok());
  EXPECT_NE(listed.status().message().find("broken"), std::string::npos);
}

TEST_F(ProfileSearchTest, RetrieveContextPassesTheProfileToLessons) {
  Add("Log rotation", "Rotate logs daily.", "ops");
  ContextRequest r;
  r.min_relevance = 0.0;  // every result: not a relevance test
  r.description = "log rotation";
  r.profile = "startup";
  auto resp = engine_->RetrieveContext(r);
  ASSERT_TRUE(resp.ok()) << resp.status().ToString();
  ASSERT_EQ(resp->lessons.size(), 1u);
  EXPECT_EQ(resp->lessons[0].explanation.profile, "startup");
  r.profile = "nope";
  EXPECT_TRUE(engine_->RetrieveContext(r).status().IsNotFound());
}

}  // namespace
}  // namespace engram
