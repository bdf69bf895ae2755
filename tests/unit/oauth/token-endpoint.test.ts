/**
 * The token endpoint and what its tokens are worth: a code is redeemed once, by the client it was issued
 * to, for its redirect URI, with the PKCE verifier (a code tried wrongly ends its grant); refresh tokens
 * rotate and a replayed one ends the grant; `resource` must name this server; revocation (RFC 7009); and an
 * access token turned into the principal MCP requests run as (read-only grants, HA's access token cached
 * and refreshed, HA's refusal ending the grant).
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { HaAwayError, HaRefusedError } from '../../../server/src/ha/errors.js';
import type { Grant } from '../../../server/src/oauth/store.js';
import {
  approve,
  ISSUER,
  MINUTE,
  oauthHarness,
  pkce,
  redeemForm,
  refreshForm,
  refusal,
  signIn,
  START,
  urls,
  type Harness,
} from '../../support/oauth-fixture.js';

const harness = oauthHarness();
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const reason = async (h: Harness, token: string) => {
  const answer = await h.server.authenticate(token);
  return answer.ok ? 'ok' : `${answer.status} ${answer.reason}`;
};
const REVOKED_AT_TOKEN = '401 the access token is unknown or revoked';

describe('the token endpoint: codes', () => {
  it('issues a Bearer access token and a refresh token for a good code', async () => {
    const h = harness();
    const approved = await approve(h);
    const tokens = h.server.token(redeemForm(approved), undefined, urls);
    assert.match(tokens.access_token, /^hamcp_at_[A-Za-z0-9_-]{43}$/);
    assert.match(tokens.refresh_token, /^hamcp_rt_[A-Za-z0-9_-]{43}$/);
    assert.deepEqual(
      { ...tokens, access_token: '', refresh_token: '' },
      {
        access_token: '',
        token_type: 'Bearer',
        expires_in: 3600,
        refresh_token: '',
        scope: 'homeassistant.read homeassistant.control',
      }
    );
    assert.equal(await reason(h, tokens.access_token), 'ok');
  });

  it('says a read-only grant’s scope', async () => {
    const h = harness();
    const tokens = await signIn(h, { control: 'off' });
    assert.equal(tokens.scope, 'homeassistant.read');
  });

  it('gives the access token’s lifetime in whole seconds', async () => {
    const h = harness({ tuning: { accessTtlMs: 90_500 } });
    assert.equal((await signIn(h)).expires_in, 90);
  });

  it('takes the client id from HTTP Basic authentication when the form has none', async () => {
    const h = harness();
    const approved = await approve(h);
    const { client_id: _, ...form } = redeemForm(approved);
    assert.ok(h.server.token(form, approved.clientId, urls).access_token);
  });

  it('prefers the form’s client id to HTTP Basic’s', async () => {
    const h = harness();
    const approved = await approve(h);
    assert.ok(h.server.token(redeemForm(approved), 'someone-else', urls).access_token);
  });

  it('requires a client id (401 invalid_client)', async () => {
    const h = harness();
    const approved = await approve(h);
    const { client_id: _, ...form } = redeemForm(approved);
    const err = refusal(() => h.server.token(form, undefined, urls));
    assert.deepEqual([err.error, err.status, err.message], ['invalid_client', 401, 'client_id is required']);
    // Nothing was spent: the code still works.
    assert.ok(h.server.token(redeemForm(approved), undefined, urls).access_token);
  });

  it('accepts a code once only', async () => {
    const h = harness();
    const approved = await approve(h);
    h.server.token(redeemForm(approved), undefined, urls);
    const err = refusal(() => h.server.token(redeemForm(approved), undefined, urls));
    assert.deepEqual(
      [err.error, err.message],
      ['invalid_grant', 'the code is unknown, expired or already used']
    );
  });

  it('refuses a missing or unknown code', async () => {
    const h = harness();
    const approved = await approve(h);
    for (const code of [undefined, '', 'hamcp_ac_nope']) {
      const err = refusal(() => h.server.token({ ...redeemForm(approved), code }, undefined, urls));
      assert.deepEqual([err.error, err.status], ['invalid_grant', 400]);
      assert.equal(err.message, 'the code is unknown, expired or already used');
    }
  });

  /** A code tried wrongly: refused with this message, and its grant is gone. */
  const misuse = async (change: Record<string, string | undefined>, message: string) => {
    const h = harness();
    const approved = await approve(h);
    const [grant] = h.store.grants();
    const err = refusal(() => h.server.token({ ...redeemForm(approved), ...change }, undefined, urls));
    assert.deepEqual([err.error, err.message], ['invalid_grant', message]);
    assert.equal(h.store.grant(grant!.id), undefined, 'the grant is revoked');
    // The code is spent too.
    const again = refusal(() => h.server.token(redeemForm(approved), undefined, urls));
    assert.equal(again.message, 'the code is unknown, expired or already used');
    return h;
  };

  it('refuses a code presented by another client, and ends its grant', async () => {
    await misuse({ client_id: 'hamcp_client_other' }, 'the code was issued to another client');
  });

  it('refuses a code presented with another redirect URI, or none, and ends its grant', async () => {
    const message = 'redirect_uri differs from the one the code was issued for';
    await misuse({ redirect_uri: 'http://127.0.0.1:40112/callback' }, message);
    await misuse({ redirect_uri: undefined }, message);
  });

  it('refuses a wrong PKCE verifier, or none, and ends the grant', async () => {
    const message = 'the PKCE code_verifier does not match the code_challenge';
    await misuse({ code_verifier: pkce().verifier }, message);
    await misuse({ code_verifier: undefined }, message);
    await misuse({ code_verifier: '' }, message);
  });

  it('tells Home Assistant to revoke its refresh token when a misused code ends the grant', async () => {
    const h = await misuse(
      { code_verifier: pkce().verifier },
      'the PKCE code_verifier does not match the code_challenge'
    );
    assert.deepEqual(
      h.ha.calls.filter((c) => c.op === 'revoke'),
      [{ op: 'revoke', refreshToken: 'ha-refresh' }]
    );
  });

  it('refuses a code whose grant was revoked meanwhile', async () => {
    const h = harness();
    const approved = await approve(h);
    h.server.revokeGrant(h.store.grants()[0]!.id);
    const err = refusal(() => h.server.token(redeemForm(approved), undefined, urls));
    assert.deepEqual([err.error, err.message], ['invalid_grant', 'the sign-in has been revoked']);
  });

  it('refuses a resource other than this server’s MCP endpoint', async () => {
    const h = harness();
    const approved = await approve(h);
    for (const resource of ['https://other.example/api/mcp', '', `${ISSUER}/api`]) {
      const err = refusal(() => h.server.token({ ...redeemForm(approved), resource }, undefined, urls));
      assert.deepEqual(
        [err.error, err.message],
        ['invalid_target', `this server is ${ISSUER}/api/mcp, not ${resource}`]
      );
    }
    // The code was not spent by the refusals.
    assert.ok(h.server.token({ ...redeemForm(approved), resource: `${urls.resource}/` }, undefined, urls));
  });

  it('refuses other grant types', async () => {
    const h = harness();
    const approved = await approve(h);
    for (const grantType of ['client_credentials', 'password', undefined]) {
      const err = refusal(() =>
        h.server.token({ ...redeemForm(approved), grant_type: grantType }, undefined, urls)
      );
      assert.deepEqual(
        [err.error, err.message],
        ['unsupported_grant_type', 'grant_type must be authorization_code or refresh_token']
      );
    }
  });
});

