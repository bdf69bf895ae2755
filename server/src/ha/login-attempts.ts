/**
 * Keeps Home Assistant from banning the add-on. HA counts every failed login per source address (a refused
 * token on a WebSocket or REST call, a refused code at `/auth/token`) and, with `ip_ban_enabled` and a
 * `login_attempts_threshold` of N, bans the address for good at the N-th failure; only the Supervisor's
 * address is spared (Core `components/http/ban.py`). A successful WebSocket authentication from the address
 * sets its count back to 0. The add-on checks everyone's tokens from its one address, so someone else's bad
 * tokens, from any number of clients, must never bring that count to N:
 *
 * - every attempt whose credential HA has not accepted yet runs through `attempt()`, which lets at most
 *   N − 1 failures be possible at once, counting attempts under way as failures until they end;
 * - after a failure the count is set back at once with a token known to work (`knownGood`): an admin token
 *   whose link is up, or a user's token HA accepted moments ago. A token that only may work is used only
 *   while one more failure would still not reach N;
 * - when no attempt is possible without risking the ban, new credentials are refused (`LoginsPausedError`)
 *   until a reset succeeds; tokens HA already accepted keep working.
 *
 * The threshold is HA's own (`http/config`, read when the link is up); when HA does not say, the smallest
 * threshold that lets anyone in (2) is assumed: never that banning is off.
 */
import type { Logger } from '../log.js';
import { HaAwayError } from './errors.js';

/** HA's count would reach its threshold: new credentials wait for a reset. */
export class LoginsPausedError extends HaAwayError {
  constructor(readonly retryAfterSeconds: number) {
    super(
      "Home Assistant would ban the add-on's address after another failed login; new tokens are checked again " +
        'once a known one has reset its count'
    );
  }
}

/** What HA's ban settings say: a threshold, or null when HA bans no one. */
export type BanThreshold = number | null;

/** A token to reset HA's count with; `live` when it is known to work right now (its connection is up). */
export interface KnownGood {
  token: string;
  live: boolean;
}

export interface LoginAttemptsDeps {
  /** A successful authentication from the add-on's address (a WebSocket `auth_ok`): true, false if refused. */
  authenticate(token: string): Promise<boolean>;
  /** The best token to reset HA's count with, if there is one. */
  knownGood(): KnownGood | undefined;
  /** Seconds to suggest to a refused client. */
  retryAfterSeconds?: number;
  log?: Logger;
}

/** How an attempt ended, as HA counted it. */
export type Counted = 'failed' | 'reset' | 'neutral';

/** Assumed when HA does not say: a threshold of 1 would let no one in; 2 is the least that does. */
export const ASSUMED_THRESHOLD = 2;

export class LoginAttempts {
  /** Failures HA has counted against the add-on's address since its count was last set back. */
  private failures = 0;
  /** Every failure ever counted: a reset keeps those that ended while it was under way. */
  private failedEver = 0;
  private underWay = 0;
  private threshold: BanThreshold = ASSUMED_THRESHOLD;
  private resetting: Promise<void> | undefined;
  /** Resets that set HA's count back, for the tests and the log. */
  resets = 0;

  constructor(private readonly deps: LoginAttemptsDeps) {}

  /** HA's settings, once read: a threshold below 1 means no bans. */
  setThreshold(threshold: BanThreshold): void {
    this.threshold = threshold !== null && threshold >= 1 ? threshold : null;
  }

  get counted(): number {
    return this.failures;
  }

  /**
   * Runs one attempt with a credential HA has not accepted yet. `run` says how HA counted it.
   * @throws LoginsPausedError when the attempt could be the one that gets the address banned
   */
  async attempt<T>(run: () => Promise<{ value: T; counted: Counted }>): Promise<T> {
    // The place is taken in the same turn as the check of the room, or concurrent attempts would share it.
    if (this.room() < 1) {
      await this.reset();
      if (this.room() < 1) {
        this.deps.log?.warning(
          `not checking a new token: Home Assistant has counted ${this.failures} failed logins from the ` +
            `add-on's address and bans at ${this.threshold}`
        );
        throw new LoginsPausedError(this.deps.retryAfterSeconds ?? 30);
      }
    }
    const failedBefore = this.failedEver;
    this.underWay++;
    let counted: Counted = 'failed';
    try {
      const result = await run();
      counted = result.counted;
      return result.value;
    } catch (err) {
      // HA away: nothing was counted. Anything else might have been.
      if (err instanceof HaAwayError) counted = 'neutral';
      throw err;
    } finally {
      this.underWay--;
      this.count(counted, failedBefore);
    }
  }

