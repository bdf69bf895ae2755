/**
 * WebSocket commands to Home Assistant as the add-on (the link's admin credential), for the few things the
 * panel changes in HA itself (exposure) or asks it directly (users). Failures come back as errors the API
 * maps once: the link being down is HaUnavailableError (503), HA refusing a command is HaCommandError (502).
 */
import { ERR_CONNECTION_LOST, type Connection } from 'home-assistant-js-websocket';
import { HaUnavailableError } from '../ha/errors.js';

export interface HaMessage {
  type: string;
  [key: string]: unknown;
}

/** Sends one command and resolves with HA's `result`. */
export type HaCommand = (message: HaMessage) => Promise<unknown>;

/** HA answered the command with an error (`{ code, message }`). */
export class HaCommandError extends Error {
  override name = 'HaCommandError';
  constructor(
    readonly command: string,
    readonly code: string,
    message: string
  ) {
    super(`Home Assistant refused ${command}: ${message || code}`);
  }
}

const DEFAULT_TIMEOUT_MS = 10_000;

/** What home-assistant-js-websocket rejects with, turned into one of the errors above. */
export function commandFailure(type: string, reason: unknown): Error {
  // A command sent while the socket is down throws the bare code; one in flight when it drops gets a result.
  const lost =
    reason === ERR_CONNECTION_LOST ||
    (reason as { error?: { code?: unknown } } | null)?.error?.code === ERR_CONNECTION_LOST;
  if (lost) return new HaUnavailableError();
  if (reason instanceof Error) return reason;
  const { code, message } = (reason ?? {}) as { code?: unknown; message?: unknown };
  return new HaCommandError(
    type,
    String(code ?? 'unknown_error'),
    typeof message === 'string' ? message : ''
  );
}

/**
 * `haCommand` over the link main.ts keeps. `link` returns the connection, or undefined before the first
 * connect; a command waits at most `timeoutMs` for HA, so a request never hangs on a half-open socket.
 */
export function linkCommand(link: () => Connection | undefined, timeoutMs = DEFAULT_TIMEOUT_MS): HaCommand {
  return async function haCommand(message) {
    const conn = link();
    if (!conn?.connected) throw new HaUnavailableError();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new HaUnavailableError(`Home Assistant did not answer within ${timeoutMs / 1000} s`)),
        timeoutMs
      );
    });
    try {
      return await Promise.race([
        conn.sendMessagePromise<unknown>({ ...message }).catch((reason: unknown) => {
          throw commandFailure(message.type, reason);
        }),
        timeout,
      ]);
    } finally {
      clearTimeout(timer);
    }
  };
}
