/**
 * An application built on the official MCP SDK, as OAuth tests drive it: its OAuth provider (what the SDK
 * asks the application to keep, and the authorization URL it hands over for a person to open) and its
 * loopback redirect target.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type {
  OAuthClientMetadata,
  OAuthClientProvider,
  StoredOAuthClientInformation,
  StoredOAuthTokens,
} from '@modelcontextprotocol/client';

/** The application's side: where the browser comes back to, and what the SDK asks it to keep. */
export class TestProvider implements OAuthClientProvider {
  information?: StoredOAuthClientInformation;
  saved?: StoredOAuthTokens;
  verifier = '';
  readonly authorizationUrl: Promise<URL>;
  private opened!: (url: URL) => void;

  constructor(readonly redirectUrl: string) {
    this.authorizationUrl = new Promise((resolve) => (this.opened = resolve));
  }
  get clientMetadata(): OAuthClientMetadata {
    return {
      client_name: 'SDK OAuth test',
      redirect_uris: [this.redirectUrl],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
    };
  }
  clientInformation() {
    return this.information;
  }
  saveClientInformation(information: StoredOAuthClientInformation) {
    this.information = information;
  }
  tokens() {
    return this.saved;
  }
  saveTokens(tokens: StoredOAuthTokens) {
    this.saved = tokens;
  }
  redirectToAuthorization(url: URL) {
    this.opened(url);
  }
  saveCodeVerifier(verifier: string) {
    this.verifier = verifier;
  }
  codeVerifier() {
    return this.verifier;
  }
}

/** The application's loopback redirect target: resolves with the query the browser came back with. */
export function callbackServer(): Promise<{
  server: Server;
  url: string;
  returned: Promise<URLSearchParams>;
}> {
  let back!: (params: URLSearchParams) => void;
  const returned = new Promise<URLSearchParams>((resolve) => (back = resolve));
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname !== '/callback') {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'text/plain' }).end('Signed in. You can close this window.');
    back(url.searchParams);
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({ server, url: `http://127.0.0.1:${port}/callback`, returned });
    })
  );
}
