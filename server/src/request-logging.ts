/**
 * Turns the MCP layer's request records into request-log entries. The client's name and version come from
 * `initialize` (or the 2026 per-request client info) and are remembered per user and user agent, so later
 * requests of the same client, which carry neither, are logged under its name too.
 */
import type { McpRequestRecord } from './mcp/request-record.js';
import type { ClientMemory } from './store/client-memory.js';
import type { Outcome, RequestLogEntry } from './store/log-entry.js';

function outcomeOf(record: McpRequestRecord): Outcome {
  switch (record.outcome) {
    case 'jsonrpc_error':
      return 'rpc_error';
    case 'http_error':
      return record.httpStatus === 401 ? 'auth_failed' : 'http_error';
    default:
      return record.outcome;
  }
}

export function toLogEntry(record: McpRequestRecord, clients: ClientMemory): RequestLogEntry {
  const userId = record.principal?.userId;
  let clientName = record.clientName;
  let clientVersion = record.clientVersion;
  if (userId && clientName) {
    clients.remember(userId, record.userAgent, {
      name: clientName,
      version: clientVersion ?? null,
      protocolVersion: record.protocolVersion ?? null,
    });
  } else if (userId) {
    const known = clients.recall(userId, record.userAgent);
    clientName = known?.name ?? undefined;
    clientVersion = known?.version ?? undefined;
  }
  return {
    time: record.time,
    address: record.address,
    userId,
    userName: record.principal?.name,
    auth: record.authKind,
    clientName,
    clientVersion,
    userAgent: record.userAgent,
    protocolVersion: record.protocolVersion,
    method: record.method,
    target: record.target,
    arguments: record.arguments,
    outcome: outcomeOf(record),
    httpStatus: record.httpStatus,
    errorCode: record.errorCode,
    error: record.error,
    latencyMs: record.latencyMs,
    responseBytes: record.responseBytes,
  };
}
