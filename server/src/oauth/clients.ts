/**
 * The clients that may sign in, and where each may be sent back to: clients registered here (RFC 7591
 * dynamic registration, public clients only: PKCE protects the code, so a secret is never issued; bounded
 * in number by registration-limits.ts, in size by what a registration may hold, below), clients
 * whose id is the address of a Client ID Metadata Document, and IndieAuth-style URL client ids
 * (`https://claude.ai`) whose own origin, or the redirect links their page lists, are theirs. Documents and
 * pages are fetched at most once per ten minutes each.
 */
import { fetchClientMetadata, type ClientMetadata } from './client-metadata.js';
import { fetchRedirectLinks } from './client-page.js';
import { OAuthError } from './errors.js';
import { ExpiringMap } from './expiring-map.js';
import {
  acceptableRedirectUri,
  isMetadataDocumentId,
  listedRedirect,
  sameOriginRedirect,
  urlClientId,
} from './redirect.js';
import { RegistrationLimits, type RegistrationLimitsOptions } from './registration-limits.js';
import { randomId } from './secrets.js';
import type { OAuthStore } from './store.js';

/**
 * What a registration may hold (RFC 7591 leaves the bounds to the server): a name and a client URI,
 * cut to these lengths, and one to twenty redirect URIs of at most 2,000 characters each. Everything else
 * a client sends is not kept; the whole body is bounded in routes.ts.
 */
export const REGISTRATION_FIELDS = { nameChars: 200, uriChars: 2_000, redirectUris: 20 } as const;

/** A client this server knows: its name for the consent page, and whether a redirect URI is its own. */
export interface KnownClient {
  name: string;
  allows(uri: string): boolean | Promise<boolean>;
}

export interface ClientsDeps {
  store: Pick<
    OAuthStore,
    'registerClient' | 'client' | 'unusedClients' | 'removeUnusedClients' | 'removeClient'
  >;
  /** How many may register (registration-limits.ts's defaults unless given). */
  registrationLimits?: Partial<RegistrationLimitsOptions>;
  /** Lets client metadata documents and pages live on private addresses (tests; homes that need it). */
  allowPrivateMetadata?: boolean;
  now: () => number;
}

export class Clients {
  private readonly documents: ExpiringMap<ClientMetadata>;
  private readonly pages: ExpiringMap<string[]>;
  private readonly limits: RegistrationLimits;

  constructor(private readonly deps: ClientsDeps) {
    this.documents = new ExpiringMap(10 * 60_000, 200, deps.now);
    this.pages = new ExpiringMap(10 * 60_000, 200, deps.now);
    this.limits = new RegistrationLimits(deps.store, deps.registrationLimits);
  }

  /** Refuses, before its body is read, a registration from an address that has used up its registrations. */
  admitRegistration(address: string): void {
    this.limits.admit(address, this.deps.now());
  }

  /**
   * RFC 7591: the registration's answer; or an `invalid_redirect_uri` OAuthError, or a 429 when the address
   * or the server has registered all it may (registration-limits.ts).
   */
  register(body: unknown, address: string): Record<string, unknown> {
    const input = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
    const uris = input.redirect_uris;
    const { nameChars, uriChars, redirectUris } = REGISTRATION_FIELDS;
    if (!Array.isArray(uris) || uris.length === 0 || uris.length > redirectUris) {
      throw new OAuthError('invalid_redirect_uri', 'redirect_uris must list one to twenty URIs');
    }
    const long = uris.find((uri) => typeof uri === 'string' && uri.length > uriChars);
    if (long !== undefined) {
      throw new OAuthError('invalid_redirect_uri', `a redirect URI is longer than ${uriChars} characters`);
    }
    const bad = uris.find((uri) => typeof uri !== 'string' || !acceptableRedirectUri(uri));
    if (bad !== undefined) {
      throw new OAuthError(
        'invalid_redirect_uri',
        `not a usable redirect URI (https, http to loopback, or an app's own scheme): ${String(bad)}`
      );
    }
    const name = typeof input.client_name === 'string' ? input.client_name.slice(0, nameChars) : null;
    const uri = typeof input.client_uri === 'string' ? input.client_uri.slice(0, uriChars) : null;
    const now = this.deps.now();
    this.limits.admit(address, now);
    // A well-formed registration costs its address one, stored or refused at the cap: asking again at once
    // must be no cheaper than the first time. One that is not well-formed costs nothing.
    this.limits.charge(address, now);
    this.limits.makeRoom(now);
    const client = {
      clientId: `hamcp_client_${randomId(16)}`,
      clientName: name,
      clientUri: uri,
      redirectUris: uris as string[],
      created: now,
    };
    this.deps.store.registerClient(client);
    return {
      client_id: client.clientId,
      client_id_issued_at: Math.floor(client.created / 1000),
      ...(name !== null && { client_name: name }),
      ...(uri !== null && { client_uri: uri }),
      redirect_uris: client.redirectUris,
      token_endpoint_auth_method: 'none',
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
    };
  }

  /**
   * The client behind this id, by the kind of id it is. Throws an `invalid_client` OAuthError for an id of
   * no kind known here, and a ClientMetadataError when its metadata document cannot be used.
   */
  async identify(clientId: string): Promise<KnownClient> {
    const found = this.deps.store.client(clientId);
    // A registration that never led to a sign-in lasts a day; the next registration deletes it.
    const registered =
      found && (found.signedIn !== null || !this.limits.expired(found.created, this.deps.now()))
        ? found
        : undefined;
    if (registered) {
      return {
        name: registered.clientName ?? clientId,
        allows: (uri) => listedRedirect(uri, registered.redirectUris),
      };
    }
    if (isMetadataDocumentId(clientId)) {
      let document = this.documents.get(clientId);
      if (!document) {
        document = await fetchClientMetadata(clientId, {
          allowPrivate: this.deps.allowPrivateMetadata ?? false,
        });
        this.documents.set(clientId, document);
      }
      const doc = document;
      return {
        name: doc.client_name ?? new URL(clientId).host,
        allows: (uri) => listedRedirect(uri, doc.redirect_uris),
      };
    }
    const url = urlClientId(clientId);
    if (url) {
      return {
        name: url.host,
        allows: async (uri) =>
          sameOriginRedirect(uri, clientId) ||
          (url.protocol === 'https:' && listedRedirect(uri, await this.pageRedirects(clientId))),
      };
    }
    throw new OAuthError('invalid_client', `unknown client: ${clientId}`);
  }

  /** The redirect URIs a URL client id's page lists; none when it cannot be read. */
  private async pageRedirects(clientId: string): Promise<string[]> {
    let listed = this.pages.get(clientId);
    if (!listed) {
      listed = await fetchRedirectLinks(clientId, {
        allowPrivate: this.deps.allowPrivateMetadata ?? false,
      }).catch(() => []);
      this.pages.set(clientId, listed);
    }
    return listed;
  }
}
