/**
 * The OAuth endpoints on the MCP listener (the public origin clients already reach):
 *
 *   GET  /.well-known/oauth-protected-resource[/api/mcp]   RFC 9728, which server guards /api/mcp
 *   GET  /.well-known/oauth-authorization-server           RFC 8414 (also /.well-known/openid-configuration)
 *   POST /oauth/register        RFC 7591 dynamic registration
 *   GET  /oauth/authorize       checks the request, then sends the browser to log in at Home Assistant
 *   GET  /oauth/ha-callback     Home Assistant's answer: shows the consent page
 *   POST /oauth/consent         the user's decision: back to the client with a code, or an error
 *   POST /oauth/token           codes (PKCE) and refresh tokens (rotated)
 *   POST /oauth/revoke          RFC 7009
 *
 * Every failure is answered here, once: an OAuthError as JSON `{ error, error_description }`, a SignInError
 * as an error page, anything else as a 500 `server_error` (and a line in the log). Pages people see never
 * load in a frame. Bodies are bounded before anything reads them (http/body-limit.ts): 8 KiB on /oauth/*,
 * none at all on the discovery documents; a body that does not parse is a 400 with an OAuth error.
 */
import type { Context } from 'hono';
import { Hono } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import { limitBody } from '../http/body-limit.js';
import type { Logger } from '../log.js';
import { throughHomeAssistant } from '../http/home-assistant-url.js';
import { clientAddress } from '../mcp/request-record.js';
import type { AuthorizationServer } from './authorization-server.js';
import { OAuthError, SignInError } from './errors.js';
import {
  authorizationServerMetadata,
  oauthUrls,
  protectedResourceMetadata,
  type OAuthUrls,
} from './metadata.js';
import { consentPage, errorPage } from './pages.js';
import type { Redirect } from './sign-in.js';

export interface OAuthRoutesDeps {
  server: AuthorizationServer;
  /** The public base URL clients reach this listener at (the external URL option, else the request's). */
  baseUrl(c: Context): string;
  log: Logger;
}

/**
 * The largest body an OAuth endpoint reads: a registration (whose fields clients.ts bounds as well), a token
 * or revocation request, the consent form. Real ones are well under 2 KiB.
 */
export const MAX_BODY_BYTES = 8 * 1024;

/** The answers to a body over the limit, and to one that broke off. */
const bodyRefusals = {
  refuse: (_: Context, maxBytes: number): never => {
    throw new OAuthError('invalid_request', `the request body must not exceed ${maxBytes} bytes`, 413);
  },
  unreadable: (): never => {
    throw new OAuthError('invalid_request', 'the request body could not be read');
  },
};

/** A form's fields (or a JSON object's text fields); anything that does not parse has none. */
async function readForm(c: Context): Promise<Record<string, string | undefined>> {
  const type = c.req.header('content-type') ?? '';
  if (/^application\/json/i.test(type)) {
    const body: unknown = await c.req.json().catch(() => undefined);
    if (typeof body !== 'object' || body === null || Array.isArray(body)) return {};
    return Object.fromEntries(
      Object.entries(body).map(([k, v]) => [k, typeof v === 'string' ? v : undefined])
    );
  }
  if (!/^application\/x-www-form-urlencoded/i.test(type)) {
    throw new OAuthError('invalid_request', 'send the parameters as application/x-www-form-urlencoded');
  }
  const text = await c.req.text().catch(bodyRefusals.unreadable);
  return Object.fromEntries(new URLSearchParams(text));
}

/** The client id from HTTP Basic authentication, if the client used it (its secret is not checked). */
function basicClientId(c: Context): string | undefined {
  const match = /^Basic\s+(\S+)$/i.exec(c.req.header('authorization') ?? '');
  if (!match) return undefined;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const id = decoded.slice(0, decoded.indexOf(':') >= 0 ? decoded.indexOf(':') : undefined);
  try {
    return decodeURIComponent(id);
  } catch {
    return id;
  }
}

/**
 * What the pages may do: load nothing, sit in no frame, and post the consent form here, whose answer
 * redirects to the client, which may be a native app's own scheme (`cursor:`).
 */
