/**
 * Fetches a client can make the add-on do, against a real https server on loopback: safe-fetch (https
 * only, the public-address check on every resolved address, the connection pinned to the checked address,
 * no redirects, size and time bounds), Client ID Metadata Documents (parsing and their limits), redirect
 * links on a URL client id's page, and how the authorization server uses both (fetched once per ten
 * minutes; private addresses only when the owner allows them).
 */
import assert from 'node:assert/strict';
import { globalAgent } from 'node:https';
import { getDefaultAutoSelectFamily, setDefaultAutoSelectFamily } from 'node:net';
import { describe, it } from 'node:test';
import { redirectLinks, fetchRedirectLinks } from '../../../server/src/oauth/client-page.js';
import {
  ClientMetadataError,
  fetchClientMetadata,
  parseClientMetadata,
} from '../../../server/src/oauth/client-metadata.js';
import { fetchText, SafeFetchError } from '../../../server/src/oauth/safe-fetch.js';
import { certificate, serveHttps } from '../../support/https-fixture.js';
import {
  authorizeQuery,
  MINUTE,
  oauthHarness,
  pageMessage,
  pkce,
  toConsent,
  urls,
  type Harness,
} from '../../support/oauth-fixture.js';

const tls = certificate();
// The authorization server fetches with the default agent: let it trust the test certificate.
(globalAgent.options as { ca?: string }).ca = tls.cert;
const harness = oauthHarness();
const toLoopback = async () => [{ address: '127.0.0.1', family: 4 }];
const local = { allowPrivate: true, ca: tls.cert, resolve: toLoopback };

const refusedWith = async (promise: Promise<unknown>, message: string, tooLarge = false) => {
  await assert.rejects(promise, (err) => {
    assert.ok(err instanceof SafeFetchError, String(err));
    assert.equal(err.name, 'SafeFetchError');
    assert.equal(err.message, message);
    assert.equal(err.tooLarge, tooLarge);
    return true;
  });
};

