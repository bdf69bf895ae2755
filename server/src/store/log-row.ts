/**
 * A request log entry as it is stored: each field cut to its column's type and length (so that binding a
 * row can never fail, whatever the caller passed), arguments redacted, and the clients a batch saw folded
 * into one upsert each.
 */
import type { LoggedRequest, RequestLogEntry } from './log-entry.js';
import { redactArguments } from './redact.js';

type Row = LoggedRequest;

function text(value: unknown, max: number): string | null {
  if (value === null || value === undefined) return null;
  try {
    const s = typeof value === 'string' ? value : String(value);
    return s.length > max ? s.slice(0, max) + '…' : s;
  } catch {
    return null;
  }
}

function integer(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? Math.trunc(value) : null;
}

/** The row as stored: every field bound to its column type and length, so a row can never fail to bind. */
export function toRow(entry: RequestLogEntry): Row {
  try {
    return {
      id: 0,
      time: integer(entry.time) ?? Date.now(),
      address: text(entry.address, 64),
      userId: text(entry.userId, 128),
      userName: text(entry.userName, 256),
      auth: text(entry.auth, 32) as Row['auth'],
      clientName: text(entry.clientName, 256),
      clientVersion: text(entry.clientVersion, 64),
      userAgent: text(entry.userAgent, 512),
      protocolVersion: text(entry.protocolVersion, 32),
      method: text(entry.method, 128),
      target: text(entry.target, 1024),
      arguments: redactArguments(entry.arguments),
      outcome: (text(entry.outcome, 32) ?? 'ok') as Row['outcome'],
      httpStatus: integer(entry.httpStatus),
      errorCode: integer(entry.errorCode),
      error: text(entry.error, 2048),
      latencyMs:
        typeof entry.latencyMs === 'number' && Number.isFinite(entry.latencyMs) ? entry.latencyMs : 0,
      responseBytes: integer(entry.responseBytes),
      approval: text(entry.approval, 16) as Row['approval'],
      approvalChannel: text(entry.approvalChannel, 16),
      approvalBy: text(entry.approvalBy, 256),
      approvalMs:
        typeof entry.approvalMs === 'number' && Number.isFinite(entry.approvalMs) ? entry.approvalMs : null,
    };
  } catch {
    // Not an entry at all (a caller's bug): keep a trace of the request rather than lose the batch.
    return { ...UNREADABLE, time: Date.now() };
  }
}

const UNREADABLE: Row = {
  id: 0,
  time: 0,
  address: null,
  userId: null,
  userName: null,
  auth: null,
  clientName: null,
  clientVersion: null,
  userAgent: null,
  protocolVersion: null,
  method: null,
  target: null,
  arguments: null,
  outcome: 'rpc_error',
  httpStatus: null,
  errorCode: null,
  error: 'unreadable request log entry',
  latencyMs: 0,
  responseBytes: null,
  approval: null,
  approvalChannel: null,
  approvalBy: null,
  approvalMs: null,
};

export interface ClientSeen {
  userId: string;
  name: string;
  version: string;
  userName: string | null;
  userAgent: string | null;
  firstSeen: number;
  lastSeen: number;
  calls: number;
  errors: number;
}

/** The batch folded per (user, client name, version), so the clients table gets one upsert per client. */
export function clientsSeen(rows: readonly Row[]): Iterable<ClientSeen> {
  const seen = new Map<string, ClientSeen>();
  for (const row of rows) {
    if (row.userId === null || row.clientName === null) continue;
    const version = row.clientVersion ?? '';
    const key = `${row.userId}\u0000${row.clientName}\u0000${version}`;
    let client = seen.get(key);
    if (!client) {
      client = {
        userId: row.userId,
        name: row.clientName,
        version,
        userName: row.userName,
        userAgent: row.userAgent,
        firstSeen: row.time,
        lastSeen: row.time,
        calls: 0,
        errors: 0,
      };
      seen.set(key, client);
    }
    client.calls++;
    if (row.outcome !== 'ok') client.errors++;
    client.firstSeen = Math.min(client.firstSeen, row.time);
    if (row.time >= client.lastSeen) {
      client.lastSeen = row.time;
      client.userName = row.userName ?? client.userName;
      client.userAgent = row.userAgent ?? client.userAgent;
    }
  }
  return seen.values();
}
