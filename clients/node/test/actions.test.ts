// TYPED_ACTIONS against the server's operation list: every operation the
// server offers has a typed method, and every typed method sends its own
// operation.
import assert from "node:assert/strict";
import { test } from "node:test";

import { EngramApi, TYPED_ACTIONS, type RequestOptions } from "../src/index.js";
import { startEngram } from "./helpers.js";

test("every operation the server describes has a typed method, and only those", async (t) => {
  const { engram } = await startEngram(t);
  const served = (await engram.describe()).map((a) => a.name).sort();
  const typed = Object.keys(TYPED_ACTIONS).sort();
  const untyped = served.filter((name) => !(name in TYPED_ACTIONS));
  const gone = typed.filter((name) => !served.includes(name));
  assert.deepEqual(untyped, [], "operations without a typed method in src/actions.ts and src/api.ts");
  assert.deepEqual(gone, [], "typed methods for operations the server does not offer");
});

/** A transport that answers nothing and remembers what was sent. */
class Recorder extends EngramApi {
  sent: { action: string; payload: object | undefined }[] = [];
  override request<T>(action: string, payload?: object, _options?: RequestOptions): Promise<T> {
    this.sent.push({ action, payload });
    return Promise.resolve({} as T);
  }
}

test("each typed method sends the operation TYPED_ACTIONS names", async () => {
  const api = new Recorder();
  for (const [action, method] of Object.entries(TYPED_ACTIONS)) {
    const fn = (api as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>)[method];
    assert.equal(typeof fn, "function", `${method} is a method`);
    // The recorder ignores the payload, so any arguments do.
    await fn!.call(api, "x", "y");
    assert.equal(api.sent.at(-1)?.action, action, `${method} sends ${action}`);
  }
  assert.equal(api.sent.length, Object.keys(TYPED_ACTIONS).length);
});
