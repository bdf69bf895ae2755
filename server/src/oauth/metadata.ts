/**
 * The documents OAuth clients discover this server by: RFC 9728 protected-resource metadata (which
 * authorization server guards `/api/mcp`) and RFC 8414 authorization-server metadata, with an `issuer` and
 * absolute URLs, S256 PKCE and Client ID Metadata Documents advertised: what Home Assistant's own metadata
 * lacks and strict clients (ChatGPT, SDK-based ones) refuse to go without.
 */

export const SCOPES = ['homeassistant.read', 'homeassistant.control'] as const;
export type Scope = (typeof SCOPES)[number];

export interface OAuthUrls {
  issuer: string;
  /** The MCP endpoint, as clients name it in `resource`. */
  resource: string;
  authorize: string;
  token: string;
  register: string;
  revoke: string;
  /** Where Home Assistant sends the browser back after the user logged in there. */
  haCallback: string;
  /** The resource's RFC 9728 metadata document, as a 401 names it. */
  resourceMetadata: string;
  /**
   * Home Assistant's origin when the client reached this server through it (the companion integration at
   * `<HA URL>/api/mcp_addon`): the browser logs in there, on the origin it already uses.
   */
  homeAssistant?: string;
}

/**
 * Every URL of the authorization server and the resource, from the public base URL (no trailing slash).
 * Through Home Assistant's URL the base is HA's origin plus the companion's prefix, and the resource's
 * metadata is at the path-inserted well-known URL on HA's origin (RFC 9728 §3.1), which the companion
 * serves; HA's own root-level documents stay HA's.
 */
export function oauthUrls(base: string, homeAssistant?: string): OAuthUrls {
  const root = base.replace(/\/+$/, '');
  const resource = `${root}/api/mcp`;
  return {
    issuer: root,
    resource,
    authorize: `${root}/oauth/authorize`,
    token: `${root}/oauth/token`,
    register: `${root}/oauth/register`,
    revoke: `${root}/oauth/revoke`,
    haCallback: `${root}/oauth/ha-callback`,
    resourceMetadata: homeAssistant
      ? `${homeAssistant}/.well-known/oauth-protected-resource${new URL(resource).pathname}`
      : `${root}/.well-known/oauth-protected-resource/api/mcp`,
    ...(homeAssistant && { homeAssistant }),
  };
}

/** Whether a `resource` a client sent names this server's MCP endpoint (a trailing slash makes no difference). */
export const namesThisServer = (resource: string, urls: OAuthUrls): boolean =>
  resource.replace(/\/+$/, '') === urls.resource;

export function protectedResourceMetadata(urls: OAuthUrls) {
  return {
    resource: urls.resource,
    authorization_servers: [urls.issuer],
    scopes_supported: [...SCOPES],
    bearer_methods_supported: ['header'],
    resource_name: 'Home Assistant (MCP Server add-on)',
  };
}

export function authorizationServerMetadata(urls: OAuthUrls) {
  return {
    issuer: urls.issuer,
    authorization_endpoint: urls.authorize,
    token_endpoint: urls.token,
    registration_endpoint: urls.register,
    revocation_endpoint: urls.revoke,
    response_types_supported: ['code'],
    response_modes_supported: ['query'],
    grant_types_supported: ['authorization_code', 'refresh_token'],
    code_challenge_methods_supported: ['S256'],
    token_endpoint_auth_methods_supported: ['none', 'client_secret_post', 'client_secret_basic'],
    revocation_endpoint_auth_methods_supported: ['none', 'client_secret_post', 'client_secret_basic'],
    scopes_supported: [...SCOPES],
    client_id_metadata_document_supported: true,
    authorization_response_iss_parameter_supported: true,
  };
}
