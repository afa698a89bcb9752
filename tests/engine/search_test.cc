// Lesson search and retrieve_context through the Engine: filters (project
// isolation), explanations, decay, MMR, token budget, index rebuild.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "../index/index_file_util.h"
#include "engine/search_state.h"
#include "engram/embedder.h"
#include "engram/engine.h"
#include "engram/vector_index.h"
#include "learning_engine_fixture.h"
#include "retrieval/ranking.h"

namespace engram {
namespace {

namespace fs = std::filesystem;

// The learning fixture at this file's clock, with lessons on one topic.
class SearchTest : public testing::LearningEngineTest {
 protected:
  void SetUp() override {
    clock_.now = 1'700'000'000'000;
    LearningEngineTest::SetUp();
  }
  Lesson Add(const std::string& title, const std::string& content,
             LessonType type = LessonType::kBestPractice, const std::string& project = "",
             double confidence = 0.5) {
    return LearningEngineTest::Add(title, content, "testing", type, confidence, project);
  }
  std::vector<std::string> Ids(const SearchResponse& r) {
    std::vector<std::string> ids;
    for (const auto& x : r.results) ids.push_back(x.lesson.id);
    return ids;
  }
};

TEST_F(SearchTest, Bm25OnlySaysSoInEveryExplanation) {
  Open(false);
  Lesson a = Add("Mock the clock in timer tests", "Use fake timers for setTimeout.");
  Add("Database migrations", "Never edit an applied migration.");
  SearchRequest q;
  q.min_relevance = 0.0;  // every result: not a relevance test
  q.query = "fake timers setTimeout";
  auto r = engine_->SearchLessons(q);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->mode, "bm25");
  ASSERT_EQ(Ids(*r), std::vector<std::string>{a.id});
  const ScoreExplanation& e = r->results[0].explanation;
  EXPECT_EQ(e.mode, "bm25");
  EXPECT_NE(e.note.find("BM25 only"), std::string::npos);
  EXPECT_GT(e.bm25, 0);
  EXPECT_DOUBLE_EQ(e.semantic, 0);
  EXPECT_NEAR(e.score,
              e.relevance * e.confidence_factor * e.decay * e.type_weight * (1 + 0.1 * e.recency),
              1e-9);
}

TEST_F(SearchTest, ProjectLessonsNeverLeak) {
  Open(true);
  Lesson g = Add("Retry flaky network calls", "Use backoff on retries.");
  Lesson p1 = Add("Retry payments idempotently", "Retries need idempotency keys.",
                  LessonType::kGotcha, "shop");
  Lesson p2 = Add("Retry uploads in chunks", "Retry each chunk.", LessonType::kGotcha, "media");
  SearchRequest q;
  q.min_relevance = 0.0;  // every result: not a relevance test
  q.query = "retry";
  q.project = "shop";
  auto r = engine_->SearchLessons(q);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  auto ids = Ids(*r);
  EXPECT_EQ(r->mode, "hybrid");
  EXPECT_NE(std::find(ids.begin(), ids.end(), g.id), ids.end());
  EXPECT_NE(std::find(ids.begin(), ids.end(), p1.id), ids.end());
  EXPECT_EQ(std::find(ids.begin(), ids.end(), p2.id), ids.end());
  q.project.reset();  // no project: global only
  ids = Ids(*engine_->SearchLessons(q));
  EXPECT_EQ(ids, std::vector<std::string>{g.id});
  q.project = "shop";
  q.type = LessonType::kGotcha;
  EXPECT_EQ(Ids(*engine_->SearchLessons(q)), std::vector<std::string>{p1.id});
}

TEST_F(SearchTest, FiltersConfidenceAndDeprecated) {
  Open(false);
  Lesson lo = Add("Cache invalidation low", "cache keys", LessonType::kHeuristic, "", 0.2);
  Lesson hi = Add("Cache invalidation high", "cache keys", LessonType::kHeuristic, "", 0.9);
  SearchRequest q;
  q.min_relevance = 0.0;  // every result: not a relevance test
  q.query = "cache";
  q.min_confidence = 0.5;
  EXPECT_EQ(Ids(*engine_->SearchLessons(q)), std::vector<std::string>{hi.id});
  ASSERT_TRUE(engine_->DeprecateLesson(hi.id, "outdated").ok());
  EXPECT_TRUE(engine_->SearchLessons(q)->results.empty());
  q.include_deprecated = true;
  EXPECT_EQ(Ids(*engine_->SearchLessons(q)), std::vector<std::string>{hi.id});
  (void)lo;
}

TEST_F(SearchTest, DecayAppliesPerMonthSinceLastUse) {
  Open(false);
  Lesson a = Add("Pin dependency versions", "lockfiles");
  clock_.now += 6LL * 30 * 24 * 3600 * 1000;  // six months later
  SearchRequest q;
  q.min_relevance = 0.0;  // every result: not a relevance test
  q.query = "lockfiles";
  auto r = engine_->SearchLessons(q);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->results.size(), 1u);
  EXPECT_NEAR(r->results[0].explanation.months_unused, 6.0, 1e-9);
  EXPECT_NEAR(r->results[0].explanation.decay, std::pow(0.98, 6), 1e-9);
  ASSERT_TRUE(engine_->store().TouchLesson(a.id, clock_.now).ok());
  EXPECT_NEAR(engine_->SearchLessons(q)->results[0].explanation.decay, 1.0, 1e-9);
}

