/**
 * The add-on's OAuth 2.1 authorization server, as plain steps the routes (routes.ts) call: client
 * registration, the authorization request (checked, then sent to log in at Home Assistant), Home
 * Assistant's answer, the user's consent, the token endpoint (codes with PKCE, rotating refresh tokens),
 * revocation, and turning an access token into the principal MCP requests run as.
 */
import { timingSafeEqual } from 'node:crypto';
import type { Authentication, TokenValidator } from '../ha/principals.js';
import { ClientMetadataError } from './client-metadata.js';
import { Clients } from './clients.js';
import { AuthorizationCodes } from './codes.js';
import { OAuthError } from './errors.js';
import { ExpiringMap } from './expiring-map.js';
import { Grants } from './grants.js';
import { HaAccessTokens } from './ha-access-tokens.js';
import { McpAuthentication } from './mcp-authentication.js';
import { HaRefusedError } from '../ha/errors.js';
import { haAwayFromSignIn, type HaOAuth } from './ha-oauth.js';
import { namesThisServer, SCOPES, type OAuthUrls, type Scope } from './metadata.js';
import { isCodeChallenge } from './pkce.js';
import type { LoginUrl } from './public-url.js';
import { redirectTarget } from './redirect.js';
import { randomId, seal } from './secrets.js';
import type { GrantSummary } from './grant-summary.js';
import type { Grant, OAuthStore } from './store.js';
import { TokenEndpoint, type TokenAnswer } from './token-endpoint.js';

export type { GrantSummary } from './grant-summary.js';

export { OAuthError } from './errors.js';

/** What the authorization request step decided. */
export type AuthorizeOutcome =
  /** The client and redirect URI could not be trusted: show a page, never redirect. */
  | { kind: 'page'; message: string }
  /** Send the browser here: to Home Assistant's login, or back to the client with an error. */
  | { kind: 'redirect'; location: string };

export interface ConsentView {
  requestId: string;
  csrf: string;
  clientName: string;
  clientId: string;
  /** Where the browser goes back to: the client's origin, or its app scheme. */
  returnsTo: string;
  userName: string;
  wantsControl: boolean;
  isAdmin: boolean;
}

interface Pending {
  id: string;
  csrf: string;
  clientId: string;
  clientName: string;
  redirectUri: string;
  state: string | undefined;
  codeChallenge: string;
  resource: string;
  scope: Scope[];
  haClientId: string;
  user?: { id: string; name: string; isAdmin: boolean };
  sealedHaRefresh?: string;
}

export interface AuthorizationServerDeps {
  store: OAuthStore;
  key: Buffer;
  ha: HaOAuth;
  /** Who an HA access token belongs to (principals.ts `haTokenValidator`). */
  whoIs: TokenValidator;
  /** Where the browser of a client that reached this server at `issuer` finds Home Assistant's login page. */
  haLoginUrl(issuer: string): LoginUrl | Promise<LoginUrl>;
  /** Lets client metadata documents live on private addresses (tests; homes that need it). */
  allowPrivateMetadata?: boolean;
  now?: () => number;
  tuning?: { accessTtlMs?: number; refreshTtlMs?: number; codeTtlMs?: number; pendingTtlMs?: number };
}

const sameText = (a: string, b: string) =>
  a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

function withQuery(uri: string, params: Record<string, string | undefined>): string {
  const url = new URL(uri);
  for (const [key, value] of Object.entries(params))
    if (value !== undefined) url.searchParams.set(key, value);
  return url.toString();
}

export class AuthorizationServer {
  private readonly now: () => number;
  private readonly pending: ExpiringMap<Pending>;
  private readonly codes: AuthorizationCodes;
  private readonly tokenEndpoint: TokenEndpoint;
  private readonly clients: Clients;
  private readonly grantList: Grants;
  private readonly mcpAuthentication: McpAuthentication;

