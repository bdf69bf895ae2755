/**
 * One MCP request as the MCP layer reports it (`RequestLogEntry`), and as the panel reads it back
 * (`LoggedRequest`). Every field but time, outcome and latency may be unknown: a request can fail before
 * the caller is known (a bad token) or before a JSON-RPC method was read (a malformed body).
 */

/**
 * How a request ended: a result, a tool's `isError`, a JSON-RPC error, an HTTP-level refusal, a missing or
 * refused token. The MCP layer decides it; rows keep it and the panel shows it, so the words never change.
 */
export const OUTCOMES = ['ok', 'tool_error', 'rpc_error', 'http_error', 'auth_failed'] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** Outcomes the panel counts as errors. */
export const ERROR_OUTCOMES: readonly Outcome[] = OUTCOMES.filter((o) => o !== 'ok');

/** How a call that waited for a person's approval ended (approvals/engine.ts). */
export const APPROVAL_OUTCOMES = ['allowed', 'denied', 'timed_out', 'cancelled', 'refused'] as const;
export type ApprovalEnding = (typeof APPROVAL_OUTCOMES)[number];

/** The credential the caller presented: an HA long-lived token, a grant of ours, or an HA-issued OAuth token. */
export const AUTH_KINDS = ['long_lived_token', 'oauth_grant', 'ha_oauth_token'] as const;
export type AuthKind = (typeof AUTH_KINDS)[number];

export interface RequestLogEntry {
  /** When the request arrived, in milliseconds since the epoch. */
  time: number;
  /** The client's address as the listener saw it. */
  address?: string | null;
  userId?: string | null;
  userName?: string | null;
  auth?: AuthKind | null;
  /** From `initialize` or the per-request client info (see ClientMemory for requests that carry neither). */
  clientName?: string | null;
  clientVersion?: string | null;
  userAgent?: string | null;
  protocolVersion?: string | null;
  /** The JSON-RPC method (`tools/call`, `initialize`, ...), if one was read. */
  method?: string | null;
  /** The tool, prompt or resource (its URI) the request names. */
  target?: string | null;
  /**
   * The arguments as received. Hand them over as they are: the writer, off the request path, replaces the
   * values of secret-looking keys and cuts the text to a bound. Never the bearer token.
   */
  arguments?: unknown;
  outcome: Outcome;
  httpStatus?: number | null;
  /** The JSON-RPC error code, for `rpc_error`. */
  errorCode?: number | null;
  /** What went wrong, for the owner; for `auth_failed`, the reason (never the token). */
  error?: string | null;
  /** From arrival to the last byte of the response, fractional. */
  latencyMs: number;
  responseBytes?: number | null;
  /** For a call that waited for a person: how it ended, where it was decided, by whom, after how long. */
  approval?: ApprovalEnding | null;
  approvalChannel?: string | null;
  approvalBy?: string | null;
  approvalMs?: number | null;
}

/** A row of the request log as written: every field present, unknown ones null, arguments as redacted JSON. */
export interface LoggedRequest {
  id: number;
  time: number;
  address: string | null;
  userId: string | null;
  userName: string | null;
  auth: AuthKind | null;
  clientName: string | null;
  clientVersion: string | null;
  userAgent: string | null;
  protocolVersion: string | null;
  method: string | null;
  target: string | null;
  /** JSON text, secrets redacted, at most MAX_ARGUMENTS_CHARS characters (cut text ends with `…`). */
  arguments: string | null;
  outcome: Outcome;
  httpStatus: number | null;
  errorCode: number | null;
  error: string | null;
  latencyMs: number;
  responseBytes: number | null;
  approval: ApprovalEnding | null;
  approvalChannel: string | null;
  approvalBy: string | null;
  approvalMs: number | null;
}

/** What the MCP layer calls once per request. Fire and forget: it never throws and never waits for the disk. */
export interface RequestLog {
  record(entry: RequestLogEntry): void;
}
