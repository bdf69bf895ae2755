/**
 * Lifetimes of what the authorization server hands out, on a clock the test moves: codes, access tokens and
 * refresh tokens stop working when they expire, each with an answer that says so; expired tokens are purged
 * from SQLite later. Home Assistant is a stand-in here (its side is tested in tests/ha/oauth-flow.test.ts).
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import {
  approve,
  MINUTE,
  oauthHarness,
  redeemForm,
  refreshForm,
  refusal,
  signIn,
  urls,
} from '../../support/oauth-fixture.js';

const harness = oauthHarness();

describe('OAuth lifetimes', () => {
  const reason = async (h: ReturnType<typeof harness>, token: string) => {
    const answer = await h.server.authenticate(token);
    return answer.ok ? 'ok' : answer.reason;
  };

  it('refuses a code presented after its minute', async () => {
    const h = harness();
    const approved = await approve(h);
    h.advance(MINUTE + 1);
    const err = refusal(() => h.server.token(redeemForm(approved), undefined, urls));
    assert.equal(err.error, 'invalid_grant');
    assert.match(err.message, /unknown, expired or already used/);
  });

  it('accepts a code presented just before its minute is over', async () => {
    const h = harness();
    const approved = await approve(h);
    h.advance(MINUTE - 1);
    assert.ok(h.server.token(redeemForm(approved), undefined, urls).access_token);
  });

  it('says an access token has expired once its hour is over, and a refresh brings a working one', async () => {
    const h = harness();
    const tokens = await signIn(h);
    assert.equal(tokens.expires_in, 3600);
    const fresh = await h.server.authenticate(tokens.access_token);
    assert.ok(fresh.ok);
    assert.equal(fresh.principal.name, 'Guest');

    h.advance(60 * MINUTE - 1);
    assert.ok((await h.server.authenticate(tokens.access_token)).ok, 'still good a moment before');
    h.advance(1);
    const expired = await h.server.authenticate(tokens.access_token);
    assert.deepEqual(expired, { ok: false, status: 401, reason: 'the access token has expired; refresh it' });

    const renewed = h.server.token(refreshForm(tokens.clientId, tokens.refresh_token), undefined, urls);
    assert.ok((await h.server.authenticate(renewed.access_token)).ok);
  });

  it('says a refresh token has expired, and tells an unknown token apart', async () => {
    const h = harness();
    const tokens = await signIn(h);
    h.advance(24 * 60 * MINUTE);
    const err = refusal(() =>
      h.server.token(refreshForm(tokens.clientId, tokens.refresh_token), undefined, urls)
    );
    assert.equal(err.error, 'invalid_grant');
    assert.equal(err.message, 'the refresh token has expired; sign in again');

    const unknown = await h.server.authenticate('hamcp_at_' + randomBytes(24).toString('base64url'));
    assert.deepEqual(unknown, { ok: false, status: 401, reason: 'the access token is unknown or revoked' });
  });

  it('accepts a refresh token a moment before it expires', async () => {
    const h = harness();
    const tokens = await signIn(h);
    h.advance(24 * 60 * MINUTE - 1);
    assert.ok(
      h.server.token(refreshForm(tokens.clientId, tokens.refresh_token), undefined, urls).access_token
    );
  });

  it('by default: codes last a minute, access tokens an hour, refresh tokens ninety days', async () => {
    const h = harness({ tuning: {} });
    const early = await approve(h);
    const late = await approve(h);
    h.advance(MINUTE - 1);
    const tokens = h.server.token(redeemForm(early), undefined, urls);
    assert.equal(tokens.expires_in, 3600);
    h.advance(1);
    assert.equal(refusal(() => h.server.token(redeemForm(late), undefined, urls)).error, 'invalid_grant');

    h.advance(60 * MINUTE - 2);
    assert.equal(await reason(h, tokens.access_token), 'ok');
    h.advance(1);
    assert.equal(await reason(h, tokens.access_token), 'the access token has expired; refresh it');

    const DAY = 24 * 60 * MINUTE;
    h.advance(90 * DAY - 60 * MINUTE - 1);
    const renewed = h.server.token(refreshForm(early.clientId, tokens.refresh_token), undefined, urls);
    h.advance(90 * DAY);
    assert.equal(
      refusal(() => h.server.token(refreshForm(early.clientId, renewed.refresh_token), undefined, urls))
        .message,
      'the refresh token has expired; sign in again'
    );
  });

  it('purges tokens a day after they expired, when tokens are next issued', async () => {
    const h = harness();
    const first = await signIn(h);
    // The first access token expired an hour after it was issued; a day after that it is deleted.
    h.advance(25 * 60 * MINUTE);
    await signIn(h);
    // The answer no longer says "expired": the token is gone.
    assert.equal(await reason(h, first.access_token), 'the access token is unknown or revoked');
  });

  it('keeps expired tokens for a day, so a late client hears that its token expired', async () => {
    const h = harness();
    const first = await signIn(h);
    h.advance(25 * 60 * MINUTE - 1);
    await signIn(h);
    assert.equal(await reason(h, first.access_token), 'the access token has expired; refresh it');
  });

  it('purges at most hourly', async () => {
    const h = harness();
    const first = await signIn(h); // a purge, at the start
    h.advance(24 * 60 * MINUTE + 30 * MINUTE);
    await signIn(h); // a purge: the first access token expired 23.5 hours ago and stays
    h.advance(59 * MINUTE);
    await signIn(h); // within the hour: no purge, though the first access token is now purgeable
    assert.equal(await reason(h, first.access_token), 'the access token has expired; refresh it');
    h.advance(MINUTE);
    await signIn(h); // an hour after the last purge: a purge
    assert.equal(await reason(h, first.access_token), 'the access token is unknown or revoked');
  });
});
