// The HTTP embedder against a loopback mock server, and provider selection.
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <cstdlib>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "engram/embedder.h"
#include "engram/json.h"
#include "mock_http_server.h"

namespace engram {
namespace {

using embed_test::Hang;
using embed_test::MockHttpServer;
using embed_test::MockRequest;
using embed_test::MockResponse;
using embed_test::Reply;

constexpr int kDim = 3;

// The mock model: text -> (length, 1, number of 'a's), unnormalised.
std::vector<float> FakeVector(const std::string& text) {
  return {static_cast<float>(text.size()), 1.0f,
          static_cast<float>(std::count(text.begin(), text.end(), 'a'))};
}

std::vector<float> Normalised(std::vector<float> v) {
  double sum = 0;
  for (float x : v) sum += static_cast<double>(x) * x;
  for (float& x : v) x = static_cast<float>(x / std::sqrt(sum));
  return v;
}

// An OpenAI-style answer for `req`, listing the items in reverse order so the
// client has to sort by index.
MockResponse Embeddings(const MockRequest& req) {
  const Json in = Json::parse(req.body);
  Json data = Json::array();
  const auto& input = in["input"];
  for (std::size_t i = input.size(); i-- > 0;) {
    data.push_back({{"object", "embedding"},
                    {"index", i},
                    {"embedding", FakeVector(input[i].get<std::string>())}});
  }
  return Reply(200, Json{{"object", "list"}, {"data", data}}.dump());
}

HttpEmbedderOptions Options(const MockHttpServer& server) {
  HttpEmbedderOptions o;
  o.base_url = server.base_url();
  o.model = "test-model";
  o.api_key_env = "ENGRAM_TEST_EMBED_KEY";
  o.dimension = kDim;
  o.timeout_ms = 5000;
  o.initial_backoff_ms = 1;
  o.max_backoff_ms = 20;
  return o;
}

std::unique_ptr<Embedder> MustOpen(const HttpEmbedderOptions& o) {
  auto e = OpenHttpEmbedder(o);
  EXPECT_TRUE(e.ok()) << e.status().ToString();
  return e.ok() ? std::move(e).value() : nullptr;
}

class HttpEmbedderTest : public ::testing::Test {
 protected:
  void SetUp() override { ::unsetenv("ENGRAM_TEST_EMBED_KEY"); }
  void TearDown() override { ::unsetenv("ENGRAM_TEST_EMBED_KEY"); }
};

TEST_F(HttpEmbedderTest, BatchesInputsAndOrdersByIndex) {
  MockHttpServer server([](const MockRequest& r, int) { return Embeddings(r); });
  HttpEmbedderOptions o = Options(server);
  o.batch_size = 2;
  auto e = MustOpen(o);
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->model_id(), "http:test-model");
  EXPECT_EQ(e->dimension(), kDim);
  const std::vector<std::string> texts = {"a", "bb", "aaa cc", "dddd", "banana"};
  auto out = e->EmbedBatch(texts);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  ASSERT_EQ(out->size(), texts.size());
  for (std::size_t i = 0; i < texts.size(); ++i) {
    const auto want = Normalised(FakeVector(texts[i]));
    for (int d = 0; d < kDim; ++d) EXPECT_NEAR((*out)[i][d], want[d], 1e-6) << texts[i];
  }
  const auto reqs = server.requests();
  ASSERT_EQ(reqs.size(), 3u);
  for (const auto& r : reqs) {
    EXPECT_EQ(r.method, "POST");
    EXPECT_EQ(r.path, "/v1/embeddings");
    EXPECT_EQ(r.headers.count("authorization"), 0u) << "no key variable set: no header";
    EXPECT_EQ(Json::parse(r.body)["model"], "test-model");
  }
  EXPECT_EQ(Json::parse(reqs[0].body)["input"], Json::array({"a", "bb"}));
  EXPECT_EQ(Json::parse(reqs[2].body)["input"], Json::array({"banana"}));
  // An empty batch sends nothing.
  ASSERT_TRUE(e->EmbedBatch({}).ok());
  EXPECT_EQ(server.requests().size(), 3u);
}

TEST_F(HttpEmbedderTest, DiscoversDimensionWithOneProbe) {
  MockHttpServer server([](const MockRequest& r, int) { return Embeddings(r); });
  HttpEmbedderOptions o = Options(server);
  o.dimension = 0;
  auto e = MustOpen(o);
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->dimension(), kDim);
  EXPECT_EQ(server.requests().size(), 1u);
}

