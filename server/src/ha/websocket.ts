/**
 * home-assistant-js-websocket uses the global WebSocket, which Node 20 does not have: every module that opens
 * a connection to Home Assistant imports this first (link.ts for the add-on's link, principals.ts for the
 * short connections that check users' tokens). Connections take the TLS options core-tls.ts sets for
 * their host.
 */
import type { ConnectionOptions } from 'node:tls';
import { WebSocket, type ClientOptions } from 'ws';

let tlsOptions: (hostname: string) => ConnectionOptions | undefined = () => undefined;

export function setWebSocketTls(options: (hostname: string) => ConnectionOptions | undefined): void {
  tlsOptions = options;
}

class HaWebSocket extends WebSocket {
  constructor(address: string | URL, protocols?: string | string[]) {
    super(address, protocols, tlsOptions(new URL(address).hostname) as ClientOptions | undefined);
  }
}

(globalThis as { WebSocket?: unknown }).WebSocket ??= HaWebSocket;
