/**
 * The add-on as an OAuth authorization server, end to end against the real test Home Assistant: discovery,
 * registration, the authorization request, the login at HA (driven over HA's REST login flow, as HA's
 * login page drives it), the consent page, code for tokens with PKCE, MCP calls with the access token
 * acting as the HA user, refresh rotation and replay, revocation; and the refusals, each with a clear error.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ADMIN, PLAIN_USER } from '../support/ha/onboard.js';
import { restJson } from '../support/ha/ha-api.js';
import { testHa, type TestHaInfo } from '../support/ha/fixture.js';
import { postMcp } from '../support/mcp-post.js';
import { startServer, type RunningServer, PLAIN_USERS } from '../support/server-process.js';
import {
  authorize as authorizeAt,
  CALLBACK,
  decide as decideAt,
  exchange as exchangeAt,
  hidden,
  loginAtHa as loginAt,
  pkce,
  registerOAuthClient,
  tokenRequest,
  type OAuthClient as Client,
} from '../support/oauth-sign-in.js';

describe('OAuth: sign in at Home Assistant, use MCP with the add-on’s tokens', () => {
  let ha: TestHaInfo;
  let server: RunningServer;
  let base: string;
  let resource: string;

  before(async () => {
    ha = await testHa();
    server = await startServer({ HA_URL: ha.url, HA_TOKEN: ha.adminToken }, PLAIN_USERS);
    await server.waitForLog(/Home Assistant model ready/);
    base = server.mcpUrl;
    resource = `${base}/api/mcp`;
  });
  after(async () => {
    await server?.stop();
  });

  const register = (name = 'Flow test', redirectUris = [CALLBACK]) =>
    registerOAuthClient(base, name, redirectUris);
  const authorize = (client: Client, extra: Record<string, string> = {}) => authorizeAt(base, client, extra);
  const loginAtHa = (haAuthorize: URL, user: { username: string; password: string }) =>
    loginAt(ha.url, haAuthorize, user);

  /** Through HA's login to the consent page: the page, and the policy it came with. */
  const openConsent = async (client: Client, user = PLAIN_USER) => {
    const first = await authorize(client);
    assert.equal(first.status, 302, await first.text());
    const haAuthorize = new URL(first.headers.get('location')!);
    assert.equal(haAuthorize.origin, new URL(ha.url).origin);
    assert.equal(haAuthorize.pathname, '/auth/authorize');
    const consent = await fetch(await loginAtHa(haAuthorize, user), { redirect: 'manual' });
    assert.equal(consent.status, 200);
    assert.equal(consent.headers.get('x-frame-options'), 'DENY');
    const policy = consent.headers.get('content-security-policy') ?? '';
    assert.match(policy, /frame-ancestors 'none'/);
    const page = await consent.text();
    assert.ok(page.includes(client.name), page);
    assert.match(page, new RegExp(user === PLAIN_USER ? 'Guest' : 'Demo Owner'));
    return { page, policy };
  };

  const decide = (page: string, decision: Record<string, string>) => decideAt(base, page, decision);

  const signIn = async (
    client: Client,
    user = PLAIN_USER,
    decision: Record<string, string> = { decision: 'approve', control: 'on' }
  ) => decide((await openConsent(client, user)).page, decision);

  const token = (form: Record<string, string>, headers: Record<string, string> = {}) =>
    tokenRequest(base, form, headers);
  const exchange = (client: Client, code: string, extra: Record<string, string> = {}) =>
    exchangeAt(base, client, code, extra);

  const tools = async (accessToken: string) => {
    const res = await postMcp(base, accessToken, 'tools/list');
    if (res.status !== 200) return { status: res.status, names: [] as string[] };
    const body = (await res.json()) as { result: { tools: { name: string }[] } };
    return { status: 200, names: body.result.tools.map((t) => t.name) };
  };

  it('publishes metadata strict clients accept', async () => {
    const prm = (await (await fetch(`${base}/.well-known/oauth-protected-resource/api/mcp`)).json()) as {
      resource: string;
      authorization_servers: string[];
    };
    assert.equal(prm.resource, resource);
    const issuer = prm.authorization_servers[0]!;
    const as = (await (await fetch(`${issuer}/.well-known/oauth-authorization-server`)).json()) as Record<
      string,
      unknown
    >;
    assert.equal(as.issuer, issuer);
    assert.deepEqual(as.code_challenge_methods_supported, ['S256']);
    assert.equal(as.client_id_metadata_document_supported, true);
    assert.match(String(as.token_endpoint), /^http:\/\/127\.0\.0\.1:\d+\/oauth\/token$/);
    const challenge = (await postMcp(base, '', 'tools/list')).headers.get('www-authenticate') ?? '';
    assert.match(challenge, /resource_metadata="[^"]+\/\.well-known\/oauth-protected-resource\/api\/mcp"/);
  });

  it('signs a user in at HA and lets the client use MCP as that user, then rotates and revokes', async () => {
    const client = await register();
    const back = await signIn(client);
    assert.equal(back.searchParams.get('state'), 'st4te');
    assert.equal(back.searchParams.get('iss'), base);
    const code = back.searchParams.get('code')!;
    const issued = await exchange(client, code);
    assert.equal(issued.status, 200, JSON.stringify(issued.body));
    assert.match(issued.body.access_token!, /^hamcp_at_/);
    assert.equal(issued.body.scope, 'homeassistant.read homeassistant.control');

    const offered = await tools(issued.body.access_token!);
    assert.equal(offered.status, 200);
    assert.ok(offered.names.includes('intent__HassTurnOn'));
    await restJson(ha.url, '/api/services/light/turn_off', {
      token: ha.adminToken,
      json: { entity_id: 'light.kitchen_lights' },
    });
    const call = await postMcp(base, issued.body.access_token!, 'tools/call', {
      name: 'intent__HassTurnOn',
      arguments: { name: 'Kitchen Lights' },
    });
    const result = (await call.json()) as { result: { isError: boolean; content: { text: string }[] } };
    assert.equal(result.result.isError, false, result.result.content[0]?.text);
    // HA ran it as the guest: the light's last change names the guest's user id.
    const light = await restJson<{ context: { user_id: string } }>(
      ha.url,
      '/api/states/light.kitchen_lights',
      {
        token: ha.adminToken,
      }
    );
    assert.equal(light.context.user_id, ha.userId);

    const reused = await exchange(client, code);
    assert.deepEqual([reused.status, reused.body.error], [400, 'invalid_grant']);

    const rotated = await token({
      grant_type: 'refresh_token',
      refresh_token: issued.body.refresh_token!,
      client_id: client.clientId,
    });
    assert.equal(rotated.status, 200, JSON.stringify(rotated.body));
    assert.notEqual(rotated.body.refresh_token, issued.body.refresh_token);
    assert.equal((await tools(rotated.body.access_token!)).status, 200);

    // The old refresh token again: a replay. The whole grant ends, and its newest tokens with it.
    const replay = await token({
      grant_type: 'refresh_token',
      refresh_token: issued.body.refresh_token!,
      client_id: client.clientId,
    });
    assert.deepEqual([replay.status, replay.body.error], [400, 'invalid_grant']);
    assert.equal((await tools(rotated.body.access_token!)).status, 401);
  });

  it('signs Cursor in as it registers, and sends the code to its own app scheme', async () => {
    // Cursor's registration lists its app scheme, its website and a loopback address.
    const client = await register('Cursor', [
      'cursor://anysphere.cursor-mcp/oauth/callback',
      'https://www.cursor.com/agents/mcp/oauth/callback',
      'http://localhost:8787/callback',
    ]);
    const { page, policy } = await openConsent(client);
    // The consent form's answer may redirect to the app: the page's policy allows that scheme, and says so.
    assert.match(policy, /form-action 'self' http: https: cursor:/);
    assert.match(page, /Returns to: <code>cursor:\/\/anysphere\.cursor-mcp<\/code>/);
    const back = await decide(page, { decision: 'approve' });
    assert.equal(
      `${back.protocol}//${back.host}${back.pathname}`,
      'cursor://anysphere.cursor-mcp/oauth/callback'
    );
    const issued = await exchange(client, back.searchParams.get('code')!);
    assert.equal(issued.status, 200, JSON.stringify(issued.body));
    assert.equal((await tools(issued.body.access_token!)).status, 200);
  });

  it('takes URL client ids as Home Assistant’s guide gives them, ignoring the secret a client sends', async () => {
    // ChatGPT's manual form: its own URL as the client id, a secret it insists on, client_secret_post.
    const chatgpt: Client = {
      ...pkce(),
      clientId: 'https://chatgpt.com',
      name: 'chatgpt.com',
      redirectUri: 'https://chatgpt.com/connector_platform_oauth_redirect',
    };
    const chatgptCode = (await signIn(chatgpt)).searchParams.get('code')!;
    const posted = await exchange(chatgpt, chatgptCode, { client_secret: 'anything at all' });
    assert.equal(posted.status, 200, JSON.stringify(posted.body));
    assert.equal((await tools(posted.body.access_token!)).status, 200);

    // Claude Code with Home Assistant's recipe: a localhost client id, its secret sent by HTTP Basic.
    const cli: Client = {
      ...pkce(),
      clientId: 'http://localhost:12345',
      name: 'localhost:12345',
      redirectUri: 'http://localhost:12345/callback',
    };
    const cliCode = (await signIn(cli)).searchParams.get('code')!;
    const basic = Buffer.from(`${encodeURIComponent(cli.clientId)}:secret`).toString('base64');
    const viaBasic = await token(
      {
        grant_type: 'authorization_code',
        code: cliCode,
        redirect_uri: cli.redirectUri,
        code_verifier: cli.verifier,
        resource,
      },
      { authorization: `Basic ${basic}` }
    );
    assert.equal(viaBasic.status, 200, JSON.stringify(viaBasic.body));

    // The same URL client id may not return anywhere else.
    const elsewhere = await authorize({ ...chatgpt, redirectUri: 'https://evil.example/cb' });
    assert.equal(elsewhere.status, 400);
    assert.match(await elsewhere.text(), /not one of its own addresses/);
  });

  it('gives a read-only grant no control, whatever the global setting', async () => {
    const client = await register();
    const back = await signIn(client, PLAIN_USER, { decision: 'approve' });
    const issued = await exchange(client, back.searchParams.get('code')!);
    assert.equal(issued.body.scope, 'homeassistant.read');
    const offered = await tools(issued.body.access_token!);
    assert.ok(offered.names.includes('homeassistant__GetLiveContext'));
    assert.equal(offered.names.includes('intent__HassTurnOn'), false);
    const call = await postMcp(base, issued.body.access_token!, 'tools/call', {
      name: 'intent__HassTurnOn',
      arguments: { name: 'Kitchen Lights' },
    });
    const result = (await call.json()) as { result: { isError: boolean } };
    assert.equal(result.result.isError, true);
  });

  it('revokes a token through the revocation endpoint at once', async () => {
    const client = await register();
    const issued = await exchange(client, (await signIn(client, ADMIN)).searchParams.get('code')!);
    assert.equal((await tools(issued.body.access_token!)).status, 200);
    const res = await fetch(`${base}/oauth/revoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: issued.body.refresh_token!, client_id: client.clientId }),
    });
    assert.equal(res.status, 200);
    // Refused at once, saying why, and neither the answer nor the server's log ever repeats the token.
    const refused = await postMcp(base, issued.body.access_token!, 'tools/list');
    assert.equal(refused.status, 401);
    assert.match(refused.headers.get('www-authenticate') ?? '', /error="invalid_token"/);
    const body = await refused.text();
    assert.deepEqual(JSON.parse(body), {
      error: 'invalid_token',
      error_description: 'The access token is unknown or revoked',
    });
    for (const secret of [issued.body.access_token!, issued.body.refresh_token!]) {
      assert.ok(!body.includes(secret));
      assert.ok(!server.output().includes(secret), 'a token reached the server log');
    }
  });

  it('lists sign-ins in the panel’s API, where revoking one ends its tokens at once', async () => {
    const client = await register();
    const issued = await exchange(client, (await signIn(client)).searchParams.get('code')!);
    assert.equal((await tools(issued.body.access_token!)).status, 200);
    const listed = (await (await fetch(`${server.adminUrl}/api/admin/grants`)).json()) as {
      grants: { id: string; clientId: string; clientName: string; userName: string; readOnly: boolean }[];
    };
    const grant = listed.grants.find((g) => g.clientId === client.clientId);
    assert.deepEqual(grant && [grant.clientName, grant.userName, grant.readOnly], [
      'Flow test',
      'Guest',
      false,
    ]);
    const revoked = await fetch(`${server.adminUrl}/api/admin/grants/${grant!.id}`, { method: 'DELETE' });
    assert.equal(revoked.status, 200);
    assert.equal((await tools(issued.body.access_token!)).status, 401);
    const refreshed = await token({
      grant_type: 'refresh_token',
      refresh_token: issued.body.refresh_token!,
      client_id: client.clientId,
    });
    assert.equal(refreshed.body.error, 'invalid_grant');
  });

  it('refuses a wrong PKCE verifier, a foreign redirect URI, a wrong resource, and a forged consent', async () => {
    const client = await register();
    const code = (await signIn(client)).searchParams.get('code')!;
    const wrong = await exchange(client, code, { code_verifier: pkce().verifier });
    assert.deepEqual([wrong.status, wrong.body.error], [400, 'invalid_grant']);
    assert.match(wrong.body.error_description!, /PKCE/);

    const foreign = await authorize(client, { redirect_uri: 'https://evil.example/callback' });
    assert.equal(foreign.status, 400);
    assert.match(await foreign.text(), /not one of its own addresses/);

    const wrongResource = await authorize(client, { resource: 'https://other.example/api/mcp' });
    assert.equal(wrongResource.status, 302);
    const denied = new URL(wrongResource.headers.get('location')!);
    assert.equal(denied.searchParams.get('error'), 'invalid_target');

    const noPkce = await authorize(client, { code_challenge_method: 'plain' });
    assert.equal(new URL(noPkce.headers.get('location')!).searchParams.get('error'), 'invalid_request');

    // A consent that did not come from this page changes nothing: without its CSRF token, with another
    // token, or from another site's origin. Each is checked on its own: the others are right.
    const first = await authorize(client);
    const callback = await loginAtHa(new URL(first.headers.get('location')!), PLAIN_USER);
    const page = await (await fetch(callback)).text();
    const consent = (origin: string, csrf: string | undefined) =>
      fetch(`${base}/oauth/consent`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin },
        body: new URLSearchParams({
          request: hidden(page, 'request'),
          ...(csrf !== undefined && { csrf }),
          decision: 'approve',
        }),
      });
    const forgeries = {
      'no CSRF token': await consent(base, undefined),
      'another CSRF token': await consent(
        base,
        hidden(page, 'csrf').replace(/^./, (c) => (c === 'A' ? 'B' : 'A'))
      ),
      'another origin': await consent('https://evil.example', hidden(page, 'csrf')),
    };
    for (const [how, forged] of Object.entries(forgeries)) {
      assert.equal(forged.status, 400, how);
      assert.match(await forged.text(), /did not come from the page/, how);
    }
    // The real page's answer still goes through, so the refusals were not a sign-in that had ended.
    const approved = await consent(base, hidden(page, 'csrf'));
    assert.equal(approved.status, 302);
    assert.ok(new URL(approved.headers.get('location')!).searchParams.get('code'));
  });

  it('refuses a client metadata document on a loopback address', async () => {
    const client = {
      ...pkce(),
      clientId: 'https://localhost/client-metadata.json',
      name: 'A document on loopback',
      redirectUri: CALLBACK,
    };
    const res = await authorize(client);
    assert.equal(res.status, 400);
    assert.match(await res.text(), /loopback or private address/);
  });

  it('keeps accepting Home Assistant tokens as before', async () => {
    assert.equal((await tools(ha.userToken)).status, 200);
  });
});
