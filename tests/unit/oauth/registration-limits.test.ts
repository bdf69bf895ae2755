/**
 * How many clients may register: per address (a bucket of 10 that refills one every 6 minutes, IPv6 by its
 * /64), and in all (200 registrations that never signed in, each kept a day; at the cap the oldest gives
 * way once it is 30 minutes old). Refusals are 429s with Retry-After that say which limit was hit; clients
 * that signed in are never counted, expired or given way; what a registration may hold is bounded.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createLogger } from '../../../server/src/log.js';
import { REGISTRATION_FIELDS } from '../../../server/src/oauth/clients.js';
import { addressKey, REGISTRATION_LIMITS } from '../../../server/src/oauth/registration-limits.js';
import { createOAuthRoutes } from '../../../server/src/oauth/routes.js';
import { MAX_PARAMETER_CHARS } from '../../../server/src/oauth/sign-in.js';
import type { RegistrationLimitsOptions } from '../../../server/src/oauth/registration-limits.js';
import {
  authorizeQuery,
  ISSUER,
  MINUTE,
  oauthHarness,
  pageMessage,
  pkce,
  REDIRECT,
  refusal,
  signIn,
  urls,
  type Harness,
} from '../../support/oauth-fixture.js';

const harness = oauthHarness();
const DAY = 24 * 60 * MINUTE;

const withLimits = (registration: Partial<RegistrationLimitsOptions> = {}) =>
  harness({ tuning: { accessTtlMs: 60 * MINUTE, refreshTtlMs: 90 * DAY, registration } });

const register = (h: Harness, address: string) =>
  h.server.register({ redirect_uris: [REDIRECT] }, address).client_id as string;

/** Whether a registered client can still start a sign-in (sent to HA's login, not stopped at a page). */
async function known(h: Harness, clientId: string): Promise<boolean> {
  const outcome = await h.server
    .authorize(authorizeQuery(clientId, pkce().challenge), urls)
    .then((r) => r.location.startsWith('http://ha.example.org:8123/auth/authorize'))
    .catch(() => false);
  return outcome;
}

describe('the limits', () => {
  it('are 10 per address refilling every 6 minutes, and 200 unused kept a day, 30 minutes safe', () => {
    assert.deepEqual(REGISTRATION_LIMITS, {
      perAddress: 10,
      refillMs: 6 * MINUTE,
      maxUnused: 200,
      unusedTtlMs: DAY,
      protectedMs: 30 * MINUTE,
      maxAddresses: 10_000,
    });
    assert.deepEqual(REGISTRATION_FIELDS, { nameChars: 200, uriChars: 2_000, redirectUris: 20 });
  });
});

