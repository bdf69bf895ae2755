/**
 * Which redirect URIs a client may use, for the kinds of client id MCP clients send:
 *
 * - a URL client id as Home Assistant's docs tell users to enter it (`https://claude.ai`,
 *   `https://chatgpt.com`, `http://localhost:12345` for CLI tools): a redirect URI with the same scheme,
 *   host and port is the client's own (IndieAuth's rule);
 * - a Client ID Metadata Document (an https URL with a path): the URIs its document lists;
 * - a registered client (dynamic registration): the URIs it registered.
 *
 * A redirect URI is https, http to loopback, or a native app's own scheme. Matching is exact (OAuth 2.1),
 * except that a loopback redirect may use any port (RFC 8252 §7.3: native apps pick a free port per run).
 */

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '[::1]', 'localhost']);

function parse(url: string): URL | undefined {
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}

export const isLoopbackUrl = (url: URL): boolean =>
  url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname);

/** Schemes that run, read or show something in the browser itself: never a place to send a code. */
const NOT_AN_APP = new Set([
  'about:',
  'blob:',
  'chrome:',
  'data:',
  'file:',
  'filesystem:',
  'ftp:',
  'http:',
  'intent:',
  'javascript:',
  'mailto:',
  'sms:',
  'tel:',
  'vbscript:',
  'view-source:',
  'ws:',
  'wss:',
]);

/**
 * A native app's own scheme (RFC 8252 §7.1), such as Cursor's `cursor://anysphere.cursor-mcp/oauth/callback`:
 * the operating system hands the code to the app, and PKCE keeps it useless to any other app.
 */
export const isPrivateUseRedirect = (url: URL): boolean =>
  url.protocol !== 'https:' && !NOT_AN_APP.has(url.protocol) && (url.host !== '' || url.pathname !== '');

/** A redirect URI a client may register or use at all: https, http to loopback, or an app's own scheme. */
export function acceptableRedirectUri(uri: string): boolean {
  const url = parse(uri);
  if (!url || url.hash || url.username || url.password) return false;
  return url.protocol === 'https:' || isLoopbackUrl(url) || isPrivateUseRedirect(url);
}

/** Where a redirect URI sends the browser, as the consent page names it: an origin, or an app's scheme. */
export function redirectTarget(uri: string): string {
  const url = new URL(uri);
  return url.protocol === 'https:' || url.protocol === 'http:' ? url.origin : `${url.protocol}//${url.host}`;
}

/** A client id that is a URL, as IndieAuth and CIMD use them: https, or http to loopback. */
export function urlClientId(clientId: string): URL | undefined {
  const url = parse(clientId);
  if (!url || url.hash || url.username || url.password) return undefined;
  return url.protocol === 'https:' || isLoopbackUrl(url) ? url : undefined;
}

/** Whether a client id is a Client ID Metadata Document URL: https with a path beyond `/`. */
export const isMetadataDocumentId = (clientId: string): boolean => {
  const url = urlClientId(clientId);
  return url !== undefined && url.protocol === 'https:' && url.pathname !== '/' && url.pathname !== '';
};

/** Whether `uri` equals one of `allowed`, loopback ports aside. */
export function listedRedirect(uri: string, allowed: readonly string[]): boolean {
  const wanted = parse(uri);
  if (!wanted || !acceptableRedirectUri(uri)) return false;
  return allowed.some((candidate) => {
    if (candidate === uri) return true;
    const url = parse(candidate);
    if (!url || !isLoopbackUrl(url) || !isLoopbackUrl(wanted)) return false;
    return (
      url.hostname === wanted.hostname && url.pathname === wanted.pathname && url.search === wanted.search
    );
  });
}

/** IndieAuth's rule for URL client ids: the redirect URI is on the client id's own origin. */
export function sameOriginRedirect(uri: string, clientId: string): boolean {
  const client = urlClientId(clientId);
  const wanted = parse(uri);
  if (!client || !wanted || !acceptableRedirectUri(uri)) return false;
  if (isLoopbackUrl(client) && isLoopbackUrl(wanted)) return client.hostname === wanted.hostname;
  return client.origin === wanted.origin;
}