TEST_F(SearchTest, TokenBudgetPacksBestResults) {
  Open(false);
  Add("Short lesson about tokens", "tokens");
  Add("Long lesson about tokens", std::string(400, 'x') + " tokens");
  SearchRequest q;
  q.min_relevance = 0.0;  // every result: not a relevance test
  q.query = "tokens";
  q.token_budget = 30;
  auto r = engine_->SearchLessons(q);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->results.size(), 1u);
  EXPECT_LE(r->tokens, 30);
  EXPECT_EQ(r->results[0].lesson.title, "Short lesson about tokens");
}

TEST(Ranking, MmrPrefersDiversity) {
  // 0 and 1 are near-duplicates; 2 is a little less relevant but different.
  std::vector<double> scores = {1.0, 0.98, 0.9};
  auto sim = [](std::size_t a, std::size_t b) { return (a + b == 1) ? 1.0 : 0.0; };
  auto picked = retrieval::Mmr(scores, 3, 0.7, sim);
  ASSERT_EQ(picked.size(), 3u);
  EXPECT_EQ(picked[0].first, 0u);
  EXPECT_EQ(picked[1].first, 2u);
  EXPECT_EQ(picked[2].first, 1u);
  EXPECT_NEAR(picked[2].second, 0.3, 1e-12);
  EXPECT_EQ(retrieval::PackBudget({10, 50, 5}, 20), (std::vector<std::size_t>{0, 2}));
}

TEST_F(SearchTest, IndexRebuiltWhenStaleOrCorrupt) {
  Open(true);
  Add("Use structured logging", "json logs");
  SearchRequest q;
  q.min_relevance = 0.0;  // every result: not a relevance test
  q.query = "logging";
  ASSERT_TRUE(engine_->SearchLessons(q).ok());
  ASSERT_TRUE(engine_->FlushLessonIndex().ok());  // saved in the background
  const std::string index = db() + ".lessons.hnsw";
  ASSERT_TRUE(fs::exists(index));
  // Stale: a lesson added by another engine (no shared in-memory state).
  Open(true);
  Lesson b = Add("Log levels", "logging levels matter");
  auto r = engine_->SearchLessons(q);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->results.size(), 2u);
  // Corrupt: garbage in the file.
  engine_.reset();
  { std::ofstream(index, std::ios::binary | std::ios::trunc) << "not an index"; }
  Open(true);
  r = engine_->SearchLessons(q);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->results.size(), 2u);
  ASSERT_TRUE(engine_->FlushLessonIndex().ok());  // saved in the background
  EXPECT_GT(fs::file_size(index), 100u);          // rewritten
  auto n = engine_->ReindexLessons({});
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(*n, 2);
  (void)b;
}

// Lessons of every type, confidence and age, some used since, for comparing
// the two ways of ranking (engine/search_rank.h).
void AddVariedLessons(testing::LearnClock& clock, Engine& engine) {
  constexpr Timestamp kDay = 24LL * 3600 * 1000;
  std::vector<std::string> used;
  const char* texts[][2] = {
      {"Retry flaky network calls", "Use exponential backoff when a network call fails."},
      {"Retry network calls with jitter", "Backoff with jitter keeps retries from piling up."},
      {"Network retries need idempotency", "Retry only idempotent network calls."},
      {"Cache network responses", "Cache responses so retries are cheap."},
      {"Time out network calls", "Every network call needs a timeout before a retry."},
      {"Log failed network calls", "Log each retry of a failed call with its attempt."},
      {"Circuit breakers stop retry storms", "Open the breaker when retries keep failing."},
      {"Retry network calls", "Use exponential backoff when a network call fails, always."},
  };
  for (int i = 0; i < 8; ++i) {
    clock.now += (i % 3) * 40 * kDay;
    NewLesson l;
    l.type = static_cast<LessonType>(i % 5);
    l.topic = "net";
    l.title = texts[i][0];
    l.content = texts[i][1];
    l.confidence = 0.3 + 0.08 * i;
    l.on_duplicate = DuplicatePolicy::kAllow;
    auto added = engine.AddLesson(l);
    ASSERT_TRUE(added.ok()) << added.status().ToString();
    if (i % 3 == 1) used.push_back(added->id);
  }
  clock.now += 20 * kDay;
  for (const std::string& id : used) ASSERT_TRUE(engine.store().TouchLesson(id, clock.now).ok());
}

