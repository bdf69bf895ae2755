/**
 * mcp-remote (the stdio bridge many desktop hosts use for remote servers) against the MCP routes on a
 * real loopback listener, driven as a host drives it: newline-delimited JSON-RPC on its stdin and stdout.
 * It is a pinned dev dependency: a bridge that cannot connect fails the test.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { McpRemote } from '../support/mcp-remote.js';
import { liveMcp, type LiveMcp } from '../support/mcp-fixture.js';

let live: LiveMcp;
before(async () => (live = await liveMcp()));
after(() => live.close());

describe('mcp-remote', () => {
  it('bridges initialize, tools/list and tools/call over Streamable HTTP', { timeout: 180_000 }, async () => {
    const remote = new McpRemote(`${live.url}/api/mcp`, 'good');
    try {
      const init = await remote.initialize();
      assert.equal(init.result.serverInfo.name, 'home-assistant');
      assert.equal(init.result.protocolVersion, '2025-06-18');

      const list = await remote.request(2, 'tools/list');
      assert.deepEqual(
        list?.result.tools.map((tool: { name: string }) => tool.name),
        ['GetGreeting', 'SetLevel']
      );

      const call = await remote.request(3, 'tools/call', {
        name: 'GetGreeting',
        arguments: { name: 'Cy' },
      });
      assert.deepEqual(call?.result, {
        content: [{ type: 'text', text: '{"greeting":"Hello Cy","by":"Owner"}' }],
        isError: false,
      });

      const records = live.records.filter((r) => r.clientName?.startsWith('stdio-host'));
      assert.ok(records.some((r) => r.method === 'initialize' && r.userAgent));
    } finally {
      await remote.stop();
    }
  });
});
