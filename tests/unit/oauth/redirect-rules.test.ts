/**
 * The rules behind every redirect and every client-chosen fetch: which redirect URIs a client may use
 * (https, loopback http on any port, an app's own scheme; never a scheme the browser runs itself), how the
 * consent page names where the browser returns, which client ids are URLs or metadata documents, and which
 * IP addresses count as public (every refused range, and its neighbours that are public).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isPublicAddress } from '../../../server/src/oauth/address.js';
import {
  acceptableRedirectUri,
  isLoopbackUrl,
  isMetadataDocumentId,
  isPrivateUseRedirect,
  listedRedirect,
  redirectTarget,
  sameOriginRedirect,
  urlClientId,
} from '../../../server/src/oauth/redirect.js';

describe('loopback and app redirect URIs', () => {
  it('counts http to 127.0.0.1, [::1] and localhost as loopback, and nothing else', () => {
    for (const url of ['http://127.0.0.1:8080/cb', 'http://[::1]/cb', 'http://localhost/cb']) {
      assert.equal(isLoopbackUrl(new URL(url)), true, url);
    }
    for (const url of [
      'https://localhost/cb',
      'http://127.0.0.2/cb',
      'http://localhost.evil.example/cb',
      'http://example.com/cb',
    ]) {
      assert.equal(isLoopbackUrl(new URL(url)), false, url);
    }
  });

  it('refuses every scheme the browser runs, reads or shows itself', () => {
    for (const scheme of [
      'about',
      'blob',
      'chrome',
      'data',
      'file',
      'filesystem',
      'ftp',
      'http',
      'intent',
      'javascript',
      'mailto',
      'sms',
      'tel',
      'vbscript',
      'view-source',
      'ws',
      'wss',
    ]) {
      const uri = `${scheme}://host.example/path`;
      assert.equal(isPrivateUseRedirect(new URL(uri)), false, uri);
      assert.equal(acceptableRedirectUri(uri), false, uri);
    }
  });

  it('takes an app’s own scheme with a host or a path, but not a bare scheme', () => {
    assert.equal(isPrivateUseRedirect(new URL('cursor://anysphere.cursor-mcp/oauth/callback')), true);
    assert.equal(isPrivateUseRedirect(new URL('cursor://anysphere.cursor-mcp')), true);
    assert.equal(isPrivateUseRedirect(new URL('com.example.app:/oauth2redirect')), true);
    assert.equal(isPrivateUseRedirect(new URL('myapp:')), false);
    assert.equal(acceptableRedirectUri('myapp:'), false);
    assert.equal(
      isPrivateUseRedirect(new URL('https://app.example/cb')),
      false,
      'https is not an app scheme'
    );
  });

  it('accepts https and loopback http redirect URIs, with credentials or fragments refused', () => {
    assert.equal(acceptableRedirectUri('https://app.example/cb?x=1'), true);
    assert.equal(acceptableRedirectUri('http://[::1]:3000/cb'), true);
    for (const bad of [
      'https://user@app.example/cb',
      'https://:secret@app.example/cb',
      'http://localhost/cb#x',
      'cursor://u@anysphere.cursor-mcp/cb',
      '',
      '/relative/cb',
    ]) {
      assert.equal(acceptableRedirectUri(bad), false, bad);
    }
  });
});

describe('where the consent page says the browser returns', () => {
  it('names the origin of a web redirect and the scheme and host of an app’s', () => {
    assert.equal(redirectTarget('https://claude.ai/api/mcp/auth_callback?x=1'), 'https://claude.ai');
    assert.equal(redirectTarget('http://127.0.0.1:40111/callback'), 'http://127.0.0.1:40111');
    assert.equal(
      redirectTarget('cursor://anysphere.cursor-mcp/oauth/callback'),
      'cursor://anysphere.cursor-mcp'
    );
    assert.equal(redirectTarget('com.example.app:/oauth2redirect'), 'com.example.app://');
  });
});

describe('URL client ids', () => {
  it('takes https URLs and loopback http URLs as client ids', () => {
    assert.equal(urlClientId('https://claude.ai')?.href, 'https://claude.ai/');
    assert.equal(urlClientId('http://localhost:12345')?.href, 'http://localhost:12345/');
  });

  it('refuses other URLs, credentials, fragments and non-URLs as URL client ids', () => {
    for (const id of [
      'http://client.example',
      'https://u:p@claude.ai',
      'https://claude.ai#x',
      'cursor://x',
      'hamcp_client_abc',
      '',
    ]) {
      assert.equal(urlClientId(id), undefined, id);
    }
  });

  it('treats an https URL with a path as a metadata document, and nothing else', () => {
    assert.equal(isMetadataDocumentId('https://app.example/client.json'), true);
    assert.equal(isMetadataDocumentId('https://app.example/'), false);
    assert.equal(isMetadataDocumentId('https://app.example'), false);
    assert.equal(isMetadataDocumentId('https://app.example?x=/y'), false);
    assert.equal(isMetadataDocumentId('http://localhost/client.json'), false);
    assert.equal(isMetadataDocumentId('https://u:p@app.example/client.json'), false);
    assert.equal(isMetadataDocumentId('not a url'), false);
  });
});

describe('listed redirect URIs', () => {
  it('matches exactly, never a prefix, a different case of path, or another query', () => {
    const listed = ['https://app.example/cb?a=1'];
    assert.equal(listedRedirect('https://app.example/cb?a=1', listed), true);
    assert.equal(listedRedirect('https://app.example/cb', listed), false);
    assert.equal(listedRedirect('https://app.example/CB?a=1', listed), false);
    assert.equal(listedRedirect('https://app.example/cb?a=1&b=2', listed), false);
    assert.equal(listedRedirect('https://app.example/cb?a=1', []), false);
  });

  it('lets a loopback redirect change only its port', () => {
    const listed = ['http://localhost:1234/cb?x=1'];
    assert.equal(listedRedirect('http://localhost:9999/cb?x=1', listed), true);
    assert.equal(listedRedirect('http://localhost/cb?x=1', listed), true);
    assert.equal(listedRedirect('http://127.0.0.1:1234/cb?x=1', listed), false, 'another loopback host');
    assert.equal(listedRedirect('http://localhost:9999/cb?x=2', listed), false, 'another query');
    assert.equal(listedRedirect('http://localhost:9999/cb', listed), false, 'no query');
    assert.equal(listedRedirect('http://localhost:9999/other?x=1', listed), false, 'another path');
  });

  it('never lets a port change off loopback', () => {
    assert.equal(listedRedirect('https://app.example:8443/cb', ['https://app.example/cb']), false);
    assert.equal(listedRedirect('http://localhost:9999/cb', ['https://localhost/cb']), false);
    assert.equal(listedRedirect('https://localhost:9999/cb', ['http://localhost/cb']), false);
  });

  it('refuses an unusable redirect URI even when it is listed', () => {
    assert.equal(listedRedirect('http://evil.example/cb', ['http://evil.example/cb']), false);
    assert.equal(listedRedirect('javascript:alert(1)', ['javascript:alert(1)']), false);
    assert.equal(listedRedirect('not a url', ['not a url']), false);
  });

  it('skips listed entries that are not URLs', () => {
    assert.equal(listedRedirect('http://localhost:9/cb', ['::::', 'http://localhost/cb']), true);
  });
});

describe('same-origin redirects for URL client ids', () => {
  it('wants the same scheme, host and port off loopback', () => {
    assert.equal(sameOriginRedirect('https://claude.ai/cb', 'https://claude.ai'), true);
    assert.equal(sameOriginRedirect('https://claude.ai:8443/cb', 'https://claude.ai'), false);
    assert.equal(sameOriginRedirect('https://sub.claude.ai/cb', 'https://claude.ai'), false);
    assert.equal(sameOriginRedirect('http://localhost/cb', 'https://localhost'), false);
  });

  it('lets a loopback client id use any port of its own host', () => {
    assert.equal(sameOriginRedirect('http://localhost:2/cb', 'http://localhost:1'), true);
    assert.equal(sameOriginRedirect('http://[::1]:2/cb', 'http://[::1]:1'), true);
    assert.equal(sameOriginRedirect('http://[::1]:2/cb', 'http://localhost:1'), false);
  });

  it('refuses an unusable redirect URI or a client id that is not a URL', () => {
    assert.equal(sameOriginRedirect('https://claude.ai/cb#x', 'https://claude.ai'), false);
    assert.equal(sameOriginRedirect('https://claude.ai/cb', 'claude.ai'), false);
    assert.equal(sameOriginRedirect('nope', 'https://claude.ai'), false);
    assert.equal(sameOriginRedirect('http://client.example/cb', 'http://client.example'), false);
  });
});

describe('public addresses', () => {
  // One address inside each refused range, and public neighbours just outside where there is one.
  const refused = [
    '0.1.2.3',
    '10.255.255.255',
    '100.64.0.0',
    '100.127.255.255',
    '127.255.0.1',
    '169.254.0.1',
    '172.16.0.0',
    '172.31.255.255',
    '192.0.0.8',
    '192.0.2.1',
    '192.88.99.1',
    '192.168.255.255',
    '198.18.0.1',
    '198.19.255.255',
    '198.51.100.7',
    '203.0.113.9',
    '224.0.0.251',
    '239.255.255.250',
    '240.0.0.1',
    '255.255.255.255',
    '::',
    '::1',
    '::a00:1',
    '64:ff9b:1::1',
    '100::1',
    '2001:db8::1',
    'fc00::1',
    'fdff::1',
    'fe80::1',
    'febf::1',
    'fec0::1',
    'feff::1',
    'ff02::1',
    '::ffff:192.168.0.1',
    '::ffff:169.254.169.254',
  ];
  const accepted = [
    '1.0.0.1',
    '11.0.0.1',
    '100.63.255.255',
    '100.128.0.0',
    '128.0.0.1',
    '169.253.255.255',
    '172.15.255.255',
    '172.32.0.0',
    '192.0.1.1',
    '192.0.3.1',
    '192.88.100.1',
    '192.169.0.1',
    '198.17.255.255',
    '198.20.0.0',
    '198.51.101.1',
    '203.0.114.1',
    '223.255.255.255',
    '64:ff9b::8.8.8.8',
    '2001:4860::8888',
    '2606:4700::1111',
    'fbff::1',
    '::ffff:1.1.1.1',
  ];

  it('refuses every address in a loopback, private, reserved or special range', () => {
    for (const address of refused) assert.equal(isPublicAddress(address), false, address);
  });

  it('accepts the public addresses next to them', () => {
    for (const address of accepted) assert.equal(isPublicAddress(address), true, address);
  });

  it('refuses what is not an IP address', () => {
    for (const address of ['', 'localhost', '1.2.3', '[::1]', '8.8.8.8.8']) {
      assert.equal(isPublicAddress(address), false, address);
    }
  });
});
