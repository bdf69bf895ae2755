/**
 * The Supervisor's side of the add-on contract, as the Supervisor's source defines it (api/proxy.py,
 * api/ingress.py, api/addons.py, api/middleware/security.py), for an add-on in the namespace of
 * hassio-network.ts and a real Home Assistant behind it:
 *
 * - `http://supervisor` (172.30.32.2:80): `/core/info`, `/addons/self/info`, `/addons/self/options`, and
 *   the Core proxy (`/core/api/*` and the WebSocket at `/core/websocket` or `/core/api/websocket`), which
 *   accept only the add-on's token and reach Core with the Supervisor's own, over TLS without checking
 *   Core's certificate (as the Supervisor does on this hop);
 * - ingress: `/api/hassio_ingress/<token>/...` on another port of the same address, passed to the add-on's
 *   ingress port from 172.30.32.2 with `X-Ingress-Path` and `X-Remote-User-*` set from the session's user
 *   (whatever the browser sent of those, or of tokens, is dropped).
 *
 * Every call is recorded (method and path) for tests to look at.
 */
import { randomBytes } from 'node:crypto';
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import { SUPERVISOR_ADDRESS } from './hassio-network.js';

export interface CoreInfo {
  port: number;
  ssl: boolean;
  version: string;
}

export interface IngressViewer {
  id: string;
  name: string;
  displayName: string;
}

export interface SupervisorStandInOptions {
  /** Where the stand-in reaches Core (https://172.30.32.1:<port>), and what `/core/info` says. */
  core: CoreInfo & { url: string };
  /** The Supervisor's own access token at Core (an administrator's, as the Supervisor user is). */
  coreToken: string;
  /** The add-on: its address, its ingress port, its MCP port and the host port that is published for it. */
  addon: { address: string; ingressPort: number; mcpPort: number; publishedPort: number | null };
  options: Record<string, unknown>;
}

export interface SupervisorStandIn {
  /** The add-on's SUPERVISOR_TOKEN. */
  readonly token: string;
  /** `METHOD /path` of every call the add-on made. */
  readonly calls: string[];
  /** What `/core/info` answers from now on. */
  core: CoreInfo & { url: string };
  /** The options saved through `/addons/self/options`. */
  options: Record<string, unknown>;
  /** The panel's address through ingress for this viewer (ends in `/`). */
  ingressUrl(viewer: IngressViewer): string;
  close(): Promise<void>;
}

const envelope = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(status < 400 ? { result: 'ok', data: body } : { result: 'error', message: body }));
};

const bearer = (req: IncomingMessage) => /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];

/** Headers a proxy never passes on (hop-by-hop), plus the caller's credentials. */
const DROPPED = new Set([
  'host',
  'connection',
  'keep-alive',
  'transfer-encoding',
  'upgrade',
  'authorization',
]);

const listening = (server: Server, port: number) =>
  new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, SUPERVISOR_ADDRESS, () => resolve((server.address() as { port: number }).port));
  });