TEST_F(SearchTest, RankingFromTheIndexEqualsRankingFromTheStore) {
  Open(true);
  AddVariedLessons(clock_, *engine_);
  EngineOptions o;
  o.clock = &clock_;
  o.embedder = std::shared_ptr<const Embedder>(OpenHashingEmbedder().value());
  o.rank_from_index = false;
  auto from_store = Engine::OpenSqlite(db(), o);
  ASSERT_TRUE(from_store.ok()) << from_store.status().ToString();
  for (const char* query : {"retry network calls", "backoff jitter", "breaker", "cache"}) {
    for (bool diversify : {true, false}) {
      SearchRequest q;
      q.min_relevance = 0.0;  // every result: not a relevance test
      q.query = query;
      q.limit = 4;
      q.diversify = diversify;
      // Twice: the first search may correct index metadata made stale by
      // the touches (store writes the index could not follow).
      ASSERT_TRUE(engine_->SearchLessons(q).ok());
      auto a = engine_->SearchLessons(q);
      auto b = (*from_store)->SearchLessons(q);
      ASSERT_TRUE(a.ok() && b.ok());
      EXPECT_TRUE(a->ranked_from_index) << query;
      EXPECT_FALSE(b->ranked_from_index) << query;
      ASSERT_FALSE(a->results.empty()) << query;
      EXPECT_EQ(Ids(*a), Ids(*b)) << query << " diversify " << diversify;
      EXPECT_EQ(a->candidates, b->candidates) << query;
      for (std::size_t i = 0; i < std::min(a->results.size(), b->results.size()); ++i) {
        const ScoreExplanation& x = a->results[i].explanation;
        const ScoreExplanation& y = b->results[i].explanation;
        EXPECT_DOUBLE_EQ(x.score, y.score) << query << " #" << i;
        EXPECT_DOUBLE_EQ(x.decay, y.decay) << query << " #" << i;
        EXPECT_DOUBLE_EQ(x.recency, y.recency) << query << " #" << i;
        EXPECT_NEAR(x.mmr_penalty, y.mmr_penalty, 1e-12) << query << " #" << i;
        EXPECT_EQ(a->results[i].tokens, b->results[i].tokens);
      }
    }
  }
  // A topic request needs the stored lesson (ItemMeta has no topic): the
  // store way answers, with the same results.
  SearchRequest topic;
  topic.min_relevance = 0.0;  // every result: not a relevance test
  topic.query = "retry network calls";
  topic.topic = "net";
  auto a = engine_->SearchLessons(topic);
  auto b = (*from_store)->SearchLessons(topic);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_FALSE(a->ranked_from_index);
  EXPECT_FALSE(a->results.empty());
  EXPECT_EQ(Ids(*a), Ids(*b));
  // MMR spreads the results: the near-copy of the best match is penalised.
  SearchRequest q;
  q.min_relevance = 0.0;  // every result: not a relevance test
  q.query = "retry network calls exponential backoff";
  auto r = engine_->SearchLessons(q);
  ASSERT_TRUE(r.ok());
  double max_penalty = 0;
  for (const LessonResult& x : r->results)
    max_penalty = std::max(max_penalty, x.explanation.mmr_penalty);
  EXPECT_GT(max_penalty, 0.05);
}

