/**
 * PKCE (RFC 7636), S256 only: MCP clients must use it, and `plain` protects nothing once the challenge is
 * seen. The verifier is 43-128 characters from the unreserved set.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

const VERIFIER = /^[A-Za-z0-9\-._~]{43,128}$/;
const CHALLENGE = /^[A-Za-z0-9\-_]{43}$/;

export const isCodeChallenge = (challenge: string): boolean => CHALLENGE.test(challenge);

export function s256(verifier: string): string {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url');
}

/** Whether `verifier` is the one the client committed to with `challenge` (constant-time comparison). */
export function verifiesChallenge(verifier: string, challenge: string): boolean {
  if (!VERIFIER.test(verifier) || !CHALLENGE.test(challenge)) return false;
  return timingSafeEqual(Buffer.from(s256(verifier)), Buffer.from(challenge));
}
