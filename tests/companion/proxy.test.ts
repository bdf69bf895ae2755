/**
 * The add-on through Home Assistant's own URL (issue 19): a Home Assistant of its own with the companion
 * integration loaded, the server standalone behind it, and the integration set up with the server's address
 * through its config flow. Then, at `<HA>/api/mcp_addon/...` only: real MCP clients with a token, the legacy
 * SSE pair with each event arriving while the stream stays open, OAuth discovered and signed in on HA's URL
 * (metadata at the path-inserted well-known URLs, the login on HA's own page), a body too large refused by the companion
 * before the server sees it, exactly the headers MCP and OAuth read passed on, 404 once the entry is gone,
 * and a clear 502 with the server stopped while Home Assistant goes on answering.
 */
import assert from 'node:assert/strict';
import { createServer, request, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import {
  COMPANION,
  companionEntries,
  companionFlow,
  PROXY_PATH,
  removeCompanion,
  setUpCompanion,
} from '../support/ha/companion.js';
import type { Agent } from 'undici';
import { loopbackClients, send } from '../support/from-outside.js';
import { command, connectWs, restJson } from '../support/ha/ha-api.js';
import { startTestHa, type TestHa } from '../support/ha/harness.js';
import { SseReader } from '../support/mcp-fixture.js';
import { McpRemote } from '../support/mcp-remote.js';
import { postMcp } from '../support/mcp-post.js';
import { authorize, registerOAuthClient, signInWithOAuth } from '../support/oauth-sign-in.js';
import { freePort } from '../support/ports.js';
import { startServer, type RunningServer } from '../support/server-process.js';

const MAX_BODY_BYTES = 1024 * 1024;

const rpc = (id: number | string, method: string, params?: Record<string, unknown>) =>
  JSON.stringify({ jsonrpc: '2.0', id, method, ...(params ? { params } : {}) });

const INITIALIZE = {
  protocolVersion: '2024-11-05',
  capabilities: {},
  clientInfo: { name: 'companion-test', version: '1.0.0' },
};

/** A stand-in add-on that answers what the config flow asks and records every other request it gets. */
async function recordingAddon(): Promise<{
  url: string;
  seen: { method: string; url: string; headers: IncomingHttpHeaders; body: string }[];
  close(): Promise<void>;
}> {
  const seen: { method: string; url: string; headers: IncomingHttpHeaders; body: string }[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      if (req.url === '/healthz' || req.url === '/.well-known/oauth-protected-resource/api/mcp') {
        const doc =
          req.url === '/healthz' ? { status: 'ok' } : { resource: `http://${req.headers.host}/api/mcp` };
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(doc));
        return;
      }
      seen.push({ method: req.method!, url: req.url!, headers: req.headers, body });
      res
        .writeHead(200, { 'content-type': 'application/json', 'mcp-session-id': 'session-1' })
        .end('{"recorded":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** A GET sent with its path exactly as given (fetch would resolve `..` and `%2e%2e` first); its status. */
function rawGet(base: string, path: string): Promise<number> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    request({ host: url.hostname, port: url.port, path, method: 'GET' }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    })
      .on('error', reject)
      .end();
  });
}

