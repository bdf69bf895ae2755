/**
 * A shared setup for the authorization server's tests: an `AuthorizationServer` over the real OAuth store
 * on an in-memory SQLite database with the add-on's migrations (fast enough for mutation testing), a stand-in Home Assistant (`HaOAuth`) that records what it was asked, and a
 * clock the test moves. Helpers walk a sign-in through its steps (register, authorize, HA's callback,
 * consent, the token endpoint) so each test can stop at the step it pins.
 */
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { after } from 'node:test';
import Database from 'better-sqlite3';
import type { TokenValidator } from '../../server/src/ha/principals.js';
import { createLogger } from '../../server/src/log.js';
import {
  AuthorizationServer,
  OAuthError,
  SignInError,
  type AuthorizationServerDeps,
  type ConsentView,
  type Redirect,
} from '../../server/src/oauth/authorization-server.js';
import type { HaOAuth, HaTokens } from '../../server/src/oauth/ha-oauth.js';
import { oauthUrls } from '../../server/src/oauth/metadata.js';
import { createOAuthStore, type OAuthStore } from '../../server/src/oauth/store.js';
import { migrate } from '../../server/src/store/migrations.js';

export const quiet = createLogger('error', () => {});
export const ISSUER = 'https://mcp.example.org';
export const urls = oauthUrls(ISSUER);
export const ORIGIN = new URL(ISSUER).origin;
export const REDIRECT = 'http://127.0.0.1:40111/callback';
export const MINUTE = 60_000;
export const START = Date.UTC(2026, 10, 29);

/** A PKCE pair: a fresh verifier and its S256 challenge. */
export function pkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/** What the stand-in Home Assistant was asked, in order. */
export type HaCall =
  | { op: 'exchangeCode'; code: string; clientId: string }
  | { op: 'refresh'; refreshToken: string; clientId: string }
  | { op: 'revoke'; refreshToken: string };

export interface StandInHa extends HaOAuth {
  calls: HaCall[];
  /** Replace to change what HA answers. */
  onExchange: (code: string) => Promise<HaTokens>;
  onRefresh: (refreshToken: string) => Promise<HaTokens>;
}

/** Home Assistant's side: every code and refresh token is good; its access tokens last half an hour. */
export function standInHa(): StandInHa {
  let issued = 0;
  const ha: StandInHa = {
    calls: [],
    onExchange: async () => ({ access_token: 'ha-access', refresh_token: 'ha-refresh', expires_in: 1800 }),
    onRefresh: async () => ({ access_token: `ha-access-${++issued}`, expires_in: 1800 }),
    exchangeCode: async (code, clientId) => {
      ha.calls.push({ op: 'exchangeCode', code, clientId });
      return ha.onExchange(code);
    },
    refresh: async (refreshToken, clientId) => {
      ha.calls.push({ op: 'refresh', refreshToken, clientId });
      return ha.onRefresh(refreshToken);
    },
    revoke: async (refreshToken) => {
      ha.calls.push({ op: 'revoke', refreshToken });
    },
  };
  return ha;
}

export interface Harness {
  server: AuthorizationServer;
  store: OAuthStore;
  ha: StandInHa;
  /** Who HA says a token belongs to; replace to change it. */
  user: { id: string; name: string; is_admin: boolean } | undefined;
  now(): number;
  advance(ms: number): void;
}

export type HarnessOptions = Partial<Omit<AuthorizationServerDeps, 'store' | 'ha' | 'now' | 'whoIs'>> & {
  whoIs?: TokenValidator;
  /** Wraps the real store (to make it fail, say). */
  wrapStore?: (store: OAuthStore) => OAuthStore;
};

/** Call once per test file: `const harness = oauthHarness()`, then `harness()` per test. */
export function oauthHarness(): (options?: HarnessOptions) => Harness {
  const databases: Database.Database[] = [];
  after(() => {
    for (const db of databases) db.close();
  });
  return (options = {}) => {
    const db = new Database(':memory:');
    databases.push(db);
    db.pragma('foreign_keys = ON'); // as the add-on opens its database (store/db.ts)
    migrate(db);
    const store = createOAuthStore(db);
    let clock = START;
    const ha = standInHa();
    const { wrapStore, ...deps } = options;
    const oauth = wrapStore ? wrapStore(store) : store;
    const harness: Harness = {
      server: undefined as unknown as AuthorizationServer,
      store,
      ha,
      user: { id: 'user-1', name: 'Guest', is_admin: false },
      now: () => clock,
      advance: (ms) => {
        clock += ms;
      },
    };
    harness.server = new AuthorizationServer({
      key: randomBytes(32),
      whoIs: async () => harness.user,
      haLoginUrl: () => ({ url: 'http://ha.example.org:8123' }),
      tuning: { accessTtlMs: 60 * MINUTE, refreshTtlMs: 24 * 60 * MINUTE, codeTtlMs: MINUTE },
      ...deps,
      store: oauth,
      ha,
      now: () => clock,
    });
    return harness;
  };
}

