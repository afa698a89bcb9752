// `engram mcp` driven by real MCP clients: the official TypeScript SDK
// (Client + StdioClientTransport) and the MCP Inspector's CLI.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { join } from "node:path";
import { test, type TestContext } from "node:test";
import { promisify } from "node:util";

import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import type { CallToolResult, Tool } from "@modelcontextprotocol/sdk/types.js";
import { AjvJsonSchemaValidator } from "@modelcontextprotocol/sdk/validation/ajv";
import type { JsonSchemaType } from "@modelcontextprotocol/sdk/validation/types.js";

import { engramBinary, packageDir, tempDb } from "./helpers.js";

async function connectSdk(t: TestContext): Promise<{ client: Client; db: string }> {
  const { db, onCleanup } = await tempDb(t);
  const transport = new StdioClientTransport({
    command: engramBinary(),
    args: ["mcp"],
    // ENGRAM_DB, as an MCP client config would pass it.
    env: { ...stringEnv(), ENGRAM_DB: db },
    stderr: "pipe",
  });
  const client = new Client({ name: "engram-node-tests", version: "1.0.0" });
  onCleanup(() => client.close());
  await client.connect(transport);
  return { client, db };
}

function stringEnv(): Record<string, string> {
  return Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined));
}

/** State the scripted calls share: ids created by earlier calls, by name. */
type Ids = Record<string, string>;
type Structured = Record<string, unknown>;
/** A tool, its arguments (built when called), and what to remember or check of its result. */
type Call = [string, (ids: Ids) => Record<string, unknown>, ((r: Structured, ids: Ids) => void)?];

const keep = (key: string) => (r: Structured, ids: Ids) => {
  ids[key] = String(r["id"]);
};
const first = (r: Structured, list: string): Structured => {
  const items = r[list] as Structured[];
  assert.ok(items.length >= 1, `${list} is not empty`);
  return items[0]!;
};

// One valid call per tool, in an order where each id exists when used.
const SCRIPT: Call[] = [
  ["health_check", () => ({})],
  ["start_episode", () => ({ description: "MCP round trip", task_type: "testing", context: { language: "c++", tags: ["mcp"] } }), keep("episode")],
  ["log_step", (ids) => ({ episode_id: ids["episode"], tool: "bash", action: "ctest", output: "all passed", latency_ms: 42 })],
  [
    "complete_episode",
    (ids) => ({ episode_id: ids["episode"], outcome: { kind: "partial", completed: ["a"], failed: ["b"] } }),
    (r) => assert.deepEqual(r["outcome"], { kind: "partial", completed: ["a"], failed: ["b"] }),
  ],
  ["get_episode", (ids) => ({ episode_id: ids["episode"] })],
  ["list_episodes", () => ({ completed: true, limit: 5 })],
  ["add_lesson", () => ({ topic: "mcp", title: "Validate structured output", content: "Check it against outputSchema.", tags: ["mcp"] }), keep("lesson")],
  ["add_lessons", () => ({ lessons: [{ id: "mcp-batch-1", content: "Batch writes are one transaction.", metadata: { topic: "mcp", origin: "test" } }] })],
  ["get_lesson", (ids) => ({ lesson_id: ids["lesson"] })],
  ["list_lessons", () => ({ topic: "mcp" })],
  ["update_lesson", (ids) => ({ lesson_id: ids["lesson"], confidence: 0.8, reason: "seen twice" })],
  ["lesson_history", (ids) => ({ lesson_id: ids["lesson"] }), (r) => assert.equal(r["count"], 1)],
  ["search_lessons", () => ({ query: "validate structured output" }), (r) => void first(r, "results")],
  ["retrieve_context", () => ({ description: "Write an MCP round-trip test", context: { language: "c++" } })],
  ["query_memory", () => ({ query: "MCP round trip" })],
  ["add_note", () => ({ thread: "mcp", text: "notes are searchable", speaker: "tester" })],
  ["search_notes", () => ({ query: "searchable", thread: "mcp" }), (r) => void first(r, "results")],
  // learning: feedback, patterns, insights, candidates, contradictions
  ["lesson_feedback", (ids) => ({ lesson_id: ids["lesson"], signal: "helped", actor: "agent:mcp" })],
  ["list_lesson_feedback", (ids) => ({ lesson_id: ids["lesson"] }), (r) => assert.equal(r["count"], 1)],
  ["analyze_patterns", () => ({ min_support: 1 }), (r, ids) => keep("pattern")(first(r, "patterns"), ids)],
  ["get_pattern", (ids) => ({ pattern_id: ids["pattern"] })],
  ["pattern_feedback", (ids) => ({ id: ids["pattern"], signal: "helped" })],
  ["add_lesson", () => ({ topic: "mcp", title: "Project rule", content: "Only here.", scope: "project", project: "p1" }), keep("project_lesson")],
  ["promote_lesson", (ids) => ({ lesson_id: ids["project_lesson"], reason: "applies everywhere" }), (r) => assert.equal(r["scope"], "global")],
  [
    "propose_from_transcript",
    () => ({ messages: [{ role: "user", content: "Never validate structured output in MCP tools." }], source: "mcp" }),
    (r, ids) => keep("candidate")(first(r, "candidates"), ids),
  ],
  ["get_candidate", (ids) => ({ candidate_id: ids["candidate"] })],
  ["edit_candidate", (ids) => ({ candidate_id: ids["candidate"], topic: "mcp", type: "anti_pattern" })],
  ["approve_candidate", (ids) => ({ candidate_id: ids["candidate"], note: "ok" })],
  ["propose_from_diff", () => ({ diff: MCP_DIFF, source: "mcp" }), (r, ids) => keep("diff_candidate")(first(r, "candidates"), ids)],
  ["reject_candidate", (ids) => ({ candidate_id: ids["diff_candidate"], note: "no" })],
  ["add_lesson", () => ({ topic: "git", title: "Always squash commits before merging", content: "Squash the branch into one commit." }), keep("squash")],
  ["add_lesson", () => ({ topic: "git", type: "anti_pattern", title: "Never squash commits before merging", content: "Squashing the branch loses history." })],
  [
    "list_contradictions",
    () => ({}),
    (r, ids) => {
      const found = r["contradictions"] as Structured[];
      const squash = found.find((c) => c["lesson_a"] === ids["squash"] || c["lesson_b"] === ids["squash"]);
      const other = found.find((c) => c !== squash);
      assert.ok(squash !== undefined && other !== undefined, JSON.stringify(found));
      ids["squash_contradiction"] = String(squash["id"]);
      ids["other_contradiction"] = String(other["id"]);
    },
  ],
  ["resolve_contradiction", (ids) => ({ contradiction_id: ids["squash_contradiction"], keep: ids["squash"] })],
  ["dismiss_contradiction", (ids) => ({ contradiction_id: ids["other_contradiction"] })],
  ["deprecate_lesson", (ids) => ({ lesson_id: ids["lesson"], reason: "obsolete" })],
  ["kv_put", () => ({ namespace: "mcp", key: "k", value: { n: 1 } })],
  ["kv_get", () => ({ namespace: "mcp", key: "k" })],
  ["kv_list", () => ({ namespace: "mcp" })],
  ["kv_delete", () => ({ namespace: "mcp", key: "k" })],
  ["get_metrics", () => ({})],
  ["verify_store", () => ({})],
  ["delete_lesson", (ids) => ({ lesson_id: ids["lesson"] })],
  ["delete_episode", (ids) => ({ episode_id: ids["episode"] })],
];

