/**
 * The OAuth authorization server's parts that need no Home Assistant: metadata documents, PKCE, redirect
 * rules for each kind of client id, the public-address check behind Client ID Metadata Document fetches
 * (and the fetch itself against a real local https server), opaque tokens and sealed secrets.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { tokenHash } from '../../../server/src/ha/principals.js';
import { isPublicAddress } from '../../../server/src/oauth/address.js';
import { fetchRedirectLinks } from '../../../server/src/oauth/client-page.js';
import {
  ClientMetadataError,
  fetchClientMetadata,
  parseClientMetadata,
} from '../../../server/src/oauth/client-metadata.js';
import {
  authorizationServerMetadata,
  oauthUrls,
  protectedResourceMetadata,
} from '../../../server/src/oauth/metadata.js';
import { s256, verifiesChallenge } from '../../../server/src/oauth/pkce.js';
import {
  acceptableRedirectUri,
  isMetadataDocumentId,
  listedRedirect,
  sameOriginRedirect,
} from '../../../server/src/oauth/redirect.js';
import { isOwnToken, KEY_FILE, loadKey, newToken, seal, unseal } from '../../../server/src/oauth/secrets.js';
import { certificate } from '../../support/https-fixture.js';

describe('OAuth metadata', () => {
  const urls = oauthUrls('https://mcp.example.com/');

  it('names an issuer and only absolute URLs, with S256 and client metadata documents', () => {
    const as = authorizationServerMetadata(urls);
    assert.equal(as.issuer, 'https://mcp.example.com');
    for (const key of [
      'authorization_endpoint',
      'token_endpoint',
      'registration_endpoint',
      'revocation_endpoint',
    ] as const) {
      assert.match(as[key], /^https:\/\/mcp\.example\.com\/oauth\//, key);
    }
    assert.deepEqual(as.code_challenge_methods_supported, ['S256']);
    assert.equal(as.client_id_metadata_document_supported, true);
    assert.deepEqual(as.grant_types_supported, ['authorization_code', 'refresh_token']);
    assert.deepEqual(as.token_endpoint_auth_methods_supported, [
      'none',
      'client_secret_post',
      'client_secret_basic',
    ]);
  });

  it('points the MCP endpoint at this issuer', () => {
    const prm = protectedResourceMetadata(urls);
    assert.equal(prm.resource, 'https://mcp.example.com/api/mcp');
    assert.deepEqual(prm.authorization_servers, ['https://mcp.example.com']);
  });
});

describe('PKCE', () => {
  // RFC 7636 appendix B.
  const verifier = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
  const challenge = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';

  it('accepts the verifier the challenge was made from (RFC 7636’s example)', () => {
    assert.equal(s256(verifier), challenge);
    assert.equal(verifiesChallenge(verifier, challenge), true);
  });

  it('refuses another verifier, a short one, and a plain challenge', () => {
    assert.equal(verifiesChallenge(`${verifier.slice(0, -1)}Y`, challenge), false);
    assert.equal(verifiesChallenge('too-short', s256('too-short')), false);
    assert.equal(verifiesChallenge(verifier, verifier), false);
  });
});

describe('redirect URIs', () => {
  it('accepts https, loopback http and native apps’ own schemes, without fragments or credentials', () => {
    for (const ok of [
      'https://claude.ai/api/mcp/auth_callback',
      'http://localhost:3334/oauth/callback',
      'http://127.0.0.1/cb',
      'cursor://anysphere.cursor-mcp/oauth/callback',
      'com.example.app:/oauth2redirect',
    ]) {
      assert.equal(acceptableRedirectUri(ok), true, ok);
    }
    for (const bad of [
      'http://evil.example/cb',
      'https://a.example/cb#x',
      'https://u:p@a.example/cb',
      'javascript:alert(1)',
      'data:text/html,hi',
      'file:///etc/passwd',
      'vbscript:x',
      'ws://127.0.0.1/cb',
      'cursor://anysphere.cursor-mcp/cb#frag',
      'not a url',
    ]) {
      assert.equal(acceptableRedirectUri(bad), false, bad);
    }
  });

  it('lets a URL client id redirect to its own origin only', () => {
    assert.equal(sameOriginRedirect('https://claude.ai/api/mcp/auth_callback', 'https://claude.ai'), true);
    assert.equal(
      sameOriginRedirect('https://chatgpt.com/connector_platform_oauth_redirect', 'https://chatgpt.com'),
      true
    );
    assert.equal(sameOriginRedirect('https://evil.example/cb', 'https://claude.ai'), false);
    assert.equal(sameOriginRedirect('https://claude.ai.evil.example/cb', 'https://claude.ai'), false);
    assert.equal(sameOriginRedirect('http://localhost:12345/callback', 'http://localhost:12345'), true);
    assert.equal(sameOriginRedirect('http://127.0.0.1:9999/callback', 'http://localhost:12345'), false);
  });

  it('matches listed URIs exactly, except for a loopback port', () => {
    const listed = ['https://app.example/cb', 'http://127.0.0.1/callback'];
    assert.equal(listedRedirect('https://app.example/cb', listed), true);
    assert.equal(listedRedirect('https://app.example/cb/', listed), false);
    assert.equal(listedRedirect('https://app.example/cb?x=1', listed), false);
    assert.equal(listedRedirect('http://127.0.0.1:53211/callback', listed), true);
    assert.equal(listedRedirect('http://127.0.0.1:53211/other', listed), false);
  });

  it('tells a client metadata document URL from a plain URL client id', () => {
    assert.equal(isMetadataDocumentId('https://claude.ai/oauth/claude-code-client-metadata'), true);
    assert.equal(isMetadataDocumentId('https://claude.ai'), false);
    assert.equal(isMetadataDocumentId('http://localhost:1234/meta.json'), false);
  });
});

describe('public addresses', () => {
  it('refuses loopback, private, link-local, unique-local, CGNAT, multicast and mapped ones', () => {
    for (const address of [
      '127.0.0.1',
      '10.1.2.3',
      '172.16.0.1',
      '172.30.32.2',
      '192.168.1.10',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '224.0.0.1',
      '::1',
      '::',
      'fe80::1',
      'fd00::1',
      'ff02::1',
      '::ffff:127.0.0.1',
      '::ffff:a00:1',
      'not-an-ip',
    ]) {
      assert.equal(isPublicAddress(address), false, address);
    }
  });

  it('accepts public ones', () => {
    for (const address of ['8.8.8.8', '1.1.1.1', '2606:4700:4700::1111', '::ffff:8.8.8.8']) {
      assert.equal(isPublicAddress(address), true, address);
    }
  });
});

describe('client metadata documents', () => {
  const id = 'https://localhost:1/client.json';

  it('reads a document that names this client id and usable redirect URIs', () => {
    const doc = { client_id: id, client_name: 'Test client', redirect_uris: ['http://127.0.0.1/cb'] };
    assert.deepEqual(parseClientMetadata(id, doc), doc);
    assert.throws(
      () => parseClientMetadata(id, { ...doc, client_id: 'https://other.example/x' }),
      /another client_id/
    );
    assert.throws(
      () => parseClientMetadata(id, { ...doc, redirect_uris: ['http://evil.example/cb'] }),
      /unusable redirect URI/
    );
    assert.throws(() => parseClientMetadata(id, { client_id: id }), ClientMetadataError);
  });

  it('never fetches from a loopback or private address, named or literal', async () => {
    await assert.rejects(
      fetchClientMetadata('https://metadata.example/client.json', {
        resolve: async () => [{ address: '127.0.0.1', family: 4 }],
      }),
      /points at a loopback or private address/
    );
    await assert.rejects(
      fetchClientMetadata('https://metadata.example/client.json', {
        resolve: async () => [
          { address: '93.184.216.34', family: 4 },
          { address: '10.0.0.5', family: 4 },
        ],
      }),
      /points at a loopback or private address/
    );
    await assert.rejects(fetchClientMetadata('https://192.168.1.1/client.json'), /loopback or private/);
    await assert.rejects(fetchClientMetadata('https://[::1]/client.json'), /loopback or private/);
    await assert.rejects(
      fetchClientMetadata('http://metadata.example/client.json'),
      /must be https with a path/
    );
  });

  describe('from a real https server', () => {
    const { cert, key } = certificate();

    const serve = async (
      handler: (path: string) => { status: number; body: string; headers?: Record<string, string> }
    ) => {
      const server = createServer({ cert, key }, (req, res) => {
        const answer = handler(req.url ?? '/');
        res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
        res.end(answer.body);
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      after(() => server.close());
      return (server.address() as { port: number }).port;
    };
    const local = {
      allowPrivate: true,
      ca: cert,
      resolve: async () => [{ address: '127.0.0.1', family: 4 }],
    };

    it('fetches a document when private addresses are allowed, from the address it checked', async () => {
      let port = 0;
      port = await serve(() => ({
        status: 200,
        body: JSON.stringify({
          client_id: `https://localhost:${port}/client.json`,
          redirect_uris: ['http://127.0.0.1/cb'],
        }),
      }));
      const doc = await fetchClientMetadata(`https://localhost:${port}/client.json`, local);
      assert.deepEqual(doc.redirect_uris, ['http://127.0.0.1/cb']);
    });

    it('follows no redirect and reads no more than the size limit', async () => {
      const port = await serve((path) =>
        path === '/moved'
          ? { status: 302, body: '', headers: { location: '/client.json' } }
          : {
              status: 200,
              body: JSON.stringify({ client_id: 'x', pad: 'x'.repeat(10_000), redirect_uris: [] }),
            }
      );
      await assert.rejects(fetchClientMetadata(`https://localhost:${port}/moved`, local), /HTTP 302/);
      await assert.rejects(
        fetchClientMetadata(`https://localhost:${port}/client.json`, local),
        /larger than 5120 bytes/
      );
    });

    it('reads the redirect URIs a URL client id’s page lists, in its first 10 kB only', async () => {
      const head =
        '<html><head><link rel="stylesheet" href="/a.css"><link href="https://app.example.com/cb?x=1&amp;y=2" rel="redirect_uri">' +
        "<LINK REL='redirect_uri me' HREF='/oauth/back'></head>";
      const port = await serve((path) => ({
        status: 200,
        body:
          path === '/long' ? head + ' '.repeat(10 * 1024) + '<link rel="redirect_uri" href="/late">' : head,
        headers: { 'content-type': 'text/html' },
      }));
      const expected = ['https://app.example.com/cb?x=1&y=2', `https://localhost:${port}/oauth/back`];
      assert.deepEqual(await fetchRedirectLinks(`https://localhost:${port}/`, local), expected);
      assert.deepEqual(await fetchRedirectLinks(`https://localhost:${port}/long`, local), expected);
      await assert.rejects(
        fetchRedirectLinks(`https://localhost:${port}/`, { ...local, allowPrivate: false }),
        /loopback or private address/
      );
    });
  });
});

describe('tokens and secrets', () => {
  it('makes opaque, recognisable tokens and keeps only their hashes', () => {
    const token = newToken('access');
    assert.match(token, /^hamcp_at_[A-Za-z0-9_-]{43}$/);
    assert.equal(isOwnToken(token), true);
    assert.equal(isOwnToken('eyJhbGciOiJIUzI1NiJ9.e30.x'), false);
    assert.notEqual(newToken('access'), token);
    assert.match(tokenHash(token), /^[0-9a-f]{64}$/);
  });

  it('seals Home Assistant’s refresh token under a key only the add-on can read, and notices tampering', () => {
    const dir = mkdtempSync(join(tmpdir(), 'oauth-key-'));
    try {
      const key = loadKey(dir);
      assert.equal(statSync(join(dir, KEY_FILE)).mode & 0o777, 0o600);
      assert.deepEqual(loadKey(dir), key, 'the same key on the next start');
      const sealed = seal(key, 'ha-refresh-token');
      assert.equal(sealed.includes('ha-refresh-token'), false);
      assert.equal(unseal(key, sealed), 'ha-refresh-token');
      const [iv, tag, body] = sealed.split('.');
      const altered = `${iv}.${tag}.${Buffer.from('x' + Buffer.from(body!, 'base64url').toString('latin1').slice(1), 'latin1').toString('base64url')}`;
      assert.throws(() => unseal(key, altered));
      assert.throws(() => unseal(Buffer.alloc(32, 1), sealed));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