TEST_F(HttpEmbedderTest, SendsKeyFromNamedVariableButNeverReportsIt) {
  ::setenv("ENGRAM_TEST_EMBED_KEY", "sk-secret-123", 1);
  // The server rejects and echoes the header back, as some servers do.
  MockHttpServer server([](const MockRequest& r, int) {
    return Reply(401, "bad key: " + r.headers.at("authorization"));
  });
  auto e = MustOpen(Options(server));
  ASSERT_NE(e, nullptr);
  auto out = e->Embed("hello");
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), ErrorCode::kUnavailable);
  EXPECT_NE(out.status().message().find("HTTP 401"), std::string::npos) << out.status().message();
  EXPECT_EQ(out.status().message().find("sk-secret-123"), std::string::npos);
  EXPECT_NE(out.status().message().find("[redacted]"), std::string::npos);
  const auto reqs = server.requests();
  ASSERT_EQ(reqs.size(), 1u) << "401 is not retried";
  EXPECT_EQ(reqs[0].headers.at("authorization"), "Bearer sk-secret-123");
}

TEST_F(HttpEmbedderTest, RequiredKeyMissingIsUnavailable) {
  MockHttpServer server([](const MockRequest& r, int) { return Embeddings(r); });
  HttpEmbedderOptions o = Options(server);
  o.require_api_key = true;
  auto e = OpenHttpEmbedder(o);
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.status().code(), ErrorCode::kUnavailable);
  EXPECT_NE(e.status().message().find("ENGRAM_TEST_EMBED_KEY"), std::string::npos);
}

TEST_F(HttpEmbedderTest, RetriesAfter429And500ThenSucceeds) {
  MockHttpServer server([](const MockRequest& r, int n) {
    if (n == 0) return Reply(429, "slow down", {{"Retry-After", "0"}});
    if (n == 1) return Reply(500, "oops");
    return Embeddings(r);
  });
  auto e = MustOpen(Options(server));
  ASSERT_NE(e, nullptr);
  auto out = e->Embed("abc");
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(server.requests().size(), 3u);
}

TEST_F(HttpEmbedderTest, HonoursRetryAfterSeconds) {
  MockHttpServer server([](const MockRequest& r, int n) {
    if (n == 0) return Reply(429, "", {{"Retry-After", "1"}});
    return Embeddings(r);
  });
  HttpEmbedderOptions o = Options(server);
  o.max_backoff_ms = 5000;
  auto e = MustOpen(o);
  ASSERT_NE(e, nullptr);
  const auto start = std::chrono::steady_clock::now();
  ASSERT_TRUE(e->Embed("abc").ok());
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(950));
}

TEST_F(HttpEmbedderTest, GivesUpAfterMaxRetries) {
  MockHttpServer server([](const MockRequest&, int) { return Reply(503, "overloaded"); });
  HttpEmbedderOptions o = Options(server);
  o.max_retries = 2;
  auto e = MustOpen(o);
  ASSERT_NE(e, nullptr);
  auto out = e->Embed("abc");
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), ErrorCode::kUnavailable);
  const std::string m = out.status().message();
  EXPECT_NE(m.find("HTTP 503"), std::string::npos) << m;
  EXPECT_NE(m.find("overloaded"), std::string::npos) << m;
  EXPECT_NE(m.find("gave up after 3 attempts"), std::string::npos) << m;
  EXPECT_EQ(server.requests().size(), 3u);
}

