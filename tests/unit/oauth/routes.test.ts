/**
 * The OAuth endpoints over HTTP (the Hono routes, through `app.request`): the discovery documents, the
 * pages' headers (no framing, no caching, a strict content security policy), the consent form posted back,
 * how form, JSON and oversized bodies are read, HTTP Basic client ids, and OAuth errors as JSON.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createLogger } from '../../../server/src/log.js';
import type { AuthorizationServer } from '../../../server/src/oauth/authorization-server.js';
import { createOAuthRoutes, MAX_BODY_BYTES } from '../../../server/src/oauth/routes.js';
import {
  approve,
  authorizeQuery,
  ISSUER,
  oauthHarness,
  ORIGIN,
  pkce,
  redeemForm,
  REDIRECT,
  registerClient,
  startSignIn,
  urls,
  type Harness,
} from '../../support/oauth-fixture.js';

const harness = oauthHarness();
const PAGE_POLICY =
  "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; form-action 'self' http: https:";

function routes(h: Harness = harness(), base = ISSUER) {
  const logged: string[] = [];
  const app = createOAuthRoutes({
    server: h.server,
    baseUrl: () => base,
    log: createLogger('error', (line) => logged.push(line)),
  });
  return { app, h, logged };
}

const form = (fields: Record<string, string | undefined>, headers: Record<string, string> = {}) => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
  body: new URLSearchParams(
    Object.entries(fields).filter((e): e is [string, string] => e[1] !== undefined)
  ).toString(),
});

const json = (body: unknown, headers: Record<string, string> = {}) => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(body),
});

const basic = (userPass: string) => `Basic ${Buffer.from(userPass).toString('base64')}`;

/** The form on a consent page: its hidden fields. */
function consentForm(page: string): { request: string; csrf: string } {
  const value = (name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(page)?.[1];
  return { request: value('request')!, csrf: value('csrf')! };
}

describe('discovery documents', () => {
  it('serves the protected-resource metadata at both addresses', async () => {
    const { app } = routes(undefined, 'https://mcp.example.org/');
    for (const path of [
      '/.well-known/oauth-protected-resource',
      '/.well-known/oauth-protected-resource/api/mcp',
    ]) {
      const res = await app.request(path);
      assert.equal(res.status, 200, path);
      assert.deepEqual(await res.json(), {
        resource: 'https://mcp.example.org/api/mcp',
        authorization_servers: ['https://mcp.example.org'],
        scopes_supported: ['homeassistant.read', 'homeassistant.control'],
        bearer_methods_supported: ['header'],
        resource_name: 'Home Assistant (MCP Server add-on)',
      });
    }
  });

  it('serves the authorization-server metadata at both addresses', async () => {
    const { app } = routes();
    for (const path of ['/.well-known/oauth-authorization-server', '/.well-known/openid-configuration']) {
      const res = await app.request(path);
      assert.equal(res.status, 200, path);
      assert.deepEqual(await res.json(), {
        issuer: ISSUER,
        authorization_endpoint: `${ISSUER}/oauth/authorize`,
        token_endpoint: `${ISSUER}/oauth/token`,
        registration_endpoint: `${ISSUER}/oauth/register`,
        revocation_endpoint: `${ISSUER}/oauth/revoke`,
        response_types_supported: ['code'],
        response_modes_supported: ['query'],
        grant_types_supported: ['authorization_code', 'refresh_token'],
        code_challenge_methods_supported: ['S256'],
        token_endpoint_auth_methods_supported: ['none', 'client_secret_post', 'client_secret_basic'],
        revocation_endpoint_auth_methods_supported: ['none', 'client_secret_post', 'client_secret_basic'],
        scopes_supported: ['homeassistant.read', 'homeassistant.control'],
        client_id_metadata_document_supported: true,
        authorization_response_iss_parameter_supported: true,
      });
    }
  });
});

describe('registration over HTTP', () => {
  it('answers 201 with the new client, not cached', async () => {
    const { app, h } = routes();
    const res = await app.request('/oauth/register', json({ redirect_uris: [REDIRECT], client_name: 'X' }));
    assert.equal(res.status, 201);
    assert.equal(res.headers.get('cache-control'), 'no-store');
    const body = (await res.json()) as { client_id: string; client_name: string };
    assert.equal(body.client_name, 'X');
    assert.equal(h.store.client(body.client_id)?.clientName, 'X');
  });

  it('answers a body that is not JSON with invalid_client_metadata', async () => {
    const { app } = routes();
    const res = await app.request('/oauth/register', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{nope',
    });
    assert.equal(res.status, 400);
    assert.equal(res.headers.get('cache-control'), 'no-store');
    assert.deepEqual(await res.json(), {
      error: 'invalid_client_metadata',
      error_description: 'send the registration as JSON',
    });
  });

  it('answers a refused registration with its OAuth error as JSON', async () => {
    const { app } = routes();
    const res = await app.request('/oauth/register', json({ redirect_uris: [] }));
    assert.equal(res.status, 400);
    assert.deepEqual(await res.json(), {
      error: 'invalid_redirect_uri',
      error_description: 'redirect_uris must list one to twenty URIs',
    });
  });
});

describe('the pages', () => {
  const assertPageHeaders = (res: Response, policy = PAGE_POLICY) => {
    assert.equal(res.headers.get('x-frame-options'), 'DENY');
    assert.equal(res.headers.get('referrer-policy'), 'same-origin');
    assert.equal(res.headers.get('cache-control'), 'no-store');
    assert.equal(res.headers.get('content-security-policy'), policy);
    assert.equal(res.headers.get('strict-transport-security'), null);
  };

  it('redirects an authorization request to HA’s login, with the pages’ headers', async () => {
    const { app, h } = routes();
    const query = new URLSearchParams(
      authorizeQuery(registerClient(h), pkce().challenge) as Record<string, string>
    );
    const res = await app.request(`/oauth/authorize?${query}`);
    assert.equal(res.status, 302);
    assert.match(res.headers.get('location')!, /^http:\/\/ha\.example\.org:8123\/auth\/authorize\?/);
    assertPageHeaders(res);
  });

  it('shows an error page (400) for a request it cannot send back, escaping what the client sent', async () => {
    const { app } = routes();
    const res = await app.request('/oauth/authorize?client_id=%3Cscript%3Ex');
    assert.equal(res.status, 400);
    assert.match(res.headers.get('content-type')!, /^text\/html/);
    assertPageHeaders(res);
    const page = await res.text();
    assert.match(page, /<p id="error">The client &lt;script&gt;x cannot sign in here/);
    assert.equal(page.includes('<script>'), false);
  });

  it('shows the consent page after HA’s answer, with the form that posts back here', async () => {
    const { app, h } = routes();
    const started = await startSignIn(h);
    const res = await app.request(`/oauth/ha-callback?state=${started.request}&code=c`);
    assert.equal(res.status, 200);
    assertPageHeaders(res);
    const page = await res.text();
    assert.match(page, /<form method="post" action=".\/consent">/);
    assert.equal(consentForm(page).request, started.request);
    assert.match(consentForm(page).csrf, /^[A-Za-z0-9_-]{32}$/);
    assert.match(page, /name="control" checked/);
    assert.match(page, /Returns to: <code>http:\/\/127\.0\.0\.1:40111<\/code>/);
  });

  it('lets the consent form send the browser on to an app’s own scheme', async () => {
    const { app, h } = routes();
    const clientId = registerClient(h, ['cursor://anysphere.cursor-mcp/oauth/callback']);
    const started = await startSignIn(
      h,
      { redirect_uri: 'cursor://anysphere.cursor-mcp/oauth/callback', scope: 'homeassistant.read' },
      clientId
    );
    const res = await app.request(`/oauth/ha-callback?state=${started.request}&code=c`);
    assert.equal(res.headers.get('content-security-policy'), `${PAGE_POLICY} cursor:`);
    const page = await res.text();
    assert.match(page, /It asks to read only\./);
    assert.match(page, /Returns to: <code>cursor:\/\/anysphere\.cursor-mcp<\/code>/);
  });

  it('allows an app scheme in the form action even when its address mentions https:', async () => {
    const { app, h } = routes();
    const redirect = 'com.example.app:/https:/cb';
    const clientId = registerClient(h, [redirect]);
    const started = await startSignIn(h, { redirect_uri: redirect }, clientId);
    const res = await app.request(`/oauth/ha-callback?state=${started.request}&code=c`);
    assert.equal(res.headers.get('content-security-policy'), `${PAGE_POLICY} com.example.app:`);
  });

  it('shows an error page when HA’s answer cannot be used', async () => {
    const { app } = routes();
    const res = await app.request('/oauth/ha-callback?state=nope&code=c');
    assert.equal(res.status, 400);
    assertPageHeaders(res);
    assert.match(await res.text(), /This sign-in has expired or is unknown/);
  });

  it('sends the client back with access_denied when the login at HA was not completed', async () => {
    const { app, h } = routes();
    const started = await startSignIn(h);
    const res = await app.request(`/oauth/ha-callback?state=${started.request}`);
    assert.equal(res.status, 302);
    assert.equal(new URL(res.headers.get('location')!).searchParams.get('error'), 'access_denied');
  });
});

describe('the consent POST', () => {
  const toConsentPage = async () => {
    const r = routes();
    const started = await startSignIn(r.h);
    const page = await (await r.app.request(`/oauth/ha-callback?state=${started.request}&code=c`)).text();
    return { ...r, started, fields: consentForm(page) };
  };

  it('accepts the page’s form from this server’s origin: back to the client with a code', async () => {
    const { app, h, fields } = await toConsentPage();
    const res = await app.request(
      '/oauth/consent',
      form({ ...fields, decision: 'approve', control: 'on' }, { origin: ORIGIN })
    );
    assert.equal(res.status, 302);
    const back = new URL(res.headers.get('location')!);
    assert.equal(`${back.origin}${back.pathname}`, REDIRECT);
    assert.match(back.searchParams.get('code')!, /^hamcp_ac_/);
    assert.equal(back.searchParams.get('iss'), ISSUER);
    assert.equal(res.headers.get('x-frame-options'), 'DENY');
    assert.equal(res.headers.get('cache-control'), 'no-store');
    assert.deepEqual(h.store.grants()[0]?.scope, ['homeassistant.read', 'homeassistant.control']);
  });

  it('refuses the form without its CSRF token, even from the right Origin', async () => {
    const { app, h, fields } = await toConsentPage();
    const res = await app.request(
      '/oauth/consent',
      form({ request: fields.request, decision: 'approve' }, { origin: ORIGIN })
    );
    assert.equal(res.status, 400);
    assert.match(await res.text(), /did not come from the page this server showed/);
    assert.deepEqual(h.store.grants(), []);
  });

  it('refuses the form with a wrong CSRF token, even from the right Origin', async () => {
    const { app, h, fields } = await toConsentPage();
    const res = await app.request(
      '/oauth/consent',
      form({ ...fields, csrf: `${fields.csrf.slice(1)}x`, decision: 'approve' }, { origin: ORIGIN })
    );
    assert.equal(res.status, 400);
    assert.match(await res.text(), /did not come from the page this server showed/);
    assert.deepEqual(h.store.grants(), []);
  });

  it('refuses the form posted from another origin', async () => {
    const { app, h, fields } = await toConsentPage();
    const res = await app.request(
      '/oauth/consent',
      form({ ...fields, decision: 'approve' }, { origin: 'https://evil.example' })
    );
    assert.equal(res.status, 400);
    assert.match(await res.text(), /did not come from the page this server showed/);
    assert.deepEqual(h.store.grants(), []);
  });

  it('reads a JSON body too, ignoring values that are not text', async () => {
    const { app, h, fields } = await toConsentPage();
    const res = await app.request(
      '/oauth/consent',
      json({ ...fields, decision: 'approve', control: true }, { origin: ORIGIN })
    );
    assert.equal(res.status, 302);
    assert.deepEqual(h.store.grants()[0]?.scope, ['homeassistant.read']);
  });

  it('reads a JSON body that does not parse as no fields', async () => {
    const { app } = routes();
    const res = await app.request('/oauth/consent', {
      method: 'POST',
      headers: { 'content-type': 'Application/JSON; charset=utf-8' },
      body: '{nope',
    });
    assert.equal(res.status, 400);
    assert.match(await res.text(), /expired or is unknown/);
  });

  it('accepts a form content type with parameters, in any case', async () => {
    const { app, fields } = await toConsentPage();
    const res = await app.request(
      '/oauth/consent',
      form(
        { ...fields, decision: 'approve' },
        { 'content-type': 'Application/X-WWW-Form-Urlencoded; charset=UTF-8', origin: ORIGIN }
      )
    );
    assert.equal(res.status, 302);
  });

  it('refuses other content types with invalid_request', async () => {
    const { app } = routes();
    for (const type of [
      undefined,
      'text/plain',
      'multipart/form-data; boundary=x',
      'x application/json',
      'x application/x-www-form-urlencoded',
    ]) {
      const res = await app.request('/oauth/consent', {
        method: 'POST',
        headers: type ? { 'content-type': type } : {},
        body: 'request=x',
      });
      assert.equal(res.status, 400, type);
      assert.equal(res.headers.get('cache-control'), 'no-store');
      assert.deepEqual(await res.json(), {
        error: 'invalid_request',
        error_description: 'send the parameters as application/x-www-form-urlencoded',
      });
    }
  });
});

describe('body size', () => {
  const LIMIT = MAX_BODY_BYTES;
  const tooLarge = {
    error: 'invalid_request',
    error_description: `the request body must not exceed ${LIMIT} bytes`,
  };
  const POSTS = ['/oauth/register', '/oauth/token', '/oauth/revoke', '/oauth/consent'];
  /** A POST whose body comes as a stream (no length unless the headers declare one). */
  const streamed = (path: string, body: ReadableStream, headers: Record<string, string>) =>
    new Request(`http://localhost${path}`, { method: 'POST', headers, body, duplex: 'half' } as RequestInit);

  it('is 8 KiB on every OAuth endpoint', () => assert.equal(LIMIT, 8 * 1024));

  it('refuses a body whose declared length is over the limit with 413, before reading it', async () => {
    const { app, h } = routes();
    for (const path of POSTS) {
      for (const type of ['application/x-www-form-urlencoded', 'application/json']) {
        let pulled = 0;
        const body = new ReadableStream({
          pull(controller) {
            pulled++;
            controller.enqueue(new TextEncoder().encode('grant_type=x&'));
          },
        });
        const res = await app.request(
          streamed(path, body, { 'content-type': type, 'content-length': String(LIMIT + 1) })
        );
        assert.equal(res.status, 413, `${path} ${type}`);
        assert.equal(res.headers.get('cache-control'), 'no-store');
        assert.deepEqual(await res.json(), tooLarge);
        assert.ok(pulled <= 1, `${path}: ${pulled} chunks read`);
      }
    }
    assert.deepEqual(h.store.unusedClients(), { count: 0 }, 'nothing registered');
  });

  it('counts a body that declares no length as it comes, and stops reading at the limit', async () => {
    const { app, h } = routes();
    for (const path of POSTS) {
      let sent = 0;
      const endless = new ReadableStream<Uint8Array>({
        pull(controller) {
          sent += 1024;
          controller.enqueue(new Uint8Array(1024).fill(0x61));
        },
      });
      const res = await app.request(streamed(path, endless, { 'content-type': 'application/json' }));
      assert.equal(res.status, 413, path);
      assert.deepEqual(await res.json(), tooLarge);
      assert.ok(sent <= LIMIT + 2 * 1024, `${path}: read ${sent} bytes of an endless body`);
    }
    assert.deepEqual(h.store.unusedClients(), { count: 0 }, 'nothing registered');
  });

  it('reads a form of exactly the limit', async () => {
    const { app } = routes();
    const body = `grant_type=x&pad=${'p'.repeat(LIMIT - 'grant_type=x&pad='.length)}`;
    assert.equal(body.length, LIMIT);
    const res = await app.request('/oauth/token', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': String(LIMIT) },
      body,
    });
    assert.equal(((await res.json()) as { error: string }).error, 'invalid_client');
  });

  it('answers a body that breaks off with invalid_request, never a 500', async () => {
    const { app, logged } = routes();
    for (const path of POSTS) {
      const broken = new ReadableStream({
        pull(controller) {
          controller.error(new Error('connection reset'));
        },
      });
      const res = await app.request(
        streamed(path, broken, { 'content-type': 'application/x-www-form-urlencoded' })
      );
      assert.equal(res.status, 400, path);
      assert.deepEqual(await res.json(), {
        error: 'invalid_request',
        error_description: 'the request body could not be read',
      });
    }
    assert.deepEqual(logged, []);
  });

  it('refuses any body at all on the discovery documents', async () => {
    const { app } = routes();
    for (const path of ['/.well-known/oauth-authorization-server', '/.well-known/oauth-protected-resource']) {
      const res = await app.request(path, { method: 'POST', body: 'x' });
      assert.equal(res.status, 413, path);
      assert.equal(((await res.json()) as { error: string }).error, 'invalid_request');
    }
  });

  it('answers JSON that is not an object as a request without fields (4xx, never 500)', async () => {
    const { app, logged } = routes();
    const expected = [
      ['/oauth/token', 401, 'invalid_client'],
      ['/oauth/consent', 400, undefined],
      ['/oauth/revoke', 200, undefined],
      ['/oauth/register', 400, 'invalid_redirect_uri'],
    ] as const;
    for (const body of ['null', '[]', '7', '"x"', 'true', '[{"grant_type":"refresh_token"}]']) {
      for (const [path, status, error] of expected) {
        const res = await app.request(path, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
        });
        assert.equal(res.status, status, `${path} ${body}`);
        if (error) assert.equal(((await res.json()) as { error: string }).error, error);
      }
    }
    assert.deepEqual(logged, []);
  });
});

