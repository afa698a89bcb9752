// EngramError: every failure the client reports, server-side or local.

/** Error codes the engram server returns in `{"ok": false, "error": {"code"}}`. */
export const SERVER_ERROR_CODES = [
  "invalid_argument",
  "not_found",
  "already_exists",
  "failed_precondition",
  "corruption",
  "io_error",
  "busy",
  "unavailable",
  "internal",
  "parse_error",
  "invalid_request",
  "unknown_action",
  "payload_too_large",
] as const;
export type ServerErrorCode = (typeof SERVER_ERROR_CODES)[number];

/**
 * Error codes raised by the client itself:
 * - `timeout`: no response within the request's timeout (the request may
 *   still complete on the server; its late response is ignored).
 * - `process_exited`: the engram process exited or was killed while the
 *   request was pending; `exitCode`, `signal` and `stderrTail` tell why.
 * - `spawn_failed`: the engram binary could not be started.
 * - `closed`: the client was closed before (or while) the request was sent.
 * - `protocol_error`: the server wrote something that is not a response.
 */
export const CLIENT_ERROR_CODES = [
  "timeout",
  "process_exited",
  "spawn_failed",
  "closed",
  "protocol_error",
] as const;
export type ClientErrorCode = (typeof CLIENT_ERROR_CODES)[number];

export type EngramErrorCode = ServerErrorCode | ClientErrorCode;

export interface EngramErrorDetails {
  /** The action of the failed request, when there was one. */
  action?: string;
  /** Exit code of the engram process (`process_exited`). */
  exitCode?: number | null;
  /** Signal that ended the engram process (`process_exited`). */
  signal?: NodeJS.Signals | null;
  /** Last lines the engram process wrote to stderr (`process_exited`, `spawn_failed`). */
  stderrTail?: string;
  cause?: unknown;
}

export function isServerErrorCode(code: string): code is ServerErrorCode {
  return (SERVER_ERROR_CODES as readonly string[]).includes(code);
}

export class EngramError extends Error {
  /** Machine-readable code; server codes are passed through unchanged. */
  readonly code: EngramErrorCode | (string & {});
  /** The action of the failed request, when there was one. */
  readonly action: string | undefined;
  readonly exitCode: number | null | undefined;
  readonly signal: NodeJS.Signals | null | undefined;
  readonly stderrTail: string | undefined;

  constructor(code: EngramErrorCode | (string & {}), message: string, details: EngramErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = "EngramError";
    this.code = code;
    this.action = details.action;
    this.exitCode = details.exitCode;
    this.signal = details.signal;
    this.stderrTail = details.stderrTail;
  }

  /** True when the server rejected the request (as opposed to a local failure). */
  get fromServer(): boolean {
    return isServerErrorCode(this.code);
  }
}

/** Narrows an unknown rejection to an EngramError with the given code. */
export function isEngramError(err: unknown, code?: EngramErrorCode): err is EngramError {
  return err instanceof EngramError && (code === undefined || err.code === code);
}
