/**
 * Dynamic client registration (RFC 7591) and the authorization request: which clients and redirect URIs
 * are trusted (a page, never a redirect, when they are not), the errors sent back to a trusted client
 * (response type, PKCE S256, `resource` audience, scopes), and the redirect to Home Assistant's login.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  authorizeQuery,
  ISSUER,
  location,
  MINUTE,
  oauthHarness,
  pageMessage,
  pkce,
  REDIRECT,
  registerClient,
  refusal,
  START,
  startSignIn,
  toConsent,
  urls,
} from '../../support/oauth-fixture.js';

const harness = oauthHarness();

describe('dynamic client registration', () => {
  it('registers a public client and answers with what RFC 7591 asks', () => {
    const h = harness();
    const answer = h.server.register({
      redirect_uris: [REDIRECT, 'https://app.example/cb'],
      client_name: 'Test client',
      client_uri: 'https://app.example',
    });
    const clientId = answer.client_id as string;
    assert.match(clientId, /^hamcp_client_[A-Za-z0-9_-]{22}$/);
    assert.deepEqual(answer, {
      client_id: clientId,
      client_id_issued_at: Math.floor(START / 1000),
      client_name: 'Test client',
      client_uri: 'https://app.example',
      redirect_uris: [REDIRECT, 'https://app.example/cb'],
      token_endpoint_auth_method: 'none',
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
    });
    assert.deepEqual(h.store.client(clientId), {
      clientId,
      clientName: 'Test client',
      clientUri: 'https://app.example',
      redirectUris: [REDIRECT, 'https://app.example/cb'],
      created: START,
      signedIn: null,
    });
  });

  it('issues a new client id on every registration', () => {
    const h = harness();
    assert.notEqual(registerClient(h), registerClient(h));
  });

  it('rounds the issue time down to seconds', () => {
    const h = harness();
    h.advance(999);
    assert.equal(h.server.register({ redirect_uris: [REDIRECT] }).client_id_issued_at, START / 1000);
  });

  it('leaves out a name and URI that are not text, and cuts long ones', () => {
    const h = harness();
    const plain = h.server.register({ redirect_uris: [REDIRECT], client_name: 7, client_uri: ['x'] });
    assert.equal('client_name' in plain, false);
    assert.equal('client_uri' in plain, false);
    assert.equal(h.store.client(plain.client_id as string)?.clientName, null);
    assert.equal(h.store.client(plain.client_id as string)?.clientUri, null);

    const long = h.server.register({
      redirect_uris: [REDIRECT],
      client_name: 'n'.repeat(300),
      client_uri: `https://app.example/${'u'.repeat(3_000)}`,
    });
    assert.equal(long.client_name, 'n'.repeat(200));
    assert.equal((long.client_uri as string).length, 2_000);
    assert.equal(h.store.client(long.client_id as string)?.clientName, 'n'.repeat(200));
  });

  it('refuses registrations without one to twenty redirect URIs', () => {
    const h = harness();
    for (const body of [
      undefined,
      null,
      'redirect_uris',
      {},
      { redirect_uris: 'https://app.example/cb' },
      { redirect_uris: [] },
      { redirect_uris: Array.from({ length: 21 }, (_, i) => `https://app.example/${i}`) },
    ]) {
      const err = refusal(() => h.server.register(body));
      assert.equal(err.error, 'invalid_redirect_uri', JSON.stringify(body));
      assert.equal(err.status, 400);
      assert.equal(err.message, 'redirect_uris must list one to twenty URIs');
    }
    const twenty = Array.from({ length: 20 }, (_, i) => `https://app.example/${i}`);
    assert.deepEqual(h.server.register({ redirect_uris: twenty }).redirect_uris, twenty);
  });

  it('refuses a redirect URI that is not https, loopback http or an app’s own scheme', () => {
    const h = harness();
    for (const bad of ['http://evil.example/cb', 'javascript:alert(1)', 42]) {
      const err = refusal(() => h.server.register({ redirect_uris: [REDIRECT, bad] }));
      assert.equal(err.error, 'invalid_redirect_uri');
      assert.equal(
        err.message,
        `not a usable redirect URI (https, http to loopback, or an app's own scheme): ${String(bad)}`
      );
    }
  });
});

describe('the authorization request', () => {
  it('sends the browser to Home Assistant’s login as the add-on’s own client', async () => {
    const asked: string[] = [];
    const h = harness({
      haLoginUrl: (issuer) => {
        asked.push(issuer);
        return { url: 'http://ha.example.org:8123' };
      },
    });
    const clientId = registerClient(h);
    const outcome = await h.server.authorize(authorizeQuery(clientId, pkce().challenge), urls);
    const to = location(outcome);
    assert.equal(`${to.origin}${to.pathname}`, 'http://ha.example.org:8123/auth/authorize');
    assert.deepEqual([...to.searchParams.keys()].sort(), [
      'client_id',
      'redirect_uri',
      'response_type',
      'state',
    ]);
    assert.equal(to.searchParams.get('response_type'), 'code');
    assert.equal(to.searchParams.get('client_id'), `${ISSUER}/`);
    assert.equal(to.searchParams.get('redirect_uri'), `${ISSUER}/oauth/ha-callback`);
    // The state HA hands back names the sign-in under way: not the client's state.
    const state = to.searchParams.get('state')!;
    assert.match(state, /^[A-Za-z0-9_-]{32}$/);
    assert.deepEqual(asked, [ISSUER]);
  });

  it('starts a separate sign-in each time', async () => {
    const h = harness();
    const clientId = registerClient(h);
    const a = await startSignIn(h, {}, clientId);
    const b = await startSignIn(h, {}, clientId);
    assert.notEqual(a.request, b.request);
  });

  it('shows a page when the client does not say who it is', async () => {
    const h = harness();
    const message = await pageMessage(
      h.server.authorize(authorizeQuery('', pkce().challenge, { client_id: undefined }), urls)
    );
    assert.equal(message, 'The client did not say who it is (client_id is missing).');
    assert.equal(
      await pageMessage(h.server.authorize(authorizeQuery('', pkce().challenge), urls)),
      'The client did not say who it is (client_id is missing).'
    );
  });

  it('shows a page when the client cannot be checked', async () => {
    const h = harness({
      wrapStore: (store) => ({
        ...store,
        client: () => {
          throw new Error('SQLITE_BUSY');
        },
      }),
    });
    const message = await pageMessage(
      h.server.authorize(authorizeQuery('hamcp_client_x', pkce().challenge), urls)
    );
    assert.equal(message, 'The client hamcp_client_x cannot sign in here: it cannot be checked.');
  });

  it('shows a page, not a redirect, for a client it does not know', async () => {
    const h = harness();
    const message = await pageMessage(
      h.server.authorize(authorizeQuery('hamcp_client_nobody', pkce().challenge), urls)
    );
    assert.equal(
      message,
      'The client hamcp_client_nobody cannot sign in here: unknown client: hamcp_client_nobody.'
    );
  });

  it('shows a page for a redirect URI the client did not register, or none', async () => {
    const h = harness();
    const clientId = registerClient(h);
    const other = h.server.authorize(
      authorizeQuery(clientId, pkce().challenge, { redirect_uri: 'https://evil.example/cb' }),
      urls
    );
    assert.equal(
      await pageMessage(other),
      `The client ${clientId} asked to return to https://evil.example/cb, which is not one of its own addresses.`
    );
    const none = h.server.authorize(
      authorizeQuery(clientId, pkce().challenge, { redirect_uri: undefined }),
      urls
    );
    assert.equal(
      await pageMessage(none),
      `The client ${clientId} asked to return to (nothing), which is not one of its own addresses.`
    );
    const empty = h.server.authorize(authorizeQuery(clientId, pkce().challenge, { redirect_uri: '' }), urls);
    assert.match(await pageMessage(empty), /which is not one of its own addresses/);
  });

  it('lets a registered loopback redirect URI come back on another port', async () => {
    const h = harness();
    const clientId = registerClient(h);
    const to = location(
      await h.server.authorize(
        authorizeQuery(clientId, pkce().challenge, { redirect_uri: 'http://127.0.0.1:5999/callback' }),
        urls
      )
    );
    assert.equal(to.host, 'ha.example.org:8123');
  });

  /** The error redirect a trusted client receives for this request. */
  const errorBack = async (overrides: Record<string, string | undefined>) => {
    const h = harness();
    const clientId = registerClient(h);
    const back = location(
      await h.server.authorize(authorizeQuery(clientId, pkce().challenge, overrides), urls)
    );
    assert.equal(`${back.origin}${back.pathname}`, REDIRECT);
    return Object.fromEntries(back.searchParams);
  };

  it('sends a trusted client back with unsupported_response_type for anything but code', async () => {
    for (const responseType of ['token', undefined]) {
      assert.deepEqual(await errorBack({ response_type: responseType }), {
        error: 'unsupported_response_type',
        error_description: 'only response_type=code is supported',
        state: 'abc',
        iss: ISSUER,
      });
    }
  });

  it('leaves out a state the client did not send', async () => {
    const back = await errorBack({ response_type: 'token', state: undefined });
    assert.equal('state' in back, false);
    assert.equal(back.iss, ISSUER);
  });

  it('requires PKCE with S256 and a well-formed challenge', async () => {
    for (const overrides of [
      { code_challenge_method: 'plain' },
      { code_challenge_method: undefined },
      { code_challenge: undefined },
      { code_challenge: '' },
      { code_challenge: 'too-short' },
      { code_challenge: `${'a'.repeat(42)}+` },
    ]) {
      assert.deepEqual(
        await errorBack(overrides),
        {
          error: 'invalid_request',
          error_description: 'PKCE with code_challenge_method=S256 is required',
          state: 'abc',
          iss: ISSUER,
        },
        JSON.stringify(overrides)
      );
    }
  });

  it('requires the resource, and only this server’s MCP endpoint', async () => {
    assert.deepEqual(await errorBack({ resource: undefined }), {
      error: 'invalid_target',
      error_description: `resource is required: ${ISSUER}/api/mcp`,
      state: 'abc',
      iss: ISSUER,
    });
    for (const resource of ['https://other.example/api/mcp', `${ISSUER}/api`, `${ISSUER}/api/mcp/x`]) {
      assert.deepEqual(await errorBack({ resource }), {
        error: 'invalid_target',
        error_description: `this server is ${ISSUER}/api/mcp, not ${resource}`,
        state: 'abc',
        iss: ISSUER,
      });
    }
  });

  it('accepts the resource with trailing slashes', async () => {
    const h = harness();
    const started = await startSignIn(h, { resource: `${urls.resource}//` });
    assert.ok(started.request);
  });

  it('refuses unknown scopes and names them', async () => {
    assert.deepEqual(await errorBack({ scope: 'homeassistant.read admin  root' }), {
      error: 'invalid_scope',
      error_description: 'unknown scope: admin root',
      state: 'abc',
      iss: ISSUER,
    });
  });

  it('asks for control when the client asks for every scope or names none', async () => {
    for (const scope of [undefined, '', ' ', 'homeassistant.read homeassistant.control']) {
      const h = harness();
      const { view } = await toConsent(h, { scope });
      assert.equal(view.wantsControl, true, JSON.stringify(scope));
    }
  });

  it('asks to read only when the client asks for reading only', async () => {
    const h = harness();
    const { view } = await toConsent(h, { scope: 'homeassistant.read' });
    assert.equal(view.wantsControl, false);
  });

  it('shows a page when Home Assistant’s login cannot be reached from where the client is', async () => {
    const h = harness({ haLoginUrl: () => ({ problem: 'it has no external URL.' }) });
    const message = await pageMessage(
      h.server.authorize(authorizeQuery(registerClient(h), pkce().challenge), urls)
    );
    assert.equal(message, 'You sign in at Home Assistant, but it has no external URL.');
  });

  it('waits for an asynchronous login address', async () => {
    const h = harness({ haLoginUrl: async () => ({ url: 'https://ha.example.net' }) });
    const to = location(await h.server.authorize(authorizeQuery(registerClient(h), pkce().challenge), urls));
    assert.equal(to.origin, 'https://ha.example.net');
  });

  it('forgets a sign-in under way after ten minutes', async () => {
    const h = harness();
    const late = await startSignIn(h);
    const inTime = await startSignIn(h);
    h.advance(10 * MINUTE - 1);
    assert.ok('csrf' in (await h.server.haCallback({ state: inTime.request, code: 'c' })));
    h.advance(1);
    assert.equal(
      await pageMessage(h.server.haCallback({ state: late.request, code: 'c' })),
      'This sign-in has expired or is unknown. Start again from your client.'
    );
  });

  it('keeps a sign-in under way for as long as it is tuned to', async () => {
    const h = harness({ tuning: { pendingTtlMs: MINUTE } });
    const started = await startSignIn(h);
    h.advance(MINUTE);
    assert.match(
      await pageMessage(h.server.haCallback({ state: started.request, code: 'c' })),
      /expired or is unknown/
    );
  });
});

