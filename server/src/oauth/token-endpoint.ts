/**
 * The token endpoint (RFC 6749 §3.2, OAuth 2.1): an authorization code with its PKCE verifier, or a refresh
 * token, for a new access token and a new refresh token (refresh tokens rotate); and RFC 7009 revocation.
 * A request it refuses is thrown as an OAuthError, which routes.ts answers as JSON. A misused code and a
 * replayed refresh token end their grant through endGrant (grants.ts): someone else may hold them.
 */
import { tokenHash } from '../ha/principals.js';
import type { AuthorizationCodes } from './codes.js';
import { OAuthError } from './errors.js';
import type { Grants } from './grants.js';
import { namesThisServer, type OAuthUrls } from './metadata.js';
import { verifiesChallenge } from './pkce.js';
import { newToken } from './secrets.js';
import type { OAuthStore } from './store.js';

/** A successful token response (RFC 6749 §5.1). */
export interface TokenAnswer {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  refresh_token: string;
  scope: string;
}

export interface TokenEndpointDeps {
  store: Pick<
    OAuthStore,
    'grant' | 'tokenGrant' | 'useToken' | 'addToken' | 'removeToken' | 'removeExpiredTokens'
  >;
  codes: Pick<AuthorizationCodes, 'redeem'>;
  grants: Pick<Grants, 'endGrant'>;
  now: () => number;
  accessTtlMs: number;
  refreshTtlMs: number;
}

export class TokenEndpoint {
  private lastPurge = 0;

  constructor(private readonly deps: TokenEndpointDeps) {}

  /** A client secret, if sent, is accepted and ignored: every client here is public. */
  token(
    form: Record<string, string | undefined>,
    basicClientId: string | undefined,
    urls: OAuthUrls
  ): TokenAnswer {
    const clientId = form.client_id ?? basicClientId;
    if (!clientId) throw new OAuthError('invalid_client', 'client_id is required', 401);
    if (form.resource !== undefined && !namesThisServer(form.resource, urls)) {
      throw new OAuthError('invalid_target', `this server is ${urls.resource}, not ${form.resource}`);
    }
    if (form.grant_type === 'authorization_code') return this.redeemCode(form, clientId);
    if (form.grant_type === 'refresh_token') return this.refresh(form, clientId);
    throw new OAuthError('unsupported_grant_type', 'grant_type must be authorization_code or refresh_token');
  }

  /** RFC 7009: a refresh token ends its grant; an access token just itself. Unknown tokens are fine. */
  revokeToken(token: string | undefined): void {
    if (!token) return;
    const hash = tokenHash(token);
    const refresh = this.deps.store.tokenGrant(hash, 'refresh');
    if (refresh) this.deps.grants.endGrant(refresh.grant.id);
    else this.deps.store.removeToken(hash);
  }

  private redeemCode(form: Record<string, string | undefined>, clientId: string): TokenAnswer {
    const entry = this.deps.codes.redeem(form.code);
    if (!entry) throw new OAuthError('invalid_grant', 'the code is unknown, expired or already used');
    const problem =
      entry.clientId !== clientId
        ? 'the code was issued to another client'
        : entry.redirectUri !== form.redirect_uri
          ? 'redirect_uri differs from the one the code was issued for'
          : !form.code_verifier || !verifiesChallenge(form.code_verifier, entry.codeChallenge)
            ? 'the PKCE code_verifier does not match the code_challenge'
            : undefined;
    if (problem) {
      // A code that was tried wrongly is spent, and so is its grant (at Home Assistant too): someone else
      // may hold the code.
      this.deps.grants.endGrant(entry.grantId);
      throw new OAuthError('invalid_grant', problem);
    }
    return this.issue(entry.grantId);
  }

  private refresh(form: Record<string, string | undefined>, clientId: string): TokenAnswer {
    const hash = form.refresh_token ? tokenHash(form.refresh_token) : '';
    const found = hash ? this.deps.store.tokenGrant(hash, 'refresh') : undefined;
    if (!found || found.grant.clientId !== clientId) {
      throw new OAuthError('invalid_grant', 'the refresh token is unknown or revoked; sign in again');
    }
    if (found.expires <= this.deps.now()) {
      throw new OAuthError('invalid_grant', 'the refresh token has expired; sign in again');
    }
    if (!this.deps.store.useToken(hash)) {
      // A rotated refresh token came back: it leaked. End the whole grant.
      this.deps.grants.endGrant(found.grant.id);
      throw new OAuthError(
        'invalid_grant',
        'the refresh token was already used; the sign-in has been revoked'
      );
    }
    return this.issue(found.grant.id);
  }

  private issue(grantId: string): TokenAnswer {
    const grant = this.deps.store.grant(grantId);
    if (!grant) throw new OAuthError('invalid_grant', 'the sign-in has been revoked');
    const access = newToken('access');
    const refresh = newToken('refresh');
    const now = this.deps.now();
    this.purgeExpired(now);
    this.deps.store.addToken(tokenHash(access), grantId, 'access', now + this.deps.accessTtlMs);
    this.deps.store.addToken(tokenHash(refresh), grantId, 'refresh', now + this.deps.refreshTtlMs);
    return {
      access_token: access,
      token_type: 'Bearer',
      expires_in: Math.floor(this.deps.accessTtlMs / 1000),
      refresh_token: refresh,
      scope: grant.scope.join(' '),
    };
  }

  /** Expired tokens are kept a while (a late refresh gets a clear answer), then deleted, at most hourly. */
  private purgeExpired(now: number): void {
    if (now - this.lastPurge < 60 * 60_000) return;
    this.lastPurge = now;
    this.deps.store.removeExpiredTokens(now - 24 * 60 * 60_000);
  }
}
