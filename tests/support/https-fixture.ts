/**
 * A local https server for the fetches a client can make the add-on do (metadata documents, home pages):
 * a throwaway certificate for `localhost`, `client.example` and 127.0.0.1, and a server on loopback whose
 * answers the test chooses. Closed after the test file.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { createServer } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';

export interface Answer {
  status?: number;
  body?: string;
  headers?: Record<string, string>;
  /** Never answer (a server that hangs). */
  hang?: boolean;
}

/** A self-signed certificate; by default for `localhost`, `client.example` and 127.0.0.1. */
export function certificate(
  names: { cn: string; altNames: string } = {
    cn: 'localhost',
    altNames: 'DNS:localhost,DNS:client.example,IP:127.0.0.1',
  }
): { cert: string; key: string } {
  const dir = mkdtempSync(join(tmpdir(), 'oauth-https-'));
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-days',
        '1',
        '-subj',
        `/CN=${names.cn}`,
        '-addext',
        `subjectAltName=${names.altNames}`,
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
      ],
      { stdio: 'ignore' }
    );
    return {
      cert: readFileSync(join(dir, 'cert.pem'), 'utf8'),
      key: readFileSync(join(dir, 'key.pem'), 'utf8'),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Starts a server; `answer` decides each response. Returns its port and the requests it saw. */
export async function serveHttps(
  tls: { cert: string; key: string },
  answer: (req: IncomingMessage) => Answer
): Promise<{ port: number; requests: IncomingMessage[] }> {
  const requests: IncomingMessage[] = [];
  const server = createServer(tls, (req, res) => {
    requests.push(req);
    const a = answer(req);
    if (a.hang) return;
    res.writeHead(a.status ?? 200, { 'content-type': 'application/json', ...a.headers });
    res.end(a.body ?? '');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  after(() => {
    server.closeAllConnections();
    server.close();
  });
  return { port: (server.address() as { port: number }).port, requests };
}
