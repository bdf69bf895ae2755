/**
 * home-assistant-js-websocket uses the global WebSocket, which Node 20 does not have: every module that opens
 * a connection to Home Assistant imports this first (link.ts for the add-on's link, principals.ts for the
 * short connections that check users' tokens).
 */
import { WebSocket } from 'ws';

(globalThis as { WebSocket?: unknown }).WebSocket ??= WebSocket;