describe('the add-on through Home Assistant’s URL (the companion integration)', () => {
  let ha: TestHa;
  let server: RunningServer;
  let proxied: string;
  let token: string;
  let entryId: string;

  before(async () => {
    ha = await startTestHa({ customComponents: [COMPANION] });
    token = ha.adminToken;
    // Home Assistant's external URL (Settings → System → Network): here, its own address.
    const conn = await connectWs(ha.url, token);
    await command(conn, { type: 'config/core/update', external_url: ha.url });
    conn.close();
    server = await startServer({ HA_URL: ha.url, HA_TOKEN: token });
    await server.waitForLog(/Home Assistant model ready/);
    entryId = await setUpCompanion(ha.url, token, server.mcpUrl);
    proxied = `${ha.url}${PROXY_PATH}`;
  });
  after(async () => {
    await server?.stop();
    await ha?.stop();
  });

  /** What an MCP client sends with every POST. */
  const mcpHeaders = (headers: Record<string, string> = {}) => ({
    authorization: `Bearer ${token}`,
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream',
    ...headers,
  });

  const post = (path: string, body: string | Buffer, headers: Record<string, string> = {}) =>
    fetch(`${proxied}${path}`, { method: 'POST', headers: mcpHeaders(headers), body });

  it("tells the server which client Home Assistant answered; a client's own claim is ignored", async () => {
    const tail = await fetch(`${server.adminUrl}/api/admin/logs/tail`);
    const events = new SseReader(tail.body!);
    for (let event = await events.nextEvent(); event?.event !== 'ready'; event = await events.nextEvent()) {
      assert.ok(event, 'the tail ended before it was ready');
    }
    const [nine, ten] = loopbackClients(2, 9);
    const postFrom = (agent: Agent, url: string, id: number, headers: Record<string, string> = {}) =>
      send(agent, url, { method: 'POST', headers: mcpHeaders(headers), body: rpc(id, 'prompts/list') });
    try {
      // Through HA from 127.0.0.9: HA names the address it saw (HA itself refuses a client's own
      // X-Forwarded-For unless it is set up for a reverse proxy).
      assert.equal((await postFrom(nine!.agent, `${proxied}/api/mcp`, 1)).status, 200);
      // Straight to the server from 127.0.0.10, which is not Home Assistant: its claim counts for nothing.
      const claim = { 'x-forwarded-for': '203.0.113.9' };
      assert.equal((await postFrom(ten!.agent, `${server.mcpUrl}/api/mcp`, 2, claim)).status, 200);
    } finally {
      await Promise.all([nine!.agent.close(), ten!.agent.close()]);
    }
    const addresses: string[] = [];
    while (addresses.length < 2) {
      const event = await events.nextEvent();
      assert.ok(event, 'the tail ended before both requests were logged');
      const row =
        event.event === 'row' ? (JSON.parse(event.data!) as { method: string; address: string }) : null;
      if (row?.method === 'prompts/list') addresses.push(row.address);
    }
    await events.cancel();
    assert.deepEqual(addresses.sort(), ['127.0.0.10', '127.0.0.9']);
  });

  it('loads in Home Assistant without an error in its log', async () => {
    const entries = await companionEntries(ha.url, token);
    assert.deepEqual(
      entries.map((e) => [e.entry_id, e.state]),
      [[entryId, 'loaded']]
    );
    const log = ha.logTail(5_000);
    assert.match(log, /Setting up mcp_server_addon/);
    const ours = log.split('\n').filter((line) => /mcp_server_addon/.test(line));
    const wrong = ours.filter(
      (line) => !/ INFO |custom integration mcp_server_addon which has not been tested/.test(line)
    );
    assert.deepEqual(wrong, [], log);
    assert.doesNotMatch(log, /Traceback[\s\S]*custom_components\/mcp_server_addon/);
  });

  it('offers Home Assistant’s external URL under the companion’s path first on the Connect page', async () => {
    const overview = await fetch(`${server.adminUrl}/api/admin/overview`);
    assert.equal(overview.status, 200, await overview.clone().text());
    const { mcp } = (await overview.json()) as { mcp: { urls: { kind: string; url: string }[] } };
    assert.deepEqual(mcp.urls[0], { kind: 'home_assistant', url: `${proxied}/api/mcp` });
  });

  it('lets the SDK client list and call tools with a token', async () => {
    const client = new Client({ name: 'companion-sdk', version: '1.0.0' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${proxied}/api/mcp`), {
        authProvider: { token: async () => token },
      })
    );
    try {
      const { tools } = await client.listTools();
      const names = tools.map((t) => t.name);
      assert.ok(names.includes('intent__HassTurnOn'), names.join(', '));
      const live = await client.callTool({ name: 'homeassistant__GetLiveContext', arguments: {} });
      assert.equal(live.isError, false, JSON.stringify(live.content));
      assert.match(JSON.stringify(live.content), /Live Context/);
    } finally {
      await client.close();
    }
  });

  it('bridges mcp-remote with a token', { timeout: 180_000 }, async () => {
    const remote = new McpRemote(`${proxied}/api/mcp`, token);
    try {
      const init = await remote.initialize();
      assert.equal(init.result.serverInfo.name, 'home-assistant');
      const list = await remote.request(2, 'tools/list');
      assert.ok(
        list?.result.tools.some((tool: { name: string }) => tool.name === 'intent__HassTurnOn'),
        JSON.stringify(list)
      );
      const call = await remote.request(3, 'tools/call', {
        name: 'homeassistant__GetLiveContext',
        arguments: {},
      });
      assert.equal(call?.result.isError, false, JSON.stringify(call));
    } finally {
      await remote.stop();
    }
  });

  it(
    'streams the legacy SSE pair: each answer arrives while the stream stays open',
    { timeout: 60_000 },
    async () => {
      const stream = await fetch(`${proxied}/mcp_server/sse`, {
        headers: {
          authorization: `Bearer ${token}`,
          accept: 'text/event-stream',
          'accept-encoding': 'gzip, deflate, br',
        },
      });
      assert.equal(stream.status, 200);
      assert.match(stream.headers.get('content-type') ?? '', /^text\/event-stream/);
      assert.equal(stream.headers.get('content-encoding'), null, 'an event stream is never compressed');
      const events = new SseReader(stream.body!);
      try {
        // The path to post to is the add-on's, under the companion's prefix: posts come back through HA.
        const endpoint = await events.nextEvent();
        assert.equal(endpoint?.event, 'endpoint');
        assert.match(endpoint?.data ?? '', /^\/api\/mcp_addon\/mcp_server\/messages\/[0-9a-f]{32}$/);
        const messages = new URL(endpoint!.data!, ha.url).href;

        const send = (body: string) =>
          fetch(messages, {
            method: 'POST',
            headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
            body,
          });
        const accepted = await send(rpc(1, 'initialize', INITIALIZE));
        assert.ok(accepted.ok, `${accepted.status} ${await accepted.text()}`);
        const initialized = await events.nextEvent();
        assert.equal(initialized?.event, 'message');
        assert.equal(JSON.parse(initialized!.data!).result.serverInfo.name, 'home-assistant');

        await send(JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }));
        await send(rpc(2, 'tools/list'));
        const listed = JSON.parse((await events.nextEvent())!.data!);
        assert.equal(listed.id, 2);
        assert.ok(listed.result.tools.some((t: { name: string }) => t.name === 'intent__HassTurnOn'));
      } finally {
        await events.cancel();
      }
    }
  );

  it('keeps OAuth on Home Assistant’s URL: discovery at the path-inserted well-known URLs, login on HA’s page', async () => {
    const origin = new URL(ha.url).origin;
    const issuer = `${origin}${PROXY_PATH}`;
    // A client that meets the 401 is sent to the resource's metadata on HA's origin (RFC 9728).
    const refused = await post('/api/mcp', rpc(1, 'tools/list'), { authorization: 'Bearer not-a-token' });
    assert.equal(refused.status, 401);
    const metadataUrl = /resource_metadata="([^"]+)"/.exec(
      refused.headers.get('www-authenticate') ?? ''
    )?.[1];
    assert.equal(metadataUrl, `${origin}/.well-known/oauth-protected-resource${PROXY_PATH}/api/mcp`);
    const resource = (await (await fetch(metadataUrl!)).json()) as Record<string, unknown>;
    assert.equal(resource.resource, `${issuer}/api/mcp`);
    assert.deepEqual(resource.authorization_servers, [issuer]);
    // The issuer's metadata where RFC 8414 puts it for an issuer with a path, and OpenID's name for it.
    for (const document of ['oauth-authorization-server', 'openid-configuration']) {
      const res = await fetch(`${origin}/.well-known/${document}${PROXY_PATH}`);
      assert.equal(res.status, 200, document);
      const metadata = (await res.json()) as Record<string, unknown>;
      assert.equal(metadata.issuer, issuer);
      for (const endpoint of ['authorization_endpoint', 'token_endpoint', 'registration_endpoint']) {
        assert.ok(
          String(metadata[endpoint]).startsWith(`${issuer}/oauth/`),
          `${endpoint}: ${metadata[endpoint]}`
        );
      }
    }
    // Home Assistant's own root-level document stays its own.
    const own = (await (await fetch(`${origin}/.well-known/oauth-authorization-server`)).json()) as {
      issuer?: string;
    };
    assert.notEqual(own.issuer, issuer);
    assert.equal((await fetch(`${origin}/.well-known/other-document${PROXY_PATH}`)).status, 404);

    // The browser logs in at Home Assistant on the origin the client used, and comes back through it.
    const client = await registerOAuthClient(issuer);
    const first = await authorize(issuer, client);
    assert.equal(first.status, 302, await first.clone().text());
    const login = new URL(first.headers.get('location')!);
    assert.equal(`${login.origin}${login.pathname}`, `${origin}/auth/authorize`);
    assert.equal(login.searchParams.get('redirect_uri'), `${issuer}/oauth/ha-callback`);
    const tokens = await signInWithOAuth({ base: issuer, haUrl: ha.url, user: 'owner' });
    const listed = await postMcp(issuer, tokens.access_token, 'tools/list');
    assert.equal(listed.status, 200, await listed.clone().text());
  });

  it('refuses a body over 1 MiB itself, declared or chunked: the add-on never sees it', async () => {
    // The add-on's live request log, from now on: every request it answers is a row here.
    const tail = await fetch(`${server.adminUrl}/api/admin/logs/tail`, {
      headers: { accept: 'text/event-stream' },
    });
    assert.equal(tail.status, 200);
    const rows = new SseReader(tail.body!);
    try {
      assert.equal((await rows.nextEvent())?.event, 'ready');

      const padding = 'x'.repeat(MAX_BODY_BYTES);
      const declared = await post('/api/mcp', rpc(7, 'tools/list', { padding }));
      assert.equal(declared.status, 413);
      const refusal = (await declared.json()) as { id: unknown; error: { code: number; message: string } };
      assert.equal(refusal.id, null);
      assert.equal(refusal.error.code, -32000);
      assert.match(refusal.error.message, /Home Assistant passes at most 1048576 bytes/);

      const chunk = new TextEncoder().encode('x'.repeat(64 * 1024));
      let sent = 0;
      const chunked = await fetch(`${proxied}/api/mcp`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: new ReadableStream<Uint8Array>({
          pull(controller) {
            // Twice the limit, in chunks, with no length declared.
            if (sent >= 2 * MAX_BODY_BYTES) return controller.close();
            sent += chunk.byteLength;
            controller.enqueue(chunk);
          },
        }),
        duplex: 'half',
      } as RequestInit);
      assert.equal(chunked.status, 413);
      assert.match(await chunked.text(), /Home Assistant passes at most 1048576 bytes/);

      // A request after them, through the same door: once its row is in, theirs would be too.
      const mark = `after-the-refusals-${Date.now()}`;
      const after = await post('/api/mcp', rpc(8, 'tools/list'), { 'user-agent': mark });
      assert.equal(after.status, 200);
      const before: { httpStatus: number | null; userAgent: string | null }[] = [];
      for (;;) {
        const event = await rows.nextEvent();
        assert.ok(event, 'the log tail ended');
        if (event.event !== 'row') continue;
        const row = JSON.parse(event.data!) as { httpStatus: number | null; userAgent: string | null };
        if (row.userAgent === mark) break;
        before.push(row);
      }
      assert.deepEqual(
        before.filter((row) => row.httpStatus === 413),
        [],
        'the add-on answered a body the companion should have refused'
      );
    } finally {
      await rows.cancel();
    }
  });

  it('answers 404 once its entry is gone; a new entry passes on only what MCP and OAuth read', async () => {
    await removeCompanion(ha.url, token, entryId);
    const gone = await post('/api/mcp', rpc(1, 'tools/list'));
    assert.equal(gone.status, 404);
    assert.match(((await gone.json()) as { error: { message: string } }).error.message, /not set up/);

    // The flow takes only an address where the add-on answers.
    assert.deepEqual(await companionFlow(ha.url, token, 'ftp://addon'), {
      type: 'form',
      errors: { url: 'invalid_url' },
    });
    assert.deepEqual(await companionFlow(ha.url, token, `http://127.0.0.1:${await freePort()}`), {
      type: 'form',
      errors: { url: 'cannot_connect' },
    });
    // The add-on's admin listener answers /healthz too, but is no door for clients.
    assert.deepEqual(await companionFlow(ha.url, token, server.adminUrl), {
      type: 'form',
      errors: { url: 'not_the_addon' },
    });

    const addon = await recordingAddon();
    try {
      entryId = await setUpCompanion(ha.url, token, addon.url);
      const answer = await post('/api/mcp/assist?cursor=a%2Fb&x=1', rpc(3, 'tools/list'), {
        'mcp-session-id': 'session-1',
        'mcp-protocol-version': '2025-06-18',
        'last-event-id': '42',
        origin: 'https://claude.ai',
        'user-agent': 'companion-test/1',
        cookie: 'session=of-home-assistant',
        'x-forwarded-host': 'elsewhere.example',
        'x-client-secret': 'not for the add-on',
        'accept-encoding': 'gzip',
      });
      assert.equal(answer.status, 200);
      assert.equal(answer.headers.get('mcp-session-id'), 'session-1');
      assert.deepEqual(await answer.json(), { recorded: true });

      // Only the add-on's doors for clients are passed on, and no path steps out of them.
      for (const path of [
        '/api/admin/settings',
        '/healthz',
        '/oauth/../api/admin/settings',
        '/oauth/%2e%2e/api/admin/settings',
        '/oauth/%2E%2E%2Fapi%2Fadmin%2Fsettings',
        '/oauth/%252e%252e/api/admin/settings',
        '/oauth/%2e%2e',
        '/oauth/x/..',
        '/api/mcp/%252e%252e',
      ]) {
        const status = await rawGet(ha.url, `${PROXY_PATH}${path}`);
        assert.ok(status === 404 || status === 400, `${path}: ${status}`);
      }

      assert.equal(addon.seen.length, 1, JSON.stringify(addon.seen.map((r) => r.url)));
      const [request] = addon.seen;
      assert.equal(request!.method, 'POST');
      assert.equal(request!.url, '/api/mcp/assist?cursor=a%2Fb&x=1');
      assert.equal(request!.body, rpc(3, 'tools/list'));
      const { host, 'content-length': length, ...headers } = request!.headers;
      assert.equal(host, new URL(addon.url).host);
      assert.equal(length, String(Buffer.byteLength(rpc(3, 'tools/list'))));
      assert.deepEqual(headers, {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        'mcp-session-id': 'session-1',
        'mcp-protocol-version': '2025-06-18',
        'last-event-id': '42',
        origin: 'https://claude.ai',
        'user-agent': 'companion-test/1',
        // Uncompressed on the internal network, so that streams pass on event by event.
        'accept-encoding': 'identity',
        // The address HA saw, not one the client claims.
        'x-forwarded-for': '127.0.0.1',
        // Home Assistant's address as the client used it, and where the add-on's paths begin on it.
        'x-forwarded-proto': 'http',
        'x-forwarded-host': new URL(ha.url).host,
        'x-forwarded-prefix': PROXY_PATH,
      });
    } finally {
      await removeCompanion(ha.url, token, entryId);
      await addon.close();
    }
    entryId = await setUpCompanion(ha.url, token, server.mcpUrl);
    const back = await post('/api/mcp', rpc(4, 'tools/list'));
    assert.equal(back.status, 200, await back.clone().text());
  });

  it('answers 502 with a JSON-RPC error while the add-on is stopped, and Home Assistant goes on', async () => {
    await server.stop();

    const mcp = await post('/api/mcp', rpc(9, 'tools/list'));
    assert.equal(mcp.status, 502);
    const error = (await mcp.json()) as {
      jsonrpc: string;
      id: unknown;
      error: { code: number; message: string };
    };
    assert.equal(error.jsonrpc, '2.0');
    assert.equal(error.id, 9);
    assert.equal(error.error.code, -32603);
    assert.match(error.error.message, /^The MCP Server add-on is not reachable: /);

    const discovery = await fetch(`${proxied}/.well-known/oauth-authorization-server`);
    assert.equal(discovery.status, 502);
    assert.match(((await discovery.json()) as { error: string }).error, /not reachable/);

    assert.deepEqual(await restJson(ha.url, '/api/', { token }), { message: 'API running.' });
    assert.deepEqual(
      (await companionEntries(ha.url, token)).map((e) => e.state),
      ['loaded']
    );
  });
});
