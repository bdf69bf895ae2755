/**
 * mcp-remote (the stdio bridge many desktop hosts use for remote servers) against the MCP routes on a
 * real loopback listener, driven as a host drives it: newline-delimited JSON-RPC on its stdin and stdout.
 * It is fetched with npx on first use; without the npm registry the test is skipped and says why.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';
import { after, before, describe, it } from 'node:test';
import { liveMcp, type LiveMcp } from '../unit/mcp-fixture.js';

const MCP_REMOTE = 'mcp-remote@0.15.1';
/** npm's ways of saying the package could not be fetched. */
const CANNOT_FETCH = /npm (ERR|error)|ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ETIMEDOUT|E404|network/i;

let live: LiveMcp;
before(async () => (live = await liveMcp()));
after(() => live.close());

type Message = { id?: number; result?: any; error?: any };

/** mcp-remote as a child process: send a message, wait for the answer with the same id. */
class McpRemote {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly waiting = new Map<number, (message: Message) => void>();
  private stderr = '';
  readonly exited: Promise<number | null>;

  constructor(url: string, token: string) {
    this.child = spawn(
      'npx',
      ['-y', MCP_REMOTE, url, '--header', `Authorization: Bearer ${token}`, '--transport', 'http-only'],
      {
        stdio: ['pipe', 'pipe', 'pipe'],
        // Without a registry, fail within a minute (and skip) rather than retry for npm's five minutes.
        env: { ...process.env, npm_config_update_notifier: 'false', npm_config_fetch_timeout: '60000' },
      }
    );
    this.child.stderr.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    createInterface({ input: this.child.stdout }).on('line', (line) => {
      let message: Message;
      try {
        message = JSON.parse(line) as Message;
      } catch {
        return; // not a protocol line
      }
      if (message.id !== undefined) this.waiting.get(message.id)?.(message);
    });
    this.exited = new Promise((resolve) => this.child.once('exit', (code) => resolve(code)));
  }

  get output(): string {
    return this.stderr;
  }

  /** The answer to a request, or `undefined` if mcp-remote exited first. */
  request(id: number, method: string, params?: unknown): Promise<Message | undefined> {
    const answered = new Promise<Message>((resolve) => this.waiting.set(id, resolve));
    this.child.stdin.write(
      JSON.stringify({ jsonrpc: '2.0', id, method, ...(params ? { params } : {}) }) + '\n'
    );
    return Promise.race([answered, this.exited.then(() => undefined)]);
  }

  notify(method: string): void {
    this.child.stdin.write(JSON.stringify({ jsonrpc: '2.0', method }) + '\n');
  }

  async stop(): Promise<void> {
    this.child.stdin.end();
    if (this.child.exitCode === null) this.child.kill('SIGTERM');
    await this.exited;
  }
}

describe('mcp-remote', () => {
  it(
    'bridges initialize, tools/list and tools/call over Streamable HTTP',
    { timeout: 180_000 },
    async (t) => {
      const remote = new McpRemote(`${live.url}/api/mcp`, 'good');
      try {
        const init = await remote.request(1, 'initialize', {
          protocolVersion: '2025-06-18',
          capabilities: {},
          clientInfo: { name: 'stdio-host', version: '1.0.0' },
        });
        if (!init && CANNOT_FETCH.test(remote.output)) {
          t.skip(`npx cannot fetch ${MCP_REMOTE} here: ${remote.output.trim().split('\n').at(-1)}`);
          return;
        }
        assert.ok(init, `mcp-remote exited before answering:\n${remote.output}`);
        assert.equal(init.result.serverInfo.name, 'home-assistant');
        assert.equal(init.result.protocolVersion, '2025-06-18');
        remote.notify('notifications/initialized');

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
    }
  );
});