export async function supervisorStandIn(options: SupervisorStandInOptions): Promise<SupervisorStandIn> {
  const token = randomBytes(24).toString('hex');
  const calls: string[] = [];
  const state = { core: options.core, options: options.options };
  const sessions = new Map<string, IngressViewer>();

  /** Passes a request to Core with the Supervisor's token; streams the answer (event streams too). */
  const toCore = (req: IncomingMessage, res: ServerResponse, path: string) => {
    const target = new URL(path, state.core.url);
    const headers = Object.fromEntries(
      Object.entries(req.headers).filter(([name]) => !DROPPED.has(name))
    ) as Record<string, string>;
    const upstream = httpsRequest(
      target,
      {
        method: req.method,
        headers: { ...headers, authorization: `Bearer ${options.coreToken}` },
        rejectUnauthorized: false,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      }
    );
    upstream.on('error', () => res.headersSent || envelope(res, 502, 'Core is not reachable'));
    req.pipe(upstream);
  };

  const api = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://supervisor');
    calls.push(`${req.method} ${url.pathname}`);
    if (bearer(req) !== token) return envelope(res, 401, 'Unauthorized');
    if (url.pathname.startsWith('/core/api/')) {
      if (/^\/core\/api\/hassio/.test(url.pathname)) return envelope(res, 403, 'Forbidden');
      return toCore(req, res, `/api/${url.pathname.slice('/core/api/'.length)}${url.search}`);
    }
    if (req.method === 'GET' && url.pathname === '/core/info') {
      const { port, ssl, version } = state.core;
      return envelope(res, 200, { version, port, ssl, ip_address: '172.30.32.1', boot: true });
    }
    if (req.method === 'GET' && url.pathname === '/addons/self/info') {
      const { mcpPort, ingressPort, address, publishedPort } = options.addon;
      return envelope(res, 200, {
        slug: 'local_ha_mcp_server',
        state: 'started',
        ip_address: address,
        ingress_port: ingressPort,
        network: { [`${mcpPort}/tcp`]: publishedPort },
        options: state.options,
      });
    }
    if (req.method === 'POST' && url.pathname === '/addons/self/options') {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        const parsed = JSON.parse(body) as { options?: Record<string, unknown> };
        if (parsed.options) state.options = parsed.options;
        envelope(res, 200, {});
      });
      return;
    }
    envelope(res, 404, `${url.pathname} is not part of this stand-in`);
  });

  // The WebSocket proxy: the add-on authenticates with its token here, the stand-in with its own at Core.
  const relay = new WebSocketServer({ noServer: true });
  api.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = new URL(req.url ?? '/', 'http://supervisor').pathname;
    calls.push(`WS ${path}`);
    if (path !== '/core/websocket' && path !== '/core/api/websocket') return socket.destroy();
    relay.handleUpgrade(req, socket, head, (client) => {
      client.send(JSON.stringify({ type: 'auth_required', ha_version: state.core.version }));
      client.once('message', (raw: RawData) => {
        const auth = JSON.parse(raw.toString()) as { type?: string; access_token?: string };
        if (auth.type !== 'auth' || auth.access_token !== token) {
          client.send(JSON.stringify({ type: 'auth_invalid', message: 'Invalid access' }));
          return client.close();
        }
        const core = new WebSocket(new URL('/api/websocket', state.core.url.replace(/^http/, 'ws')), {
          rejectUnauthorized: false,
        });
        const pending: RawData[] = [];
        let open = false;
        client.on('message', (data: RawData) => (open ? core.send(data.toString()) : pending.push(data)));
        core.on('message', (data: RawData) => {
          const message = JSON.parse(data.toString()) as { type?: string };
          if (!open && message.type === 'auth_required') {
            core.send(JSON.stringify({ type: 'auth', access_token: options.coreToken }));
          } else if (!open && message.type === 'auth_ok') {
            open = true;
            client.send(JSON.stringify({ type: 'auth_ok', ha_version: state.core.version }));
            for (const data of pending.splice(0)) core.send(data.toString());
          } else if (open) {
            client.send(data.toString());
          }
        });
        const end = () => {
          client.close();
          core.close();
        };
        core.on('close', end);
        core.on('error', end);
        client.on('close', end);
      });
    });
  });

  // Ingress, from the Supervisor's address: the session's user, never the browser's word for it.
  const ingress = createServer((req, res) => {
    const match = /^\/api\/hassio_ingress\/([^/]+)(\/.*)$/.exec(req.url ?? '');
    const viewer = match && sessions.get(match[1]!);
    if (!match || !viewer) return void res.writeHead(401).end();
    const headers: Record<string, string | string[] | undefined> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (!name.startsWith('x-remote-user-') && !DROPPED.has(name)) headers[name] = value;
    }
    const upstream = request(
      {
        host: options.addon.address,
        port: options.addon.ingressPort,
        localAddress: SUPERVISOR_ADDRESS,
        method: req.method,
        path: match[2],
        headers: {
          ...headers,
          'x-ingress-path': `/api/hassio_ingress/${match[1]}`,
          'x-hass-source': 'core.ingress',
          'x-remote-user-id': viewer.id,
          'x-remote-user-name': viewer.name,
          'x-remote-user-display-name': viewer.displayName,
        },
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      }
    );
    upstream.on('error', () => res.headersSent || res.writeHead(502).end());
    req.pipe(upstream);
  });

  await listening(api, 80);
  const ingressPort = await listening(ingress, 0);
  return {
    token,
    calls,
    get core() {
      return state.core;
    },
    set core(next) {
      state.core = next;
    },
    get options() {
      return state.options;
    },
    set options(next) {
      state.options = next;
    },
    ingressUrl(viewer) {
      const session = randomBytes(16).toString('base64url');
      sessions.set(session, viewer);
      return `http://${SUPERVISOR_ADDRESS}:${ingressPort}/api/hassio_ingress/${session}/`;
    },
    async close() {
      for (const client of relay.clients) client.terminate();
      await Promise.all(
        [api, ingress].map(
          (server) =>
            new Promise<void>((resolve) => {
              server.closeAllConnections();
              server.close(() => resolve());
            })
        )
      );
    },
  };
}
