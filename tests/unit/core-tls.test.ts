import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { WebSocketServer } from 'ws';
import { coreTlsOf, installCoreTls, tlsFor } from '../../server/src/ha/core-tls.js';
import '../../server/src/ha/websocket.js';
import { ConfigError } from '../../server/src/options.js';
import { certificate } from '../support/https-fixture.js';

// A Home Assistant over TLS with a certificate for its public name only, as an owner's DuckDNS setup has.
const tls = certificate({ cn: 'home.example.net', altNames: 'DNS:home.example.net,IP:127.0.0.1' });
let port: number;
const server = createServer(tls, (req, res) => res.end(`answered ${req.url}`));
const sockets = new WebSocketServer({ server });
sockets.on('connection', (socket) => socket.send('welcome'));

before(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as { port: number }).port;
});
after(() => {
  sockets.close();
  server.closeAllConnections();
  server.close();
});

const refusal = (url: string) =>
  fetch(url).then(
    () => 'answered',
    (err: Error & { cause?: { code?: string } }) => err.cause?.code ?? err.message
  );

/** The first message of a WebSocket to `url`, or the error that ended it. */
const firstMessage = (url: string) =>
  new Promise<string>((resolve) => {
    const socket = new WebSocket(url);
    socket.onmessage = (event) => {
      resolve(String(event.data));
      socket.close();
    };
    socket.onerror = (event) => resolve(`error: ${(event as unknown as { message: string }).message}`);
  });

const caFile = (text: string) => {
  const file = join(mkdtempSync(join(tmpdir(), 'core-tls-')), 'ca.pem');
  writeFileSync(file, text);
  return file;
};

describe("Home Assistant's certificate", () => {
  it('is not checked for the host `homeassistant` in an add-on, and checked as usual everywhere else', () => {
    const rule = coreTlsOf({ mode: 'addon', haUrl: 'http://supervisor/core' });
    assert.deepEqual(rule, { check: 'none', host: 'homeassistant' });
    assert.deepEqual(tlsFor(rule, 'homeassistant'), { rejectUnauthorized: false });
    assert.deepEqual(tlsFor(rule, 'HomeAssistant'), { rejectUnauthorized: false });
    assert.equal(tlsFor(rule, 'supervisor'), undefined);
    assert.equal(tlsFor(rule, 'client.example'), undefined);
  });

  it('standalone: checked as usual, or against HA_CA_FILE for HA_URL host only', () => {
    assert.deepEqual(coreTlsOf({ mode: 'standalone', haUrl: 'https://ha.lan:8123' }), { check: 'normal' });
    const rule = coreTlsOf({ mode: 'standalone', haUrl: 'https://ha.lan:8123', haCaFile: caFile(tls.cert) });
    assert.equal(rule.check, 'ca');
    const options = tlsFor(rule, 'ha.lan');
    assert.ok(Array.isArray(options?.ca) && options.ca.includes(tls.cert));
    assert.equal(tlsFor(rule, 'other.lan'), undefined);
  });

  it('standalone: an HA_CA_FILE that is missing or holds no certificate stops the start with a clear error', () => {
    const config = { mode: 'standalone' as const, haUrl: 'https://ha.lan' };
    assert.throws(
      () => coreTlsOf({ ...config, haCaFile: '/nonexistent/ca.pem' }),
      (err: Error) => {
        assert.ok(err instanceof ConfigError);
        assert.match(err.message, /cannot read HA_CA_FILE \/nonexistent\/ca\.pem/);
        return true;
      }
    );
    assert.throws(() => coreTlsOf({ ...config, haCaFile: caFile('not a certificate') }), /holds no PEM/);
  });

  // One process-wide rule at a time (installCoreTls is main.ts's, once): these run in order.
  it('fetch and WebSockets reach a Core whose certificate is not for its name, for that host only', async () => {
    assert.equal(await refusal(`https://localhost:${port}/api/`), 'DEPTH_ZERO_SELF_SIGNED_CERT');
    installCoreTls({ check: 'none', host: 'localhost' });
    assert.equal(await (await fetch(`https://localhost:${port}/api/`)).text(), 'answered /api/');
    assert.equal(await firstMessage(`wss://localhost:${port}/api/websocket`), 'welcome');
    // Any other host keeps every check: the same self-signed server under its IP is refused.
    assert.equal(await refusal(`https://127.0.0.1:${port}/api/`), 'DEPTH_ZERO_SELF_SIGNED_CERT');
    assert.match(await firstMessage(`wss://127.0.0.1:${port}/api/websocket`), /^error: self-signed/);
  });

  it('fetch and WebSockets trust HA_CA_FILE for HA_URL host, and still check the name', async () => {
    installCoreTls(
      coreTlsOf({ mode: 'standalone', haUrl: `https://127.0.0.1:${port}`, haCaFile: caFile(tls.cert) })
    );
    assert.equal(await (await fetch(`https://127.0.0.1:${port}/api/`)).text(), 'answered /api/');
    assert.equal(await firstMessage(`wss://127.0.0.1:${port}/api/websocket`), 'welcome');
    assert.equal(await refusal(`https://localhost:${port}/api/`), 'DEPTH_ZERO_SELF_SIGNED_CERT');
  });
});