describe('the token endpoint: refresh tokens', () => {
  it('rotates: a refresh brings a new access token and a new refresh token, for the same grant', async () => {
    const h = harness();
    const first = await signIn(h);
    h.advance(MINUTE);
    const second = h.server.token(refreshForm(first.clientId, first.refresh_token), undefined, urls);
    assert.notEqual(second.access_token, first.access_token);
    assert.notEqual(second.refresh_token, first.refresh_token);
    assert.equal(second.scope, 'homeassistant.read homeassistant.control');
    assert.equal(second.token_type, 'Bearer');
    assert.equal(h.store.grants().length, 1);
    // The new refresh token works once too.
    const third = h.server.token(refreshForm(first.clientId, second.refresh_token), undefined, urls);
    assert.equal(await reason(h, third.access_token), 'ok');
    assert.equal(await reason(h, first.access_token), 'ok', 'an earlier access token lives out its hour');
  });

  it('takes the client id from HTTP Basic authentication', async () => {
    const h = harness();
    const first = await signIn(h);
    const { client_id: _, ...form } = refreshForm(first.clientId, first.refresh_token);
    assert.ok(h.server.token(form, first.clientId, urls).access_token);
  });

  it('revokes the grant when an old refresh token is replayed', async () => {
    const h = harness();
    const first = await signIn(h);
    const second = h.server.token(refreshForm(first.clientId, first.refresh_token), undefined, urls);
    const err = refusal(() =>
      h.server.token(refreshForm(first.clientId, first.refresh_token), undefined, urls)
    );
    assert.deepEqual(
      [err.error, err.message],
      ['invalid_grant', 'the refresh token was already used; the sign-in has been revoked']
    );
    assert.deepEqual(h.store.grants(), []);
    assert.equal(await reason(h, second.access_token), REVOKED_AT_TOKEN);
    assert.equal(await reason(h, first.access_token), REVOKED_AT_TOKEN);
    const late = refusal(() =>
      h.server.token(refreshForm(first.clientId, second.refresh_token), undefined, urls)
    );
    assert.equal(late.message, 'the refresh token is unknown or revoked; sign in again');
    // HA's refresh token is revoked at HA too.
    assert.deepEqual(
      h.ha.calls.filter((c) => c.op === 'revoke'),
      [{ op: 'revoke', refreshToken: 'ha-refresh' }]
    );
  });

  it('refuses a refresh token presented by another client, and keeps it for its own', async () => {
    const h = harness();
    const first = await signIn(h);
    const err = refusal(() =>
      h.server.token(refreshForm('hamcp_client_other', first.refresh_token), undefined, urls)
    );
    assert.deepEqual(
      [err.error, err.message],
      ['invalid_grant', 'the refresh token is unknown or revoked; sign in again']
    );
    assert.ok(h.server.token(refreshForm(first.clientId, first.refresh_token), undefined, urls).access_token);
  });

  it('refuses a missing or unknown refresh token, and an access token in its place', async () => {
    const h = harness();
    const first = await signIn(h);
    for (const token of [undefined, '', 'hamcp_rt_nope', first.access_token]) {
      const err = refusal(() =>
        h.server.token(
          { grant_type: 'refresh_token', client_id: first.clientId, refresh_token: token },
          undefined,
          urls
        )
      );
      assert.deepEqual(
        [err.error, err.message],
        ['invalid_grant', 'the refresh token is unknown or revoked; sign in again']
      );
    }
    assert.equal(h.store.grants().length, 1);
  });

  it('refuses a refresh with a resource other than this server’s', async () => {
    const h = harness();
    const first = await signIn(h);
    const err = refusal(() =>
      h.server.token(
        { ...refreshForm(first.clientId, first.refresh_token), resource: 'https://x.example' },
        undefined,
        urls
      )
    );
    assert.equal(err.error, 'invalid_target');
    assert.ok(
      h.server.token(
        { ...refreshForm(first.clientId, first.refresh_token), resource: urls.resource },
        undefined,
        urls
      )
    );
  });
});

