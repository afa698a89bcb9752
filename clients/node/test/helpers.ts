// Shared test fixtures: the engram binary under test and fresh databases.
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { TestContext } from "node:test";

import { EngramProcess, type EngramProcessOptions } from "../src/index.js";

/** clients/node, whether running from test/ or dist/test/. */
const packageDir = (() => {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, "package.json"))) dir = dirname(dir);
  return dir;
})();

/** $ENGRAM_BINARY, else the ASan build, else the release build. */
export function engramBinary(): string {
  const fromEnv = process.env["ENGRAM_BINARY"];
  if (fromEnv !== undefined && fromEnv !== "") return resolve(fromEnv);
  const candidates = ["../../build/asan/engram", "../../build/release/engram"].map((p) => resolve(packageDir, p));
  const found = candidates.find((p) => existsSync(p));
  if (found === undefined) {
    throw new Error(`no engram binary: set ENGRAM_BINARY or build one of ${candidates.join(", ")}`);
  }
  return found;
}

export { packageDir };

/**
 * A fresh temp directory with a db path inside it; `cleanup` (run when the
 * test ends, after closing anything registered with `onCleanup`) removes it.
 */
export async function tempDb(t: TestContext): Promise<{ dir: string; db: string; onCleanup: (fn: () => Promise<unknown>) => void }> {
  const dir = await mkdtemp(join(tmpdir(), "engram-node-"));
  const closers: (() => Promise<unknown>)[] = [];
  t.after(async () => {
    for (const fn of closers.reverse()) await fn();
    await rm(dir, { recursive: true, force: true });
  });
  return { dir, db: join(dir, "engram.db"), onCleanup: (fn) => closers.push(fn) };
}

/** An EngramProcess on a fresh database, closed when the test ends. */
export async function startEngram(
  t: TestContext,
  options: EngramProcessOptions = {},
): Promise<{ engram: EngramProcess; db: string; dir: string }> {
  const { dir, db, onCleanup } = await tempDb(t);
  const engram = new EngramProcess({ binary: engramBinary(), db, timeoutMs: 20_000, ...options });
  onCleanup(() => engram.close());
  await engram.start();
  return { engram, db, dir };
}

/** Resolves when `predicate` holds, polling; rejects after `ms`. */
export async function waitFor(predicate: () => boolean, ms = 5_000, what = "condition"): Promise<void> {
  const deadline = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
