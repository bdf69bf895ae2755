/**
 * OAuth as a person meets it: mcp-remote started without a token discovers the add-on's authorization
 * server, registers, and asks for a browser; Chromium (driven by Playwright) opens that page, logs in on
 * Home Assistant's own login page, approves on the consent page, and mcp-remote then lists the tools and
 * calls one with the tokens it was given.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, describe, it } from 'node:test';
import { PLAIN_USER } from '../support/ha/onboard.js';
import { MCP_REMOTE_BIN, type Message } from '../support/mcp-remote.js';
import { signInAtHa, useOAuthWorld } from '../support/browser/ha-sign-in.js';
import { skipWithoutChromium } from '../support/browser/panel-fixture.js';

describe('OAuth in a browser, with mcp-remote as the client', { skip: skipWithoutChromium }, () => {
  const world = useOAuthWorld();
  let remote: ChildProcessWithoutNullStreams | undefined;
  const authDir = mkdtempSync(join(tmpdir(), 'mcp-auth-'));
  after(() => {
    remote?.kill('SIGTERM');
    rmSync(authDir, { recursive: true, force: true });
  });

  it('signs in at Home Assistant’s login page, approves, and lists and calls tools', async () => {
    const { ha, server, browser } = world;
    remote = spawn(
      process.execPath,
      [MCP_REMOTE_BIN, `${server.mcpUrl}/api/mcp`, '--transport', 'http-only'],
      {
        stdio: ['pipe', 'pipe', 'pipe'],
        env: {
          ...process.env,
          MCP_REMOTE_CONFIG_DIR: authDir,
          // No desktop to open a browser on: mcp-remote then prints the address, which the test opens.
          BROWSER: 'false',
        },
      }
    );
    let stderr = '';
    const authorizeUrl = new Promise<string>((resolve, reject) => {
      remote!.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        const found = /(http:\/\/127\.0\.0\.1:\d+\/oauth\/authorize\?\S+)/.exec(stderr);
        if (found) resolve(found[1]!);
      });
      remote!.once('exit', (code) => reject(new Error(`mcp-remote exited (${code}):\n${stderr}`)));
    });
    const waiting = new Map<number, (m: Message) => void>();
    createInterface({ input: remote.stdout }).on('line', (line) => {
      try {
        const message = JSON.parse(line) as Message;
        if (message.id !== undefined) waiting.get(message.id)?.(message);
      } catch {
        // not a protocol line
      }
    });
    const request = (id: number, method: string, params?: unknown) => {
      const answered = new Promise<Message>((resolve) => waiting.set(id, resolve));
      remote!.stdin.write(
        JSON.stringify({ jsonrpc: '2.0', id, method, ...(params ? { params } : {}) }) + '\n'
      );
      return answered;
    };

    const page = await browser.newPage();
    await signInAtHa(page, await authorizeUrl, {
      haUrl: ha.url,
      user: PLAIN_USER,
      shownAs: /Guest/,
      label: 'oauth-mcp-remote',
    });
    await page.waitForURL(/localhost:\d+\/oauth\/callback|127\.0\.0\.1:\d+\/oauth\/callback/);

    const init = await request(1, 'initialize', {
      protocolVersion: '2025-06-18',
      capabilities: {},
      clientInfo: { name: 'oauth-browser-test', version: '1' },
    });
    assert.ok(init.result, JSON.stringify(init));
    remote.stdin.write(JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }) + '\n');
    const listed = await request(2, 'tools/list');
    const names = (listed.result?.tools ?? []).map((t: { name: string }) => t.name);
    assert.ok(names.includes('intent__HassTurnOn'), names.join(', '));
    const called = await request(3, 'tools/call', { name: 'homeassistant__GetLiveContext', arguments: {} });
    assert.equal(called.result?.isError, false);
    assert.match(called.result?.content?.[0]?.text ?? '', /Live Context/);
  });
});
