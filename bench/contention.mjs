#!/usr/bin/env node
// Contention bench (issue 20 §5): long-lived NDJSON sessions and one-shot CLI
// clients on one store at once, for a bounded time. Prints p50/p99 per
// operation and client kind, errors, and how many compare-and-swap rounds
// each kind won.
//
//   node bench/contention.mjs --engram build/release/engram [--sessions 6]
//       [--cli 4] [--seconds 60] [--lessons 300] [--dir /tmp/engram-contention] [--json]
//
// Each session is `engram serve --ndjson` (with its start-up warm-up) issuing
// one request at a time: search_lessons 35%, retrieve_context 20%,
// add_lesson 20%, kv CAS 25% (kv_get, then kv_put with expected_version).
// Each CLI client runs `engram lesson add` (50%) or a CAS round of `engram kv
// get` + `engram kv put --expect-version` (50%), one process per command.
// The embedder is whatever `engram` is configured with (ENGRAM_EMBEDDER,
// ENGRAM_MODEL_DIR). Processes, time and the store's size are bounded.
import { spawn, execFile } from 'node:child_process';
import { createInterface } from 'node:readline';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const args = process.argv.slice(2);
const opt = (name, def) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : def;
};
const engram = opt('engram', 'build/release/engram');
const sessions = Number(opt('sessions', 6));
const clis = Number(opt('cli', 4));
const seconds = Number(opt('seconds', 60));
const lessons = Number(opt('lessons', 300));
const dir = opt('dir', '/tmp/engram-contention');
const asJson = args.includes('--json');
if (!(sessions >= 0 && clis >= 0 && sessions + clis <= 16 && seconds > 0 && seconds <= 600)) {
  console.error('contention: --sessions + --cli must be <= 16 and --seconds in (0, 600]');
  process.exit(2);
}

rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });
const db = join(dir, 'c.db');

const WORDS = ('retry backoff timeout cache database index query flaky test mock async await ' +
  'promise deploy rollback config secret token lock mutex thread pool memory leak profile ' +
  'logging metrics trace schema migration import export build compile link docker').split(' ');
let seed = 12345;
const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
const pick = () => WORDS[Math.floor(rand() * WORDS.length)];
const phrase = (n) => Array.from({ length: n }, pick).join(' ');

const samples = new Map(); // "kind op" -> [ms]
const errors = new Map();
const cas = { session: [0, 0], cli: [0, 0] }; // [won, attempts]
const record = (kind, op, ms, ok) => {
  const k = `${kind} ${op}`;
  if (!samples.has(k)) samples.set(k, []);
  samples.get(k).push(ms);
  if (!ok) errors.set(k, (errors.get(k) || 0) + 1);
};

// One NDJSON session: a request at a time.
function openSession() {
  const child = spawn(engram, ['--db', db, 'serve', '--ndjson'], { stdio: ['pipe', 'pipe', 'ignore'] });
  const lines = createInterface({ input: child.stdout });
  const waiting = new Map();
  let next = 1;
  lines.on('line', (line) => {
    const msg = JSON.parse(line);
    const done = waiting.get(msg.id);
    if (done) {
      waiting.delete(msg.id);
      done(msg);
    }
  });
  const call = (action, payload) => new Promise((resolve) => {
    const id = next++;
    waiting.set(id, resolve);
    child.stdin.write(JSON.stringify({ id, action, payload }) + '\n');
  });
  return { child, call };
}

function run(argv) {
  return new Promise((resolve) => {
    execFile(engram, ['--db', db, ...argv], { timeout: 60000 }, (err, stdout) => {
      resolve({ code: err ? (err.code ?? 1) : 0, stdout });
    });
  });
}

async function timed(kind, op, fn) {
  const t0 = performance.now();
  const ok = await fn();
  record(kind, op, performance.now() - t0, ok);
  return ok;
}