/** A registered client's id, for these redirect URIs. */
export function registerClient(h: Harness, redirectUris: string[] = [REDIRECT], extra = {}): string {
  return (h.server.register({ redirect_uris: redirectUris, ...extra }) as { client_id: string }).client_id;
}

/** A complete authorization request, with `overrides` (an `undefined` value leaves the parameter out). */
export function authorizeQuery(
  clientId: string,
  challenge: string,
  overrides: Record<string, string | undefined> = {}
): Record<string, string | undefined> {
  return {
    response_type: 'code',
    client_id: clientId,
    redirect_uri: REDIRECT,
    code_challenge: challenge,
    code_challenge_method: 'S256',
    resource: urls.resource,
    state: 'abc',
    ...overrides,
  };
}

export function location(outcome: Redirect | ConsentView): URL {
  assert.ok('kind' in outcome && outcome.kind === 'redirect', JSON.stringify(outcome));
  return new URL(outcome.location);
}

/** The page a sign-in step stops at (the SignInError it throws): `step` is its promise, or a call of it. */
export async function pageMessage(step: Promise<unknown> | (() => unknown)): Promise<string> {
  let outcome: unknown;
  try {
    outcome = await (typeof step === 'function' ? step() : step);
  } catch (err) {
    assert.ok(err instanceof SignInError, String(err));
    return err.message;
  }
  assert.fail(`expected the sign-in to stop at a page, not ${JSON.stringify(outcome)}`);
}

export interface Started {
  clientId: string;
  verifier: string;
  /** The id of the authorization under way (the `state` the add-on sent to HA). */
  request: string;
}

/** Register and authorize: the browser is on its way to HA's login. */
export async function startSignIn(
  h: Harness,
  overrides: Record<string, string | undefined> = {},
  clientId = registerClient(h)
): Promise<Started> {
  const { verifier, challenge } = pkce();
  const toHa = location(await h.server.authorize(authorizeQuery(clientId, challenge, overrides), urls));
  assert.equal(toHa.pathname, '/auth/authorize', `sent to HA's login, not back with an error: ${toHa}`);
  return { clientId, verifier, request: toHa.searchParams.get('state')! };
}

/** Up to the consent page. */
export async function toConsent(
  h: Harness,
  overrides: Record<string, string | undefined> = {},
  clientId?: string
): Promise<Started & { view: ConsentView }> {
  const started = await startSignIn(h, overrides, clientId);
  const view = await h.server.haCallback({ state: started.request, code: 'ha-code' });
  assert.ok('csrf' in view, JSON.stringify(view));
  return { ...started, view };
}

export interface Approved extends Started {
  code: string;
  redirectUri: string;
}

/** Through consent (approved, control allowed unless `control` is given): the code the client receives. */
export async function approve(
  h: Harness,
  {
    overrides = {},
    control = 'on',
  }: { overrides?: Record<string, string | undefined>; control?: string } = {}
): Promise<Approved> {
  const started = await toConsent(h, overrides);
  const back = location(
    h.server.consent(
      { request: started.request, csrf: started.view.csrf, decision: 'approve', control },
      ORIGIN,
      urls
    )
  );
  return {
    ...started,
    code: back.searchParams.get('code')!,
    redirectUri: overrides.redirect_uri ?? REDIRECT,
  };
}

/** The token request that redeems an approved code. */
export const redeemForm = (a: Approved): Record<string, string> => ({
  grant_type: 'authorization_code',
  client_id: a.clientId,
  code: a.code,
  code_verifier: a.verifier,
  redirect_uri: a.redirectUri,
});

export type Tokens = ReturnType<AuthorizationServer['token']>;

/** A full sign-in: the client's tokens. */
export async function signIn(
  h: Harness,
  options?: Parameters<typeof approve>[1]
): Promise<Tokens & { clientId: string }> {
  const a = await approve(h, options);
  return { clientId: a.clientId, ...h.server.token(redeemForm(a), undefined, urls) };
}

export const refreshForm = (clientId: string, refreshToken: string): Record<string, string> => ({
  grant_type: 'refresh_token',
  client_id: clientId,
  refresh_token: refreshToken,
});

/** The OAuth error `run` throws. */
export function refusal(run: () => unknown): OAuthError {
  try {
    run();
  } catch (err) {
    assert.ok(err instanceof OAuthError, String(err));
    return err;
  }
  assert.fail('expected a refusal');
}