describe('registrations per address', () => {
  it('lets an address register 10 times, then refuses with 429 and when to try again', () => {
    const h = withLimits();
    for (let i = 0; i < 10; i++) register(h, '192.0.2.7');
    const err = refusal(() => register(h, '192.0.2.7'));
    assert.equal(err.status, 429);
    assert.equal(err.error, 'too_many_requests');
    assert.equal(err.message, 'too many registrations from this address; try again in 360 s');
    assert.deepEqual(err.headers, { 'retry-after': '360' });
    assert.equal(refusal(() => h.server.admitRegistration('192.0.2.7')).status, 429);
    register(h, '192.0.2.8');
  });

  it('gives an address one registration back every 6 minutes, up to 10', () => {
    const h = withLimits();
    for (let i = 0; i < 10; i++) register(h, '192.0.2.7');
    h.advance(3 * MINUTE);
    assert.equal(refusal(() => register(h, '192.0.2.7')).headers['retry-after'], '180');
    h.advance(3 * MINUTE);
    register(h, '192.0.2.7');
    assert.equal(refusal(() => register(h, '192.0.2.7')).status, 429);
    h.advance(DAY);
    for (let i = 0; i < 10; i++) register(h, '192.0.2.7');
    assert.equal(refusal(() => register(h, '192.0.2.7')).status, 429);
  });

  it('counts every well-formed registration, also one refused at the cap, and no malformed one', () => {
    const h = withLimits({ maxUnused: 5 });
    for (let i = 0; i < 30; i++) refusal(() => h.server.register({ redirect_uris: [] }, '192.0.2.7'));
    for (let i = 0; i < 5; i++) register(h, '192.0.2.7');
    for (let i = 0; i < 5; i++)
      assert.match(refusal(() => register(h, '192.0.2.7')).message, /have not signed in/);
    assert.match(refusal(() => register(h, '192.0.2.7')).message, /from this address/);
  });

  it('counts an IPv4-mapped address as its IPv4 address, and IPv6 addresses by their /64', () => {
    const h = withLimits();
    for (let i = 0; i < 5; i++) register(h, '::ffff:192.0.2.7');
    for (let i = 0; i < 5; i++) register(h, '192.0.2.7');
    assert.equal(refusal(() => register(h, '::ffff:192.0.2.7')).status, 429);
    for (let i = 0; i < 10; i++) register(h, `2001:db8:1:2::${i.toString(16)}`);
    assert.equal(refusal(() => register(h, '2001:db8:1:2:ffff:1:2:3')).status, 429);
    register(h, '2001:db8:1:3::1');
  });

  it('keys addresses as the limit counts them', () => {
    assert.equal(addressKey('192.0.2.7'), '192.0.2.7');
    assert.equal(addressKey('::FFFF:192.0.2.7'), '192.0.2.7');
    assert.equal(addressKey('2001:db8:1:2:3:4:5:6'), '2001:db8:1:2::/64');
    assert.equal(addressKey('2001:0db8:0001:0002::9'), '2001:db8:1:2::/64');
    assert.equal(addressKey('2001:db8::1'), '2001:db8:0:0::/64');
    assert.equal(addressKey('::1'), '0:0:0:0::/64');
    assert.equal(addressKey('fe80::1%eth0'), 'fe80:0:0:0::/64');
    assert.equal(addressKey('unknown'), 'unknown');
  });

  it('remembers a bounded number of addresses, forgetting the longest idle first', () => {
    const h = withLimits({ maxAddresses: 2 });
    for (let i = 0; i < 10; i++) register(h, '192.0.2.1');
    register(h, '192.0.2.2');
    register(h, '192.0.2.3');
    register(h, '192.0.2.1');
  });
});

describe('registrations that never signed in', () => {
  it('are at most maxUnused: the next is refused with 429 until the oldest is 30 minutes old', () => {
    const h = withLimits({ maxUnused: 3 });
    const first = register(h, '192.0.2.1');
    h.advance(10 * MINUTE);
    register(h, '192.0.2.2');
    register(h, '192.0.2.3');
    const err = refusal(() => register(h, '192.0.2.4'));
    assert.equal(err.status, 429);
    assert.equal(err.error, 'too_many_requests');
    assert.equal(
      err.message,
      'too many clients are registered and have not signed in yet (3); try again in 1200 s'
    );
    assert.deepEqual(err.headers, { 'retry-after': '1200' });
    h.advance(20 * MINUTE);
    const fourth = register(h, '192.0.2.4');
    assert.equal(h.store.client(first), undefined, 'the oldest gave way');
    assert.ok(h.store.client(fourth));
    assert.equal(h.store.unusedClients().count, 3);
  });

  it('never counts, expires or gives way a client that signed in', async () => {
    const h = withLimits({ maxUnused: 2 });
    const { clientId, refresh_token: refresh } = await signIn(h);
    const unused = register(h, '192.0.2.1');
    register(h, '192.0.2.2');
    h.advance(DAY + 1);
    for (let i = 0; i < 6; i++) {
      register(h, `192.0.2.${10 + i}`);
      h.advance(31 * MINUTE);
    }
    assert.equal(h.store.client(unused), undefined);
    assert.ok(h.store.client(clientId));
    assert.equal(await known(h, clientId), true);
    const tokens = h.server.token(
      { grant_type: 'refresh_token', client_id: clientId, refresh_token: refresh },
      undefined,
      urls
    );
    assert.ok(tokens.access_token);
  });

  it('keeps a client that signed in after its grant ends, so it can sign in again', async () => {
    const h = withLimits();
    const { clientId } = await signIn(h);
    for (const grant of h.server.grants()) h.server.revokeGrant(grant.id);
    h.advance(365 * DAY);
    register(h, '192.0.2.1');
    assert.equal(await known(h, clientId), true);
  });

  it('expire a day after they were made: unknown at once, deleted by the next registration', async () => {
    const h = withLimits();
    const old = register(h, '192.0.2.1');
    h.advance(DAY - 1);
    assert.equal(await known(h, old), true);
    h.advance(1);
    assert.equal(await known(h, old), false);
    assert.match(
      await pageMessage(h.server.authorize(authorizeQuery(old, pkce().challenge), urls)),
      /cannot sign in here: unknown client/
    );
    assert.ok(h.store.client(old), 'still stored until the next registration');
    register(h, '192.0.2.2');
    assert.equal(h.store.client(old), undefined);
  });
});

