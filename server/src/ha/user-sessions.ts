/**
 * WebSocket sessions as the calling user: tools that act with the user's own rights (templates, actions,
 * registries, logs) send their commands over a connection authenticated with the user's token, so Home
 * Assistant enforces that user's permissions and names them in the logbook. Connections are kept per token
 * (by its hash) while they are in use and closed after a short idle time; at most `maxSessions` are open.
 */
import {
  createConnection,
  createLongLivedTokenAuth,
  ERR_INVALID_AUTH,
  type Connection,
  type MessageBase,
} from 'home-assistant-js-websocket';
import { command, commandFailure, COMMAND_TIMEOUT_MS } from './command.js';
import type { Send } from './commands.js';
import { HaAwayError, HaRefusedError } from './errors.js';
import { tokenHash } from './principals.js';
import './websocket.js';

/** What a tool can ask of Home Assistant as one user. */
export interface UserSession {
  send: Send;
  /**
   * Starts a subscription and resolves with the first event that `settle` turns into a value (it returns
   * undefined for events to skip), then unsubscribes. Fails with HaAwayError past the time limit.
   */
  firstEvent<T>(
    message: MessageBase,
    settle: (event: unknown) => T | undefined,
    timeoutMs?: number
  ): Promise<T>;
}

export interface UserSessions {
  /** The session for this token (opened on first use). */
  session(token: string): UserSession;
  /** Closes every connection (on stop). */
  close(): void;
}

export interface UserSessionsConfig {
  /** Where Core answers users' tokens (a function when it must be discovered first). */
  coreUrl: string | (() => Promise<string>);
  idleMs?: number;
  maxSessions?: number;
  connectTimeoutMs?: number;
  /** HA refused a token it had accepted before (revoked since): HA counted a failed login (login-attempts.ts). */
  onRefused?: (token: string) => void;
}

interface Entry {
  connection: Promise<Connection>;
  idle?: NodeJS.Timeout;
  busy: number;
}

export function userSessions({
  coreUrl,
  idleMs = 60_000,
  maxSessions = 32,
  connectTimeoutMs = COMMAND_TIMEOUT_MS,
  onRefused,
}: UserSessionsConfig): UserSessions {
  const entries = new Map<string, Entry>();

  const drop = (key: string, entry: Entry) => {
    if (entries.get(key) !== entry) return;
    entries.delete(key);
    clearTimeout(entry.idle);
    entry.connection.then((c) => c.close()).catch(() => {});
  };

  const open = async (token: string): Promise<Connection> => {
    const url = typeof coreUrl === 'string' ? coreUrl : await coreUrl();
    try {
      return await createConnection({
        auth: createLongLivedTokenAuth(url, token),
        setupRetry: 0,
        connectTimeout: connectTimeoutMs,
      });
    } catch (err) {
      if (err === ERR_INVALID_AUTH) {
        onRefused?.(token);
        throw new HaRefusedError('Home Assistant refused the token', { code: 'invalid_auth' });
      }
      throw new HaAwayError();
    }
  };

  /** Runs `use` on the token's connection, keeping it open while in use and for idleMs after. */
  const withConnection = async <T>(token: string, use: (c: Connection) => Promise<T>): Promise<T> => {
    const key = tokenHash(token);
    let entry = entries.get(key);
    if (!entry) {
      if (entries.size >= maxSessions) {
        // The least recently used idle session makes room; busy ones are never cut.
        const idle = [...entries].find(([, e]) => e.busy === 0);
        if (idle) drop(...idle);
      }
      entry = { connection: open(token), busy: 0 };
      entries.set(key, entry);
      const opened = entry;
      opened.connection.then(
        (c) => c.addEventListener('disconnected', () => drop(key, opened)),
        () => drop(key, opened)
      );
    } else {
      // Map order is use order: the entry moves to the end.
      entries.delete(key);
      entries.set(key, entry);
    }
    const current = entry;
    clearTimeout(current.idle);
    current.busy++;
    try {
      return await use(await current.connection);
    } finally {
      current.busy--;
      if (current.busy === 0 && entries.get(key) === current) {
        current.idle = setTimeout(() => drop(key, current), idleMs);
        current.idle.unref();
      }
    }
  };

  return {
    session(token) {
      return {
        send: <T>(message: MessageBase, timeoutMs?: number) =>
          withConnection(token, (c) => command<T>(c, message, timeoutMs)),
        firstEvent: <T>(
          message: MessageBase,
          settle: (event: unknown) => T | undefined,
          timeoutMs = COMMAND_TIMEOUT_MS
        ) => withConnection(token, (c) => firstEvent(c, message, settle, timeoutMs)),
      };
    },
    close() {
      for (const [key, entry] of entries) drop(key, entry);
    },
  };
}

async function firstEvent<T>(
  conn: Connection,
  message: MessageBase,
  settle: (event: unknown) => T | undefined,
  timeoutMs: number
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  let subscribed: Promise<() => Promise<void>> | undefined;
  try {
    return await new Promise<T>((resolve, reject) => {
      let done = false;
      const finish = (outcome: () => void) => {
        if (done) return;
        done = true;
        outcome();
      };
      timer = setTimeout(
        () =>
          finish(() => reject(new HaAwayError(`Home Assistant did not answer within ${timeoutMs / 1000} s`))),
        timeoutMs
      );
      if (!conn.connected) return finish(() => reject(new HaAwayError()));
      subscribed = conn.subscribeMessage<unknown>(
        (event) => {
          if (done) return;
          try {
            const value = settle(event);
            if (value !== undefined) finish(() => resolve(value));
          } catch (err) {
            finish(() => reject(err));
          }
        },
        { ...message },
        { resubscribe: false }
      );
      subscribed.catch((reason: unknown) => finish(() => reject(commandFailure(message.type, reason))));
    });
  } finally {
    clearTimeout(timer);
    // Unsubscribed once HA has confirmed the subscription, whether it answered first or not.
    subscribed?.then((unsubscribe) => unsubscribe()).catch(() => {});
  }
}
