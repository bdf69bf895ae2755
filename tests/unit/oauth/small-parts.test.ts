/**
 * The small parts under the authorization server: the bounded expiring map that holds sign-ins under way
 * and codes (expiry on the clock given, oldest dropped when full, single-use take), the tokens and sealed
 * secrets (prefixes, key file checks, sealed values that are not whole), and the two pages people see
 * (what they say, escaping, the control checkbox only when control was asked for).
 */
import { tokenHash } from '../../../server/src/ha/principals.js';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { ExpiringMap } from '../../../server/src/oauth/expiring-map.js';
import { oauthUrls } from '../../../server/src/oauth/metadata.js';
import { consentPage, errorPage } from '../../../server/src/oauth/pages.js';
import { isCodeChallenge, s256, verifiesChallenge } from '../../../server/src/oauth/pkce.js';
import {
  isOwnToken,
  KEY_FILE,
  loadKey,
  newToken,
  seal,
  TOKEN_PREFIX,
  unseal,
} from '../../../server/src/oauth/secrets.js';

describe('the expiring map', () => {
  const make = (ttl = 100, max = 3) => {
    let clock = 1_000;
    const map = new ExpiringMap<string>(ttl, max, () => clock);
    return { map, advance: (ms: number) => (clock += ms) };
  };

  it('gives a value back until its time is up, and not from then on', () => {
    const { map, advance } = make();
    map.set('a', 'A');
    advance(99);
    assert.equal(map.get('a'), 'A');
    advance(1);
    assert.equal(map.get('a'), undefined);
    advance(-50);
    assert.equal(map.get('a'), undefined, 'an expired entry is gone, not just hidden');
  });

  it('starts each value’s time when it is set', () => {
    const { map, advance } = make();
    map.set('a', 'A');
    advance(60);
    map.set('a', 'A2');
    advance(60);
    assert.equal(map.get('a'), 'A2');
  });

  it('takes a value once', () => {
    const { map } = make();
    map.set('a', 'A');
    assert.equal(map.take('a'), 'A');
    assert.equal(map.take('a'), undefined);
    assert.equal(map.get('a'), undefined);
  });

  it('takes nothing once a value expired', () => {
    const { map, advance } = make();
    map.set('a', 'A');
    advance(100);
    assert.equal(map.take('a'), undefined);
  });

  it('deletes', () => {
    const { map } = make();
    map.set('a', 'A');
    map.set('b', 'B');
    map.delete('a');
    assert.equal(map.get('a'), undefined);
    assert.equal(map.get('b'), 'B');
  });

  it('drops the oldest entry when full', () => {
    const { map } = make();
    for (const key of ['a', 'b', 'c', 'd']) map.set(key, key.toUpperCase());
    assert.deepEqual(
      ['a', 'b', 'c', 'd'].map((k) => map.get(k)),
      [undefined, 'B', 'C', 'D']
    );
  });

  it('makes room by dropping expired entries, wherever they are, before the oldest', () => {
    const { map, advance } = make();
    map.set('x', 'X');
    advance(50);
    map.set('y', 'Y');
    advance(10);
    map.set('x', 'X2'); // still first in line, but good until 1160
    map.set('z', 'Z');
    advance(90); // y expires now; the map is full
    map.set('w', 'W');
    assert.deepEqual(
      ['x', 'y', 'z', 'w'].map((k) => map.get(k)),
      ['X2', undefined, 'Z', 'W']
    );
  });

  it('makes room by dropping expired entries first', () => {
    const { map, advance } = make();
    map.set('a', 'A');
    advance(50);
    map.set('b', 'B');
    map.set('c', 'C');
    advance(50); // a has expired; b and c have not
    map.set('d', 'D');
    assert.deepEqual(
      ['b', 'c', 'd'].map((k) => map.get(k)),
      ['B', 'C', 'D']
    );
  });
});

