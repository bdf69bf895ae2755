/**
 * The add-on's own access tokens on MCP requests: the principal a token stands for (the grant's user,
 * read-only unless the grant allows control), with a fresh Home Assistant access token to act as that
 * user. The answer is the `Authentication` union (ha/principals.ts), the contract with MCP's bearer check
 * (mcp/auth.ts), which turns a refusal into 401 or 503: here a refusal is an answer, not an error.
 */
import { tokenHash, type Authentication, type Principal } from '../ha/principals.js';
import type { Grants } from './grants.js';
import type { HaAccessTokens } from './ha-access-tokens.js';
import { haRefusedSignIn } from './ha-oauth.js';
import type { OAuthStore } from './store.js';

export interface McpAuthenticationDeps {
  store: Pick<OAuthStore, 'tokenGrant' | 'touchGrant'>;
  haAccess: Pick<HaAccessTokens, 'forGrant'>;
  grants: Pick<Grants, 'endGrant'>;
  now: () => number;
}

export class McpAuthentication {
  constructor(private readonly deps: McpAuthenticationDeps) {}

  async authenticate(token: string): Promise<Authentication> {
    const hash = tokenHash(token);
    let found;
    try {
      found = this.deps.store.tokenGrant(hash, 'access');
    } catch {
      return { ok: false, status: 503, reason: 'the add-on cannot read its sign-ins right now' };
    }
    if (!found) return { ok: false, status: 401, reason: 'the access token is unknown or revoked' };
    if (found.expires <= this.deps.now()) {
      return { ok: false, status: 401, reason: 'the access token has expired; refresh it' };
    }
    const { grant } = found;
    let haToken: string;
    try {
      haToken = await this.deps.haAccess.forGrant(grant);
    } catch (err) {
      if (haRefusedSignIn(err)) {
        // HA no longer honours the sign-in (the user removed it there): neither do we.
        this.deps.grants.endGrant(grant.id);
        return { ok: false, status: 401, reason: 'Home Assistant revoked this sign-in' };
      }
      return { ok: false, status: 503, reason: 'Home Assistant is unavailable' };
    }
    const now = this.deps.now();
    if (grant.lastUsed === null || now - grant.lastUsed > 60_000) this.deps.store.touchGrant(grant.id, now);
    const principal: Principal = {
      userId: grant.userId,
      name: grant.userName,
      isAdmin: grant.isAdmin,
      authKind: 'oauth_grant',
      token: haToken,
      tokenHash: hash,
      readOnly: !grant.scope.includes('homeassistant.control'),
      grantId: grant.id,
    };
    return { ok: true, principal };
  }
}
