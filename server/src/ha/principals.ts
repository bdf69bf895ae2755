/**
 * Who is calling: a bearer token becomes a principal (HA user id, name, admin or not) by asking Home
 * Assistant — a WebSocket connection authenticated with the token, then `auth/current_user`. Answers are
 * cached by a SHA-256 of the token (never the token itself) for a bounded time, refusals too, and failed
 * validations are limited per client address before they reach HA (failure-limiter.ts).
 */
import { createHash } from 'node:crypto';
import { createConnection, createLongLivedTokenAuth, ERR_INVALID_AUTH } from 'home-assistant-js-websocket';
import { command } from './command.js';
import { currentUser, type CurrentUser } from './commands.js';
import { HaAwayError } from './errors.js';
import type { AuthKind } from '../store/log-entry.js';
import { FailureLimiter } from './failure-limiter.js';
import { LoginsPausedError } from './login-attempts.js';
import './websocket.js';

export interface Principal {
  userId: string;
  name: string;
  isAdmin: boolean;
  /** How the token was issued: an HA token (see authKindOf), or a grant of the add-on's own OAuth server. */
  authKind: AuthKind;
  /** A grant the user approved for reading only: no control, whatever the global setting says. */
  readOnly?: boolean;
  /** The add-on's own OAuth grant the token was issued under (`authKind` 'oauth_grant'); its owner's rules apply. */
  grantId?: string;
  /** The token itself, kept in memory only, for acting as this user against HA. */
  token: string;
  tokenHash: string;
}

export type Authentication =
  | { ok: true; principal: Principal }
  | { ok: false; status: 401 | 429 | 503; reason: string; retryAfterSeconds?: number };

/** Asks HA who a token belongs to; `undefined` when HA refuses it. Throws when HA cannot be reached. */
export type TokenValidator = (token: string) => Promise<CurrentUser | undefined>;

/** @param coreUrl where Core answers users' tokens (a function when it must be discovered first) */
export function haTokenValidator(
  coreUrl: string | (() => Promise<string>),
  timeoutMs = 10_000
): TokenValidator {
  return async (token) => {
    let conn;
    try {
      const url = typeof coreUrl === 'string' ? coreUrl : await coreUrl();
      conn = await createConnection({
        auth: createLongLivedTokenAuth(url, token),
        setupRetry: 0,
        connectTimeout: timeoutMs,
      });
    } catch (err) {
      if (err === ERR_INVALID_AUTH) return undefined;
      throw new HaAwayError();
    }
    // HA accepted the token but may still never answer: command() bounds the wait like every other command.
    try {
      return await currentUser((message) => command(conn, message, timeoutMs));
    } finally {
      conn.close();
    }
  };
}

/** How a token is known without being kept: its SHA-256, hex (principals' cache, OAuth's token table). */
export const tokenHash = (token: string): string => createHash('sha256').update(token).digest('hex');

/**
 * HA's access tokens are JWTs: the ones HA's OAuth flow issues live 30 minutes, long-lived ones a day or
 * more. Read (not verified: HA already accepted the token) only to tell the owner which kind a client used.
 */
export function authKindOf(token: string): AuthKind {
  try {
    const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as {
      iat?: number;
      exp?: number;
    };
    if (
      typeof payload.iat === 'number' &&
      typeof payload.exp === 'number' &&
      payload.exp - payload.iat <= 3600
    ) {
      return 'ha_oauth_token';
    }
  } catch {
    // not a JWT: treat as long-lived
  }
  return 'long_lived_token';
}

const DEFAULT_TTL_MS = 5 * 60_000;

interface CacheEntry {
  user: CurrentUser | undefined;
  expires: number;
}

export interface PrincipalsOptions {
  validate: TokenValidator;
  limiter?: FailureLimiter;
  /** How long an accepted token is trusted without asking HA again. */
  ttlMs?: number;
  /** How long a refused token is refused without asking HA again. */
  refusedTtlMs?: number;
  maxEntries?: number;
  now?: () => number;
}

export class Principals {
  private readonly cache = new Map<string, CacheEntry>();
  private readonly inFlight = new Map<string, Promise<CacheEntry['user']>>();
  private readonly limiter: FailureLimiter;
  private readonly now: () => number;
  /** Validations that reached HA, for the tests and the panel. */
  validations = 0;
  private accepted: { token: string; at: number } | undefined;

  constructor(private readonly options: PrincipalsOptions) {
    this.limiter = options.limiter ?? new FailureLimiter();
    this.now = options.now ?? Date.now;
  }

  async authenticate(token: string, address: string): Promise<Authentication> {
    const hash = tokenHash(token);
    const now = this.now();
    const cached = this.cache.get(hash);
    if (cached && cached.expires > now) return this.answer(cached.user, token, hash);
    let pending = this.inFlight.get(hash);
    if (!pending) {
      // Only a validation that goes to HA spends the budget; joining one already under way does not.
      if (!this.limiter.allows(address, now)) {
        return {
          ok: false,
          status: 429,
          reason: 'too many failed authentications from this address',
          retryAfterSeconds: this.limiter.retryAfterSeconds(address, now),
        };
      }
      this.limiter.begin(address);
      this.validations++;
      pending = this.options.validate(token).then(
        (user) => {
          this.limiter.end(address, user === undefined, this.now());
          return user;
        },
        (err: unknown) => {
          this.limiter.end(address, false, this.now());
          throw err;
        }
      );
      this.inFlight.set(hash, pending);
    }
    let user: CacheEntry['user'];
    try {
      user = await pending;
    } catch (err) {
      if (err instanceof LoginsPausedError) {
        return { ok: false, status: 503, reason: err.message, retryAfterSeconds: err.retryAfterSeconds };
      }
      return { ok: false, status: 503, reason: 'Home Assistant is unavailable' };
    } finally {
      this.inFlight.delete(hash);
    }
    this.remember(hash, user);
    if (user) this.accepted = { token, at: this.now() };
    return this.answer(user, token, hash);
  }

  /** The token HA accepted last, while it is still trusted (to reset HA's count of failed logins). */
  lastAccepted(): string | undefined {
    const accepted = this.accepted;
    if (!accepted || this.now() - accepted.at >= (this.options.ttlMs ?? DEFAULT_TTL_MS)) return undefined;
    return accepted.token;
  }

  /** Forgets a token (for example when HA says it no longer works). */
  forget(token: string): void {
    this.cache.delete(tokenHash(token));
  }

  private answer(user: CacheEntry['user'], token: string, hash: string): Authentication {
    if (!user) {
      return { ok: false, status: 401, reason: 'the token was refused by Home Assistant' };
    }
    return {
      ok: true,
      principal: {
        userId: user.id,
        name: user.name,
        isAdmin: user.is_admin,
        authKind: authKindOf(token),
        token,
        tokenHash: hash,
      },
    };
  }

  private remember(hash: string, user: CacheEntry['user']): void {
    const ttl = user ? (this.options.ttlMs ?? DEFAULT_TTL_MS) : (this.options.refusedTtlMs ?? 60_000);
    this.cache.delete(hash);
    this.cache.set(hash, { user, expires: this.now() + ttl });
    if (this.cache.size > (this.options.maxEntries ?? 1_000))
      this.cache.delete(this.cache.keys().next().value!);
  }
}
