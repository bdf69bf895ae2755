/**
 * Lifetimes of what the authorization server hands out, on a clock the test moves: codes, access tokens and
 * refresh tokens stop working when they expire, each with an answer that says so; expired tokens are purged
 * from SQLite later. Home Assistant is a stand-in here (its side is tested in tests/ha/oauth-flow.test.ts).
 */
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { after, beforeEach, describe, it } from 'node:test';
import { createLogger } from '../../../server/src/log.js';
import { AuthorizationServer, OAuthError } from '../../../server/src/oauth/authorization-server.js';
import type { HaOAuth } from '../../../server/src/oauth/ha-oauth.js';
import { oauthUrls } from '../../../server/src/oauth/metadata.js';
import { openStore, type Store } from '../../../server/src/store/store.js';
import { tempDirs } from '../../helpers/temp-dirs.js';

const quiet = createLogger('error', () => {});
const dirs = tempDirs('oauth-lifetime');
const urls = oauthUrls('https://mcp.example.org');
const REDIRECT = 'http://127.0.0.1:40111/callback';
const MINUTE = 60_000;

/** Home Assistant's side: every code and refresh token is good, and access tokens last half an hour. */
const standInHa: HaOAuth = {
  exchangeCode: async () => ({ access_token: 'ha-access', refresh_token: 'ha-refresh', expires_in: 1800 }),
  refresh: async () => ({ access_token: 'ha-access', expires_in: 1800 }),
  revoke: async () => {},
};

describe('OAuth lifetimes', () => {
  let store: Store;
  let clock: number;
  let server: AuthorizationServer;
  const stores: Store[] = [];
  after(async () => {
    for (const s of stores) await s.close();
  });

  beforeEach(() => {
    store = openStore({
      dataDir: dirs(),
      options: { log_retention_days: 30, log_max_rows: 1000 },
      log: quiet,
      tuning: { retentionFirstMs: 3_600_000 },
    });
    stores.push(store);
    clock = Date.UTC(2026, 10, 29);
    server = new AuthorizationServer({
      store: store.oauth,
      key: randomBytes(32),
      ha: standInHa,
      whoIs: async () => ({ id: 'user-1', name: 'Guest', is_admin: false }),
      haLoginUrl: () => ({ url: 'http://ha.example.org:8123' }),
      now: () => clock,
      tuning: { accessTtlMs: 60 * MINUTE, refreshTtlMs: 24 * 60 * MINUTE, codeTtlMs: MINUTE },
    });
  });

  /** Through authorize, HA's callback and consent: the code the client receives, and its PKCE verifier. */
  const approve = async () => {
    const { client_id: clientId } = server.register({ redirect_uris: [REDIRECT] }) as { client_id: string };
    const verifier = randomBytes(32).toString('base64url');
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const toHa = await server.authorize(
      {
        response_type: 'code',
        client_id: clientId,
        redirect_uri: REDIRECT,
        code_challenge: challenge,
        code_challenge_method: 'S256',
        resource: urls.resource,
        state: 'abc',
      },
      urls
    );
    assert.equal(toHa.kind, 'redirect');
    const request = new URL((toHa as { location: string }).location).searchParams.get('state')!;
    const consent = await server.haCallback({ state: request, code: 'ha-code' });
    assert.ok('csrf' in consent);
    const back = server.consent(
      { request, csrf: consent.csrf, decision: 'approve', control: 'on' },
      new URL(urls.issuer).origin,
      urls
    );
    assert.equal(back.kind, 'redirect');
    const code = new URL((back as { location: string }).location).searchParams.get('code')!;
    return { clientId, verifier, code };
  };

  const redeem = ({ clientId, verifier, code }: Awaited<ReturnType<typeof approve>>) =>
    server.token(
      {
        grant_type: 'authorization_code',
        client_id: clientId,
        code,
        code_verifier: verifier,
        redirect_uri: REDIRECT,
      },
      undefined,
      urls
    );

  const exchange = async () => {
    const approved = await approve();
    return { clientId: approved.clientId, ...redeem(approved) };
  };

  const refusal = (run: () => unknown): OAuthError => {
    try {
      run();
    } catch (err) {
      assert.ok(err instanceof OAuthError, String(err));
      return err;
    }
    assert.fail('expected a refusal');
  };

  it('refuses a code presented after its minute', async () => {
    const approved = await approve();
    clock += MINUTE + 1;
    const err = refusal(() => redeem(approved));
    assert.equal(err.error, 'invalid_grant');
    assert.match(err.message, /unknown, expired or already used/);
  });

  it('says an access token has expired once its hour is over, and a refresh brings a working one', async () => {
    const tokens = await exchange();
    assert.equal(tokens.expires_in, 3600);
    const fresh = await server.authenticate(tokens.access_token);
    assert.ok(fresh.ok);
    assert.equal(fresh.principal.name, 'Guest');

    clock += 60 * MINUTE;
    const expired = await server.authenticate(tokens.access_token);
    assert.deepEqual(expired, { ok: false, status: 401, reason: 'the access token has expired; refresh it' });

    const renewed = server.token(
      { grant_type: 'refresh_token', client_id: tokens.clientId, refresh_token: tokens.refresh_token },
      undefined,
      urls
    );
    assert.ok((await server.authenticate(renewed.access_token)).ok);
  });

  it('says a refresh token has expired, and tells an unknown token apart', async () => {
    const tokens = await exchange();
    clock += 24 * 60 * MINUTE;
    const err = refusal(() =>
      server.token(
        { grant_type: 'refresh_token', client_id: tokens.clientId, refresh_token: tokens.refresh_token },
        undefined,
        urls
      )
    );
    assert.equal(err.error, 'invalid_grant');
    assert.equal(err.message, 'the refresh token has expired; sign in again');

    const unknown = await server.authenticate('hamcp_at_' + randomBytes(24).toString('base64url'));
    assert.deepEqual(unknown, { ok: false, status: 401, reason: 'the access token is unknown or revoked' });
  });

  it('purges tokens a day after they expired, when tokens are next issued', async () => {
    const first = await exchange();
    clock += 26 * 60 * MINUTE;
    await exchange();
    // The first grant's tokens expired over a day ago and are gone: the answer no longer says "expired".
    assert.deepEqual(await server.authenticate(first.access_token), {
      ok: false,
      status: 401,
      reason: 'the access token is unknown or revoked',
    });
  });
});
