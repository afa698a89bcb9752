// EngramProcess: runs `engram serve --ndjson` as a child process and speaks
// its protocol, one JSON object per line each way:
//   -> {"id": 7, "action": "get_lesson", "payload": {...}}
//   <- {"id": 7, "ok": true, "result": {...}}
//   <- {"id": 7, "ok": false, "error": {"code": "not_found", "message": "..."}}
//
// Requests are pipelined and correlated by id. The server answers in order,
// so the few errors it cannot tie to an id (a line too large to parse,
// reported with id null) belong to the oldest request still unanswered.
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";

import { EngramApi, type RequestOptions } from "./api.js";
import { EngramError } from "./errors.js";
import { LineSplitter, TailBuffer } from "./lines.js";
import type { HealthStatus } from "./types.js";

export interface AutoRestartOptions {
  /** Restarts allowed in a row without a successful response in between (default 5). */
  maxRestarts?: number;
  /** Wait before respawning after an unexpected exit, in ms (default 100). */
  delayMs?: number;
}

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** True when the exit was requested by close(). */
  expected: boolean;
  stderrTail: string;
}

export interface EngramProcessOptions {
  /** Path of the engram binary (default: $ENGRAM_BINARY, else `engram` on PATH). */
  binary?: string;
  /** Database file, passed as `--db`. Without it engram uses $ENGRAM_DB or its default. */
  db?: string;
  /** Environment variables added to (and overriding) process.env for the child. */
  env?: NodeJS.ProcessEnv;
  /** Extra arguments after `serve --ndjson`, e.g. ["--max-message-bytes", "1048576"]. */
  args?: string[];
  /** Default per-request timeout in ms (default 30000; 0 = none). */
  timeoutMs?: number;
  /** Respawn the process when it exits unexpectedly (default off). */
  autoRestart?: boolean | AutoRestartOptions;
  /** close(): how long to wait for a clean exit before SIGTERM, then SIGKILL (default 5000). */
  closeGraceMs?: number;
  /** Bytes of stderr kept for error messages (default 8192). */
  stderrTailBytes?: number;
  /** Called with each chunk the child writes to stderr (logs). */
  onStderr?: (text: string) => void;
  /** Called whenever the child exits. */
  onExit?: (info: ExitInfo) => void;
  /** Called after an automatic restart spawned a new child, with the number of restarts so far. */
  onRestart?: (restarts: number) => void;
}

interface Pending {
  action: string;
  resolve: (value: unknown) => void;
  reject: (err: EngramError) => void;
  timer: NodeJS.Timeout | undefined;
}

interface Child {
  proc: ChildProcessWithoutNullStreams;
  stderr: TailBuffer;
  exited: Promise<ExitInfo>;
}

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_GRACE_MS = 5_000;

export class EngramProcess extends EngramApi {
  private readonly options: EngramProcessOptions;
  private child: Child | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  // Ids sent and not yet answered, oldest first (timed-out ones included,
  // since the server still answers them in order).
  private unanswered: number[] = [];
  private closing: Promise<void> | undefined;
  private consecutiveRestarts = 0; // reset by any successful response
  private totalRestarts = 0;
  private restartTimer: NodeJS.Timeout | undefined;
  // After an unexpected exit with no restart to come: what requests get.
  private dead: ((action: string) => EngramError) | undefined;

  constructor(options: EngramProcessOptions = {}) {
    super();
    this.options = options;
  }

  /** The command line the child runs with. */
  get command(): { binary: string; args: string[] } {
    const o = this.options;
    const binary = o.binary ?? process.env["ENGRAM_BINARY"] ?? "engram";
    const db = o.db === undefined ? [] : ["--db", o.db];
    return { binary, args: [...db, "serve", "--ndjson", ...(o.args ?? [])] };
  }

  /** Pid of the running child, if any. */
  get pid(): number | undefined {
    return this.child?.proc.pid;
  }

  /** Automatic restarts so far. */
  get restarts(): number {
    return this.totalRestarts;
  }

  /** True while a child is running and close() has not been called. */
  get running(): boolean {
    return this.child !== undefined && this.closing === undefined;
  }