TEST_F(HttpEmbedderTest, ConnectionRefusedIsRetriedThenUnavailable) {
  HttpEmbedderOptions o;
  o.base_url = "http://127.0.0.1:" + std::to_string(embed_test::UnusedLoopbackPort()) + "/v1";
  o.model = "m";
  o.max_retries = 1;
  o.initial_backoff_ms = 1;
  auto e = OpenHttpEmbedder(o);  // dimension 0: the probe fails
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.status().code(), ErrorCode::kUnavailable);
  const std::string m = e.status().message();
  EXPECT_NE(m.find("connection failed"), std::string::npos) << m;
  EXPECT_NE(m.find("gave up after 2 attempts"), std::string::npos) << m;
  EXPECT_NE(m.find("cannot discover the dimension"), std::string::npos) << m;
}

TEST_F(HttpEmbedderTest, TimesOutOnAServerThatNeverAnswers) {
  MockHttpServer server([](const MockRequest&, int) { return Hang(); });
  HttpEmbedderOptions o = Options(server);
  o.timeout_ms = 300;
  auto e = MustOpen(o);
  ASSERT_NE(e, nullptr);
  const auto start = std::chrono::steady_clock::now();
  auto out = e->Embed("abc");
  const auto elapsed = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(out.ok());
  EXPECT_NE(out.status().message().find("timed out after 300 ms"), std::string::npos)
      << out.status().message();
  EXPECT_LT(elapsed, std::chrono::seconds(3));
  EXPECT_EQ(server.requests().size(), 1u) << "a timeout is not retried";
}

// A server answering every request with `body`; the error message of one call.
std::string ErrorFor(const std::string& body, std::vector<std::string> texts = {"a", "b"}) {
  MockHttpServer server([body](const MockRequest&, int) { return Reply(200, body); });
  HttpEmbedderOptions o = Options(server);
  auto e = OpenHttpEmbedder(o);
  if (!e.ok()) return "open failed: " + e.status().ToString();
  auto out = (*e)->EmbedBatch(texts);
  if (out.ok()) return "no error";
  EXPECT_EQ(out.status().code(), ErrorCode::kUnavailable);
  return out.status().message();
}

TEST_F(HttpEmbedderTest, RejectsMalformedResponses) {
  EXPECT_NE(ErrorFor("{not json").find("not JSON"), std::string::npos);
  EXPECT_NE(ErrorFor(R"({"object":"list"})").find("no \"data\" array"), std::string::npos);
  const std::string one = R"({"data":[{"index":0,"embedding":[1,2,3]}]})";
  EXPECT_NE(ErrorFor(one).find("1 embeddings for 2 inputs"), std::string::npos) << ErrorFor(one);
  const std::string wrong_dim =
      R"({"data":[{"index":0,"embedding":[1,2,3]},{"index":1,"embedding":[1,2]}]})";
  EXPECT_NE(ErrorFor(wrong_dim).find("data[1].embedding has 2 values, expected 3"),
            std::string::npos)
      << ErrorFor(wrong_dim);
  const std::string dup =
      R"({"data":[{"index":1,"embedding":[1,2,3]},{"index":1,"embedding":[1,2,3]}]})";
  EXPECT_NE(ErrorFor(dup).find("index 1 appears twice"), std::string::npos) << ErrorFor(dup);
  const std::string not_number =
      R"({"data":[{"index":0,"embedding":[1,"x",3]},{"index":1,"embedding":[1,2,3]}]})";
  EXPECT_NE(ErrorFor(not_number).find("not a finite number"), std::string::npos);
}

TEST_F(HttpEmbedderTest, ConcurrentCallsAreSafe) {
  MockHttpServer server([](const MockRequest& r, int) { return Embeddings(r); }, 64);
  auto e = MustOpen(Options(server));
  ASSERT_NE(e, nullptr);
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      auto v = e->Embed("thread " + std::to_string(t));
      if (v.ok() && (*v) == Normalised(FakeVector("thread " + std::to_string(t)))) ++ok;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 4);
}

