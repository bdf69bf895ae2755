/**
 * Grants (one user's consent for one client) as the rest of the add-on sees them: listed for the panel, and
 * ended. `endGrant()` is the one way a grant ends, whatever ends it: the panel, a misused authorization
 * code, a replayed refresh token, a refresh token revoked by its client (RFC 7009), or Home Assistant
 * refusing the sign-in. Its tokens fail at once, the HA access token kept for it is forgotten, and HA's
 * refresh token is revoked at HA, so no sign-in is left behind there.
 */
import type { GrantSummary } from './grant-summary.js';
import type { HaAccessTokens } from './ha-access-tokens.js';
import type { HaOAuth } from './ha-oauth.js';
import { unseal } from './secrets.js';
import type { Grant, OAuthStore } from './store.js';

const summaryOf = (g: Grant): GrantSummary => ({
  id: g.id,
  clientId: g.clientId,
  clientName: g.clientName,
  userId: g.userId,
  userName: g.userName,
  readOnly: !g.scope.includes('homeassistant.control'),
  created: g.created,
  lastUsed: g.lastUsed,
  ...(g.asksEverything === true && { asksEverything: true }),
});

export interface GrantsDeps {
  store: Pick<OAuthStore, 'grant' | 'grants' | 'revokeGrant' | 'asksEverything' | 'setAsksEverything'>;
  key: Buffer;
  ha: Pick<HaOAuth, 'revoke'>;
  haAccess: Pick<HaAccessTokens, 'forget'>;
}

export class Grants {
  constructor(private readonly deps: GrantsDeps) {}

  /** Every grant, newest first, as the panel shows it. */
  summaries(): GrantSummary[] {
    return this.deps.store.grants().map(summaryOf);
  }

  /**
   * Whether every change a client makes under this grant waits for a person (the owner's choice in the
   * panel), beyond what `approval_domains` names; one indexed read per call that would change something.
   */
  asksEverything(grantId: string): boolean {
    return this.deps.store.asksEverything(grantId);
  }

  /** Sets that; the grant as the panel shows it now, or undefined when there is no such grant. */
  setAsksEverything(grantId: string, on: boolean): GrantSummary | undefined {
    if (!this.deps.store.setAsksEverything(grantId, on)) return undefined;
    const grant = this.deps.store.grant(grantId);
    return grant && summaryOf(grant);
  }

  /** Ends a grant, here and at Home Assistant; false when there was no such grant. */
  endGrant(id: string): boolean {
    const grant = this.deps.store.grant(id);
    this.deps.haAccess.forget(id);
    const removed = this.deps.store.revokeGrant(id);
    if (grant) {
      try {
        void this.deps.ha.revoke(unseal(this.deps.key, grant.haRefreshToken));
      } catch {
        // A refresh token that cannot be unsealed cannot be used either.
      }
    }
    return removed;
  }
}