describe('safe fetch', () => {
  it('fetches over https with the accept header asked for', async () => {
    const { port, requests } = await serveHttps(tls, () => ({ body: 'hello' }));
    const text = await fetchText(new URL(`https://localhost:${port}/doc?x=1`), 'application/json', local);
    assert.equal(text, 'hello');
    assert.equal(requests.length, 1);
    assert.equal(requests[0]!.method, 'GET');
    assert.equal(requests[0]!.url, '/doc?x=1');
    assert.equal(requests[0]!.headers.accept, 'application/json');
  });

  it('connects to the address it checked, not to what the name resolves to again', async () => {
    const { port, requests } = await serveHttps(tls, () => ({ body: 'pinned' }));
    const asked: string[] = [];
    const text = await fetchText(new URL(`https://client.example:${port}/`), 'text/html', {
      ...local,
      resolve: async (host) => {
        asked.push(host);
        return [
          { address: '127.0.0.1', family: 4 },
          { address: '10.9.9.9', family: 4 },
        ];
      },
    });
    assert.equal(text, 'pinned');
    assert.deepEqual(asked, ['client.example']);
    assert.equal(requests[0]!.headers.host, `client.example:${port}`);
  });

  it('pins the address also when connections ask for one address at a time', async () => {
    const { port } = await serveHttps(tls, () => ({ body: 'one at a time' }));
    const before = getDefaultAutoSelectFamily();
    setDefaultAutoSelectFamily(false); // then Node asks the lookup for a single address
    try {
      const text = await fetchText(new URL(`https://client.example:${port}/`), 'text/html', local);
      assert.equal(text, 'one at a time');
    } finally {
      setDefaultAutoSelectFamily(before);
    }
  });

  it('does not resolve an IP address literal', async () => {
    const { port } = await serveHttps(tls, () => ({ body: 'literal' }));
    const text = await fetchText(new URL(`https://127.0.0.1:${port}/`), 'text/html', {
      ...local,
      resolve: async () => assert.fail('resolved a literal'),
    });
    assert.equal(text, 'literal');
  });

  it('refuses anything but https', async () => {
    await refusedWith(
      fetchText(new URL('http://client.example/x'), 'text/html', local),
      'http://client.example is not https'
    );
  });

  it('refuses a host that does not resolve', async () => {
    for (const resolve of [async () => [], async () => Promise.reject(new Error('ENOTFOUND'))]) {
      await refusedWith(
        fetchText(new URL('https://client.example/x'), 'text/html', { resolve }),
        'client.example does not resolve'
      );
    }
  });

  it('refuses a host with any private address among its addresses', async () => {
    for (const addresses of [
      [{ address: '10.0.0.1', family: 4 }],
      [
        { address: '8.8.8.8', family: 4 },
        { address: 'fd00::1', family: 6 },
      ],
    ]) {
      await refusedWith(
        fetchText(new URL('https://client.example/x'), 'text/html', { resolve: async () => addresses }),
        'client.example points at a loopback or private address, which is not allowed'
      );
    }
    await refusedWith(
      fetchText(new URL('https://[::1]:9/x'), 'text/html'),
      '::1 points at a loopback or private address, which is not allowed'
    );
  });

  it('resolves names with the system resolver by default, and checks every address it gives', async () => {
    await refusedWith(
      fetchText(new URL('https://localhost/x'), 'text/html'),
      'localhost points at a loopback or private address, which is not allowed'
    );
  });

  it('says which address answered what, and follows no redirect', async () => {
    const { port } = await serveHttps(tls, () => ({ status: 301, headers: { location: '/elsewhere' } }));
    await refusedWith(
      fetchText(new URL(`https://localhost:${port}/a`), 'text/html', local),
      `https://localhost:${port}/a answered HTTP 301`
    );
  });

  it('reads at most 5 kB unless told otherwise, and says when a body is larger', async () => {
    const { port } = await serveHttps(tls, (req) => ({
      body: 'x'.repeat(req.url === '/big' ? 5 * 1024 + 1 : 5 * 1024),
    }));
    assert.equal(
      (await fetchText(new URL(`https://localhost:${port}/ok`), 'text/html', local)).length,
      5 * 1024
    );
    await refusedWith(
      fetchText(new URL(`https://localhost:${port}/big`), 'text/html', local),
      'is larger than 5120 bytes',
      true
    );
    await refusedWith(
      fetchText(new URL(`https://localhost:${port}/ok`), 'text/html', { ...local, maxBytes: 100 }),
      'is larger than 100 bytes',
      true
    );
  });

  it('keeps the first bytes of a longer body when asked to truncate', async () => {
    const { port } = await serveHttps(tls, () => ({ body: `${'a'.repeat(100)}${'b'.repeat(100_000)}` }));
    const text = await fetchText(new URL(`https://localhost:${port}/`), 'text/html', {
      ...local,
      maxBytes: 100,
      truncate: true,
    });
    assert.equal(text, 'a'.repeat(100));
  });

  it('gives up on a server that does not answer in time', async () => {
    const { port } = await serveHttps(tls, () => ({ hang: true }));
    await refusedWith(
      fetchText(new URL(`https://localhost:${port}/`), 'text/html', { ...local, timeoutMs: 50 }),
      `no answer from localhost:${port} within 50 ms`
    );
  });

  it('reports a connection that fails', async () => {
    await refusedWith(
      fetchText(new URL('https://127.0.0.1:1/p'), 'text/html', local),
      'cannot fetch https://127.0.0.1:1/p: connect ECONNREFUSED 127.0.0.1:1'
    );
  });
});

