/**
 * The clients that may sign in, and where each may be sent back to: clients registered here (RFC 7591
 * dynamic registration, public clients only: PKCE protects the code, so a secret is never issued), clients
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
import { randomId } from './secrets.js';
import type { OAuthStore } from './store.js';

/** A client this server knows: its name for the consent page, and whether a redirect URI is its own. */
export interface KnownClient {
  name: string;
  allows(uri: string): boolean | Promise<boolean>;
}

export interface ClientsDeps {
  store: Pick<OAuthStore, 'registerClient' | 'client'>;
  /** Lets client metadata documents and pages live on private addresses (tests; homes that need it). */
  allowPrivateMetadata?: boolean;
  now: () => number;
}

export class Clients {
  private readonly documents: ExpiringMap<ClientMetadata>;
  private readonly pages: ExpiringMap<string[]>;

  constructor(private readonly deps: ClientsDeps) {
    this.documents = new ExpiringMap(10 * 60_000, 200, deps.now);
    this.pages = new ExpiringMap(10 * 60_000, 200, deps.now);
  }

  /** RFC 7591: the registration's answer, or an `invalid_redirect_uri` OAuthError. */
  register(body: unknown): Record<string, unknown> {
    const input = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
    const uris = input.redirect_uris;
    if (!Array.isArray(uris) || uris.length === 0 || uris.length > 20) {
      throw new OAuthError('invalid_redirect_uri', 'redirect_uris must list one to twenty URIs');
    }
    const bad = uris.find((uri) => typeof uri !== 'string' || !acceptableRedirectUri(uri));
    if (bad !== undefined) {
      throw new OAuthError(
        'invalid_redirect_uri',
        `not a usable redirect URI (https, http to loopback, or an app's own scheme): ${String(bad)}`
      );
    }
    const name = typeof input.client_name === 'string' ? input.client_name.slice(0, 200) : null;
    const uri = typeof input.client_uri === 'string' ? input.client_uri.slice(0, 2_000) : null;
    const client = {
      clientId: `hamcp_client_${randomId(16)}`,
      clientName: name,
      clientUri: uri,
      redirectUris: uris as string[],
      created: this.deps.now(),
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
    const registered = this.deps.store.client(clientId);
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
