// LessonClusterer over a real store: themes by embedding or (without an
// embedder, said so) by text vectors, labels, flags, validation.
#include "engram/clusters.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "engram/contradictions.h"
#include "engram/ids.h"
#include "engram/store.h"

#include "learning_engine_fixture.h"

namespace engram {
namespace {

using testing::LearningEngineTest;

class ClustersTest : public LearningEngineTest {
 protected:
  void AddThemes() {
    xs1_ = Add("XState actors", "Split a large XState machine into spawned actors.", "xstate");
    xs2_ = Add("XState context bloat", "Keep XState machine context small; actors own state.",
               "xstate");
    pg1_ = Add("Postgres index", "Add a Postgres index for slow queries.", "postgres");
    pg2_ = Add("Postgres vacuum", "Autovacuum Postgres tables with index bloat.", "postgres");
    lone_ = Add("Kubernetes probes", "Readiness probes gate kubernetes rollouts.", "k8s",
                LessonType::kHeuristic, 0.2);
  }
  static const LessonCluster* Holding(const ClusterReport& r, const std::string& id) {
    for (const LessonCluster& c : r.clusters) {
      for (const ClusterMember& m : c.members) {
        if (m.id == id) return &c;
      }
    }
    return nullptr;
  }
  Lesson xs1_, xs2_, pg1_, pg2_, lone_;
};

TEST_F(ClustersTest, TextVectorsWithoutEmbedderGroupThemesAndSaySo) {
  AddThemes();
  auto r = engine_->clusterer().Cluster(ClusterRequest{});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->vectors, "text");
  EXPECT_NE(r->note.find("no embedder configured"), std::string::npos);
  EXPECT_TRUE(r->contradictions_available);  // SqliteStore keeps contradictions
  EXPECT_EQ(r->lessons, 5);
  ASSERT_EQ(r->clusters.size(), 3u);
  EXPECT_EQ(Holding(*r, xs1_.id), Holding(*r, xs2_.id));
  EXPECT_EQ(Holding(*r, pg1_.id), Holding(*r, pg2_.id));
  EXPECT_NE(Holding(*r, xs1_.id), Holding(*r, pg1_.id));
  const LessonCluster* xs = Holding(*r, xs1_.id);
  EXPECT_NE(std::find(xs->label.begin(), xs->label.end(), "xstate"), xs->label.end());
  const LessonCluster* lone = Holding(*r, lone_.id);
  ASSERT_EQ(lone->members.size(), 1u);
  EXPECT_TRUE(lone->single_low_confidence);
  EXPECT_EQ(lone->flags, std::vector<std::string>{"single_low_confidence"});
  EXPECT_FALSE(xs->single_low_confidence);
  EXPECT_EQ(xs->open_contradictions, 0);
  EXPECT_TRUE(xs->flags.empty());
}

TEST_F(ClustersTest, OpenContradictionsBetweenMembersFlagTheCluster) {
  AddThemes();
  Contradiction c;
  c.id = NewId(clock_.now);
  c.lesson_a = std::min(xs1_.id, xs2_.id);
  c.lesson_b = std::max(xs1_.id, xs2_.id);
  c.reason = "opposite stance: test";
  c.created_at = clock_.now;
  ASSERT_TRUE(engine_->store().contradictions()->RecordContradiction(c).ok());
  Contradiction across = c;  // between two clusters: flags neither
  across.id = NewId(clock_.now + 1);
  across.lesson_a = std::min(pg1_.id, lone_.id);
  across.lesson_b = std::max(pg1_.id, lone_.id);
  ASSERT_TRUE(engine_->store().contradictions()->RecordContradiction(across).ok());
  auto r = engine_->clusterer().Cluster(ClusterRequest{});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  const LessonCluster* xs = Holding(*r, xs1_.id);
  EXPECT_EQ(xs->open_contradictions, 1);
  EXPECT_EQ(xs->flags, std::vector<std::string>{"contradiction"});
  EXPECT_EQ(Holding(*r, pg1_.id)->open_contradictions, 0);
  Json j = ToJson(*r);
  EXPECT_EQ(j["clusters"][0]["open_contradictions"].is_number(), true);
  // Resolved ones no longer count.
  ASSERT_TRUE(
      engine_->store()
          .contradictions()
          ->CloseContradiction(c.id, ContradictionStatus::kDismissed, std::nullopt, clock_.now)
          .ok());
  auto after = engine_->clusterer().Cluster(ClusterRequest{});
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(Holding(*after, xs1_.id)->open_contradictions, 0);
}

TEST_F(ClustersTest, EmbeddingsAreUsedWhenAnEmbedderIsConfigured) {
  Open(true);
  AddThemes();
  ClusterRequest req;
  req.min_similarity = 0.3;
  auto r = engine_->clusterer().Cluster(req);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->vectors, "embedding");
  EXPECT_EQ(r->model_id, engine_->embedder()->model_id());
  EXPECT_DOUBLE_EQ(r->min_similarity, 0.3);
  EXPECT_EQ(Holding(*r, xs1_.id), Holding(*r, xs2_.id));
  EXPECT_NE(Holding(*r, xs1_.id), Holding(*r, lone_.id));
  // Deterministic: the same report twice.
  auto again = engine_->clusterer().Cluster(req);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(ToJson(*r), ToJson(*again));
}

// Issue 21 §3: text vectors asked for with an embedder configured carry no
// claim that there is none; without one, the note gives the Engine's reason.
TEST_F(ClustersTest, TextVectorsOnRequestAndTheReasonWithoutAnEmbedder) {
  Open(true);
  AddThemes();
  ClusterRequest text;
  text.text_vectors = true;
  auto r = engine_->clusterer().Cluster(text);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->vectors, "text");
  EXPECT_EQ(r->model_id, "");
  EXPECT_EQ(r->note, "");
  EXPECT_DOUBLE_EQ(r->min_similarity, 0.2);
  EXPECT_EQ(Holding(*r, xs1_.id), Holding(*r, xs2_.id));

  EngineOptions none;
  none.no_embedder_reason = "embedder disabled (ENGRAM_EMBEDDER=none)";
  Open(false, none);
  auto without = engine_->clusterer().Cluster(ClusterRequest{});
  ASSERT_TRUE(without.ok()) << without.status().ToString();
  EXPECT_EQ(without->vectors, "text");
  EXPECT_EQ(without->note,
            "embedder disabled (ENGRAM_EMBEDDER=none): clustered by TF-IDF text vectors");
}

TEST_F(ClustersTest, ThresholdAndLimits) {
  AddThemes();
  ClusterRequest one;
  one.min_similarity = -1;
  auto all = engine_->clusterer().Cluster(one);
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->clusters.size(), 1u);
  ClusterRequest small;
  small.max_lessons = 2;
  auto truncated = engine_->clusterer().Cluster(small);
  ASSERT_TRUE(truncated.ok());
  EXPECT_TRUE(truncated->truncated);
  EXPECT_EQ(truncated->lessons, 2);
  ClusterRequest bad;
  bad.max_lessons = 0;
  EXPECT_TRUE(engine_->clusterer().Cluster(bad).status().IsInvalidArgument());
  bad = ClusterRequest{};
  bad.label_terms = 11;
  EXPECT_TRUE(engine_->clusterer().Cluster(bad).status().IsInvalidArgument());
}

TEST_F(ClustersTest, EmptyStoreHasNoClusters) {
  auto r = engine_->clusterer().Cluster(ClusterRequest{});
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->clusters.empty());
  EXPECT_EQ(r->lessons, 0);
}

}  // namespace
}  // namespace engram
