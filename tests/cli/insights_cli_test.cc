// `engram clusters`, `engram audit`, `engram profiles`, `engram lesson
// promote` and `--profile` on `engram search` end to end.
#include <gtest/gtest.h>

#include <string>

#include "cli_fixture.h"

namespace engram::testing {
namespace {

class InsightsCliTest : public CliTest {
 protected:
  std::string Add(std::vector<std::string> args) {
    args.insert(args.begin(), {"lesson", "add"});
    Json j = EngramJson(args);
    return j.value("id", "");
  }
};

TEST_F(InsightsCliTest, ClustersAuditAndPromote) {
  const std::string a = Add({"--topic", "xstate", "--title", "XState actors", "--content",
                             "Split a large XState machine into actors."});
  Add({"--topic", "xstate", "--title", "XState context", "--content",
       "Keep XState machine context small."});
  const std::string p =
      Add({"--topic", "postgres", "--title", "Postgres index", "--content",
           "Index slow Postgres queries.", "--project", "shop", "--confidence", "0.1"});

  Json clusters = EngramJson({"clusters", "--text"});
  EXPECT_EQ(clusters["vectors"], "text");
  ASSERT_EQ(clusters["clusters"].size(), 2u) << clusters.dump();
  EXPECT_EQ(clusters["clusters"][0]["size"], 2);
  EXPECT_EQ(clusters["clusters"][1]["flags"], Json::array({"single_low_confidence"}));
  RunResult human = Engram({"clusters", "--text"});
  ASSERT_EQ(human.exit_code, kExitOk) << human.err;
  EXPECT_NE(human.out.find("2 clusters of 3 lessons"), std::string::npos) << human.out;
  EXPECT_NE(human.out.find("!single_low_confidence"), std::string::npos);

  Json audit = EngramJson({"audit"});
  EXPECT_EQ(audit["counts"]["global"], 2);
  EXPECT_EQ(audit["counts"]["per_project"]["shop"], 1);
  EXPECT_EQ(audit["low_confidence"][0]["id"], p);
  RunResult audit_human = Engram({"audit"});
  ASSERT_EQ(audit_human.exit_code, kExitOk);
  EXPECT_NE(audit_human.out.find("3 lessons (2 global, 1 in shop)"), std::string::npos)
      << audit_human.out;
  EXPECT_NE(audit_human.out.find("open contradictions (0)"), std::string::npos);
  EXPECT_EQ(Engram({"audit", "--top", "0"}).exit_code, kExitInvalidArgument);

  Json promoted = EngramJson({"lesson", "promote", p, "--reason", "all shops"});
  EXPECT_EQ(promoted["scope"], "global");
  Json history = EngramJson({"lesson", "history", p});
  ASSERT_EQ(history.size(), 1u);
  EXPECT_EQ(history[0]["reason"], "promote from project 'shop': all shops");
  EXPECT_EQ(Engram({"lesson", "promote", a}).exit_code, kExitConflict);  // already global
  EXPECT_EQ(Engram({"lesson", "promote", "nope"}).exit_code, kExitNotFound);
}

// Issue 21 §3: the human audit is a text report, section by section, with
// the contradicting and duplicate pairs by title; --json keeps the JSON.
TEST_F(InsightsCliTest, AuditHumanReportIsTextWithEverySectionAndItsFindings) {
  env_.emplace_back("ENGRAM_EMBEDDER", "none");  // duplicates by token overlap
  const std::string keep = Add({"--topic", "react", "--title", "Always return effect cleanups",
                                "--content", "Always return a cleanup function from useEffect"});
  const std::string lose =
      Add({"--type", "anti_pattern", "--topic", "react", "--title", "Never return effect cleanups",
           "--content", "Never return a cleanup function from useEffect"});
  const std::string dup_a = Add({"--topic", "git", "--title", "Test before committing", "--content",
                                 "Run the whole test suite before every commit."});
  const std::string dup_b =
      Add({"--topic", "git", "--title", "Test before a commit", "--content",
           "Run the whole test suite before every commit.", "--on-duplicate", "allow"});

  Json json = EngramJson({"audit"});
  ASSERT_EQ(json["open_contradictions"]["items"].size(), 1u) << json.dump();
  ASSERT_EQ(json["duplicate_candidates"]["items"].size(), 1u) << json.dump();

  RunResult human = Engram({"audit"});
  ASSERT_EQ(human.exit_code, kExitOk) << human.err;
  EXPECT_FALSE(Json::accept(human.out));
  EXPECT_EQ(human.out.find('{'), std::string::npos) << human.out;  // no JSON anywhere
  for (const char* section :
       {"4 lessons (4 global), 0 deprecated\n", "\nmost used (0)\n", "\nlow confidence (0)\n",
        "\nstale (0)\n", "\nthin or weak topics (0)\n", "\nopen contradictions (1)\n",
        "\nduplicate candidates (1)\n"}) {
    EXPECT_NE(human.out.find(section), std::string::npos) << section << "\n" << human.out;
  }
  EXPECT_NE(human.out.find("   - Always return effect cleanups <> Never return effect cleanups\n"
                           "     opposite stance"),
            std::string::npos)
      << human.out;
  EXPECT_NE(human.out.find("     lessons " + keep + ", " + lose + "\n"), std::string::npos)
      << human.out;
  EXPECT_NE(human.out.find("   - Test before committing <> Test before a commit\n"
                           "     similarity "),
            std::string::npos)
      << human.out;
  EXPECT_NE(human.out.find("     lessons " + dup_a + ", " + dup_b + "\n"), std::string::npos)
      << human.out;
}

// Issue 21 §3: `clusters --text` needs no embedder and does not claim there
// is none; with ENGRAM_EMBEDDER=none, clusters are by text and say why.
TEST_F(InsightsCliTest, ClustersByTextSayWhyOnlyWhenThereIsNoEmbedder) {
  Add({"--topic", "xstate", "--title", "XState actors", "--content",
       "Split a large XState machine into actors."});
  Add({"--topic", "xstate", "--title", "XState context", "--content",
       "Keep XState machine context small."});

  Json text = EngramJson({"clusters", "--text"});  // the default embedder configured
  EXPECT_EQ(text["vectors"], "text");
  EXPECT_FALSE(text.contains("note")) << text.dump();
  RunResult human = Engram({"clusters", "--text"});
  ASSERT_EQ(human.exit_code, kExitOk) << human.err;
  EXPECT_EQ(human.out.find("embedder"), std::string::npos) << human.out;
  EXPECT_EQ(human.out.rfind("1 clusters of 2 lessons", 0), 0u) << human.out;

  env_.emplace_back("ENGRAM_EMBEDDER", "none");
  Json none = EngramJson({"clusters"});
  EXPECT_EQ(none["vectors"], "text");
  EXPECT_EQ(none["note"],
            "embedder disabled (ENGRAM_EMBEDDER=none): clustered by TF-IDF text vectors");
  RunResult none_human = Engram({"clusters"});
  ASSERT_EQ(none_human.exit_code, kExitOk) << none_human.err;
  EXPECT_EQ(none_human.out.rfind("(embedder disabled (ENGRAM_EMBEDDER=none): clustered by "
                                 "TF-IDF text vectors)\n1 clusters of 2 lessons",
                                 0),
            0u)
      << none_human.out;
  EXPECT_FALSE(EngramJson({"clusters", "--text"}).contains("note"));

  env_.back().second = "hashing";
  Json hashing = EngramJson({"clusters"});
  EXPECT_EQ(hashing["vectors"], "embedding");
  EXPECT_EQ(hashing["model_id"].get<std::string>().rfind("hashing", 0), 0u) << hashing.dump();
}

TEST_F(InsightsCliTest, SearchWithProfile) {
  Add({"--topic", "deploy", "--title", "Deploy checklist", "--content", "Run the checklist.",
       "--type", "gotcha"});
  Json r = EngramJson({"search", "--bm25", "deploy checklist", "--profile", "enterprise"});
  EXPECT_EQ(r["profile"]["name"], "enterprise");
  ASSERT_EQ(r["results"].size(), 1u);
  EXPECT_EQ(r["results"][0]["explanation"]["type_weight"], 1.5);
  RunResult explain = Engram({"search", "--bm25", "deploy", "--profile", "strict", "--explain"});
  ASSERT_EQ(explain.exit_code, kExitOk) << explain.err;
  EXPECT_NE(explain.out.find("profile: strict"), std::string::npos) << explain.out;
  RunResult unknown = Engram({"search", "--bm25", "deploy", "--profile", "yolo"});
  EXPECT_EQ(unknown.exit_code, kExitNotFound);
  EXPECT_NE(unknown.err.find("available: default, pragmatic, strict, startup, enterprise"),
            std::string::npos)
      << unknown.err;
  Json profiles = EngramJson({"profiles"});
  EXPECT_EQ(profiles["profiles"].size(), 5u);
  Json ctx =
      EngramJson({"context", "--bm25", "deploy", "--profile", "startup", "--min-relevance", "0"});
  ASSERT_EQ(ctx["lessons"].size(), 1u);
  EXPECT_EQ(ctx["lessons"][0]["explanation"]["profile"], "startup");
}

}  // namespace
}  // namespace engram::testing
