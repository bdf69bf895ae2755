/**
 * Writes the MCP layer's request-log entries to the store, naming the client where the request did not.
 * The client's name and version come from `initialize` (or the 2026 per-request client info) and are
 * remembered per user and user agent, so later requests of the same client, which carry neither, are logged
 * under its name too.
 */
import type { ClientMemory } from './store/client-memory.js';
import type { RequestLog, RequestLogEntry } from './store/log-entry.js';

/** The entry with its client remembered (it names one) or recalled (it does not). */
function withClient(entry: RequestLogEntry, clients: ClientMemory): RequestLogEntry {
  const { userId, userAgent, clientName } = entry;
  if (!userId) return entry;
  if (clientName) {
    clients.remember(userId, userAgent, {
      name: clientName,
      version: entry.clientVersion ?? null,
      protocolVersion: entry.protocolVersion ?? null,
    });
    return entry;
  }
  const known = clients.recall(userId, userAgent);
  return { ...entry, clientName: known?.name, clientVersion: known?.version };
}

/** The MCP routes' `onRequest` hook for a store. */
export const logRequests =
  (store: { requestLog: RequestLog; clients: ClientMemory }) =>
  (entry: RequestLogEntry): void =>
    store.requestLog.record(withClient(entry, store.clients));