describe('client metadata documents', () => {
  const id = 'https://client.example/client.json';
  const doc = { client_id: id, client_name: 'Client', redirect_uris: ['https://client.example/cb'] };

  it('keeps to the limits on names, URIs and how many redirect URIs', () => {
    assert.deepEqual(
      parseClientMetadata(id, { ...doc, client_name: 'n'.repeat(200) }).client_name,
      'n'.repeat(200)
    );
    assert.deepEqual(
      parseClientMetadata(id, { ...doc, client_uri: 'u'.repeat(2_000) }).client_uri,
      'u'.repeat(2_000)
    );
    const long = `https://client.example/${'p'.repeat(2_000 - 23)}`;
    assert.equal(long.length, 2_000);
    assert.deepEqual(parseClientMetadata(id, { ...doc, redirect_uris: [long] }).redirect_uris, [long]);
    const twenty = Array.from({ length: 20 }, (_, i) => `https://client.example/${i}`);
    assert.equal(parseClientMetadata(id, { ...doc, redirect_uris: twenty }).redirect_uris.length, 20);
    for (const bad of [
      { ...doc, client_name: 'n'.repeat(201) },
      { ...doc, client_uri: 'u'.repeat(2_001) },
      { ...doc, redirect_uris: [`${long}x`] },
      { ...doc, redirect_uris: [] },
      { ...doc, redirect_uris: [...twenty, 'https://client.example/20'] },
      { ...doc, client_id: 7 },
      null,
    ]) {
      assert.throws(
        () => parseClientMetadata(id, bad),
        (err) =>
          err instanceof ClientMetadataError && err.message === 'the client metadata document is not valid'
      );
    }
  });

  it('says which redirect URI it cannot use', () => {
    assert.throws(
      () =>
        parseClientMetadata(id, {
          ...doc,
          redirect_uris: ['https://client.example/cb', 'http://evil.example/cb'],
        }),
      {
        name: 'ClientMetadataError',
        message: 'the client metadata document lists an unusable redirect URI: http://evil.example/cb',
      }
    );
    assert.throws(() => parseClientMetadata(id, { ...doc, client_id: `${id}x` }), {
      message: 'the client metadata document names another client_id',
    });
  });

  it('fetches the document as JSON from its own URL', async () => {
    const { port, requests } = await serveHttps(tls, () => ({
      body: JSON.stringify({ ...doc, client_id: `https://client.example:${port}/client.json` }),
    }));
    const fetched = await fetchClientMetadata(`https://client.example:${port}/client.json`, local);
    assert.equal(fetched.client_name, 'Client');
    assert.equal(requests[0]!.headers.accept, 'application/json');
    assert.equal(requests[0]!.url, '/client.json');
  });

  it('refuses a document over 5 kB, or one that is not JSON', async () => {
    const { port } = await serveHttps(tls, (req) => ({
      body: req.url === '/big.json' ? JSON.stringify({ ...doc, pad: 'x'.repeat(5 * 1024) }) : '{not json',
    }));
    await assert.rejects(fetchClientMetadata(`https://localhost:${port}/big.json`, local), {
      name: 'ClientMetadataError',
      message: 'the client metadata document is larger than 5120 bytes',
    });
    await assert.rejects(fetchClientMetadata(`https://localhost:${port}/bad.json`, local), {
      name: 'ClientMetadataError',
      message: 'the client metadata document is not JSON',
    });
  });

  it('passes on why the document could not be fetched', async () => {
    await assert.rejects(
      fetchClientMetadata(id, { resolve: async () => [{ address: '192.168.1.2', family: 4 }] }),
      {
        name: 'ClientMetadataError',
        message: 'client.example points at a loopback or private address, which is not allowed',
      }
    );
    await assert.rejects(fetchClientMetadata('https://client.example/', local), {
      name: 'ClientMetadataError',
      message: 'a client metadata document URL must be https with a path',
    });
  });

  it('lets failures that are not the fetch’s own through as they are', async () => {
    const odd = new TypeError('resolver broke');
    await assert.rejects(
      fetchClientMetadata(id, {
        resolve: () => {
          throw odd;
        },
      }),
      (err) => err === odd
    );
  });
});

describe('redirect links on a client’s page', () => {
  const base = new URL('https://client.example/app/');

  it('reads rel="redirect_uri" links, quoted or not, resolved against the page', () => {
    const page = `
      <link rel=redirect_uri href=/a>
      <link rel="icon redirect_uri" href='b?x=1&amp;y=2'>
      <LINK HREF="https://other.example/c" REL="Redirect_URI">
      <link rel = "redirect_uri" href = "https://other.example/d" >`;
    assert.deepEqual(redirectLinks(page, base), [
      'https://client.example/a',
      'https://client.example/app/b?x=1&y=2',
      'https://other.example/c',
      'https://other.example/d',
    ]);
  });

  it('skips other links, links without an address, and addresses that are not URLs', () => {
    const page = `
      <link rel="stylesheet" href="/s.css">
      <link rel="redirect_uris" href="/plural">
      <link rel="redirect_uri">
      <link rel="redirect_uri" href="">
      <link rel="redirect_uri" hreflang="en">
      <link href="/no-rel">
      <linked rel="redirect_uri" href="/not-a-link-tag">
      <a rel="redirect_uri" href="/anchor">
      <link rel="redirect_uri" href="http://[bad">`;
    assert.deepEqual(redirectLinks(page, base), []);
    assert.deepEqual(redirectLinks('', base), []);
  });

  it('reads the page as HTML, and only its first 10 kB', async () => {
    const link = '<link rel="redirect_uri" href="/cb">';
    const { port, requests } = await serveHttps(tls, (req) => ({
      headers: { 'content-type': 'text/html' },
      body:
        req.url === '/edge'
          ? `${' '.repeat(10 * 1024 - link.length)}${link}`
          : `${' '.repeat(10 * 1024 - link.length + 1)}${link}`,
    }));
    assert.deepEqual(await fetchRedirectLinks(`https://localhost:${port}/edge`, local), [
      `https://localhost:${port}/cb`,
    ]);
    assert.deepEqual(await fetchRedirectLinks(`https://localhost:${port}/past`, local), []);
    assert.equal(requests[0]!.headers.accept, 'text/html');
  });
});

