/**
 * The official SDK v2 client against the MCP routes on a real loopback listener: Streamable HTTP in both
 * protocol eras (the 2025 handshake, a negotiating client, a client pinned to 2026-07-28) and the legacy
 * SSE transport, each listing tools, calling one, getting the prompt and reading the resource.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  Client,
  SSEClientTransport,
  StreamableHTTPClientTransport,
  type Transport,
  type VersionNegotiationMode,
} from '@modelcontextprotocol/client';
import { CONTEXT_URI, liveMcp, type LiveMcp } from '../support/mcp-fixture.js';

let live: LiveMcp;
before(async () => (live = await liveMcp()));
after(() => live.close());

const bearer = (token: string) => ({ token: async () => token });

async function connect(transport: Transport, mode: VersionNegotiationMode = 'legacy'): Promise<Client> {
  const client = new Client({ name: 'sdk-client-test', version: '1.0.0' }, { versionNegotiation: { mode } });
  await client.connect(transport);
  return client;
}

const streamable = (token = 'good') =>
  new StreamableHTTPClientTransport(new URL(`${live.url}/api/mcp`), { authProvider: bearer(token) });

/** What every client should see of the fake home, whatever the transport or era. */
async function exercise(client: Client) {
  assert.deepEqual(client.getServerVersion()?.name, 'home-assistant');

  const { tools } = await client.listTools();
  assert.deepEqual(
    tools.map((t) => [t.name, t.annotations?.readOnlyHint]),
    [
      ['GetGreeting', true],
      ['SetLevel', false],
    ]
  );

  const called = await client.callTool({ name: 'SetLevel', arguments: { level: 42 } });
  assert.equal(called.isError, false);
  assert.deepEqual(called.content, [{ type: 'text', text: '{"success":true,"level":42}' }]);

  const failed = await client.callTool({ name: 'HassDance', arguments: {} });
  assert.equal(failed.isError, true);
  assert.deepEqual(failed.content, [
    { type: 'text', text: 'Error calling tool: Tool "HassDance" not found' },
  ]);

  const prompt = await client.getPrompt({ name: 'Assist' });
  assert.deepEqual(prompt.messages, [
    { role: 'assistant', content: { type: 'text', text: "You control Owner's home." } },
  ]);

  const resource = await client.readResource({ uri: CONTEXT_URI });
  assert.deepEqual(resource.contents, [
    { uri: CONTEXT_URI, mimeType: 'text/plain', text: 'Live Context: Owner is home' },
  ]);
}

describe('the SDK v2 client', () => {
  it('works over Streamable HTTP with the 2025 initialize handshake', async () => {
    const client = await connect(streamable());
    try {
      assert.equal(client.getProtocolEra(), 'legacy');
      await exercise(client);
    } finally {
      await client.close();
    }
  });

  it('negotiates the 2026-07-28 era when it probes for it', async () => {
    const client = await connect(streamable(), 'auto');
    try {
      assert.equal(client.getProtocolEra(), 'modern');
      await exercise(client);
    } finally {
      await client.close();
    }
  });

  it('works pinned to 2026-07-28', async () => {
    const client = await connect(streamable(), { pin: '2026-07-28' });
    try {
      assert.equal(client.getProtocolEra(), 'modern');
      await exercise(client);
    } finally {
      await client.close();
    }
  });

  it('works over the legacy SSE transport', async () => {
    const transport = new SSEClientTransport(new URL(`${live.url}/mcp_server/sse`), {
      authProvider: bearer('good'),
    });
    const client = await connect(transport);
    try {
      await exercise(client);
    } finally {
      await client.close();
    }
  });

  it('is refused without a valid token', async () => {
    await assert.rejects(connect(streamable('wrong')));
  });

  it('leaves a record of each request it made', async () => {
    const records = live.records.filter((r) => r.clientName === 'sdk-client-test');
    const methods = new Set(records.map((r) => r.method));
    for (const method of ['initialize', 'server/discover', 'tools/list', 'tools/call', 'prompts/get']) {
      assert.ok(methods.has(method), method);
    }
    assert.ok(records.some((r) => r.transport === 'sse'));
  });
});
