import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { haLoginUrl, isHomeNetworkHost, publicBaseUrl } from '../../../server/src/oauth/public-url.js';

const request = (url: string, headers: Record<string, string> = {}) => ({
  url,
  header: (name: string) => headers[name.toLowerCase()],
});

describe('the add-on’s public URL', () => {
  it('is the external URL option when set, without a trailing slash', () => {
    assert.equal(
      publicBaseUrl('https://mcp.example.org/', request('http://192.168.1.5:9123/api/mcp')),
      'https://mcp.example.org'
    );
  });

  it('is what a proxy in front says it was reached at, else the request’s own origin', () => {
    assert.equal(
      publicBaseUrl(
        undefined,
        request('http://192.168.1.5:9123/oauth/authorize', {
          'x-forwarded-proto': 'https',
          'x-forwarded-host': 'mcp.example.org, proxy.lan',
        })
      ),
      'https://mcp.example.org'
    );
    assert.equal(
      publicBaseUrl(undefined, request('http://mcp.example.org/x', { 'x-forwarded-proto': 'https' })),
      'https://mcp.example.org'
    );
    assert.equal(
      publicBaseUrl(undefined, request('http://192.168.1.5:9123/x', { 'x-forwarded-host': 'bad host/' })),
      'http://192.168.1.5:9123'
    );
    assert.equal(
      publicBaseUrl(undefined, request('http://homeassistant.local:9123/x')),
      'http://homeassistant.local:9123'
    );
  });
});

describe('Home Assistant’s login page for a client', () => {
  it('tells home-network hosts from internet ones', () => {
    for (const host of [
      '192.168.1.5',
      '10.0.0.2',
      '127.0.0.1',
      '[::1]',
      'homeassistant.local',
      'homeassistant',
      'nas.lan',
      'ha.home.arpa',
    ])
      assert.equal(isHomeNetworkHost(host), true, host);
    for (const host of ['mcp.example.org', '203.0.114.7', 'abc.ui.nabu.casa'])
      assert.equal(isHomeNetworkHost(host), false, host);
  });

  it('uses HA’s internal URL at home and its external URL from the internet', () => {
    const ha = { internalUrl: 'http://192.168.1.5:8123', externalUrl: 'https://abc.ui.nabu.casa/' };
    assert.deepEqual(haLoginUrl('http://192.168.1.5:9123', ha), { url: 'http://192.168.1.5:8123' });
    assert.deepEqual(haLoginUrl('https://mcp.example.org', ha), { url: 'https://abc.ui.nabu.casa' });
    assert.deepEqual(haLoginUrl('http://192.168.1.5:9123', { externalUrl: ha.externalUrl }), {
      url: 'https://abc.ui.nabu.casa',
    });
  });

  it('at home with no URL set, finds HA on the host the client reached, at HA’s own port and scheme', () => {
    assert.deepEqual(haLoginUrl('http://homeassistant.local:9123', { core: 'http://homeassistant:8123' }), {
      url: 'http://homeassistant.local:8123',
    });
    assert.deepEqual(haLoginUrl('http://192.168.1.5:9123', { core: 'https://homeassistant:8443' }), {
      url: 'https://192.168.1.5:8443',
    });
  });

  it('says what to set when nothing gives an address the browser can reach', () => {
    const fromInternet = haLoginUrl('https://mcp.example.org', {
      internalUrl: 'http://192.168.1.5:8123',
      core: 'http://homeassistant:8123',
    });
    assert.ok('problem' in fromInternet);
    assert.match(fromInternet.problem, /no external URL.*Settings → System → Network/);
    const unknown = haLoginUrl('http://192.168.1.5:9123', {});
    assert.ok('problem' in unknown);
    assert.match(unknown.problem, /Settings → System → Network/);
  });
});

describe('public URL edge cases', () => {
  it('uses the first value of a forwarded list, and ignores an empty one', () => {
    assert.equal(
      publicBaseUrl(
        undefined,
        request('http://192.168.1.5:9123/x', {
          'x-forwarded-proto': ' , https',
          'x-forwarded-host': ' , a.example',
        })
      ),
      'http://192.168.1.5:9123'
    );
    assert.equal(
      publicBaseUrl(
        undefined,
        request('https://192.168.1.5:9123/x', { 'x-forwarded-proto': ' http , https' })
      ),
      'http://192.168.1.5:9123'
    );
    assert.equal(
      publicBaseUrl(undefined, request('https://192.168.1.5:9123/x', { 'x-forwarded-proto': 'http' })),
      'http://192.168.1.5:9123'
    );
  });

  it('keeps the request’s scheme for a forwarded protocol it does not know', () => {
    assert.equal(
      publicBaseUrl(
        undefined,
        request('http://192.168.1.5:9123/x', {
          'x-forwarded-proto': 'ftp',
          'x-forwarded-host': 'mcp.example.org:8443',
        })
      ),
      'http://mcp.example.org:8443'
    );
    assert.equal(
      publicBaseUrl(undefined, request('http://192.168.1.5:9123/x', { 'x-forwarded-proto': 'ftp' })),
      'http://192.168.1.5:9123'
    );
  });

  it('trims every trailing slash of the configured URL', () => {
    assert.equal(publicBaseUrl('https://mcp.example.org//', request('http://x/')), 'https://mcp.example.org');
  });

  it('counts .localhost, .internal, .localdomain, .home and bare names as home, in any case', () => {
    for (const host of [
      'app.localhost',
      'LOCALHOST',
      'ha.internal',
      'box.localdomain',
      'ha.home',
      'NAS.LAN',
      '[fe80::1]',
    ])
      assert.equal(isHomeNetworkHost(host), true, host);
  });

  it('does not take a public name that merely contains a home suffix for home', () => {
    for (const host of [
      'ha.local.example.com',
      'mylocal.com',
      'home.example.org',
      'localhost.example.org',
      'x.lan.example',
      '[2606:4700::1111]',
    ])
      assert.equal(isHomeNetworkHost(host), false, host);
  });

  it('trims the configured HA URL’s trailing slashes, and prefers the internal one at home', () => {
    assert.deepEqual(
      haLoginUrl('http://192.168.1.5:9123', {
        internalUrl: 'http://192.168.1.5:8123//',
        externalUrl: 'https://abc.ui.nabu.casa',
      }),
      { url: 'http://192.168.1.5:8123' }
    );
    assert.deepEqual(
      haLoginUrl('http://192.168.1.5:9123', {
        internalUrl: '',
        externalUrl: null,
        core: 'http://supervisor:8123',
      }),
      { url: 'http://192.168.1.5:8123' }
    );
  });

  it('uses the scheme’s default port when Core’s address has none', () => {
    assert.deepEqual(haLoginUrl('http://192.168.1.5:9123', { core: 'https://homeassistant' }), {
      url: 'https://192.168.1.5:443',
    });
    assert.deepEqual(haLoginUrl('http://[fd00::5]:9123', { core: 'http://homeassistant' }), {
      url: 'http://[fd00::5]:80',
    });
  });

  it('says exactly what to set', () => {
    assert.deepEqual(haLoginUrl('http://192.168.1.5:9123', {}), {
      problem:
        'the add-on does not know Home Assistant’s address yet. Set it under Settings → System → Network in Home Assistant, then try again.',
    });
    assert.deepEqual(haLoginUrl('https://mcp.example.org:8443', { core: 'http://homeassistant:8123' }), {
      problem:
        'Home Assistant has no external URL, so your browser cannot be sent to its login page from mcp.example.org:8443. Set the external URL under Settings → System → Network in Home Assistant, then try again.',
    });
  });
});