TEST_F(SearchTest, IndexMetadataMadeStaleByAStoreWriteIsCaughtAndCorrected) {
  Open(true);
  Lesson a = Add("Pin dependency versions", "lockfiles keep builds reproducible");
  SearchRequest q;
  q.min_relevance = 0.0;  // every result: not a relevance test
  q.query = "lockfiles";
  auto r = engine_->SearchLessons(q);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->ranked_from_index);
  clock_.now += 6LL * 30 * kDayMs;
  r = engine_->SearchLessons(q);
  ASSERT_EQ(r->results.size(), 1u);
  EXPECT_NEAR(r->results[0].explanation.decay, std::pow(0.98, 6), 1e-9);
  // A use noted straight in the store: no new version, so the index
  // fingerprint does not move and its metadata is stale.
  ASSERT_TRUE(engine_->store().TouchLesson(a.id, clock_.now).ok());
  r = engine_->SearchLessons(q);
  ASSERT_EQ(r->results.size(), 1u);
  EXPECT_FALSE(r->ranked_from_index);  // the result's check failed: ranked from the store
  EXPECT_NEAR(r->results[0].explanation.decay, 1.0, 1e-9);
  r = engine_->SearchLessons(q);  // corrected on the way
  ASSERT_EQ(r->results.size(), 1u);
  EXPECT_TRUE(r->ranked_from_index);
  EXPECT_NEAR(r->results[0].explanation.decay, 1.0, 1e-9);
}

// The index file at `path`, as the hashing embedder's engine saved it.
Result<std::unique_ptr<HnswIndex>> LoadHashingIndex(const std::string& path) {
  const std::unique_ptr<Embedder> hashing = OpenHashingEmbedder().value();
  HnswOptions ho;
  ho.model_id = hashing->model_id();
  ho.dimension = static_cast<std::size_t>(hashing->dimension());
  return HnswIndex::Load(path, ho);
}

TEST_F(SearchTest, AVersion1IndexFileIsUpgradedWithoutARebuild) {
  Open(true);
  Lesson a = Add("Pin dependency versions", "lockfiles keep builds reproducible");
  Add("Vendor nothing", "lockfiles instead of vendored copies");
  SearchRequest q;
  q.min_relevance = 0.0;  // every result: not a relevance test
  q.query = "lockfiles";
  ASSERT_TRUE(engine_->SearchLessons(q).ok());
  engine_.reset();
  const std::string index = db() + ".lessons.hnsw";
  std::string bytes;
  {
    std::ifstream in(index, std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), {});
  }
  const std::string v1 = testing_index_file::AsVersion1(testing_index_file::AsVersion2(bytes));
  ASSERT_FALSE(v1.empty());
  { std::ofstream(index, std::ios::binary | std::ios::trunc) << v1; }
  clock_.now += 3LL * 30 * kDayMs;
  Open(true);
  auto r = engine_->SearchLessons(q);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  const LessonIndexStatus st = engine_->lesson_index_status();
  EXPECT_EQ(st.rebuilds, 0);
  EXPECT_EQ(st.last_rebuild_reason, "");
  EXPECT_TRUE(r->ranked_from_index);
  ASSERT_EQ(r->results.size(), 2u);
  for (const LessonResult& x : r->results) {
    EXPECT_NEAR(x.explanation.months_unused, 3.0, 1e-9);  // times from the store, not 0
  }
  ASSERT_TRUE(engine_->FlushLessonIndex().ok());  // converted in the background
  auto saved = LoadHashingIndex(index);
  ASSERT_TRUE(saved.ok()) << saved.status().ToString();
  EXPECT_EQ((*saved)->loaded_format_version(), HnswIndex::kFormatVersion);
  EXPECT_EQ((*saved)->GetMeta(a.id).value().updated_at, a.updated_at);
}

TEST_F(SearchTest, AVersion2IndexFileIsConvertedAndSavedWithoutARebuild) {
  // Without use recording: a use written at shutdown is newer than the
  // saved file, and the first search would rank from the store to correct
  // it (docs/RETRIEVAL.md, "Ranking from the index").
  EngineOptions no_uses;
  no_uses.lesson_uses.record = false;
  Open(true, no_uses);
  Add("Pin dependency versions", "lockfiles keep builds reproducible");
  Add("Vendor nothing", "lockfiles instead of vendored copies");
  SearchRequest q;
  q.min_relevance = 0.0;  // every result: not a relevance test
  q.query = "lockfiles";
  const auto before = engine_->SearchLessons(q);
  ASSERT_TRUE(before.ok());
  engine_.reset();
  const std::string index = db() + ".lessons.hnsw";
  std::string bytes;
  {
    std::ifstream in(index, std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), {});
  }
  const std::string v2 = testing_index_file::AsVersion2(bytes);
  ASSERT_FALSE(v2.empty());
  { std::ofstream(index, std::ios::binary | std::ios::trunc) << v2; }
  Open(true, no_uses);
  const auto after = engine_->SearchLessons(q);
  ASSERT_TRUE(after.ok()) << after.status().ToString();
  EXPECT_EQ(engine_->lesson_index_status().rebuilds, 0);
  EXPECT_TRUE(after->ranked_from_index);
  ASSERT_EQ(after->results.size(), before->results.size());
  for (std::size_t i = 0; i < after->results.size(); ++i) {
    EXPECT_EQ(after->results[i].lesson.id, before->results[i].lesson.id);
  }
  ASSERT_TRUE(engine_->FlushLessonIndex().ok());  // converted in the background
  auto saved = LoadHashingIndex(index);
  ASSERT_TRUE(saved.ok()) << saved.status().ToString();
  EXPECT_EQ((*saved)->loaded_format_version(), HnswIndex::kFormatVersion) << "saved again";
}

