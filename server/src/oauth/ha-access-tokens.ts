/**
 * Home Assistant access tokens per grant, with which the add-on acts as the grant's user: refreshed at HA
 * from the grant's sealed HA refresh token, kept in memory only, until a minute before they expire.
 */
import type { HaOAuth } from './ha-oauth.js';
import { unseal } from './secrets.js';
import type { Grant } from './store.js';

export interface HaAccessTokensDeps {
  key: Buffer;
  ha: Pick<HaOAuth, 'refresh'>;
  now: () => number;
}

export class HaAccessTokens {
  private readonly tokens = new Map<string, { token: string; until: number }>();

  constructor(private readonly deps: HaAccessTokensDeps) {}

  /** A usable HA access token for the grant; throws what HA's refresh threw (ha-oauth.ts says which). */
  async forGrant(grant: Grant): Promise<string> {
    const cached = this.tokens.get(grant.id);
    if (cached && cached.until > this.deps.now()) return cached.token;
    const refreshed = await this.deps.ha.refresh(
      unseal(this.deps.key, grant.haRefreshToken),
      grant.haClientId
    );
    this.tokens.set(grant.id, {
      token: refreshed.access_token,
      until: this.deps.now() + Math.max(0, refreshed.expires_in * 1000 - 60_000),
    });
    return refreshed.access_token;
  }

  /** The grant ended: its HA access token is not kept a moment longer. */
  forget(grantId: string): void {
    this.tokens.delete(grantId);
  }
}
