/**
 * A stand-in for the Supervisor's ingress proxy, as far as the panel can tell: the admin listener served
 * under `/api/hassio_ingress/<token>/` with the prefix stripped on the way in, and, like the Supervisor,
 * the viewer's identity set by the proxy (whatever the browser sent is dropped).
 *
 * With `compressEventStreams`, it also does what Home Assistant's ingress did to event streams until Core
 * 2026.3 (core#160704: `should_compress` then let `text/event-stream` through): it deflates them as they
 * pass, and the compressor keeps what it is given until kilobytes have piled up or the stream ends, so the
 * browser gets no event of a quiet stream.
 */
import { randomBytes } from 'node:crypto';
import { createServer, request, type IncomingHttpHeaders, type Server } from 'node:http';
import { createDeflate } from 'node:zlib';

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

export interface IngressOptions {
  /** Deflate `text/event-stream` answers without flushing, as Core's ingress did before 2026.3. */
  compressEventStreams?: boolean;
}

export async function ingressProxy(
  adminUrl: string,
  viewer?: IngressViewer,
  options: IngressOptions = {}
): Promise<IngressProxy> {
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
        const stream = /^text\/event-stream/.test(answer.headers['content-type'] ?? '');
        if (options.compressEventStreams && stream) {
          const { 'content-length': _length, ...headers } = answer.headers;
          res.writeHead(answer.statusCode ?? 502, { ...headers, 'content-encoding': 'deflate' });
          answer.pipe(createDeflate()).pipe(res);
          return;
        }
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
