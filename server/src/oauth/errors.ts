/**
 * How the authorization server's steps fail. A failure is thrown, and routes.ts answers it once; what a step
 * decides when nothing failed is its return value.
 */

/** An OAuth error (RFC 6749 §5.2): its code, and a description a person can act on. Answered as JSON. */
export class OAuthError extends Error {
  constructor(
    readonly error: string,
    description: string,
    readonly status = 400
  ) {
    super(description);
  }
}