describe('what a registration may hold', () => {
  it('refuses a redirect URI longer than 2,000 characters, without repeating it', () => {
    const h = withLimits();
    const long = `https://app.example/${'a'.repeat(2_001 - 'https://app.example/'.length)}`;
    const err = refusal(() => h.server.register({ redirect_uris: [REDIRECT, long] }, '192.0.2.1'));
    assert.equal(err.error, 'invalid_redirect_uri');
    assert.equal(err.message, 'a redirect URI is longer than 2000 characters');
    const fits = long.slice(0, 2_000);
    assert.deepEqual(h.server.register({ redirect_uris: [fits] }, '192.0.2.1').redirect_uris, [fits]);
  });

  it('keeps nothing a client sends besides its name, URI and redirect URIs', () => {
    const h = withLimits();
    const answer = h.server.register(
      { redirect_uris: [REDIRECT], client_name: 'A', logo_uri: 'https://x', contacts: ['a@b'], jwks: {} },
      '192.0.2.1'
    );
    assert.deepEqual(Object.keys(h.store.client(answer.client_id as string)!).sort(), [
      'clientId',
      'clientName',
      'clientUri',
      'created',
      'redirectUris',
      'signedIn',
    ]);
  });
});

describe('the authorization request’s parameters', () => {
  it('stops at a page for a parameter over 2,000 characters, before looking up the client', async () => {
    const h = withLimits();
    const clientId = register(h, '192.0.2.1');
    assert.equal(MAX_PARAMETER_CHARS, 2_000);
    for (const name of ['state', 'redirect_uri', 'client_id', 'scope', 'whatever']) {
      const query = authorizeQuery(clientId, pkce().challenge, { [name]: 'x'.repeat(2_001) });
      assert.equal(
        await pageMessage(h.server.authorize(query, urls)),
        `The client sent a ${name} longer than 2000 characters. Start again from your client.`
      );
    }
    const fits = authorizeQuery(clientId, pkce().challenge, { state: 's'.repeat(2_000) });
    assert.match((await h.server.authorize(fits, urls)).location, /^http:\/\/ha\.example\.org:8123\//);
  });
});

describe('over HTTP', () => {
  const app = (h: Harness) =>
    createOAuthRoutes({ server: h.server, baseUrl: () => ISSUER, log: createLogger('error', () => {}) });

  it('answers a refused registration with 429, Retry-After and an OAuth error, even before parsing', async () => {
    const h = withLimits();
    const routes = app(h);
    const post = (body: string) =>
      routes.request('/oauth/register', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
    for (let i = 0; i < 10; i++) {
      assert.equal((await post(JSON.stringify({ redirect_uris: [REDIRECT] }))).status, 201);
    }
    for (const body of [JSON.stringify({ redirect_uris: [REDIRECT] }), '{not json']) {
      const res = await post(body);
      assert.equal(res.status, 429);
      assert.equal(res.headers.get('retry-after'), '360');
      assert.equal(res.headers.get('cache-control'), 'no-store');
      assert.deepEqual(await res.json(), {
        error: 'too_many_requests',
        error_description: 'too many registrations from this address; try again in 360 s',
      });
    }
    assert.equal(h.store.unusedClients().count, 10);
  });
});