describe('the authorization server’s client lookups', () => {
  const consentFor = async (h: Harness, clientId: string, redirectUri: string) =>
    h.server.authorize(
      authorizeQuery(clientId, pkce().challenge, { client_id: clientId, redirect_uri: redirectUri }),
      urls
    );

  it('trusts the redirect URIs a metadata document lists, names the client by it, and caches it for ten minutes', async () => {
    let name: string | undefined = 'Doc client';
    const { port, requests } = await serveHttps(tls, () => ({
      body: JSON.stringify({
        client_id: `https://localhost:${port}/client.json`,
        ...(name && { client_name: name }),
        redirect_uris: ['https://app.example/cb'],
      }),
    }));
    const clientId = `https://localhost:${port}/client.json`;
    const h = harness({ allowPrivateMetadata: true });
    const { view } = await toConsent(
      h,
      { client_id: clientId, redirect_uri: 'https://app.example/cb' },
      clientId
    );
    assert.equal(view.clientName, 'Doc client');
    assert.match(
      await pageMessage(consentFor(h, clientId, 'https://app.example/other')),
      /which is not one of its own addresses/
    );
    assert.equal(requests.length, 1, 'fetched once');

    name = undefined;
    h.advance(10 * MINUTE - 1);
    await consentFor(h, clientId, 'https://app.example/cb');
    assert.equal(requests.length, 1, 'still cached');
    h.advance(1);
    const { view: later } = await toConsent(
      h,
      { client_id: clientId, redirect_uri: 'https://app.example/cb' },
      clientId
    );
    assert.equal(requests.length, 2, 'fetched again');
    assert.equal(later.clientName, `localhost:${port}`, 'named by its host without a client_name');
  });

  it('explains a metadata document it cannot use', async () => {
    const { port } = await serveHttps(tls, () => ({
      body: JSON.stringify({
        client_id: 'https://someone.else/client.json',
        redirect_uris: ['https://app.example/cb'],
      }),
    }));
    const clientId = `https://localhost:${port}/client.json`;
    const h = harness({ allowPrivateMetadata: true });
    assert.equal(
      await pageMessage(consentFor(h, clientId, 'https://app.example/cb')),
      `The client ${clientId} cannot sign in here: the client metadata document names another client_id.`
    );
  });

  it('explains why a metadata document cannot be fetched', async () => {
    const clientId = 'https://localhost:1/client.json';
    const h = harness({ allowPrivateMetadata: true });
    const message = await pageMessage(consentFor(h, clientId, 'https://app.example/cb'));
    assert.match(message, new RegExp(`^The client ${clientId} cannot sign in here: cannot fetch `));
  });

  it('trusts redirect URIs on another host that a URL client id’s page lists, read once per ten minutes', async () => {
    const { port, requests } = await serveHttps(tls, () => ({
      headers: { 'content-type': 'text/html' },
      body: '<link rel="redirect_uri" href="https://app.example/cb">',
    }));
    const clientId = `https://localhost:${port}`;
    const h = harness({ allowPrivateMetadata: true });
    const { view } = await toConsent(
      h,
      { client_id: clientId, redirect_uri: 'https://app.example/cb' },
      clientId
    );
    assert.equal(view.clientName, `localhost:${port}`);
    assert.match(
      await pageMessage(consentFor(h, clientId, 'https://app.example/other')),
      /not one of its own/
    );
    assert.equal(requests.length, 1);
    h.advance(10 * MINUTE - 1);
    await consentFor(h, clientId, 'https://app.example/cb');
    assert.equal(requests.length, 1, 'still cached');
    h.advance(1);
    await consentFor(h, clientId, 'https://app.example/cb');
    assert.equal(requests.length, 2);
    // Its own origin needs no page.
    await consentFor(h, clientId, `https://localhost:${port}/cb`);
    assert.equal(requests.length, 2);
  });

  it('reads no page on a private address unless the owner allows it', async () => {
    const { port, requests } = await serveHttps(tls, () => ({
      body: '<link rel="redirect_uri" href="https://app.example/cb">',
    }));
    const h = harness();
    assert.match(
      await pageMessage(consentFor(h, `https://localhost:${port}`, 'https://app.example/cb')),
      /not one of its own addresses/
    );
    assert.equal(requests.length, 0);
  });

  it('trusts no other host when the page cannot be read', async () => {
    const { port } = await serveHttps(tls, () => ({ status: 500 }));
    const h = harness({ allowPrivateMetadata: true });
    assert.match(
      await pageMessage(consentFor(h, `https://localhost:${port}`, 'https://app.example/cb')),
      /not one of its own addresses/
    );
  });
});
