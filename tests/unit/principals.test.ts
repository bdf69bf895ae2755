/**
 * Pins how a bearer token becomes a principal (server/src/ha/principals.ts): the principal's fields, the
 * cache of answers and refusals with its exact lifetimes and size on an injected clock, the failure
 * limiter's answers as callers see them, the token kinds, and the validator against a fake Home Assistant
 * WebSocket on loopback (accepted, refused, unreachable, silent).
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { after, afterEach, describe, it, mock } from 'node:test';
import { WebSocket, WebSocketServer } from 'ws';
import { HaAwayError } from '../../server/src/ha/errors.js';
import { FailureLimiter } from '../../server/src/ha/failure-limiter.js';
import {
  tokenHash,
  haTokenValidator,
  Principals,
  authKindOf,
  type TokenValidator,
} from '../../server/src/ha/principals.js';

// home-assistant-js-websocket uses the global WebSocket, which Node 20 does not have (link.ts does the same).
(globalThis as { WebSocket?: unknown }).WebSocket ??= WebSocket;

const users: Record<string, { id: string; name: string; is_admin: boolean }> = {
  'good-token': { id: 'u1', name: 'Owner', is_admin: true },
  'guest-token': { id: 'u2', name: 'Guest', is_admin: false },
};

function fakeHa() {
  const asked: string[] = [];
  const validate: TokenValidator = async (token) => {
    asked.push(token);
    if (token === 'ha-down') throw new HaAwayError('down');
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
    assert.equal(authKindOf(jwt({ iat: 1000, exp: 2800 })), 'ha_oauth_token');
    assert.equal(authKindOf(jwt({ iat: 1000, exp: 1000 + 3650 * 86400 })), 'long_lived_token');
    assert.equal(authKindOf('not-a-jwt'), 'long_lived_token');
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

const jwt = (payload: object) => `x.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.y`;

describe('principals: what a principal holds', () => {
  it('names the HA user, the token, its SHA-256 and its kind', async () => {
    const principals = new Principals({ validate: fakeHa().validate });
    const answer = await principals.authenticate('good-token', 'a');
    assert.deepEqual(answer, {
      ok: true,
      principal: {
        userId: 'u1',
        name: 'Owner',
        isAdmin: true,
        authKind: 'long_lived_token',
        token: 'good-token',
        tokenHash: tokenHash('good-token'),
      },
    });
    const oauth = jwt({ iat: 0, exp: 1800 });
    const short = await new Principals({ validate: async () => users['guest-token'] }).authenticate(
      oauth,
      'a'
    );
    assert.equal(short.ok && short.principal.authKind, 'ha_oauth_token');
  });

  it('hashes tokens with SHA-256, in hex', () => {
    assert.equal(tokenHash('abc'), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('counts the validations that reached Home Assistant', async () => {
    const principals = new Principals({ validate: fakeHa().validate });
    await principals.authenticate('good-token', 'a');
    await principals.authenticate('good-token', 'a');
    await principals.authenticate('bad', 'a');
    assert.equal(principals.validations, 2);
  });
});

describe('principals: the cache', () => {
  const clocked = (options: { ttlMs?: number; refusedTtlMs?: number; maxEntries?: number } = {}) => {
    const ha = fakeHa();
    const clock = { now: 0 };
    const principals = new Principals({
      validate: ha.validate,
      limiter: new FailureLimiter({ perAddress: 1_000, total: 1_000 }),
      now: () => clock.now,
      ...options,
    });
    return { ha, clock, principals };
  };

  it('trusts an accepted token for five minutes, to the millisecond', async () => {
    const { ha, clock, principals } = clocked();
    await principals.authenticate('good-token', 'a');
    clock.now = 299_999;
    await principals.authenticate('good-token', 'a');
    assert.equal(ha.asked.length, 1);
    clock.now = 300_000;
    await principals.authenticate('good-token', 'a');
    assert.equal(ha.asked.length, 2);
  });

  it('remembers a refusal for one minute, to the millisecond', async () => {
    const { ha, clock, principals } = clocked();
    await principals.authenticate('bad', 'a');
    clock.now = 59_999;
    await principals.authenticate('bad', 'a');
    assert.equal(ha.asked.length, 1);
    clock.now = 60_000;
    assert.equal((await principals.authenticate('bad', 'a')).ok, false);
    assert.equal(ha.asked.length, 2);
  });

  it('takes its lifetimes from the options, counted from when HA answered', async () => {
    const { ha, clock, principals } = clocked({ ttlMs: 100, refusedTtlMs: 10 });
    await principals.authenticate('good-token', 'a');
    await principals.authenticate('bad', 'a');
    clock.now = 9;
    await principals.authenticate('bad', 'a');
    assert.deepEqual(ha.asked, ['good-token', 'bad']);
    clock.now = 10;
    await principals.authenticate('bad', 'a');
    clock.now = 99;
    await principals.authenticate('good-token', 'a');
    assert.deepEqual(ha.asked, ['good-token', 'bad', 'bad']);
    clock.now = 100;
    await principals.authenticate('good-token', 'a');
    assert.deepEqual(ha.asked, ['good-token', 'bad', 'bad', 'good-token']);

    const slow = fakeHa();
    const late = { now: 0 };
    const waiting = new Principals({
      validate: async (token) => {
        late.now = 1_000; // HA answers a second later
        return slow.validate(token);
      },
      ttlMs: 500,
      now: () => late.now,
    });
    await waiting.authenticate('good-token', 'a');
    late.now = 1_499;
    await waiting.authenticate('good-token', 'a');
    assert.equal(slow.asked.length, 1);
  });

  it('does not remember that Home Assistant was unreachable', async () => {
    const { ha, principals } = clocked();
    assert.deepEqual(await principals.authenticate('ha-down', 'a'), {
      ok: false,
      status: 503,
      reason: 'Home Assistant is unavailable',
    });
    await principals.authenticate('ha-down', 'a');
    assert.equal(ha.asked.length, 2);
  });

  it('forgets a token when told to', async () => {
    const { ha, principals } = clocked();
    await principals.authenticate('good-token', 'a');
    principals.forget('good-token');
    await principals.authenticate('good-token', 'a');
    assert.equal(ha.asked.length, 2);
    principals.forget('never-seen');
  });

  it('holds at most maxEntries tokens, dropping the least recently answered', async () => {
    const { ha, clock, principals } = clocked({ ttlMs: 100, maxEntries: 2 });
    await principals.authenticate('good-token', 'a');
    clock.now = 50;
    await principals.authenticate('guest-token', 'a');
    assert.equal(ha.asked.length, 2);
    // Asked again after expiry, good-token becomes the most recent entry.
    clock.now = 120;
    await principals.authenticate('good-token', 'a');
    await principals.authenticate('bad', 'a');
    assert.equal(ha.asked.length, 4);
    clock.now = 130;
    await principals.authenticate('good-token', 'a');
    assert.equal(ha.asked.length, 4);
    await principals.authenticate('guest-token', 'a');
    assert.equal(ha.asked.length, 5);
  });

  it('holds a thousand tokens by default', async () => {
    const asked: string[] = [];
    const principals = new Principals({
      validate: async (token) => {
        asked.push(token);
        return { id: token, name: token, is_admin: false };
      },
    });
    for (let i = 0; i < 1_000; i++) await principals.authenticate(`t${i}`, 'a');
    await principals.authenticate('t0', 'a');
    assert.equal(asked.length, 1_000);
    await principals.authenticate('t1000', 'a');
    await principals.authenticate('t1', 'a');
    assert.equal(asked.length, 1_001);
    await principals.authenticate('t0', 'a');
    assert.equal(asked.length, 1_002);
  });
});

describe('principals: failure limits as callers see them', () => {
  it('answers 429 with the reason and the seconds until the oldest failure ages out', async () => {
    const clock = { now: 1_000 };
    const principals = new Principals({
      validate: fakeHa().validate,
      limiter: new FailureLimiter({ perAddress: 1, windowMs: 10_000 }),
      now: () => clock.now,
    });
    await principals.authenticate('bad-1', '10.0.0.1');
    clock.now = 3_500;
    assert.deepEqual(await principals.authenticate('bad-2', '10.0.0.1'), {
      ok: false,
      status: 429,
      reason: 'too many failed authentications from this address',
      retryAfterSeconds: 8,
    });
    clock.now = 11_000;
    assert.equal((await principals.authenticate('good-token', '10.0.0.1')).ok, true);
  });

  it('counts a refusal when HA answers it, not when the request began', async () => {
    const clock = { now: 0 };
    const principals = new Principals({
      validate: async () => {
        clock.now = 5_000;
        return undefined;
      },
      limiter: new FailureLimiter({ perAddress: 1, windowMs: 10_000 }),
      now: () => clock.now,
    });
    await principals.authenticate('bad', 'a');
    clock.now = 14_999;
    assert.equal((await principals.authenticate('bad-2', 'a')).ok ? 200 : 'refused', 'refused');
  });

  it('spends no budget on an accepted token, nor on a request that joins one under way', async () => {
    const ha = fakeHa();
    const principals = new Principals({
      validate: ha.validate,
      limiter: new FailureLimiter({ perAddress: 1 }),
    });
    assert.equal((await principals.authenticate('good-token', 'a')).ok, true);
    const [first, joined] = await Promise.all([
      principals.authenticate('bad', 'a'),
      principals.authenticate('bad', 'a'),
    ]);
    assert.deepEqual(
      [first, joined],
      [
        { ok: false, status: 401, reason: 'the token was refused by Home Assistant' },
        { ok: false, status: 401, reason: 'the token was refused by Home Assistant' },
      ]
    );
    assert.deepEqual(ha.asked, ['good-token', 'bad']);
  });
});

describe('token kind: edges', () => {
  it('calls a token living at most an hour an HA OAuth token', () => {
    assert.equal(authKindOf(jwt({ iat: 1000, exp: 4600 })), 'ha_oauth_token');
    assert.equal(authKindOf(jwt({ iat: 1000, exp: 4601 })), 'long_lived_token');
  });

  it('calls anything without numeric iat and exp long-lived', () => {
    for (const token of [
      jwt({ iat: '1000', exp: 2800 }),
      jwt({ iat: 1000, exp: '2800' }),
      jwt({ exp: 2800 }),
      jwt({ iat: 1000 }),
      jwt({}),
      `x.${Buffer.from('null').toString('base64url')}.y`,
      'x.!!!.y',
      'no-dots',
      '',
    ]) {
      assert.equal(authKindOf(token), 'long_lived_token', token);
    }
  });
});

/** A Home Assistant WebSocket API on loopback that knows `users`, or accepts tokens and never answers. */
async function wsHa(options: { silent?: boolean } = {}) {
  const server = createServer();
  const wss = new WebSocketServer({ server, path: '/api/websocket' });
  const seen = { tokens: [] as string[], asked: 0, closed: 0 };
  const closed: Array<() => void> = [];
  wss.on('connection', (socket) => {
    socket.send(JSON.stringify({ type: 'auth_required', ha_version: '2026.11.0' }));
    let user: (typeof users)[string] | undefined;
    socket.on('message', (data) => {
      const message = JSON.parse(String(data)) as { type: string; id?: number; access_token?: string };
      if (message.type === 'auth') {
        seen.tokens.push(message.access_token!);
        user = options.silent ? users['good-token'] : users[message.access_token!];
        socket.send(
          JSON.stringify(
            user ? { type: 'auth_ok', ha_version: '2026.11.0' } : { type: 'auth_invalid', message: 'Invalid' }
          )
        );
      } else if (message.type === 'auth/current_user') {
        seen.asked++;
        if (!options.silent)
          socket.send(JSON.stringify({ id: message.id, type: 'result', success: true, result: user }));
      } else if (message.id !== undefined) {
        socket.send(JSON.stringify({ id: message.id, type: 'result', success: true, result: null }));
      }
    });
    socket.on('close', () => {
      seen.closed++;
      for (const wake of closed.splice(0)) wake();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  after(() => {
    wss.close();
    server.closeAllConnections();
    server.close();
  });
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    /** Resolves once `n` connections have closed. */
    closedAfter: (n: number) =>
      new Promise<void>((resolve) => {
        const check = () => (seen.closed >= n ? resolve() : closed.push(check));
        check();
      }),
  };
}

/** A loopback URL where nothing listens. */
async function deadUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

describe('token validation against Home Assistant', () => {
  afterEach(() => mock.timers.reset());

  it('returns the user HA names for an accepted token, and closes the connection', async () => {
    const ha = await wsHa();
    assert.deepEqual(await haTokenValidator(ha.url)('guest-token'), users['guest-token']);
    assert.deepEqual(ha.seen.tokens, ['guest-token']);
    await ha.closedAfter(1);
  });

  it('finds Core through a function when given one', async () => {
    const ha = await wsHa();
    assert.deepEqual(await haTokenValidator(async () => ha.url)('good-token'), users['good-token']);
  });

  it('returns nothing for a token HA refuses', async () => {
    const ha = await wsHa();
    assert.equal(await haTokenValidator(ha.url)('bad-token'), undefined);
    assert.deepEqual(ha.seen.tokens, ['bad-token']);
    assert.equal(ha.seen.asked, 0);
  });

  it('says Home Assistant is unavailable when it cannot be reached or found', async () => {
    const url = await deadUrl();
    await assert.rejects(
      haTokenValidator(url)('good-token'),
      (err: unknown) => err instanceof HaAwayError && err.message === 'Home Assistant is unavailable'
    );
    await assert.rejects(
      haTokenValidator(async () => {
        throw new Error('no Core yet');
      })('good-token'),
      (err: unknown) => err instanceof HaAwayError && err.message === 'Home Assistant is unavailable'
    );
  });

  it('gives up on an HA that accepts the token and never says whose it is, saying after how long', async () => {
    const ha = await wsHa({ silent: true });
    mock.timers.enable({ apis: ['setTimeout'] });
    const answer = haTokenValidator(ha.url, 2_500)('good-token');
    while (ha.seen.asked === 0) await new Promise((resolve) => setImmediate(resolve));
    let settled = false;
    answer.then(
      () => (settled = true),
      () => (settled = true)
    );
    mock.timers.tick(2_499);
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(settled, false);
    mock.timers.tick(1);
    await assert.rejects(
      answer,
      (err: unknown) =>
        err instanceof HaAwayError && err.message === 'Home Assistant did not answer within 2.5 s'
    );
    await ha.closedAfter(1);
  });
});
