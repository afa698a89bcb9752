// engram-client: Node client for the engram memory engine.
export { EngramApi, type EngramTransport, type RequestOptions } from "./api.js";
export { TYPED_ACTIONS, type ActionMethod, type ActionName } from "./actions.js";
export {
  EngramError,
  isEngramError,
  isServerErrorCode,
  CLIENT_ERROR_CODES,
  SERVER_ERROR_CODES,
  type ClientErrorCode,
  type EngramErrorCode,
  type EngramErrorDetails,
  type ServerErrorCode,
} from "./errors.js";
export { EngramProcess, type AutoRestartOptions, type EngramProcessOptions, type ExitInfo } from "./process.js";
export * from "./types.js";
