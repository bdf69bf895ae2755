/**
 * Load from many client addresses, and a server process measured from outside (issue 18). Every address in
 * 127.0.0.0/8 is this machine's on Linux, so a client bound to 127.0.0.N is a different peer to the server
 * (what `getConnInfo` reports, and what per-address limits count) while the traffic never leaves loopback.
 * The process's resident memory is read from /proc, the database's size from its files.
 */
import { readFileSync, statSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { Agent, request, type Dispatcher } from 'undici';
import { DATABASE_FILE } from '../../server/src/store/db.js';

/** One keep-alive client per source address 127.0.0.<first>, 127.0.0.<first + 1>, ... */
export function loopbackClients(count: number, first = 2): { address: string; agent: Agent }[] {
  if (first < 2 || first + count - 1 > 254) throw new Error('source addresses run from 127.0.0.2 to .254');
  return Array.from({ length: count }, (_, i) => {
    const address = `127.0.0.${first + i}`;
    return { address, agent: new Agent({ localAddress: address, pipelining: 1 }) };
  });
}

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/** One request through `agent`, read to its end (bodies as given: a string or Buffer declares its length). */
export async function send(
  agent: Dispatcher,
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: Dispatcher.DispatchOptions['body'] }
): Promise<Answer> {
  const res = await request(url, {
    dispatcher: agent,
    method: (options.method ?? 'GET') as Dispatcher.HttpMethod,
    headers: options.headers,
    body: options.body,
  });
  return { status: res.statusCode, headers: res.headers, text: await res.body.text() };
}

export interface Uploaded {
  status: number;
  contentType: string;
  body: string;
  /** Bytes the client had written when the answer came. */
  sentBeforeAnswer: number;
}

/** The answer in `bytes` once it is whole (by its Content-Length, or all there is when `closed`). */
function answerIn(bytes: Buffer, closed: boolean): Omit<Uploaded, 'sentBeforeAnswer'> | undefined {
  const end = bytes.indexOf('\r\n\r\n');
  if (end < 0) return undefined;
  const [status = '', ...lines] = bytes.subarray(0, end).toString('latin1').split('\r\n');
  const header = (name: string) =>
    lines
      .find((l) => l.toLowerCase().startsWith(`${name}:`))
      ?.slice(name.length + 1)
      .trim();
  const body = bytes.subarray(end + 4);
  const length = header('content-length');
  if (length === undefined ? !closed : body.length < Number(length)) return undefined;
  return {
    status: Number(status.split(' ')[1]),
    contentType: header('content-type') ?? '',
    body: body.subarray(0, length === undefined ? undefined : Number(length)).toString('utf8'),
  };
}

/**
 * Sends `total` bytes of body (chunked, or with a declared length) as fast as the server takes them, and
 * resolves with the answer as soon as it comes; the rest of the upload is then abandoned. For bodies far
 * over a limit: the answer should come long before the client is done. A raw connection, because a server
 * that stops reading may close it while the client still writes, and the answer must be read all the same
 * (an HTTP client reports the failed write instead). No `Connection: close`: a server that closes at once
 * on unread data resets the connection, which can take the answer with it.
 */
export function upload(
  url: string,
  options: { method?: string; total: number; declare?: boolean; headers?: Record<string, string> }
): Promise<Uploaded> {
  const { method = 'POST', total, declare = false } = options;
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    let written = 0;
    let sentBeforeAnswer: number | undefined;
    let received = Buffer.alloc(0);
    let settled = false;
    const socket = connect({ host: target.hostname, port: Number(target.port) });
    const head = [
      `${method} ${target.pathname}${target.search} HTTP/1.1`,
      `host: ${target.host}`,
      ...Object.entries(options.headers ?? {}).map(([k, v]) => `${k}: ${v}`),
      declare ? `content-length: ${total}` : 'transfer-encoding: chunked',
      '',
      '',
    ].join('\r\n');
    const pump = () => {
      while (sentBeforeAnswer === undefined && written < total) {
        const size = Math.min(64 * 1024, total - written);
        const data = Buffer.alloc(size, 0x7b);
        written += size;
        const frame = declare
          ? data
          : Buffer.concat([Buffer.from(`${size.toString(16)}\r\n`), data, Buffer.from('\r\n')]);
        if (!socket.write(frame)) return void socket.once('drain', pump);
      }
      if (sentBeforeAnswer === undefined && !declare) socket.write('0\r\n\r\n');
    };
    const settle = (closed: boolean) => {
      if (settled) return;
      const answer = answerIn(received, closed);
      if (answer) {
        settled = true;
        socket.destroy();
        resolve({ ...answer, sentBeforeAnswer: sentBeforeAnswer ?? written });
      } else if (closed) {
        settled = true;
        reject(new Error(`the connection closed without an answer after ${written} bytes`));
      }
    };
    socket.on('connect', () => {
      socket.write(head);
      pump();
    });
    socket.on('data', (data: Buffer) => {
      sentBeforeAnswer ??= written;
      received = Buffer.concat([received, data]);
      settle(false);
    });
    // The server may stop reading and close while the client writes: what it answered is what counts.
    socket.on('error', () => {});
    socket.on('close', () => settle(true));
  });
}

/** A process's resident memory (VmRSS), in bytes. */
export function residentBytes(pid: number): number {
  const line = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!line) throw new Error(`no VmRSS for process ${pid}`);
  return Number(line[1]) * 1024;
}

/** The bytes the add-on's database takes in a data directory: the file, its WAL and its shared memory. */
export function databaseBytes(dataDir: string): number {
  return ['', '-wal', '-shm'].reduce((sum, suffix) => {
    try {
      return sum + statSync(join(dataDir, `${DATABASE_FILE}${suffix}`)).size;
    } catch {
      return sum;
    }
  }, 0);
}

export const MB = 1024 * 1024;
export const mb = (bytes: number) => `${(bytes / MB).toFixed(1)} MB`;
