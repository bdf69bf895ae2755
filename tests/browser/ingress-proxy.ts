/**
 * A stand-in for the Supervisor's ingress proxy, as far as the panel can tell: the admin listener served
 * under `/api/hassio_ingress/<token>/` with the prefix stripped on the way in, and, like the Supervisor,
 * the viewer's identity set by the proxy (whatever the browser sent is dropped).
 */
import { randomBytes } from 'node:crypto';
import { createServer, request, type IncomingHttpHeaders, type Server } from 'node:http';

export interface IngressProxy {
  /** The panel's address, ending in `/`. */
  url: string;
  path: string;
  close(): Promise<void>;
}

export interface IngressViewer {
  id: string;
  name: string;
}

function forwarded(headers: IncomingHttpHeaders, path: string, viewer?: IngressViewer): IncomingHttpHeaders {
  const out: IncomingHttpHeaders = { 'x-ingress-path': path };
  for (const [name, value] of Object.entries(headers)) {
    if (!name.startsWith('x-remote-user-')) out[name] = value;
  }
  if (viewer) {
    out['x-remote-user-id'] = viewer.id;
    out['x-remote-user-name'] = viewer.name;
    out['x-remote-user-display-name'] = viewer.name;
  }
  return out;
}

export async function ingressProxy(adminUrl: string, viewer?: IngressViewer): Promise<IngressProxy> {
  const target = new URL(adminUrl);
  const path = `/api/hassio_ingress/${randomBytes(16).toString('base64url')}`;
  const server: Server = createServer((req, res) => {
    if (!req.url?.startsWith(`${path}/`)) {
      res.writeHead(404).end();
      return;
    }
    const upstream = request(
      {
        host: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url.slice(path.length),
        headers: forwarded(req.headers, path, viewer),
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      }
    );
    upstream.on('error', () => res.headersSent || res.writeHead(502).end());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}${path}/`,
    path,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