describe('the token endpoint over HTTP', () => {
  it('answers a good code with tokens, never cached', async () => {
    const { app, h } = routes();
    const approved = await approve(h);
    const res = await app.request('/oauth/token', form(redeemForm(approved)));
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('cache-control'), 'no-store');
    assert.equal(res.headers.get('pragma'), 'no-cache');
    const body = (await res.json()) as { access_token: string; token_type: string };
    assert.equal(body.token_type, 'Bearer');
    assert.equal((await h.server.authenticate(body.access_token)).ok, true);
  });

  it('answers OAuth errors as JSON with their status', async () => {
    const { app } = routes();
    const res = await app.request('/oauth/token', form({ grant_type: 'authorization_code' }));
    assert.equal(res.status, 401);
    assert.equal(res.headers.get('cache-control'), 'no-store');
    assert.deepEqual(await res.json(), {
      error: 'invalid_client',
      error_description: 'client_id is required',
    });
  });

  it('takes the client id from HTTP Basic authentication, ignoring the secret', async () => {
    const { app, h } = routes();
    const approved = await approve(h);
    const { client_id: clientId, ...fields } = redeemForm(approved);
    const res = await app.request(
      '/oauth/token',
      form(fields, { authorization: basic(`${encodeURIComponent(clientId!)}:any-secret`) })
    );
    assert.equal(res.status, 200);
  });

  /** The client id the endpoint read from this Authorization header (it names it when refusing a code). */
  const basicId = async (authorization: string) => {
    const { app, h } = routes();
    const approved = await approve(h);
    const { client_id: _, ...fields } = redeemForm(approved);
    const res = await app.request('/oauth/token', form(fields, { authorization }));
    return { status: res.status, body: (await res.json()) as { error: string; error_description: string } };
  };

  it('takes a Basic user name without a colon whole', async () => {
    const { app, h } = routes();
    const approved = await approve(h);
    const { client_id: clientId, ...fields } = redeemForm(approved);
    const res = await app.request('/oauth/token', form(fields, { authorization: basic(clientId!) }));
    assert.equal(res.status, 200);
  });

  it('reads a JSON token request, ignoring values that are not text', async () => {
    const { app, h } = routes();
    const approved = await approve(h);
    const res = await app.request('/oauth/token', json({ ...redeemForm(approved), code: { not: 'text' } }));
    assert.equal(res.status, 400);
    assert.equal(((await res.json()) as { error: string }).error, 'invalid_grant');
    const good = await app.request('/oauth/token', json(redeemForm(approved)));
    assert.equal(good.status, 200);
  });

  it('decodes a URL client id sent with HTTP Basic, as RFC 6749 asks', async () => {
    const { app, h } = routes();
    const clientId = 'http://localhost:12345';
    const { verifier, challenge } = pkce();
    const toHa = await h.server.authorize(
      authorizeQuery(clientId, challenge, { redirect_uri: 'http://localhost:40999/callback' }),
      urls
    );
    assert.equal(toHa.kind, 'redirect');
    const request = new URL((toHa as { location: string }).location).searchParams.get('state')!;
    const view = await h.server.haCallback({ state: request, code: 'c' });
    assert.ok('csrf' in view);
    const back = h.server.consent({ request, csrf: view.csrf, decision: 'approve' }, ORIGIN, urls);
    const code = new URL((back as { location: string }).location).searchParams.get('code')!;
    const res = await app.request(
      '/oauth/token',
      form(
        {
          grant_type: 'authorization_code',
          code,
          code_verifier: verifier,
          redirect_uri: 'http://localhost:40999/callback',
        },
        { authorization: `basic  ${Buffer.from('http%3A%2F%2Flocalhost%3A12345:secret').toString('base64')}` }
      )
    );
    assert.equal(res.status, 200, await res.clone().text());
  });

  it('reads the whole Basic user name when there is no colon, and a badly escaped one as it is', async () => {
    // Neither is the code's client: the code is refused as another client's, which shows an id was read.
    for (const header of [basic('hamcp_client_x'), basic('hamcp%ZZclient:secret')]) {
      const { status, body } = await basicId(header);
      assert.equal(status, 400);
      assert.equal(body.error_description, 'the code was issued to another client');
    }
  });

  it('ignores an Authorization header that is not Basic, and an empty Basic user name', async () => {
    for (const header of [
      'Bearer abc',
      'Basic',
      'Basic a b',
      `${basic('x:y')} extra`,
      'xBasic abc',
      basic(':secret'),
    ]) {
      const { status, body } = await basicId(header);
      assert.equal(status, 401, header);
      assert.equal(body.error, 'invalid_client');
    }
  });

  it('answers 500 server_error and logs when the add-on itself fails', async () => {
    const failing = {
      token: () => {
        throw new Error('disk on fire');
      },
    } as unknown as AuthorizationServer;
    const logged: string[] = [];
    const app = createOAuthRoutes({
      server: failing,
      baseUrl: () => ISSUER,
      log: createLogger('error', (line) => logged.push(line)),
    });
    const res = await app.request('/oauth/token', form({ grant_type: 'x' }));
    assert.equal(res.status, 500);
    assert.deepEqual(await res.json(), {
      error: 'server_error',
      error_description: 'the add-on failed; see its log',
    });
    assert.equal(logged.length, 1);
    assert.match(logged[0]!, /ERROR: OAuth endpoint failed.*disk on fire/);
  });
});

describe('revocation over HTTP', () => {
  it('answers 200 with no body, and the token stops working', async () => {
    const { app, h } = routes();
    const approved = await approve(h);
    const tokens = h.server.token(redeemForm(approved), undefined, urls);
    const res = await app.request('/oauth/revoke', form({ token: tokens.refresh_token }));
    assert.equal(res.status, 200);
    assert.equal(await res.text(), '');
    assert.equal((await h.server.authenticate(tokens.access_token)).ok, false);
  });

  it('answers 200 for an unknown token', async () => {
    const { app } = routes();
    const res = await app.request('/oauth/revoke', form({ token: 'hamcp_rt_unknown' }));
    assert.equal(res.status, 200);
  });
});
