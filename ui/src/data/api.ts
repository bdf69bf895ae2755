/**
 * The admin API (server/src/admin/, docs/decisions/006-admin-api.md), typed at the boundary. Every URL is
 * relative: the panel lives under an ingress path that changes per installation.
 */

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** The option or parameter the message is about, when the server names one. */
    readonly field?: string
  ) {
    super(message);
  }
}

const BASE = './api/admin';

export async function api<T>(path: string, init: { method?: string; json?: unknown } = {}): Promise<T> {
  let res: Response;
  try {
    res = await fetch(`${BASE}${path}`, {
      method: init.method ?? (init.json === undefined ? 'GET' : 'POST'),
      headers: {
        accept: 'application/json',
        ...(init.json !== undefined && { 'content-type': 'application/json' }),
      },
      ...(init.json !== undefined && { body: JSON.stringify(init.json) }),
    });
  } catch {
    throw new ApiError(0, 'The add-on did not answer. Is it running?');
  }
  const text = await res.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  if (!res.ok) {
    const { error, field } = (body ?? {}) as { error?: string; field?: string };
    throw new ApiError(res.status, error ?? `HTTP ${res.status}`, field);
  }
  return body as T;
}

/** `?a=1&b=2` for the parameters that have a value (or nothing). */
export function query(params: Record<string, string | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value) search.set(key, value);
  const text = search.toString();
  return text ? `?${text}` : '';
}

/** A URL for a download or an event stream, with the query the API takes. */
export function apiUrl(path: string, params: Record<string, string | undefined> = {}): string {
  return `${BASE}${path}${query(params)}`;
}

export interface Overview {
  version: string;
  mode: 'addon' | 'standalone';
  home: { status: 'connecting' | 'ready' | 'stale'; haVersion: string | null; locationName: string | null };
  mcp: { port: number; urls: { kind: 'external' | 'panel' | 'local'; url: string }[] };
  entities: { total: number; exposed: number } | null;
  tools: string[] | null;
  requests: { from: number; calls: number; errors: number } | null;
  user: { id: string | null; name: string | null; displayName: string | null; isAdmin: boolean | null };
}

export interface Options {
  control_home_assistant: boolean;
  llm_apis: string[];
  tool_naming: 'auto' | 'bare' | 'prefixed';
  external_url?: string;
  log_retention_days: number;
  log_max_rows: number;
  log_level: 'debug' | 'info' | 'warning' | 'error';
}

export interface Settings {
  options: Options;
  apis: { id: string; name: string }[];
  mode: 'addon' | 'standalone';
}

export interface EntityRow {
  entity_id: string;
  name: string;
  aliases: string[];
  domain: string;
  area: { id: string; name: string } | null;
  floor: { id: string; name: string } | null;
  exposed: boolean;
}

export interface EntityListing {
  entities: EntityRow[];
  facets: {
    domains: { id: string; count: number }[];
    areas: { id: string; name: string; floor: string | null; count: number }[];
  };
  counts: { total: number; exposed: number; matching: number };
  expose_new: boolean;
}

// The request log's row, as the server's store defines it (a file of plain types and constants).
export { OUTCOMES, type LoggedRequest, type Outcome } from '../../../server/src/store/log-entry';
import type { LoggedRequest } from '../../../server/src/store/log-entry';

export interface LogPage {
  rows: LoggedRequest[];
  next: string | null;
}

export interface ClientRow {
  userId: string | null;
  userName: string | null;
  name: string | null;
  version: string | null;
  userAgent: string | null;
  firstSeen: number | null;
  lastSeen: number;
  total: { calls: number; errors: number } | null;
  range: { calls: number; errors: number; lastSeen: number; p50Ms: number; p95Ms: number } | null;
}

export interface ConnectionCheck {
  name: string;
  ok: boolean;
  detail: string;
}

export interface ConnectionTest {
  url: string;
  ok: boolean;
  checks: ConnectionCheck[];
}

export interface GrantRow {
  id: string;
  clientId: string;
  clientName: string | null;
  userId: string;
  userName: string;
  readOnly: boolean;
  created: number;
  lastUsed: number | null;
}
