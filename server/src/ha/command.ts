/**
 * The one way a WebSocket command goes to Home Assistant: over the link main.ts keeps, with a time limit, so
 * no caller hangs on a half-open socket, and with home-assistant-js-websocket's failures turned into the two
 * kinds of errors.ts.
 */
import { ERR_CONNECTION_LOST, type Connection, type MessageBase } from 'home-assistant-js-websocket';
import type { Send } from './commands.js';
import { HaAwayError, HaRefusedError } from './errors.js';

export const COMMAND_TIMEOUT_MS = 10_000;

/** What home-assistant-js-websocket rejects with, as an error of errors.ts. */
export function commandFailure(type: string, reason: unknown): Error {
  // A command sent while the socket is down throws the bare code; one in flight when it drops gets a result.
  const lost =
    reason === ERR_CONNECTION_LOST ||
    (reason as { error?: { code?: unknown } } | null)?.error?.code === ERR_CONNECTION_LOST;
  if (lost) return new HaAwayError();
  if (reason instanceof Error) return reason;
  const { code, message } = (reason ?? {}) as { code?: unknown; message?: unknown };
  const why = typeof message === 'string' && message ? message : String(code ?? 'unknown_error');
  return new HaRefusedError(`Home Assistant refused ${type}: ${why}`, {
    command: type,
    code: String(code ?? 'unknown_error'),
    ...(typeof message === 'string' && { reason: message }),
  });
}

/** Sends one message on a connection and resolves with HA's `result`, within the time limit. */
export async function command<T>(
  conn: Connection | undefined,
  message: MessageBase,
  timeoutMs = COMMAND_TIMEOUT_MS
): Promise<T> {
  if (!conn?.connected) throw new HaAwayError();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new HaAwayError(`Home Assistant did not answer within ${timeoutMs / 1000} s`)),
      timeoutMs
    );
  });
  try {
    return await Promise.race([
      conn.sendMessagePromise<T>({ ...message }).catch((reason: unknown) => {
        throw commandFailure(message.type, reason);
      }),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * A `Send` over the link: `link` returns the connection, or undefined before the first connect (then
 * Home Assistant is away).
 */
export function linkSend(link: () => Connection | undefined, timeoutMs = COMMAND_TIMEOUT_MS): Send {
  return <T>(message: MessageBase, limitMs = timeoutMs) => command<T>(link(), message, limitMs);
}