  constructor(private readonly deps: AuthorizationServerDeps) {
    this.now = deps.now ?? Date.now;
    const tuning = deps.tuning ?? {};
    this.pending = new ExpiringMap(tuning.pendingTtlMs ?? 10 * 60_000, 1_000, this.now);
    this.codes = new AuthorizationCodes(tuning.codeTtlMs ?? 60_000, this.now);
    this.clients = new Clients({
      store: deps.store,
      allowPrivateMetadata: deps.allowPrivateMetadata,
      now: this.now,
    });
    const haAccess = new HaAccessTokens({ key: deps.key, ha: deps.ha, now: this.now });
    this.grantList = new Grants({ store: deps.store, key: deps.key, ha: deps.ha, haAccess });
    this.mcpAuthentication = new McpAuthentication({
      store: deps.store,
      haAccess,
      grants: this.grantList,
      now: this.now,
    });
    this.tokenEndpoint = new TokenEndpoint({
      store: deps.store,
      codes: this.codes,
      grants: this.grantList,
      now: this.now,
      accessTtlMs: tuning.accessTtlMs ?? 60 * 60_000,
      refreshTtlMs: tuning.refreshTtlMs ?? 90 * 24 * 60 * 60_000,
    });
  }

  /** RFC 7591 dynamic registration (clients.ts). */
  register(body: unknown): Record<string, unknown> {
    return this.clients.register(body);
  }

  async authorize(query: Record<string, string | undefined>, urls: OAuthUrls): Promise<AuthorizeOutcome> {
    const { client_id: clientId, redirect_uri: redirectUri, state } = query;
    if (!clientId)
      return { kind: 'page', message: 'The client did not say who it is (client_id is missing).' };
    let client;
    try {
      client = await this.clients.identify(clientId);
    } catch (err) {
      const why =
        err instanceof ClientMetadataError || err instanceof OAuthError
          ? err.message
          : 'it cannot be checked';
      return { kind: 'page', message: `The client ${clientId} cannot sign in here: ${why}.` };
    }
    if (!redirectUri || !(await client.allows(redirectUri))) {
      return {
        kind: 'page',
        message: `The client ${clientId} asked to return to ${redirectUri ?? '(nothing)'}, which is not one of its own addresses.`,
      };
    }
    const back = (error: string, description: string): AuthorizeOutcome => ({
      kind: 'redirect',
      location: withQuery(redirectUri, { error, error_description: description, state, iss: urls.issuer }),
    });
    if (query.response_type !== 'code')
      return back('unsupported_response_type', 'only response_type=code is supported');
    if (
      query.code_challenge_method !== 'S256' ||
      !query.code_challenge ||
      !isCodeChallenge(query.code_challenge)
    ) {
      return back('invalid_request', 'PKCE with code_challenge_method=S256 is required');
    }
    if (!query.resource) return back('invalid_target', `resource is required: ${urls.resource}`);
    if (!namesThisServer(query.resource, urls)) {
      return back('invalid_target', `this server is ${urls.resource}, not ${query.resource}`);
    }
    const asked = (query.scope ?? '').split(' ').filter(Boolean);
    const unknown = asked.filter((s) => !(SCOPES as readonly string[]).includes(s));
    if (unknown.length) return back('invalid_scope', `unknown scope: ${unknown.join(' ')}`);
    const scope = (asked.length ? asked : [...SCOPES]) as Scope[];
    const login = await this.deps.haLoginUrl(urls.issuer);
    if ('problem' in login)
      return { kind: 'page', message: `You sign in at Home Assistant, but ${login.problem}` };
    const pending: Pending = {
      id: randomId(),
      csrf: randomId(),
      clientId,
      clientName: client.name,
      redirectUri,
      state,
      codeChallenge: query.code_challenge,
      resource: urls.resource,
      scope,
      haClientId: `${urls.issuer}/`,
    };
    this.pending.set(pending.id, pending);
    const ha = new URL('/auth/authorize', login.url);
    ha.searchParams.set('response_type', 'code');
    ha.searchParams.set('client_id', pending.haClientId);
    ha.searchParams.set('redirect_uri', urls.haCallback);
    ha.searchParams.set('state', pending.id);
    return { kind: 'redirect', location: ha.toString() };
  }

