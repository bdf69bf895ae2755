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
