import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HaAwayError } from '../../server/src/ha/errors.js';
import {
  attemptedCall,
  attemptedCheck,
  banThresholdOf,
  LoginAttempts,
  LoginsPausedError,
  type KnownGood,
} from '../../server/src/ha/login-attempts.js';

/** Home Assistant's ban rule for one address (Core http/ban.py): the N-th failure bans, a WebSocket auth_ok resets. */
class BanningHa {
  count = 0;
  banned = false;
  checks = 0;
  constructor(
    readonly threshold: number,
    readonly good = new Set(['good', 'owner'])
  ) {}

  /** A WebSocket authentication from the add-on's address: the user, or undefined when refused. */
  async authenticate(token: string): Promise<string | undefined> {
    await new Promise((resolve) => setImmediate(resolve));
    if (this.banned) throw new HaAwayError('banned');
    this.checks++;
    if (this.good.has(token)) {
      this.count = 0;
      return token;
    }
    this.count++;
    if (this.count >= this.threshold) this.banned = true;
    return undefined;
  }
}

function world(threshold: number, knownGood: () => KnownGood | undefined = () => undefined) {
  const ha = new BanningHa(threshold < 1 ? Infinity : threshold);
  const logins = new LoginAttempts({
    authenticate: async (token) => (await ha.authenticate(token)) !== undefined,
    knownGood,
  });
  logins.setThreshold(threshold);
  const check = attemptedCheck(logins, (token) => ha.authenticate(token));
  /** A check's outcome: the user, 'refused' or 'paused'. */
  const outcome = (token: string) =>
    check(token).then(
      (user) => user ?? 'refused',
      (err: Error) => (err instanceof LoginsPausedError ? 'paused' : `error: ${err.message}`)
    );
  return { ha, logins, outcome };
}

describe('failed logins never get the add-on banned', () => {
  it('1,000 bad tokens, with a known token to reset: each is checked, HA never reaches the threshold, a new good token works', async () => {
    const w = world(3, () => ({ token: 'owner', live: true }));
    for (let i = 0; i < 1_000; i++) assert.equal(await w.outcome(`bad-${i}`), 'refused');
    assert.equal(w.ha.banned, false);
    assert.ok(w.logins.resets >= 500, `${w.logins.resets} resets`);
    // A burst at once: what cannot be checked safely waits, nothing is banned.
    const burst = await Promise.all(Array.from({ length: 100 }, (_, i) => w.outcome(`burst-${i}`)));
    assert.ok(
      burst.every((r) => r === 'refused' || r === 'paused'),
      burst.find((r) => r.startsWith('error'))
    );
    assert.equal(w.ha.banned, false);
    assert.equal(await w.outcome('good'), 'good');
  });

  it('without a known token: at most threshold − 1 bad tokens reach HA, the rest wait, and HA never bans', async () => {
    const w = world(3);
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => w.outcome(`bad-${i}`)));
    assert.equal(w.ha.banned, false);
    assert.equal(w.ha.checks, 2);
    assert.equal(results.filter((r) => r === 'refused').length, 2);
    assert.equal(results.filter((r) => r === 'paused').length, 48);
    // Even a good token waits: it cannot be told from a bad one before HA answers.
    assert.equal(await w.outcome('good'), 'paused');
    assert.equal(w.ha.banned, false);
  });

  it('a token that only may work resets only while one more failure would not reach the threshold', async () => {
    // The last accepted token has been revoked since: the reset itself fails, and is counted.
    const w = world(3, () => ({ token: 'revoked', live: false }));
    assert.equal(await w.outcome('bad-1'), 'refused');
    await w.outcome('bad-2');
    await w.outcome('bad-3');
    assert.equal(w.ha.banned, false);
    assert.equal(w.ha.count, 2);
    assert.equal(await w.outcome('bad-4'), 'paused');
    assert.equal(w.ha.banned, false);
  });

  it('a token held back before anything failed does not stop later resets', async () => {
    const w = world(2, () => ({ token: 'owner', live: true }));
    // The one place is taken: the next token waits, with nothing to reset yet.
    const first = w.outcome('bad-1');
    assert.equal(await w.outcome('bad-2'), 'paused');
    assert.equal(await first, 'refused');
    assert.equal(await w.outcome('bad-3'), 'refused');
    assert.equal(await w.outcome('good'), 'good');
    assert.equal(w.ha.banned, false);
  });

  it('a failure HA counts on a later call is reset like any other', async () => {
    const w = world(2, () => ({ token: 'owner', live: true }));
    w.ha.count = 1;
    w.logins.failedLater();
    assert.equal(await w.outcome('good'), 'good');
    assert.equal(w.ha.banned, false);
  });

  it('HA away counts nothing; a refused call (a code at /auth/token) counts as a failure', async () => {
    const w = world(2);
    const away = attemptedCall(w.logins, async () => {
      throw new HaAwayError();
    });
    await assert.rejects(away(), HaAwayError);
    assert.equal(w.logins.counted, 0);
    const refused = attemptedCall(w.logins, async () => {
      throw new Error('400 invalid_request');
    });
    await assert.rejects(refused());
    assert.equal(w.logins.counted, 1);
    await assert.rejects(refused(), LoginsPausedError);
  });

  it('with bans off in HA, nothing is held back', async () => {
    const w = world(-1);
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => w.outcome(`bad-${i}`)));
    assert.ok(results.every((r) => r === 'refused'));
  });
});

describe("HA's ban settings, from http/config", () => {
  it('reads the active slot: a threshold, bans off, or nothing said', () => {
    const config = (ip_ban_enabled: unknown, login_attempts_threshold: unknown) => ({
      ip_ban_enabled,
      login_attempts_threshold,
    });
    assert.equal(banThresholdOf({ stable: config(true, 3), active_config_type: 'stable' }), 3);
    assert.equal(banThresholdOf({ stable: config(true, -1), active_config_type: 'stable' }), null);
    assert.equal(banThresholdOf({ stable: config(false, 3), active_config_type: 'stable' }), null);
    assert.equal(
      banThresholdOf({ stable: config(true, 10), pending: config(true, 2), active_config_type: 'pending' }),
      2
    );
    assert.equal(banThresholdOf({ stable: config(true, 'x') }), undefined);
    assert.equal(banThresholdOf({}), undefined);
  });
});
