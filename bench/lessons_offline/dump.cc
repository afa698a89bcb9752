// Embeds texts with the native USE Lite embedder for bench/lessons_offline:
// one JSON string per line on stdin, one vector (JSON array) per line out.
#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>
#include "engram/embedder.h"
#include "engram/json.h"
using namespace engram;
int main() {
  // reads texts one JSON string per line on stdin, writes one vector per line
  auto e = OpenUseLiteEmbedder({});
  if (!e.ok()) {
    std::cerr << e.status().ToString() << "\n";
    return 1;
  }
  std::vector<std::string> texts;
  std::string line;
  while (std::getline(std::cin, line)) {
    auto j = Json::parse(line);
    texts.push_back(j.get<std::string>());
  }
  for (size_t i = 0; i < texts.size(); i += 64) {
    std::vector<std::string> b(texts.begin() + i, texts.begin() + std::min(texts.size(), i + 64));
    auto v = (*e)->EmbedBatch(b);
    if (!v.ok()) {
      std::cerr << v.status().ToString() << "\n";
      return 1;
    }
    for (auto& x : *v) {
      std::string s = "[";
      for (size_t k = 0; k < x.size(); ++k) {
        if (k) s += ",";
        char buf[32];
        snprintf(buf, 32, "%.5f", x[k]);
        s += buf;
      }
      s += "]\n";
      fputs(s.c_str(), stdout);
    }
  }
}
