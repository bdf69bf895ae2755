/**
 * What the connection test finds, as codes with their values (for the panel to word in the viewer's
 * language, ui/src/translations/*.json `connect.test.checks`) and in English (the API's `detail`). A unit
 * test holds the panel's English to these words.
 */

/** The values each finding is worded with. Ports and HTTP statuses are text: they are never grouped. */
export interface CheckParams {
  url_not_http: Record<string, never>;
  url_cloud: { host: string };
  url_path_ok: { path: string };
  url_path_wrong: { path: string; actual: string };
  port_unpublished: { port: string };
  port_mismatch: { port: string; actual: string };
  port_ok: { port: string };
  unreachable_refused: { where: string };
  unreachable_unresolved: { host: string };
  unreachable_timeout: { where: string; seconds: number };
  unreachable_reset: { where: string };
  unreachable_other: { where: string; cause: string };
  reachable_redirect: { status: string; location: string };
  reachable_ok: Record<string, never>;
  reachable_not_found: { host: string; path: string };
  reachable_other: { host: string; status: string };
  token_ok: { count: number };
  token_refused: Record<string, never>;
  token_rate_limited: { seconds: string };
  token_rate_limited_later: Record<string, never>;
  token_unavailable: Record<string, never>;
  token_not_admin: Record<string, never>;
  token_http: { status: string };
}

export type CheckCode = keyof CheckParams;

export const CHECK_WORDS: { [C in CheckCode]: (p: CheckParams[C]) => string } = {
  url_not_http: () => 'This is not an http:// or https:// URL.',
  url_cloud: ({ host }) =>
    `${host} is a Home Assistant Cloud address: it leads to Home Assistant, not to this add-on's port. Use an address of the add-on's port, or a tunnel to it.`,
  url_path_ok: ({ path }) => `The path is ${path}.`,
  url_path_wrong: ({ path, actual }) => `The path should be ${path}, not ${actual}.`,
  port_unpublished: ({ port }) =>
    `The MCP port (${port}/tcp) is not published: enable it in the add-on's Network settings.`,
  port_mismatch: ({ port, actual }) =>
    `The add-on's MCP port is published as ${port}, but the URL uses ${actual}.`,
  port_ok: ({ port }) => `The MCP port is published as ${port}.`,
  unreachable_refused: ({ where }) =>
    `Nothing accepts connections at ${where}. The port may not be published, may be mapped to another host port, or a firewall blocks it.`,
  unreachable_unresolved: ({ host }) => `The host name ${host} cannot be resolved from the add-on.`,
  unreachable_timeout: ({ where, seconds }) =>
    `No answer from ${where} within ${seconds} s: a firewall may drop the connection.`,
  unreachable_reset: ({ where }) =>
    `${where} closed the connection: is it an HTTPS port reached over http (or the other way round)?`,
  unreachable_other: ({ where, cause }) => `Could not reach ${where} (${cause}).`,
  reachable_redirect: ({ status, location }) =>
    `The URL redirects (HTTP ${status}) to ${location}; use the final URL.`,
  reachable_ok: () => 'An MCP endpoint answers, and asks for a token as it should.',
  reachable_not_found: ({ host, path }) =>
    `Something answers at ${host}, but it has no MCP endpoint at ${path} (HTTP 404): is this the add-on's port?`,
  reachable_other: ({ host, status }) =>
    `Something answers at ${host}, but not as this MCP server (HTTP ${status}).`,
  token_ok: ({ count }) =>
    `Home Assistant accepted the token: ${count} ${count === 1 ? 'tool is' : 'tools are'} offered.`,
  token_refused: () =>
    'Home Assistant refused the token. Create a new long-lived access token in your profile (Security tab).',
  token_rate_limited: ({ seconds }) =>
    `Too many failed sign-ins from this address; try again in ${seconds} seconds.`,
  token_rate_limited_later: () => 'Too many failed sign-ins from this address; try again in a few seconds.',
  token_unavailable: () => 'Home Assistant is unavailable right now, so the token cannot be checked.',
  token_not_admin: () =>
    'The token belongs to a user who is not an administrator, and "Require an administrator" is on in Settings. Use an administrator\'s token, turn the setting off, or connect to /api/mcp/assist, which every user may use.',
  token_http: ({ status }) => `The endpoint answered HTTP ${status}.`,
};
