/**
 * How the authorization server's steps fail: a failure is thrown, and routes.ts answers it once, as JSON for
 * a client or as a page for a person. What a step decides is its return value, also when the decision is an
 * OAuth error that goes back to the client's redirect URI (sign-in.ts says why), and when MCP authentication
 * refuses a token (the `Authentication` union that mcp/auth.ts turns into 401 or 503).
 */

/**
 * An OAuth error (RFC 6749 §5.2): its code, and a description a person can act on. Answered as JSON, with
 * its status and any headers it names (`Retry-After` on a 429).
 */
export class OAuthError extends Error {
  constructor(
    readonly error: string,
    description: string,
    readonly status = 400,
    readonly headers: Record<string, string> = {}
  ) {
    super(description);
  }
}

/**
 * A sign-in that stops at a page the person sees, because the browser must not go back to the client: the
 * client or its redirect URI cannot be trusted, or the sign-in expired or its approval was forged (sign-in.ts
 * says when). Answered as an HTML error page.
 */
export class SignInError extends Error {}
