import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FailureLimiter } from '../../server/src/ha/failure-limiter.js';
import { HaUnreachable, Principals, tokenKind, type TokenValidator } from '../../server/src/ha/principals.js';

const users: Record<string, { id: string; name: string; is_admin: boolean }> = {
  'good-token': { id: 'u1', name: 'Owner', is_admin: true },
  'guest-token': { id: 'u2', name: 'Guest', is_admin: false },
};

function fakeHa() {
  const asked: string[] = [];
  const validate: TokenValidator = async (token) => {
    asked.push(token);
    if (token === 'ha-down') throw new HaUnreachable('down');
    return users[token];
  };
  return { asked, validate };
}

describe('principals', () => {
  it('turns an accepted token into the HA user, asking HA once per token while cached', async () => {
    const ha = fakeHa();
    const principals = new Principals({ validate: ha.validate });
    const first = await principals.authenticate('guest-token', '10.0.0.1');
    const second = await principals.authenticate('guest-token', '10.0.0.2');
    assert.ok(first.ok && second.ok);
    assert.deepEqual(
      [first.principal.userId, first.principal.name, first.principal.isAdmin],
      ['u2', 'Guest', false]
    );
    assert.equal(ha.asked.length, 1);
  });

  it('lets no more concurrent bad tokens from one address reach HA than the limit allows', async () => {
    const ha = fakeHa();
    const principals = new Principals({
      validate: ha.validate,
      limiter: new FailureLimiter({ perAddress: 5 }),
    });
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, i) => principals.authenticate(`bad-${i}`, '203.0.113.9'))
    );
    assert.equal(ha.asked.length, 5);
    assert.equal(answers.filter((a) => !a.ok && a.status === 401).length, 5);
    assert.equal(answers.filter((a) => !a.ok && a.status === 429).length, 35);
    // A good token from the same address afterwards is still refused for the window: the address is spent.
    assert.equal((await principals.authenticate('good-token', '203.0.113.9')).ok, false);
  });

  it('gives the place of a validation back when HA accepts the token or cannot be reached', async () => {
    const ha = fakeHa();
    const principals = new Principals({
      validate: ha.validate,
      limiter: new FailureLimiter({ perAddress: 2 }),
    });
    await Promise.all([
      principals.authenticate('ha-down', '10.1.1.1'),
      principals.authenticate('good-token', '10.1.1.1'),
    ]);
    const later = await Promise.all([
      principals.authenticate('bad-a', '10.1.1.1'),
      principals.authenticate('bad-b', '10.1.1.1'),
    ]);
    assert.deepEqual(
      later.map((a) => (a.ok ? 200 : a.status)),
      [401, 401]
    );
  });

  it('asks HA once for concurrent requests with the same token', async () => {
    const ha = fakeHa();
    const principals = new Principals({ validate: ha.validate });
    await Promise.all([1, 2, 3].map(() => principals.authenticate('good-token', '10.0.0.1')));
    assert.equal(ha.asked.length, 1);
  });

  it('asks again once the cache entry has expired', async () => {
    const ha = fakeHa();
    let now = 0;
    const principals = new Principals({ validate: ha.validate, ttlMs: 1_000, now: () => now });
    await principals.authenticate('good-token', 'a');
    now = 1_001;
    await principals.authenticate('good-token', 'a');
    assert.equal(ha.asked.length, 2);
  });

  it('refuses a bad token with 401 and remembers the refusal', async () => {
    const ha = fakeHa();
    const principals = new Principals({ validate: ha.validate });
    const answer = await principals.authenticate('bad', '10.0.0.1');
    assert.deepEqual(answer, { ok: false, status: 401, reason: 'the token was refused by Home Assistant' });
    await principals.authenticate('bad', '10.0.0.1');
    assert.equal(ha.asked.length, 1);
  });

  it('answers 429 without asking HA once an address has failed too often', async () => {
    const ha = fakeHa();
    const principals = new Principals({
      validate: ha.validate,
      limiter: new FailureLimiter({ perAddress: 3 }),
    });
    for (let i = 0; i < 3; i++)
      assert.equal((await principals.authenticate(`bad-${i}`, '10.0.0.9')).ok, false);
    const blocked = await principals.authenticate('bad-4', '10.0.0.9');
    assert.equal(blocked.ok, false);
    assert.equal(!blocked.ok && blocked.status, 429);
    assert.ok(!blocked.ok && blocked.retryAfterSeconds! > 0);
    assert.equal(ha.asked.length, 3);
    // Another address is not blocked, and a cached good token still works from the blocked one.
    assert.equal((await principals.authenticate('good-token', '10.0.0.8')).ok, true);
    assert.equal((await principals.authenticate('good-token', '10.0.0.9')).ok, true);
  });

  it('says Home Assistant is unavailable (503) when it cannot be reached, without counting a failure', async () => {
    const ha = fakeHa();
    const principals = new Principals({
      validate: ha.validate,
      limiter: new FailureLimiter({ perAddress: 1 }),
    });
    const answer = await principals.authenticate('ha-down', 'a');
    assert.equal(!answer.ok && answer.status, 503);
    assert.equal((await principals.authenticate('good-token', 'a')).ok, true);
  });
});

describe('token kind', () => {
  const jwt = (payload: object) => `x.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.y`;
  it('tells HA OAuth access tokens (30 minutes) from long-lived ones', () => {
    assert.equal(tokenKind(jwt({ iat: 1000, exp: 2800 })), 'ha_oauth_token');
    assert.equal(tokenKind(jwt({ iat: 1000, exp: 1000 + 3650 * 86400 })), 'long_lived_token');
    assert.equal(tokenKind('not-a-jwt'), 'long_lived_token');
  });
});

describe('failure limiter', () => {
  it('forgets failures after the window', () => {
    const limiter = new FailureLimiter({ perAddress: 2, windowMs: 1_000 });
    limiter.recordFailure('a', 0);
    limiter.recordFailure('a', 10);
    assert.equal(limiter.allows('a', 500), false);
    assert.equal(limiter.allows('a', 1_011), true);
  });

  it('holds a ceiling over all addresses together', () => {
    const limiter = new FailureLimiter({ perAddress: 100, total: 3 });
    for (const address of ['a', 'b', 'c']) limiter.recordFailure(address, 0);
    assert.equal(limiter.allows('d', 1), false);
  });
});
