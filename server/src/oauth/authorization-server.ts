/**
 * The add-on's OAuth 2.1 authorization server, as the routes (routes.ts), MCP's bearer check and the panel
 * see it: one object that composes its parts and hands each call to the part whose job it is.
 *
 *   clients.ts             registration (RFC 7591), and which clients may sign in, returning where
 *   registration-limits.ts how many may register, per address and in all
 *   sign-in.ts             the authorization request, Home Assistant's login, the person's consent
 *   codes.ts               authorization codes, from the consent to the token endpoint
 *   token-endpoint.ts      codes and refresh tokens for tokens; revocation (RFC 7009)
 *   grants.ts              grants listed for the panel, and endGrant(), the one way a grant ends
 *   ha-access-tokens.ts    Home Assistant access tokens per grant, in memory
 *   mcp-authentication.ts  an access token → the principal an MCP request runs as
 *
 * Failures are thrown (errors.ts) and answered once by routes.ts.
 */
import type { Authentication, Principal, TokenValidator } from '../ha/principals.js';
import { Clients } from './clients.js';
import { AuthorizationCodes } from './codes.js';
import type { GrantSummary } from './grant-summary.js';
import { Grants } from './grants.js';
import { HaAccessTokens } from './ha-access-tokens.js';
import type { HaOAuth } from './ha-oauth.js';
import { McpAuthentication } from './mcp-authentication.js';
import type { OAuthUrls } from './metadata.js';
import type { LoginUrl } from './public-url.js';
import type { RegistrationLimitsOptions } from './registration-limits.js';
import { SignIn, type ConsentView, type Redirect } from './sign-in.js';
import type { OAuthStore } from './store.js';
import { TokenEndpoint, type TokenAnswer } from './token-endpoint.js';

export { OAuthError, SignInError } from './errors.js';
export type { GrantSummary } from './grant-summary.js';
export type { ConsentView, Redirect } from './sign-in.js';
export type { TokenAnswer } from './token-endpoint.js';

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
  tuning?: {
    accessTtlMs?: number;
    refreshTtlMs?: number;
    codeTtlMs?: number;
    pendingTtlMs?: number;
    registration?: Partial<RegistrationLimitsOptions>;
  };
}

export class AuthorizationServer {
  private readonly clients: Clients;
  private readonly signIn: SignIn;
  private readonly tokenEndpoint: TokenEndpoint;
  private readonly grantList: Grants;
  private readonly mcpAuthentication: McpAuthentication;

  constructor(deps: AuthorizationServerDeps) {
    const { store, key, ha } = deps;
    const now = deps.now ?? Date.now;
    const tuning = deps.tuning ?? {};
    const codes = new AuthorizationCodes(tuning.codeTtlMs ?? 60_000, now);
    const haAccess = new HaAccessTokens({ key, ha, now });
    this.clients = new Clients({
      store,
      allowPrivateMetadata: deps.allowPrivateMetadata,
      now,
      registrationLimits: tuning.registration,
    });
    this.grantList = new Grants({ store, key, ha, haAccess });
    this.signIn = new SignIn({
      clients: this.clients,
      codes,
      store,
      key,
      ha,
      whoIs: deps.whoIs,
      haLoginUrl: deps.haLoginUrl,
      now,
      pendingTtlMs: tuning.pendingTtlMs ?? 10 * 60_000,
    });
    this.tokenEndpoint = new TokenEndpoint({
      store,
      codes,
      grants: this.grantList,
      now,
      accessTtlMs: tuning.accessTtlMs ?? 60 * 60_000,
      refreshTtlMs: tuning.refreshTtlMs ?? 90 * 24 * 60 * 60_000,
    });
    this.mcpAuthentication = new McpAuthentication({ store, haAccess, grants: this.grantList, now });
  }

  /** Refuses a registration from an address that has used up its registrations, before its body is read. */
  admitRegistration(address: string): void {
    this.clients.admitRegistration(address);
  }

  /**
   * RFC 7591 dynamic registration from a client at `address` (clients.ts, registration-limits.ts); without
   * an address (`unknown`, as `clientAddress` says for a request that came over no connection) all count as one.
   */
  register(body: unknown, address = 'unknown'): Record<string, unknown> {
    return this.clients.register(body, address);
  }

  /** The authorization request (sign-in.ts). */
  authorize(query: Record<string, string | undefined>, urls: OAuthUrls): Promise<Redirect> {
    return this.signIn.authorize(query, urls);
  }

  /** Home Assistant's answer to its login: the consent page (sign-in.ts). */
  haCallback(query: Record<string, string | undefined>): Promise<Redirect | ConsentView> {
    return this.signIn.haCallback(query);
  }

  /** The person's decision on the consent page (sign-in.ts). */
  consent(form: Record<string, string | undefined>, origin: string | undefined, urls: OAuthUrls): Redirect {
    return this.signIn.consent(form, origin, urls);
  }

  /** The token endpoint (token-endpoint.ts). */
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

  /** Sets whether every change under a grant waits for a person (grants.ts); undefined: no such grant. */
  setAsksEverything(id: string, on: boolean): GrantSummary | undefined {
    return this.grantList.setAsksEverything(id, on);
  }

  /**
   * For the approval gate: whether a principal's grant asks before every change. Tokens that are not ours
   * have no grant here. A grant that cannot be read asks: approval is the careful side to fail on.
   */
  asksForEverything(principal: Principal): boolean {
    if (principal.grantId === undefined) return false;
    try {
      return this.grantList.asksEverything(principal.grantId);
    } catch {
      return true;
    }
  }
}