describe('revocation', () => {
  it('ends the whole grant for a refresh token, here and at HA', async () => {
    const h = harness();
    const first = await signIn(h);
    await signIn(h);
    h.server.revokeToken(first.refresh_token);
    assert.equal(await reason(h, first.access_token), REVOKED_AT_TOKEN);
    assert.equal(h.store.grants().length, 1, 'another grant stays');
    assert.deepEqual(
      h.ha.calls.filter((c) => c.op === 'revoke'),
      [{ op: 'revoke', refreshToken: 'ha-refresh' }]
    );
  });

  it('ends just the access token it is given', async () => {
    const h = harness();
    const first = await signIn(h);
    h.server.revokeToken(first.access_token);
    assert.equal(await reason(h, first.access_token), REVOKED_AT_TOKEN);
    assert.equal(h.store.grants().length, 1);
    const renewed = h.server.token(refreshForm(first.clientId, first.refresh_token), undefined, urls);
    assert.equal(await reason(h, renewed.access_token), 'ok');
    assert.deepEqual(
      h.ha.calls.filter((c) => c.op === 'revoke'),
      []
    );
  });

  it('accepts unknown and missing tokens quietly', async () => {
    const h = harness();
    const first = await signIn(h);
    h.server.revokeToken(undefined);
    h.server.revokeToken('');
    h.server.revokeToken('hamcp_rt_unknown');
    assert.equal(await reason(h, first.access_token), 'ok');
  });

  it('ends a grant from the panel: its tokens fail, HA is told, and it says whether there was one', async () => {
    const h = harness();
    const first = await signIn(h);
    const id = h.store.grants()[0]!.id;
    assert.equal(h.server.revokeGrant(id), true);
    assert.equal(await reason(h, first.access_token), REVOKED_AT_TOKEN);
    assert.deepEqual(
      h.ha.calls.filter((c) => c.op === 'revoke'),
      [{ op: 'revoke', refreshToken: 'ha-refresh' }]
    );
    assert.equal(h.server.revokeGrant(id), false);
    assert.equal(h.ha.calls.filter((c) => c.op === 'revoke').length, 1, 'HA is not asked twice');
  });

  it('ends a grant whose sealed HA token cannot be opened', async () => {
    const h = harness({
      wrapStore: (store) => ({
        ...store,
        grant: (id) => {
          const grant = store.grant(id);
          return grant && ({ ...grant, haRefreshToken: 'not.sealed.here' } satisfies Grant);
        },
      }),
    });
    await signIn(h);
    assert.equal(h.server.revokeGrant(h.store.grants()[0]!.id), true);
    assert.deepEqual(h.store.grants(), []);
    assert.deepEqual(
      h.ha.calls.filter((c) => c.op === 'revoke'),
      []
    );
  });
});