describe('PKCE verifiers and challenges', () => {
  const ok = (verifier: string) => verifiesChallenge(verifier, s256(verifier));

  it('takes verifiers of 43 to 128 unreserved characters', () => {
    assert.equal(ok('a'.repeat(43)), true);
    assert.equal(ok('a'.repeat(128)), true);
    assert.equal(ok(`${'a'.repeat(39)}-._~`), true);
    assert.equal(ok(`${'A'.repeat(20)}${'z'.repeat(20)}0129`), true);
  });

  it('refuses shorter, longer, or other characters', () => {
    assert.equal(ok('a'.repeat(42)), false);
    assert.equal(ok('a'.repeat(129)), false);
    for (const c of ['+', '/', '=', ' ', '!', 'é']) assert.equal(ok(`${'a'.repeat(42)}${c}`), false, c);
    assert.equal(ok(`\n${'a'.repeat(43)}`), false);
    assert.equal(ok(`${'a'.repeat(43)}\n`), false);
  });

  it('recognises only well-formed S256 challenges', () => {
    const challenge = s256('a'.repeat(43));
    assert.equal(isCodeChallenge(challenge), true);
    assert.equal(challenge.length, 43);
    assert.equal(isCodeChallenge(`${challenge}A`), false);
    assert.equal(isCodeChallenge(challenge.slice(1)), false);
    assert.equal(isCodeChallenge(`${challenge.slice(1)}=`), false);
    assert.equal(isCodeChallenge(`${challenge.slice(1)}+`), false);
    assert.equal(isCodeChallenge(`${challenge.slice(1)}~`), false);
    assert.equal(isCodeChallenge(`x${challenge}`), false);
    assert.equal(verifiesChallenge('a'.repeat(43), `${challenge}A`), false);
    assert.equal(
      verifiesChallenge('a'.repeat(43), challenge.toLowerCase()),
      challenge === challenge.toLowerCase()
    );
  });
});