const MCP_DIFF = `--- a/src/date.ts
+++ b/src/date.ts
@@ -1,3 +1,3 @@
 import { format } from "./fmt";
-export const year = (d: Date) => moment(d).year();
+export const year = (d: Date) => dayjs(d).year();
 export const fmt = format;
`;

test("MCP SDK client: list tools, call every tool, structuredContent matches outputSchema", async (t) => {
  const { client } = await connectSdk(t);
  assert.equal(client.getServerVersion()?.name, "engram");
  assert.ok(client.getServerCapabilities()?.tools !== undefined);

  const { tools } = await client.listTools();
  const byName = new Map<string, Tool>(tools.map((tool) => [tool.name, tool]));
  const scripted = new Set(SCRIPT.map(([name]) => name));
  // Tools added later without required arguments are called with {}; ones
  // with required arguments need a line in SCRIPT.
  const unscripted = tools.filter((tool) => !scripted.has(tool.name));
  const needArgs = unscripted.filter((tool) => (tool.inputSchema.required ?? []).length > 0).map((tool) => tool.name);
  assert.deepEqual(needArgs, [], "every tool with required arguments has a scripted call");
  const missing = [...scripted].filter((name) => !byName.has(name));
  assert.deepEqual(missing, [], "every scripted tool is listed");

  const ajv = new AjvJsonSchemaValidator();
  const ids: Ids = {};
  const calls = [...SCRIPT, ...unscripted.map((tool): Call => [tool.name, () => ({})])];
  for (const [name, argsFor, then] of calls) {
    const args = argsFor(ids); // built when called, so ids from earlier calls exist
    const tool = byName.get(name);
    assert.ok(tool !== undefined);
    assert.equal(tool.inputSchema.type, "object");
    assert.ok(tool.outputSchema !== undefined, `${name} has an outputSchema`);
    // The SDK itself validates structuredContent against outputSchema here.
    const result = (await client.callTool({ name, arguments: args })) as CallToolResult;
    assert.notEqual(result.isError, true, `${name} failed: ${JSON.stringify(result.content)}`);
    const structured = result.structuredContent;
    assert.ok(structured !== undefined, `${name} returns structuredContent`);
    const check = ajv.getValidator<unknown>(tool.outputSchema as JsonSchemaType)(structured);
    assert.ok(check.valid, `${name}: ${check.errorMessage ?? ""} in ${JSON.stringify(structured)}`);
    // The text content carries the same JSON for clients without structured output.
    const text = result.content.find((c) => c.type === "text");
    assert.ok(text !== undefined && text.type === "text");
    assert.deepEqual(JSON.parse(text.text), structured);
    then?.(structured, ids);
  }
});

