/**
 * mcp-remote (the stdio bridge many desktop hosts use for remote servers) as a child process, driven as a
 * host drives it: newline-delimited JSON-RPC on its stdin and stdout. Fetched with npx on first use.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';

export const MCP_REMOTE = 'mcp-remote@0.15.1';
/** npm's ways of saying the package could not be fetched. */
export const CANNOT_FETCH = /npm (ERR|error)|ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ETIMEDOUT|E404|network/i;

export type Message = { id?: number; result?: any; error?: any };

/** mcp-remote as a child process: send a message, wait for the answer with the same id. */
export class McpRemote {
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