async function sessionLoop(s, deadline, n) {
  let i = 0;
  while (performance.now() < deadline) {
    const r = rand();
    if (r < 0.35) {
      await timed('session', 'search_lessons', async () =>
        (await s.call('search_lessons', { query: phrase(3), limit: 5 })).ok);
    } else if (r < 0.55) {
      await timed('session', 'retrieve_context', async () =>
        (await s.call('retrieve_context', { description: phrase(6) })).ok);
    } else if (r < 0.75) {
      await timed('session', 'add_lesson', async () =>
        (await s.call('add_lesson', {
          topic: pick(), title: `s${n}-${i++} ${phrase(4)}`, content: phrase(20),
        })).ok);
    } else {
      cas.session[1]++;
      await timed('session', 'cas', async () => {
        const got = await s.call('kv_get', { namespace: 'bench', key: 'counter' });
        const version = got.ok ? got.result.version : 0;
        const put = await s.call('kv_put', {
          namespace: 'bench', key: 'counter', value: version + 1, expected_version: version,
        });
        if (put.ok) cas.session[0]++;
        return true; // a lost round is not an error
      });
    }
  }
}

async function cliLoop(deadline, n) {
  let i = 0;
  while (performance.now() < deadline) {
    if (rand() < 0.5) {
      await timed('cli', 'lesson add', async () =>
        (await run(['lesson', 'add', '--topic', pick(), '--title', `c${n}-${i++} ${phrase(4)}`,
          '--content', phrase(20)])).code === 0);
    } else {
      cas.cli[1]++;
      await timed('cli', 'cas', async () => {
        const got = await run(['--json', 'kv', 'get', 'bench', 'counter']);
        const version = got.code === 0 ? JSON.parse(got.stdout).version : 0;
        const put = await run(['kv', 'put', 'bench', 'counter', String(version + 1),
          '--expect-version', String(version)]);
        if (put.code === 0) cas.cli[0]++;
        return true;
      });
    }
  }
}

const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor(p * s.length))] : NaN;
};

// Seed: one session adds the lessons the searches find.
const seeder = openSession();
for (let i = 0; i < lessons; ++i) {
  await seeder.call('add_lesson', { topic: pick(), title: `seed ${i} ${phrase(4)}`, content: phrase(24) });
}
seeder.child.stdin.end();
await new Promise((r) => seeder.child.on('exit', r));

const opened = [];
for (let n = 0; n < sessions; ++n) opened.push(openSession());
const t0 = performance.now();
const deadline = t0 + seconds * 1000;
await Promise.all([
  ...opened.map((s, n) => sessionLoop(s, deadline, n)),
  ...Array.from({ length: clis }, (_, n) => cliLoop(deadline, n)),
]);
for (const s of opened) s.child.stdin.end();
await Promise.all(opened.map((s) => new Promise((r) => s.child.on('exit', r))));

const rows = [...samples.entries()].sort().map(([k, xs]) => ({
  what: k, n: xs.length, p50_ms: +pct(xs, 0.5).toFixed(1), p99_ms: +pct(xs, 0.99).toFixed(1),
  errors: errors.get(k) || 0,
}));
const report = {
  sessions, cli: clis, seconds, lessons, rows,
  cas_won: { session: `${cas.session[0]}/${cas.session[1]}`, cli: `${cas.cli[0]}/${cas.cli[1]}` },
};
if (asJson) {
  console.log(JSON.stringify(report));
} else {
  console.log(`${sessions} sessions + ${clis} CLI clients, ${seconds} s, ${lessons} seed lessons`);
  console.log('| what | n | p50 ms | p99 ms | errors |\n|---|---|---|---|---|');
  for (const r of rows) console.log(`| ${r.what} | ${r.n} | ${r.p50_ms} | ${r.p99_ms} | ${r.errors} |`);
  console.log(`CAS rounds won: sessions ${report.cas_won.session}, CLI ${report.cas_won.cli}`);
}