  /** A failure HA counted on a call the add-on made with a credential HA had accepted before. */
  failedLater(): void {
    this.count('failed', this.failedEver);
  }

  /**
   * One ended attempt, as HA counted it. A success sets HA's count back, but failures that ended while it
   * was under way may have reached HA after it: those stay counted.
   */
  private count(counted: Counted, failedBefore: number): void {
    if (counted === 'reset') this.failures = Math.min(this.failures, this.failedEver - failedBefore);
    if (counted === 'failed') {
      this.failures++;
      this.failedEver++;
      void this.reset();
    }
  }

  /** Failures that may still happen before the threshold: the attempts under way may each be one. */
  private room(): number {
    if (this.threshold === null) return Infinity;
    return this.threshold - 1 - this.failures - this.underWay;
  }

  /** Sets HA's count back with a known token, one reset at a time, when it is safe to try. */
  private reset(): Promise<void> {
    // Cleared once settled, never from inside: a reset that ends at once must not stay the one under way.
    this.resetting ??= this.tryReset().finally(() => (this.resetting = undefined));
    return this.resetting;
  }

  private async tryReset(): Promise<void> {
    if (this.failures === 0) return;
    const known = this.deps.knownGood();
    if (!known) return;
    // A reset that fails is a failure too: only a token that works right now may take the last place.
    if (!known.live && this.room() < 1) return;
    const failedBefore = this.failedEver;
    this.underWay++;
    let ok = false;
    try {
      ok = await this.deps.authenticate(known.token);
    } catch (err) {
      this.deps.log?.debug(`cannot reset Home Assistant's count of failed logins: ${(err as Error).message}`);
      return;
    } finally {
      this.underWay--;
    }
    this.count(ok ? 'reset' : 'failed', failedBefore);
    if (ok) this.resets++;
  }
}

/** HA's HTTP settings as `http/config` gives them (HA 2026.8 and later; admin only). */
export interface HttpConfigAnswer {
  stable?: { ip_ban_enabled?: unknown; login_attempts_threshold?: unknown } | null;
  pending?: { ip_ban_enabled?: unknown; login_attempts_threshold?: unknown } | null;
  active_config_type?: unknown;
}

/** The threshold the running HA bans at, from `http/config`; undefined when the answer does not say. */
export function banThresholdOf(answer: HttpConfigAnswer): BanThreshold | undefined {
  const active = answer.active_config_type === 'pending' ? answer.pending : answer.stable;
  if (!active) return undefined;
  if (active.ip_ban_enabled === false) return null;
  const threshold = active.login_attempts_threshold;
  if (typeof threshold !== 'number') return undefined;
  return threshold >= 1 ? threshold : null;
}

/**
 * Attempts that go through `attempts`: a token check (HA's WebSocket `auth_ok` resets its count, a refusal
 * is a failure), and any other call that carries a credential HA has not accepted yet (a refusal is a
 * failure; REST answers reset nothing).
 */
export function attemptedCheck<T>(
  attempts: LoginAttempts,
  check: (token: string) => Promise<T | undefined>
): (token: string) => Promise<T | undefined> {
  return (token) =>
    attempts.attempt(async () => {
      const value = await check(token);
      return { value, counted: value === undefined ? 'failed' : 'reset' };
    });
}

export function attemptedCall<A extends unknown[], R>(
  attempts: LoginAttempts,
  call: (...args: A) => Promise<R>
): (...args: A) => Promise<R> {
  return (...args) => attempts.attempt(async () => ({ value: await call(...args), counted: 'neutral' }));
}
