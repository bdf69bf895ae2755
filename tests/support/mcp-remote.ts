/**
 * mcp-remote (the stdio bridge many desktop hosts use for remote servers) as a child process, driven as a
 * host drives it: newline-delimited JSON-RPC on its stdin and stdout. A pinned dev dependency, so a test
 * never depends on fetching it, and an mcp-remote that cannot connect is a failure, never a skip.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';
import { at } from './paths.js';

/** mcp-remote's command line entry (package.json pins the version). */
export const MCP_REMOTE_BIN = at('node_modules/mcp-remote/dist/proxy.js');

export type Message = { id?: number; result?: any; error?: any };

/** mcp-remote as a child process: send a message, wait for the answer with the same id. */
export class McpRemote {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly waiting = new Map<number, (message: Message) => void>();
  private stderr = '';
  readonly exited: Promise<number | null>;

  constructor(url: string, token: string) {
    this.child = spawn(
      process.execPath,
      [MCP_REMOTE_BIN, url, '--header', `Authorization: Bearer ${token}`, '--transport', 'http-only'],
      { stdio: ['pipe', 'pipe', 'pipe'] }
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

  /** The MCP handshake as a stdio host starts it: initialize, then `notifications/initialized`. */
  async initialize(protocolVersion = '2025-06-18'): Promise<Message> {
    const init = await this.request(1, 'initialize', {
      protocolVersion,
      capabilities: {},
      clientInfo: { name: 'stdio-host', version: '1.0.0' },
    });
    if (!init) throw new Error(`mcp-remote exited before answering:\n${this.output}`);
    this.notify('notifications/initialized');
    return init;
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