test("MCP SDK client: tool errors are isError results; resources are readable", async (t) => {
  const { client } = await connectSdk(t);
  const missing = (await client.callTool({ name: "get_lesson", arguments: { lesson_id: "no-such-lesson" } })) as CallToolResult;
  assert.equal(missing.isError, true);
  const missingText = missing.content[0];
  assert.ok(missingText?.type === "text" && /not.?found/i.test(missingText.text), JSON.stringify(missing.content));

  const invalid = (await client.callTool({ name: "add_lesson", arguments: { topic: "x" } })) as CallToolResult;
  assert.equal(invalid.isError, true);
  const invalidText = invalid.content[0];
  assert.ok(invalidText?.type === "text" && /title|content/.test(invalidText.text), JSON.stringify(invalid.content));

  const added = (await client.callTool({
    name: "add_lesson",
    arguments: { topic: "mcp", title: "Resources", content: "Lessons are resources too." },
  })) as CallToolResult;
  const lessonId = String(added.structuredContent?.["id"]);
  const started = (await client.callTool({ name: "start_episode", arguments: { description: "resource episode" } })) as CallToolResult;
  const episodeId = String(started.structuredContent?.["id"]);

  const { resources } = await client.listResources();
  assert.deepEqual(
    resources.map((r) => r.uri).sort(),
    [`engram://episodes/${episodeId}`, `engram://lessons/${lessonId}`],
  );
  const { resourceTemplates } = await client.listResourceTemplates();
  assert.deepEqual(
    resourceTemplates.map((r) => r.uriTemplate).sort(),
    ["engram://episodes/{id}", "engram://lessons/{id}"],
  );

  const read = await client.readResource({ uri: `engram://lessons/${lessonId}` });
  const content = read.contents[0];
  assert.ok(content !== undefined && "text" in content);
  assert.equal(content.mimeType, "application/json");
  assert.deepEqual(JSON.parse(content.text), added.structuredContent);
  const episode = await client.readResource({ uri: `engram://episodes/${episodeId}` });
  const episodeContent = episode.contents[0];
  assert.ok(episodeContent !== undefined && "text" in episodeContent);
  assert.equal(JSON.parse(episodeContent.text).description, "resource episode");

  await assert.rejects(client.readResource({ uri: "engram://lessons/no-such-lesson" }), /not found/i);
});

const execFileAsync = promisify(execFile);

/** Runs `mcp-inspector --cli -e ENGRAM_DB=DB engram mcp <args>` and parses the JSON it prints. */
async function inspector(db: string, args: string[]): Promise<Record<string, unknown>> {
  const bin = join(packageDir, "node_modules", "@modelcontextprotocol", "inspector", "cli", "build", "cli.js");
  const { stdout } = await execFileAsync(
    process.execPath,
    [bin, "--cli", "-e", `ENGRAM_DB=${db}`, engramBinary(), "mcp", ...args],
    { cwd: packageDir, timeout: 60_000, maxBuffer: 16 * 1024 * 1024 },
  );
  const start = stdout.indexOf("{");
  assert.ok(start >= 0, `inspector printed JSON: ${stdout}`);
  return JSON.parse(stdout.slice(start)) as Record<string, unknown>;
}

test("MCP Inspector CLI: tools/list and tools/call", async (t) => {
  const { db } = await tempDb(t);
  const listed = await inspector(db, ["--method", "tools/list"]);
  const tools = listed["tools"] as Tool[];
  assert.ok(Array.isArray(tools));
  const names = tools.map((tool) => tool.name);
  for (const name of SCRIPT.map(([n]) => n)) assert.ok(names.includes(name), `inspector lists ${name}`);

  const called = await inspector(db, [
    "--method",
    "tools/call",
    "--tool-name",
    "kv_put",
    "--tool-arg",
    "namespace=inspector",
    "key=greeting",
    'value={"hello":"world"}',
    "ttl_seconds=60",
  ]);
  assert.notEqual(called["isError"], true, JSON.stringify(called));
  const structured = called["structuredContent"] as Record<string, unknown>;
  assert.equal(structured["ns"], "inspector");
  assert.equal(structured["key"], "greeting");
  assert.equal(structured["version"], 1);
  assert.equal(typeof structured["expires_at"], "number");
});