describe('tokens', () => {
  it('prefixes each kind of token, and knows its own', () => {
    assert.deepEqual(TOKEN_PREFIX, { access: 'hamcp_at_', refresh: 'hamcp_rt_', code: 'hamcp_ac_' });
    for (const kind of ['access', 'refresh', 'code'] as const) {
      const token = newToken(kind);
      assert.ok(token.startsWith(TOKEN_PREFIX[kind]), token);
      assert.equal(token.length, TOKEN_PREFIX[kind].length + 43);
      assert.equal(isOwnToken(token), true);
    }
    assert.equal(isOwnToken('hamcp_client_x'), false);
    assert.equal(isOwnToken('x_hamcp_at_'), false);
  });

  it('hashes tokens with SHA-256', () => {
    assert.equal(tokenHash('abc'), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});

describe('the sealing key', () => {
  const root = mkdtempSync(join(tmpdir(), 'oauth-key-'));
  after(() => rmSync(root, { recursive: true, force: true }));
  let n = 0;
  const dir = () => {
    const d = join(root, String(++n));
    mkdirSync(d);
    return d;
  };

  it('reads a key the file holds, around whitespace', () => {
    const d = dir();
    const key = Buffer.alloc(32, 7);
    writeFileSync(join(d, KEY_FILE), `  ${key.toString('base64')}\n`);
    assert.deepEqual(loadKey(d), key);
  });

  it('refuses a key file that does not hold 256 bits', () => {
    const d = dir();
    writeFileSync(join(d, KEY_FILE), Buffer.alloc(16).toString('base64'));
    assert.throws(() => loadKey(d), { message: `${join(d, KEY_FILE)} does not hold a 256-bit key` });
  });

  it('makes a new 256-bit key each time there is none', () => {
    const a = loadKey(dir());
    const b = loadKey(dir());
    assert.equal(a.length, 32);
    assert.notDeepEqual(a, b);
  });
});

describe('sealed secrets', () => {
  const key = Buffer.alloc(32, 3);

  it('seals the same text differently each time, as three base64url parts', () => {
    const a = seal(key, 'secret');
    const b = seal(key, 'secret');
    assert.notEqual(a, b);
    assert.match(a, /^[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]+$/);
    assert.equal(unseal(key, a), 'secret');
    assert.equal(unseal(key, seal(key, 'ünïcødé')), 'ünïcødé');
  });

  it('refuses what is not a sealed value', () => {
    for (const text of ['', 'abc', 'a.b']) {
      assert.throws(() => unseal(key, text), { message: 'not a sealed value' }, text);
    }
  });

  it('refuses a sealed value whose tag was changed', () => {
    const [iv, , body] = seal(key, 'secret').split('.');
    assert.throws(() => unseal(key, `${iv}.${Buffer.alloc(16).toString('base64url')}.${body}`));
  });
});

describe('the server’s addresses', () => {
  it('come from the base URL without its trailing slashes', () => {
    assert.deepEqual(oauthUrls('https://mcp.example.org:8443//'), {
      issuer: 'https://mcp.example.org:8443',
      resource: 'https://mcp.example.org:8443/api/mcp',
      authorize: 'https://mcp.example.org:8443/oauth/authorize',
      token: 'https://mcp.example.org:8443/oauth/token',
      register: 'https://mcp.example.org:8443/oauth/register',
      revoke: 'https://mcp.example.org:8443/oauth/revoke',
      haCallback: 'https://mcp.example.org:8443/oauth/ha-callback',
      resourceMetadata: 'https://mcp.example.org:8443/.well-known/oauth-protected-resource/api/mcp',
    });
  });

  it('live under Home Assistant’s URL and the companion’s prefix, with the metadata path-inserted on HA’s origin', () => {
    const urls = oauthUrls('https://home.example.net/api/mcp_addon', 'https://home.example.net');
    assert.equal(urls.issuer, 'https://home.example.net/api/mcp_addon');
    assert.equal(urls.resource, 'https://home.example.net/api/mcp_addon/api/mcp');
    assert.equal(urls.token, 'https://home.example.net/api/mcp_addon/oauth/token');
    assert.equal(urls.haCallback, 'https://home.example.net/api/mcp_addon/oauth/ha-callback');
    assert.equal(
      urls.resourceMetadata,
      'https://home.example.net/.well-known/oauth-protected-resource/api/mcp_addon/api/mcp'
    );
    assert.equal(urls.homeAssistant, 'https://home.example.net');
  });
});

describe('the pages', () => {
  const view = {
    requestId: 'req-1',
    csrf: 'csrf-1',
    clientName: 'Claude <b>',
    clientId: 'https://claude.ai',
    returnsTo: 'https://claude.ai',
    userName: 'Paulus & co',
    wantsControl: true,
    isAdmin: false,
  };

  it('shows who asks, for whom, and where the browser returns, escaped', async () => {
    const page = String(await consentPage(view, './consent'));
    assert.match(page, /^<!doctype html>/);
    assert.match(page, /<title>Allow Claude &lt;b&gt;\? · Home Assistant<\/title>/);
    assert.match(page, /<h1>Allow <strong>Claude &lt;b&gt;<\/strong> to use your home\?<\/h1>/);
    assert.match(
      page,
      /Client: <code>https:\/\/claude\.ai<\/code><br \/>Returns to: <code>https:\/\/claude\.ai<\/code>/
    );
    assert.match(page, /It will act as <strong>Paulus &amp; co<\/strong>/);
    assert.match(page, /<form method="post" action=".\/consent">/);
    assert.match(page, /<input type="hidden" name="request" value="req-1" \/>/);
    assert.match(page, /<input type="hidden" name="csrf" value="csrf-1" \/>/);
    assert.match(page, /<button type="submit" name="decision" value="deny" id="deny">Deny<\/button>/);
    assert.match(page, /<button type="submit" name="decision" value="approve" id="approve">Allow<\/button>/);
    assert.match(page, /<style>[^]*--primary: #009ac7[^]*<\/style>/);
    assert.equal(page.includes('<script'), false);
  });

  it('offers control, ticked, only when the client asked for it', async () => {
    const control = String(await consentPage(view, './consent'));
    assert.match(control, /<input type="checkbox" id="control" name="control" checked \/>/);
    assert.match(control, /Let it control devices/);
    assert.equal(control.includes('It asks to read only.'), false);
    const read = String(await consentPage({ ...view, wantsControl: false }, './consent'));
    assert.equal(read.includes('name="control"'), false);
    assert.match(read, /<p>It asks to read only\.<\/p>/);
  });

  it('shows an error page with the message, escaped', async () => {
    const page = String(await errorPage('No <way> & no'));
    assert.match(page, /<title>Sign-in problem · Home Assistant<\/title>/);
    assert.match(page, /<h1>This sign-in cannot go on<\/h1>/);
    assert.match(page, /<p id="error">No &lt;way&gt; &amp; no<\/p>/);
    assert.match(page, /<style>/);
  });
});