TEST_F(HttpEmbedderTest, RejectsBadOptions) {
  HttpEmbedderOptions o;
  o.model = "";
  auto no_model = OpenHttpEmbedder(o);
  EXPECT_EQ(no_model.status().code(), ErrorCode::kUnavailable);
  EXPECT_NE(no_model.status().message().find("ENGRAM_EMBED_MODEL"), std::string::npos);
  o.model = "m";
  o.base_url = "ftp://x";
  EXPECT_TRUE(OpenHttpEmbedder(o).status().IsInvalidArgument());
  o.base_url = "http://127.0.0.1:1/v1";
  o.batch_size = 0;
  EXPECT_TRUE(OpenHttpEmbedder(o).status().IsInvalidArgument());
}

// --- provider selection ---

std::map<std::string, std::string>* fake_env = nullptr;
const char* FakeGetEnv(const char* name) {
  auto it = fake_env->find(name);
  return it == fake_env->end() ? nullptr : it->second.c_str();
}

Result<EmbedderConfig> ConfigFrom(std::map<std::string, std::string> env) {
  fake_env = &env;
  auto config = EmbedderConfigFromEnv(&FakeGetEnv);
  fake_env = nullptr;
  return config;
}

TEST(EmbedderConfig, ReadsEnvironment) {
  auto def = ConfigFrom({});
  ASSERT_TRUE(def.ok());
  EXPECT_EQ(def->kind, EmbedderKind::kNative);
  EXPECT_FALSE(def->kind_explicit);
  EXPECT_EQ(def->http.api_key_env, "OPENAI_API_KEY");
  EXPECT_FALSE(def->http.require_api_key);

  auto http = ConfigFrom({{"ENGRAM_EMBEDDER", "http"},
                          {"ENGRAM_EMBED_URL", "https://api.openai.com/v1"},
                          {"ENGRAM_EMBED_MODEL", "text-embedding-3-small"},
                          {"ENGRAM_EMBED_API_KEY_ENV", "MY_KEY"},
                          {"ENGRAM_EMBED_DIM", "1536"}});
  ASSERT_TRUE(http.ok());
  EXPECT_EQ(http->kind, EmbedderKind::kHttp);
  EXPECT_TRUE(http->kind_explicit);
  EXPECT_EQ(http->http.base_url, "https://api.openai.com/v1");
  EXPECT_EQ(http->http.model, "text-embedding-3-small");
  EXPECT_EQ(http->http.api_key_env, "MY_KEY");
  EXPECT_TRUE(http->http.require_api_key);
  EXPECT_EQ(http->http.dimension, 1536);

  auto none = ConfigFrom({{"ENGRAM_EMBEDDER", "none"}});
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(none->kind, EmbedderKind::kNone);
  EXPECT_EQ(OpenEmbedder(*none).status().code(), ErrorCode::kFailedPrecondition);

  auto bad = ConfigFrom({{"ENGRAM_EMBEDDER", "magic"}});
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("ENGRAM_EMBEDDER"), std::string::npos);
  EXPECT_FALSE(ConfigFrom({{"ENGRAM_EMBED_DIM", "12x"}}).ok());
}

TEST(EmbedderConfig, OpensTheConfiguredEmbedderOrFails) {
  auto hashing = ConfigFrom({{"ENGRAM_EMBEDDER", "hashing"}, {"ENGRAM_EMBED_DIM", "64"}});
  ASSERT_TRUE(hashing.ok());
  auto h = OpenEmbedder(*hashing);
  ASSERT_TRUE(h.ok()) << h.status().ToString();
  EXPECT_EQ((*h)->model_id(), "hashing-v1-64");

  // http without a model: Unavailable naming the variable, no fallback.
  auto http = ConfigFrom({{"ENGRAM_EMBEDDER", "http"}});
  ASSERT_TRUE(http.ok());
  auto e = OpenEmbedder(*http);
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.status().code(), ErrorCode::kUnavailable);
  EXPECT_NE(e.status().message().find("ENGRAM_EMBED_MODEL"), std::string::npos);

  // native with a missing model directory: Unavailable, no fallback.
  EmbedderConfig native;
  native.native.model_dir = "/nonexistent/engram-model";
  auto n = OpenEmbedder(native);
  ASSERT_FALSE(n.ok());
  EXPECT_EQ(n.status().code(), ErrorCode::kUnavailable);
}

}  // namespace
}  // namespace engram