TEST_F(SearchTest, RetrieveContextPicksMatchingEpisodes) {
  Open(false);
  auto run = [&](const std::string& desc, const std::string& lang, bool success) {
    StartEpisodeRequest s;
    s.description = desc;
    s.context.language = lang;
    auto e = engine_->StartEpisode(s);
    EXPECT_TRUE(e.ok());
    Outcome o;
    if (success) {
      o = SuccessOutcome{};
    } else {
      FailureOutcome f;
      f.reason = "gave up";
      o = f;
    }
    auto done = engine_->CompleteEpisode(e->id, o);
    EXPECT_TRUE(done.ok()) << done.status().ToString();
    return e->id;
  };
  std::string py = run("Fix pagination bug in REST API", "python", true);
  std::string ts = run("Fix pagination bug in GraphQL resolver", "typescript", true);
  run("Write release notes", "markdown", true);
  Add("Pagination", "Use cursor pagination, not offsets.");
  ContextRequest c;
  c.min_relevance = 0.0;  // every result: not a relevance test
  c.description = "pagination bug";
  c.context.language = "python";
  auto r = engine_->RetrieveContext(c);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->episodes.size(), 2u);
  EXPECT_EQ(r->episodes[0].id, py);  // language overlap wins the tie
  EXPECT_EQ(r->episodes[0].matched_context, std::vector<std::string>{"language"});
  EXPECT_EQ(r->episodes[1].id, ts);
  ASSERT_EQ(r->lessons.size(), 1u);
}

TEST(NativeEmbedder, HybridSearchFindsParaphrase) {
  auto e = OpenUseLiteEmbedder();
  if (!e.ok()) GTEST_SKIP() << "USE Lite model not installed: " << e.status().ToString();
  fs::path dir = fs::temp_directory_path() / ("engram-native-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  EngineOptions o;
  o.embedder = std::shared_ptr<const Embedder>(std::move(*e));
  auto engine = Engine::OpenSqlite((dir / "t.db").string(), o);
  ASSERT_TRUE(engine.ok());
  NewLesson l;
  l.topic = "pets";
  l.title = "Feed the puppy twice a day";
  l.content = "Young dogs need small regular meals.";
  ASSERT_TRUE((*engine)->AddLesson(l).ok());
  l.topic = "build";
  l.title = "Compile release builds with optimisation flags";
  l.content = "Use -O2 for shipped binaries.";
  ASSERT_TRUE((*engine)->AddLesson(l).ok());
  SearchRequest q;
  q.min_relevance = 0.0;                       // every result: not a relevance test
  q.query = "how often should my canine eat";  // no shared term with either lesson
  auto r = (*engine)->SearchLessons(q);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_FALSE(r->results.empty());
  EXPECT_EQ(r->mode, "hybrid");
  EXPECT_EQ(r->results[0].lesson.title, "Feed the puppy twice a day");
  EXPECT_DOUBLE_EQ(r->results[0].explanation.bm25, 0);
  EXPECT_GT(r->results[0].explanation.cosine, 0.3);
  fs::remove_all(dir);
}

TEST(EngineEfSearchTest, GrowsWithTheIndexAtTheDocumentedSizes) {
  // ef 64 up to 200k vectors, 128 up to 2M, 256 beyond (bench/README.md:
  // ef 64 holds 0.93 of the exact top 10 at 1M, ef 128 0.96).
  EXPECT_EQ(EngineEfSearch(0), 64u);
  EXPECT_EQ(EngineEfSearch(200'000), 64u);
  EXPECT_EQ(EngineEfSearch(200'001), 128u);
  EXPECT_EQ(EngineEfSearch(2'000'000), 128u);
  EXPECT_EQ(EngineEfSearch(2'000'001), 256u);
  EXPECT_EQ(EngineEfSearch(50'000'000), 256u);
}

}  // namespace
}  // namespace engram
