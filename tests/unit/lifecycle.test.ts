import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { describe, it } from 'node:test';
import { runToExit, startServer } from '../support/server-process.js';
import { freePort } from '../support/ports.js';

// Standalone settings that need no Home Assistant yet: the listeners start before anything talks to HA.
const standalone = { HA_URL: 'http://127.0.0.1:9', HA_TOKEN: 'not-a-real-token' };

describe('server lifecycle', () => {
  it('answers /healthz on both listeners and stops cleanly on SIGTERM', async () => {
    const server = await startServer(standalone);
    for (const base of [server.mcpUrl, server.adminUrl]) {
      const res = await fetch(`${base}/healthz`);
      assert.equal(res.status, 200);
      assert.equal(((await res.json()) as { status: string }).status, 'ok');
    }
    assert.equal(await server.stop('SIGTERM'), 0);
    assert.match(server.output(), /SIGTERM received, stopping/);
    assert.match(server.output(), /INFO: stopped/);
    await assert.rejects(fetch(`${server.mcpUrl}/healthz`));
  });

  it('never logs the HA token', async () => {
    const server = await startServer(standalone);
    await server.stop();
    assert.doesNotMatch(server.output(), /not-a-real-token/);
  });

  it('stops with one clear message when settings are missing', async () => {
    const { code, output } = await runToExit({});
    assert.equal(code, 2);
    const lines = output.trim().split('\n');
    assert.equal(lines.length, 1);
    assert.match(lines[0]!, /ERROR: configuration error: HA_URL and HA_TOKEN must be set/);
  });

  it('says which port is taken when a listener cannot start', async () => {
    const port = await freePort();
    const blocker = createServer().listen(port, '127.0.0.1');
    await new Promise((resolve) => blocker.once('listening', resolve));
    try {
      const { code, output } = await runToExit({
        ...standalone,
        MCP_PORT: String(port),
        ADMIN_PORT: String(await freePort()),
      });
      assert.equal(code, 1);
      assert.match(
        output,
        new RegExp(`cannot start the MCP listener on 127\\.0\\.0\\.1:${port}: port ${port} is already in use`)
      );
    } finally {
      blocker.close();
    }
  });
});