  /** Spawns the child (if not running) and checks it answers; resolves with its health. */
  async start(): Promise<HealthStatus> {
    return this.healthCheck();
  }

  request<T>(action: string, payload: object = {}, options: RequestOptions = {}): Promise<T> {
    if (this.closing !== undefined) {
      return Promise.reject(new EngramError("closed", `engram client is closed; cannot send ${action}`, { action }));
    }
    let child: Child;
    try {
      child = this.ensureChild(action);
    } catch (err) {
      return Promise.reject(err);
    }
    const id = this.nextId++;
    const line = JSON.stringify({ id, action, payload }) + "\n";
    return new Promise<T>((resolve, reject) => {
      const timeoutMs = options.timeoutMs ?? this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
      const entry: Pending = { action, resolve: resolve as (v: unknown) => void, reject, timer: undefined };
      if (timeoutMs > 0) {
        entry.timer = setTimeout(() => {
          this.pending.delete(id);
          reject(new EngramError("timeout", `engram did not answer ${action} within ${timeoutMs} ms`, { action }));
        }, timeoutMs);
      }
      this.pending.set(id, entry);
      this.unanswered.push(id);
      child.proc.stdin.write(line);
    });
  }

  /**
   * Graceful shutdown: ends the child's stdin so engram finishes the requests
   * it has (they still resolve) and exits; sends SIGTERM after `closeGraceMs`
   * and SIGKILL after another `closeGraceMs`. Idempotent. Requests made after
   * close() reject with `closed`.
   */
  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    clearTimeout(this.restartTimer);
    this.restartTimer = undefined;
    const child = this.child;
    if (child === undefined) return;
    const grace = this.options.closeGraceMs ?? DEFAULT_GRACE_MS;
    child.proc.stdin.end();
    if (await exitsWithin(child.exited, grace)) return;
    child.proc.kill("SIGTERM");
    if (await exitsWithin(child.exited, grace)) return;
    child.proc.kill("SIGKILL");
    await child.exited;
  }

  private ensureChild(action: string): Child {
    if (this.child !== undefined) return this.child;
    if (this.restartTimer !== undefined) return this.restart();
    if (this.dead !== undefined) throw this.dead(action);
    this.child = this.spawnChild();
    return this.child;
  }

  private restart(): Child {
    clearTimeout(this.restartTimer);
    this.restartTimer = undefined;
    this.consecutiveRestarts++;
    this.totalRestarts++;
    const child = this.spawnChild();
    this.child = child;
    this.options.onRestart?.(this.totalRestarts);
    return child;
  }

  private spawnChild(): Child {
    const { binary, args } = this.command;
    const proc = spawn(binary, args, {
      env: { ...process.env, ...this.options.env },
      stdio: ["pipe", "pipe", "pipe"],
      windowsHide: true,
    });
    const stderr = new TailBuffer(this.options.stderrTailBytes ?? 8192);
    const splitter = new LineSplitter((line) => this.onLine(line));
    proc.stdout.setEncoding("utf8");
    proc.stdout.on("data", (chunk: string) => splitter.push(chunk));
    proc.stderr.setEncoding("utf8");
    proc.stderr.on("data", (chunk: string) => {
      stderr.push(chunk);
      this.options.onStderr?.(chunk);
    });
    // Writes to a dead child fail with EPIPE; the exit handler reports it.
    proc.stdin.on("error", () => {});
    let spawnError: Error | undefined;
    const exited = new Promise<ExitInfo>((resolve) => {
      let gone: ExitInfo | undefined;
      const finish = (code: number | null, signal: NodeJS.Signals | null): void => {
        gone ??= this.onGone(proc, code, signal, stderr, spawnError);
        resolve(gone);
      };
      proc.on("error", (err) => {
        spawnError ??= err;
        // A child that never started may emit no "close".
        if (proc.pid === undefined) finish(null, null);
      });
      // "close" comes after stdout ended, so every response has been read.
      proc.on("close", finish);
    });
    return { proc, stderr, exited };
  }

  private onLine(line: string): void {
    if (line.trim() === "") return;
    let msg: unknown;
    try {
      msg = JSON.parse(line);
    } catch {
      this.failOldest(new EngramError("protocol_error", `engram wrote a line that is not JSON: ${line.slice(0, 200)}`));
      return;
    }
    if (!isObject(msg)) {
      this.failOldest(new EngramError("protocol_error", `engram wrote a non-object line: ${line.slice(0, 200)}`));
      return;
    }
    const id = typeof msg["id"] === "number" ? msg["id"] : this.unanswered[0];
    this.unanswered = this.unanswered.filter((x) => x !== id);
    if (id === undefined) return;
    const entry = this.pending.get(id);
    if (entry === undefined) return; // timed out earlier: the late answer is dropped
    this.pending.delete(id);
    clearTimeout(entry.timer);
    if (msg["ok"] === true) {
      this.consecutiveRestarts = 0;
      entry.resolve(msg["result"]);
      return;
    }
    const error = isObject(msg["error"]) ? msg["error"] : {};
    const code = typeof error["code"] === "string" ? error["code"] : "internal";
    const message = typeof error["message"] === "string" ? error["message"] : "engram returned an error";
    entry.reject(new EngramError(code, `${entry.action}: ${message}`, { action: entry.action }));
  }

  private failOldest(err: EngramError): void {
    const id = this.unanswered.shift();
    const entry = id === undefined ? undefined : this.pending.get(id);
    if (id === undefined || entry === undefined) return;
    this.pending.delete(id);
    clearTimeout(entry.timer);
    entry.reject(new EngramError(err.code, `${entry.action}: ${err.message}`, { action: entry.action }));
  }

  private onGone(
    proc: ChildProcessWithoutNullStreams,
    code: number | null,
    signal: NodeJS.Signals | null,
    stderr: TailBuffer,
    spawnError: Error | undefined,
  ): ExitInfo {
    const expected = this.closing !== undefined;
    const info: ExitInfo = { code, signal, expected, stderrTail: stderr.text() };
    if (this.child?.proc === proc) this.child = undefined;
    const error = this.exitError(info, spawnError);
    this.rejectAllPending(error);
    if (!expected && !this.scheduleRestart(spawnError !== undefined)) this.dead = error;
    this.options.onExit?.(info);
    return info;
  }

  private exitError(info: ExitInfo, spawnError: Error | undefined): (action: string) => EngramError {
    const { binary } = this.command;
    const tail = info.stderrTail.trim();
    const stderrPart = tail === "" ? "" : `; stderr: ${tail}`;
    if (spawnError !== undefined) {
      return (action) =>
        new EngramError("spawn_failed", `${action}: could not start ${binary}: ${spawnError.message}${stderrPart}`, {
          action,
          stderrTail: info.stderrTail,
          cause: spawnError,
        });
    }
    const how = info.signal !== null ? `was killed by signal ${info.signal}` : `exited with code ${info.code}`;
    return (action) =>
      new EngramError("process_exited", `${action}: engram process ${how} before answering${stderrPart}`, {
        action,
        exitCode: info.code,
        signal: info.signal,
        stderrTail: info.stderrTail,
      });
  }

  private rejectAllPending(make: (action: string) => EngramError): void {
    const entries = [...this.pending.values()];
    this.pending.clear();
    this.unanswered = [];
    for (const entry of entries) {
      clearTimeout(entry.timer);
      entry.reject(make(entry.action));
    }
  }

  /** Arms a restart if the options allow one; false when the process stays down. */
  private scheduleRestart(spawnFailed: boolean): boolean {
    const opt = this.options.autoRestart;
    if (opt === undefined || opt === false || spawnFailed) return false;
    const { maxRestarts = 5, delayMs = 100 } = opt === true ? {} : opt;
    if (this.consecutiveRestarts >= maxRestarts) return false;
    // A request arriving before the timer fires restarts at once (ensureChild).
    this.restartTimer = setTimeout(() => this.restart(), delayMs);
    return true;
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

async function exitsWithin(exited: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([exited.then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