  /** Home Assistant sent the browser back: learn the user from HA's code, then ask for consent. */
  async haCallback(query: Record<string, string | undefined>): Promise<AuthorizeOutcome | ConsentView> {
    const pending = query.state ? this.pending.get(query.state) : undefined;
    if (!pending)
      return {
        kind: 'page',
        message: 'This sign-in has expired or is unknown. Start again from your client.',
      };
    if (!query.code) {
      this.pending.delete(pending.id);
      return this.backToClient(pending, {
        error: 'access_denied',
        error_description: 'the sign-in at Home Assistant was not completed',
      });
    }
    try {
      const tokens = await this.deps.ha.exchangeCode(query.code, pending.haClientId);
      if (!tokens.refresh_token) throw new HaRefusedError('Home Assistant issued no refresh token');
      const user = await this.deps.whoIs(tokens.access_token);
      if (!user) throw new HaRefusedError('Home Assistant does not know the token it just issued');
      pending.user = { id: user.id, name: user.name, isAdmin: user.is_admin };
      pending.sealedHaRefresh = seal(this.deps.key, tokens.refresh_token);
    } catch (err) {
      const message = haAwayFromSignIn(err)
        ? 'Home Assistant is unavailable'
        : 'Home Assistant did not confirm the sign-in';
      return { kind: 'page', message: `${message}. Start again from your client.` };
    }
    return {
      requestId: pending.id,
      csrf: pending.csrf,
      clientName: pending.clientName,
      clientId: pending.clientId,
      returnsTo: redirectTarget(pending.redirectUri),
      userName: pending.user.name,
      wantsControl: pending.scope.includes('homeassistant.control'),
      isAdmin: pending.user.isAdmin,
    };
  }

  /** The user's answer on the consent page (a form this server rendered: CSRF token and Origin checked). */
  consent(
    form: Record<string, string | undefined>,
    origin: string | undefined,
    urls: OAuthUrls
  ): AuthorizeOutcome {
    const pending = form.request ? this.pending.get(form.request) : undefined;
    if (!pending || !pending.user || !pending.sealedHaRefresh) {
      return {
        kind: 'page',
        message: 'This sign-in has expired or is unknown. Start again from your client.',
      };
    }
    if (
      !form.csrf ||
      !sameText(form.csrf, pending.csrf) ||
      (origin !== undefined && origin !== new URL(urls.issuer).origin)
    ) {
      return {
        kind: 'page',
        message: 'This approval did not come from the page this server showed. Start again from your client.',
      };
    }
    this.pending.delete(pending.id);
    if (form.decision !== 'approve') {
      return this.backToClient(
        pending,
        { error: 'access_denied', error_description: 'the user declined' },
        urls
      );
    }
    const control = pending.scope.includes('homeassistant.control') && form.control === 'on';
    const grant: Grant = {
      id: randomId(16),
      clientId: pending.clientId,
      clientName: pending.clientName,
      userId: pending.user.id,
      userName: pending.user.name,
      isAdmin: pending.user.isAdmin,
      scope: control ? ['homeassistant.read', 'homeassistant.control'] : ['homeassistant.read'],
      resource: pending.resource,
      haClientId: pending.haClientId,
      haRefreshToken: pending.sealedHaRefresh,
      created: this.now(),
      lastUsed: null,
    };
    this.deps.store.createGrant(grant);
    const code = this.codes.issue({
      grantId: grant.id,
      clientId: pending.clientId,
      redirectUri: pending.redirectUri,
      codeChallenge: pending.codeChallenge,
      resource: pending.resource,
    });
    return this.backToClient(pending, { code }, urls);
  }

  private backToClient(pending: Pending, params: Record<string, string>, urls?: OAuthUrls): AuthorizeOutcome {
    return {
      kind: 'redirect',
      location: withQuery(pending.redirectUri, {
        ...params,
        state: pending.state,
        ...(urls && { iss: urls.issuer }),
      }),
    };
  }

  /** The token endpoint (token-endpoint.ts): throws an OAuthError for a request it refuses. */
  token(
    form: Record<string, string | undefined>,
    basicClientId: string | undefined,
    urls: OAuthUrls
  ): TokenAnswer {
    return this.tokenEndpoint.token(form, basicClientId, urls);
  }

  /** RFC 7009 revocation (token-endpoint.ts). */
  revokeToken(token: string | undefined): void {
    this.tokenEndpoint.revokeToken(token);
  }

  /** The principal an access token stands for (mcp-authentication.ts). */
  authenticate(token: string): Promise<Authentication> {
    return this.mcpAuthentication.authenticate(token);
  }

  /** Every grant, as the panel lists them (grants.ts). */
  grants(): GrantSummary[] {
    return this.grantList.summaries();
  }

  /** Ends a grant, here and at Home Assistant (grants.ts endGrant). */
  revokeGrant(id: string): boolean {
    return this.grantList.endGrant(id);
  }
}