describe('URL client ids', () => {
  it('lets a URL client id return to its own origin, and names it by its host', async () => {
    const h = harness();
    const clientId = 'https://claude.ai';
    const { view } = await toConsent(
      h,
      { client_id: clientId, redirect_uri: 'https://claude.ai/api/mcp/auth_callback' },
      clientId
    );
    assert.equal(view.clientName, 'claude.ai');
    assert.equal(view.clientId, clientId);
    assert.equal(view.returnsTo, 'https://claude.ai');
  });

  it('lets a loopback URL client id return on another port of the same host', async () => {
    const h = harness();
    const clientId = 'http://localhost:12345';
    const { view } = await toConsent(
      h,
      { client_id: clientId, redirect_uri: 'http://localhost:40999/callback' },
      clientId
    );
    assert.equal(view.clientName, 'localhost:12345');
  });

  it('refuses another origin for a URL client id whose page cannot be read', async () => {
    const h = harness();
    const clientId = 'https://127.0.0.1:1';
    const outcome = h.server.authorize(
      authorizeQuery(clientId, pkce().challenge, { redirect_uri: 'https://evil.example/cb' }),
      urls
    );
    assert.match(await pageMessage(outcome), /which is not one of its own addresses/);
  });

  it('never looks up a page for a loopback http URL client id', async () => {
    const h = harness();
    const outcome = h.server.authorize(
      authorizeQuery('http://localhost:12345', pkce().challenge, { redirect_uri: 'https://evil.example/cb' }),
      urls
    );
    assert.match(await pageMessage(outcome), /not one of its own addresses/);
  });

  it('refuses a client id that is an http URL off this machine', async () => {
    const h = harness();
    const outcome = h.server.authorize(
      authorizeQuery('http://client.example', pkce().challenge, { redirect_uri: 'http://client.example/cb' }),
      urls
    );
    assert.equal(
      await pageMessage(outcome),
      'The client http://client.example cannot sign in here: unknown client: http://client.example.'
    );
  });

  it('explains why a client metadata document on a private address cannot be used', async () => {
    const h = harness();
    const clientId = 'https://127.0.0.1:1/client.json';
    const outcome = h.server.authorize(
      authorizeQuery(clientId, pkce().challenge, { client_id: clientId }),
      urls
    );
    assert.equal(
      await pageMessage(outcome),
      `The client ${clientId} cannot sign in here: 127.0.0.1 points at a loopback or private address, which is not allowed.`
    );
  });
});
