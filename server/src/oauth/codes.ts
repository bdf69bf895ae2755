/**
 * Authorization codes between the consent and the token endpoint: issued when the user approves, redeemed
 * once, held in memory by their hash for a minute at most (a code is never stored on disk).
 */
import { tokenHash } from '../ha/principals.js';
import { ExpiringMap } from './expiring-map.js';
import { newToken } from './secrets.js';

/** What a code was issued for: the token request must match it. */
export interface CodeEntry {
  grantId: string;
  clientId: string;
  redirectUri: string;
  codeChallenge: string;
  resource: string;
}

export class AuthorizationCodes {
  private readonly entries: ExpiringMap<CodeEntry>;

  constructor(ttlMs: number, now: () => number) {
    this.entries = new ExpiringMap(ttlMs, 1_000, now);
  }

  /** A new code for this entry. */
  issue(entry: CodeEntry): string {
    const code = newToken('code');
    this.entries.set(tokenHash(code), entry);
    return code;
  }

  /** The entry a code was issued for, once: the code is spent whatever the caller does next. */
  redeem(code: string | undefined): CodeEntry | undefined {
    return code ? this.entries.take(tokenHash(code)) : undefined;
  }
}