describe('authenticating with an access token', () => {
  it('stands for the user who consented, with HA’s access token, read-only or not by the grant', async () => {
    const h = harness();
    h.user = { id: 'user-7', name: 'Paulus', is_admin: true };
    const tokens = await signIn(h);
    const answer = await h.server.authenticate(tokens.access_token);
    assert.deepEqual(answer, {
      ok: true,
      principal: {
        userId: 'user-7',
        name: 'Paulus',
        isAdmin: true,
        authKind: 'oauth_grant',
        token: 'ha-access-1',
        tokenHash: sha256(tokens.access_token),
        readOnly: false,
        grantId: h.store.grants()[0]!.id,
      },
    });
    assert.deepEqual(h.ha.calls.at(-1), {
      op: 'refresh',
      refreshToken: 'ha-refresh',
      clientId: `${ISSUER}/`,
    });
  });

  it('runs a read-only grant read-only', async () => {
    const h = harness();
    const tokens = await signIn(h, { control: 'off' });
    const answer = await h.server.authenticate(tokens.access_token);
    assert.ok(answer.ok);
    assert.equal(answer.principal.readOnly, true);
    assert.equal(answer.principal.isAdmin, false);
  });

  it('does not take a refresh token for an access token', async () => {
    const h = harness();
    const tokens = await signIn(h);
    assert.equal(await reason(h, tokens.refresh_token), REVOKED_AT_TOKEN);
  });

  it('keeps HA’s access token until a minute before it expires', async () => {
    const h = harness();
    const tokens = await signIn(h);
    const token = async () => {
      const answer = await h.server.authenticate(tokens.access_token);
      assert.ok(answer.ok);
      return answer.principal.token;
    };
    assert.equal(await token(), 'ha-access-1');
    h.advance(29 * MINUTE - 1);
    assert.equal(await token(), 'ha-access-1');
    h.advance(1);
    assert.equal(await token(), 'ha-access-2');
    assert.equal(h.ha.calls.filter((c) => c.op === 'refresh').length, 2);
  });

  it('asks HA every time when its tokens last under a minute', async () => {
    const h = harness();
    h.ha.onRefresh = async () => ({ access_token: `short-${h.ha.calls.length}`, expires_in: 30 });
    const tokens = await signIn(h);
    const first = await h.server.authenticate(tokens.access_token);
    const second = await h.server.authenticate(tokens.access_token);
    assert.ok(first.ok && second.ok);
    assert.notEqual(first.principal.token, second.principal.token);
  });

  it('keeps HA’s access token per grant', async () => {
    const h = harness();
    const a = await signIn(h);
    const b = await signIn(h);
    const ta = await h.server.authenticate(a.access_token);
    const tb = await h.server.authenticate(b.access_token);
    assert.ok(ta.ok && tb.ok);
    assert.notEqual(ta.principal.token, tb.principal.token);
  });

  it('keeps HA’s access token for the grant across the client’s refresh', async () => {
    const h = harness();
    const first = await signIn(h);
    await h.server.authenticate(first.access_token);
    const renewed = h.server.token(refreshForm(first.clientId, first.refresh_token), undefined, urls);
    const answer = await h.server.authenticate(renewed.access_token);
    assert.ok(answer.ok);
    assert.equal(answer.principal.token, 'ha-access-1', 'HA’s token is still cached for the grant');
  });

  it('revokes the grant when HA refuses its refresh token', async () => {
    const h = harness();
    const tokens = await signIn(h);
    h.ha.onRefresh = async () => {
      throw new HaRefusedError('Home Assistant answered 400: {"error":"invalid_grant"}', { status: 400 });
    };
    assert.equal(await reason(h, tokens.access_token), '401 Home Assistant revoked this sign-in');
    assert.deepEqual(h.store.grants(), []);
    assert.deepEqual(
      h.ha.calls.filter((c) => c.op === 'revoke'),
      [{ op: 'revoke', refreshToken: 'ha-refresh' }]
    );
  });

  it('answers 503 and keeps the grant when HA is unavailable', async () => {
    const h = harness();
    const tokens = await signIn(h);
    for (const error of [
      new HaAwayError(),
      new HaRefusedError('Home Assistant answered 500: ', { status: 500 }),
      new Error('boom'),
    ]) {
      h.ha.onRefresh = async () => {
        throw error;
      };
      assert.equal(await reason(h, tokens.access_token), '503 Home Assistant is unavailable');
    }
    assert.equal(h.store.grants().length, 1);
    h.ha.onRefresh = async () => ({ access_token: 'back', expires_in: 1800 });
    assert.equal(await reason(h, tokens.access_token), 'ok');
  });

  it('answers 503 when the sign-ins cannot be read', async () => {
    const h = harness({
      wrapStore: (store) => ({
        ...store,
        tokenGrant: () => {
          throw new Error('SQLITE_BUSY');
        },
      }),
    });
    assert.equal(await reason(h, 'hamcp_at_x'), '503 the add-on cannot read its sign-ins right now');
  });

  it('notes when a grant was last used, at most once a minute', async () => {
    const h = harness();
    const tokens = await signIn(h);
    const lastUsed = () => h.server.grants()[0]!.lastUsed;
    assert.equal(lastUsed(), null);
    await h.server.authenticate(tokens.access_token);
    assert.equal(lastUsed(), START);
    h.advance(MINUTE);
    await h.server.authenticate(tokens.access_token);
    assert.equal(lastUsed(), START, 'not again within the minute');
    h.advance(1);
    await h.server.authenticate(tokens.access_token);
    assert.equal(lastUsed(), START + MINUTE + 1);
  });

  it('notes the use of a grant that was used long ago', async () => {
    const h = harness();
    const tokens = await signIn(h);
    h.advance(5 * MINUTE);
    await h.server.authenticate(tokens.access_token);
    h.advance(2 * MINUTE);
    await h.server.authenticate(tokens.access_token);
    assert.equal(h.server.grants()[0]!.lastUsed, START + 7 * MINUTE);
  });
});