function pagePolicy(returnsTo?: string): string {
  const app = returnsTo && !/^https?:/.test(returnsTo) ? ` ${new URL(returnsTo).protocol}` : '';
  return `default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; form-action 'self' http: https:${app}`;
}

/** What a browser step answers with (a page, or a redirect from one): never cached, and the pages' policy. */
function browserHeaders(c: Context, returnsTo?: string): void {
  c.header('cache-control', 'no-store');
  c.header('content-security-policy', pagePolicy(returnsTo));
}

export function createOAuthRoutes(deps: OAuthRoutesDeps): Hono {
  const urlsOf = (c: Context): OAuthUrls => oauthUrls(deps.baseUrl(c), throughHomeAssistant(c)?.origin);
  const app = new Hono();

  app.onError((err, c) => {
    if (err instanceof SignInError) {
      browserHeaders(c);
      return c.html(errorPage(err.message), 400);
    }
    if (err instanceof OAuthError) {
      return c.json({ error: err.error, error_description: err.message }, err.status as 400, {
        'cache-control': 'no-store',
        ...err.headers,
      });
    }
    deps.log.error('OAuth endpoint failed', { error: err instanceof Error ? err.message : String(err) });
    return c.json({ error: 'server_error', error_description: 'the add-on failed; see its log' }, 500);
  });

  // Only these paths: a sub-app's `use('*')` would bound every route of the listener it is mounted on.
  app.use('/oauth/*', limitBody({ maxBytes: MAX_BODY_BYTES, ...bodyRefusals }));
  app.use('/.well-known/*', limitBody({ maxBytes: 0, ...bodyRefusals }));

  const prm = (c: Context) => c.json(protectedResourceMetadata(urlsOf(c)));
  app.get('/.well-known/oauth-protected-resource', prm);
  app.get('/.well-known/oauth-protected-resource/api/mcp', prm);
  const asm = (c: Context) => c.json(authorizationServerMetadata(urlsOf(c)));
  app.get('/.well-known/oauth-authorization-server', asm);
  app.get('/.well-known/openid-configuration', asm);

  // Pages people see: no framing (clickjacking a consent button), nothing cached, no referrer to leak codes.
  const pageHeaders = secureHeaders({
    xFrameOptions: 'DENY',
    // same-origin: the consent form's Origin reaches this server (no-referrer would make it "null"), and no
    // address with a code in it leaks to another site.
    referrerPolicy: 'same-origin',
    strictTransportSecurity: false,
  });
  app.use('/oauth/authorize', pageHeaders);
  app.use('/oauth/ha-callback', pageHeaders);
  app.use('/oauth/consent', pageHeaders);

  const redirect = (c: Context, to: Redirect) => {
    browserHeaders(c);
    return c.redirect(to.location, 302);
  };

  app.post('/oauth/register', async (c) => {
    const address = clientAddress(c);
    deps.server.admitRegistration(address);
    const body = await c.req.json().catch(() => {
      throw new OAuthError('invalid_client_metadata', 'send the registration as JSON');
    });
    return c.json(deps.server.register(body, address), 201, { 'cache-control': 'no-store' });
  });

  app.get('/oauth/authorize', async (c) =>
    redirect(c, await deps.server.authorize(c.req.query(), urlsOf(c)))
  );

  app.get('/oauth/ha-callback', async (c) => {
    const outcome = await deps.server.haCallback(c.req.query());
    if ('kind' in outcome) return redirect(c, outcome);
    browserHeaders(c, outcome.returnsTo);
    return c.html(consentPage(outcome, './consent'));
  });

  app.post('/oauth/consent', async (c) => {
    const form = await readForm(c);
    return redirect(c, deps.server.consent(form, c.req.header('origin'), urlsOf(c)));
  });

  app.post('/oauth/token', async (c) => {
    const form = await readForm(c);
    return c.json(deps.server.token(form, basicClientId(c), urlsOf(c)), 200, {
      'cache-control': 'no-store',
      pragma: 'no-cache',
    });
  });

  app.post('/oauth/revoke', async (c) => {
    const form = await readForm(c);
    deps.server.revokeToken(form.token);
    return c.body(null, 200);
  });

  return app;
}
