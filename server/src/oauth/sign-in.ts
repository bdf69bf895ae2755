/**
 * A person signing in, in three steps, one route each: the authorization request (`authorize`: the client
 * and its redirect URI checked, then the browser sent to log in at Home Assistant), Home Assistant's answer
 * (`haCallback`: the user learnt from HA's code, then the consent page) and the person's decision
 * (`consent`: a grant and a code, or a refusal, sent back to the client). Sign-ins under way live in memory
 * for ten minutes.
 *
 * What fails and what is an answer. Until the client and its redirect URI are trusted, nothing may go back
 * to the client (RFC 6749 §4.1.2.1: inform the person, never redirect to an unverified URI); those failures,
 * and a sign-in that expired or whose approval was forged, are thrown as a SignInError, which routes.ts
 * shows as a page. Once they are trusted, an OAuth error (`access_denied`, `invalid_scope`, ...) goes to the
 * client's redirect URI: that is how the protocol answers the client, not a failure of this server, so it
 * is returned as a Redirect, like the one that carries the code.
 */
import { timingSafeEqual } from 'node:crypto';
import { HaRefusedError } from '../ha/errors.js';
import type { TokenValidator } from '../ha/principals.js';
import { ClientMetadataError } from './client-metadata.js';
import type { Clients } from './clients.js';
import type { AuthorizationCodes } from './codes.js';
import { OAuthError, SignInError } from './errors.js';
import { ExpiringMap } from './expiring-map.js';
import { haAwayFromSignIn, type HaOAuth } from './ha-oauth.js';
import { namesThisServer, SCOPES, type OAuthUrls, type Scope } from './metadata.js';
import { isCodeChallenge } from './pkce.js';
import type { LoginUrl } from './public-url.js';
import { redirectTarget } from './redirect.js';
import { randomId, seal } from './secrets.js';
import type { Grant, OAuthStore } from './store.js';

/** Where the browser goes next: Home Assistant's login, or back to the client with a code or an OAuth error. */
export interface Redirect {
  kind: 'redirect';
  location: string;
}

/** What the consent page shows, and the hidden fields its form posts back. */
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

/** A sign-in under way, from the authorization request to the person's decision. */
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

export interface SignInDeps {
  clients: Pick<Clients, 'identify'>;
  codes: Pick<AuthorizationCodes, 'issue'>;
  store: Pick<OAuthStore, 'createGrant'>;
  key: Buffer;
  ha: Pick<HaOAuth, 'exchangeCode'>;
  /** Who an HA access token belongs to (principals.ts `haTokenValidator`). */
  whoIs: TokenValidator;
  /** Where the browser of a client that reached this server at `issuer` finds Home Assistant's login page. */
  haLoginUrl(issuer: string): LoginUrl | Promise<LoginUrl>;
  now: () => number;
  pendingTtlMs: number;
}

const EXPIRED = 'This sign-in has expired or is unknown. Start again from your client.';

/**
 * The longest value an authorization request's parameter may have: a sign-in under way keeps the client id,
 * redirect URI and state in memory for minutes, so each is bounded (real ones are well under 500).
 */
export const MAX_PARAMETER_CHARS = 2_000;

const sameText = (a: string, b: string) =>
  a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/** The browser back to the client's redirect URI with these parameters, its `state`, and `iss` (RFC 9207) when given. */
function backToClient(
  to: { redirectUri: string; state: string | undefined },
  params: Record<string, string>,
  issuer?: string
): Redirect {
  const url = new URL(to.redirectUri);
  for (const [key, value] of Object.entries({ ...params, state: to.state, iss: issuer }))
    if (value !== undefined) url.searchParams.set(key, value);
  return { kind: 'redirect', location: url.toString() };
}

export class SignIn {
  private readonly pending: ExpiringMap<Pending>;

  constructor(private readonly deps: SignInDeps) {
    this.pending = new ExpiringMap(deps.pendingTtlMs, 1_000, deps.now);
  }

  /** The authorization request: to Home Assistant's login, or back to the client with an OAuth error. */
  async authorize(query: Record<string, string | undefined>, urls: OAuthUrls): Promise<Redirect> {
    const { client_id: clientId, redirect_uri: redirectUri, state } = query;
    const long = Object.entries(query).find(([, value]) => (value?.length ?? 0) > MAX_PARAMETER_CHARS);
    if (long) {
      throw new SignInError(
        `The client sent a ${long[0].slice(0, 40)} longer than ${MAX_PARAMETER_CHARS} characters. Start again from your client.`
      );
    }
    if (!clientId) throw new SignInError('The client did not say who it is (client_id is missing).');
    let client;
    try {
      client = await this.deps.clients.identify(clientId);
    } catch (err) {
      const why =
        err instanceof ClientMetadataError || err instanceof OAuthError
          ? err.message
          : 'it cannot be checked';
      throw new SignInError(`The client ${clientId} cannot sign in here: ${why}.`);
    }
    if (!redirectUri || !(await client.allows(redirectUri))) {
      throw new SignInError(
        `The client ${clientId} asked to return to ${redirectUri ?? '(nothing)'}, which is not one of its own addresses.`
      );
    }
    const back = (error: string, description: string) =>
      backToClient({ redirectUri, state }, { error, error_description: description }, urls.issuer);
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
    const login = urls.homeAssistant ? { url: urls.homeAssistant } : await this.deps.haLoginUrl(urls.issuer);
    if ('problem' in login) throw new SignInError(`You sign in at Home Assistant, but ${login.problem}`);
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
  async haCallback(query: Record<string, string | undefined>): Promise<Redirect | ConsentView> {
    const pending = query.state ? this.pending.get(query.state) : undefined;
    if (!pending) throw new SignInError(EXPIRED);
    if (!query.code) {
      this.pending.delete(pending.id);
      return backToClient(pending, {
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
      throw new SignInError(`${message}. Start again from your client.`);
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

  /** The person's answer on the consent page (a form this server rendered: CSRF token and Origin checked). */
  consent(form: Record<string, string | undefined>, origin: string | undefined, urls: OAuthUrls): Redirect {
    const pending = form.request ? this.pending.get(form.request) : undefined;
    if (!pending || !pending.user || !pending.sealedHaRefresh) throw new SignInError(EXPIRED);
    if (
      !form.csrf ||
      !sameText(form.csrf, pending.csrf) ||
      (origin !== undefined && origin !== new URL(urls.issuer).origin)
    ) {
      throw new SignInError(
        'This approval did not come from the page this server showed. Start again from your client.'
      );
    }
    this.pending.delete(pending.id);
    if (form.decision !== 'approve') {
      return backToClient(
        pending,
        { error: 'access_denied', error_description: 'the user declined' },
        urls.issuer
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
      created: this.deps.now(),
      lastUsed: null,
    };
    this.deps.store.createGrant(grant);
    const code = this.deps.codes.issue({
      grantId: grant.id,
      clientId: pending.clientId,
      redirectUri: pending.redirectUri,
      codeChallenge: pending.codeChallenge,
      resource: pending.resource,
    });
    return backToClient(pending, { code }, urls.issuer);
  }
}
