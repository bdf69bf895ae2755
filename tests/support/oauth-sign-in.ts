/**
 * The add-on's OAuth sign-in as a client and a person drive it against a real Home Assistant: register,
 * the authorization request, the login at HA (over HA's REST login flow, as HA's login page drives it),
 * the consent page's answer, and the code for tokens with PKCE. Each step returns what the next needs;
 * tests that check a step look at its answer themselves.
 */
import { createHash, randomBytes } from 'node:crypto';
import { restJson } from './ha/ha-api.js';
import { ADMIN, PLAIN_USER } from './ha/onboard.js';

export const CALLBACK = 'http://127.0.0.1:53682/callback';

export interface OAuthClient {
  verifier: string;
  challenge: string;
  clientId: string;
  name: string;
  redirectUri: string;
}

export interface Credentials {
  username: string;
  password: string;
}

export const pkce = () => {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
};

const fail = (what: string, status: number, body: string): never => {
  throw new Error(`${what}: HTTP ${status} ${body.slice(0, 500)}`);
};

export async function registerOAuthClient(
  base: string,
  name = 'Flow test',
  redirectUris = [CALLBACK]
): Promise<OAuthClient> {
  const res = await fetch(`${base}/oauth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ client_name: name, redirect_uris: redirectUris, application_type: 'native' }),
  });
  if (res.status !== 201) fail('register', res.status, await res.text());
  const body = (await res.json()) as { client_id: string };
  return { ...pkce(), clientId: body.client_id, name, redirectUri: redirectUris[0]! };
}

/** The authorization request, unfollowed: its answer redirects to HA's login (or refuses). */
export function authorize(base: string, client: OAuthClient, extra: Record<string, string> = {}) {
  const url = new URL(`${base}/oauth/authorize`);
  for (const [key, value] of Object.entries({
    response_type: 'code',
    client_id: client.clientId,
    redirect_uri: client.redirectUri,
    state: 'st4te',
    code_challenge: client.challenge,
    code_challenge_method: 'S256',
    resource: `${base}/api/mcp`,
    ...extra,
  })) {
    url.searchParams.set(key, value);
  }
  return fetch(url, { redirect: 'manual' });
}

/** HA's login page, as it runs: the login flow for the add-on's client id, then back with HA's code. */
export async function loginAtHa(haUrl: string, haAuthorize: URL, user: Credentials): Promise<URL> {
  const clientId = haAuthorize.searchParams.get('client_id')!;
  const redirectUri = haAuthorize.searchParams.get('redirect_uri')!;
  const flow = await restJson<{ flow_id: string }>(haUrl, '/auth/login_flow', {
    json: { client_id: clientId, handler: ['homeassistant', null], redirect_uri: redirectUri },
  });
  const done = await restJson<{ type: string; result: string }>(haUrl, `/auth/login_flow/${flow.flow_id}`, {
    json: { client_id: clientId, username: user.username, password: user.password },
  });
  if (done.type !== 'create_entry') throw new Error(`HA's login did not finish: ${JSON.stringify(done)}`);
  const back = new URL(redirectUri);
  back.searchParams.set('code', done.result);
  back.searchParams.set('state', haAuthorize.searchParams.get('state')!);
  return back;
}

/** A hidden field of the consent page. */
export function hidden(page: string, name: string): string {
  const value = new RegExp(`name="${name}" value="([^"]+)"`).exec(page)?.[1];
  if (!value) throw new Error(`no ${name} on the consent page`);
  return value;
}

/** The person's answer on the consent page; returns where the browser is sent back to the client. */
export async function decide(base: string, page: string, decision: Record<string, string>): Promise<URL> {
  const answer = await fetch(`${base}/oauth/consent`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: new URL(base).origin },
    body: new URLSearchParams({ request: hidden(page, 'request'), csrf: hidden(page, 'csrf'), ...decision }),
  });
  if (answer.status !== 302) fail('consent', answer.status, await answer.text());
  return new URL(answer.headers.get('location')!);
}

/** A token request; the status and body as they came. */
export async function tokenRequest(
  base: string,
  form: Record<string, string>,
  headers: Record<string, string> = {}
): Promise<{ status: number; body: Record<string, string> }> {
  const res = await fetch(`${base}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(form),
  });
  return { status: res.status, body: (await res.json()) as Record<string, string> };
}

export const exchange = (
  base: string,
  client: OAuthClient,
  code: string,
  extra: Record<string, string> = {}
) =>
  tokenRequest(base, {
    grant_type: 'authorization_code',
    code,
    redirect_uri: client.redirectUri,
    client_id: client.clientId,
    code_verifier: client.verifier,
    resource: `${base}/api/mcp`,
    ...extra,
  });

/** The whole sign-in of one of the test HA's users, approved with control; the tokens the client gets. */
export async function signInWithOAuth(options: {
  base: string;
  haUrl: string;
  user: 'owner' | 'guest';
}): Promise<{ access_token: string; refresh_token: string }> {
  const { base, haUrl } = options;
  const client = await registerOAuthClient(base);
  const first = await authorize(base, client);
  if (first.status !== 302) fail('authorize', first.status, await first.text());
  const user = options.user === 'owner' ? ADMIN : PLAIN_USER;
  const consent = await fetch(await loginAtHa(haUrl, new URL(first.headers.get('location')!), user), {
    redirect: 'manual',
  });
  if (consent.status !== 200) fail('consent page', consent.status, await consent.text());
  const back = await decide(base, await consent.text(), { decision: 'approve', control: 'on' });
  const issued = await exchange(base, client, back.searchParams.get('code') ?? '');
  if (issued.status !== 200) fail('token', issued.status, JSON.stringify(issued.body));
  return issued.body as { access_token: string; refresh_token: string };
}
