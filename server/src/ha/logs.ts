/**
 * Home Assistant's logs as the calling user: the system log's records (WebSocket `system_log/list`), HA's log
 * file in byte ranges (REST `GET /api/error_log`, there only when HA writes one), and the Supervisor's logs
 * through HA's own proxy (REST `GET /api/hassio/<source>/logs`) with the list of installed apps (WebSocket
 * `supervisor/api`). All of them are for administrators.
 *
 * The file and the Supervisor's logs need request headers (`Range`) and the file's raw bytes, which haHttp
 * does not offer: the calls go through haHttp (its time limit and its two kinds of failure) with a fetch that
 * adds the headers and keeps the answer.
 */
import type { MessageBase } from 'home-assistant-js-websocket';
import type { Send } from './commands.js';
import { HaRefusedError } from './errors.js';
import { haHttp } from './http.js';

// ---- WebSocket ---------------------------------------------------------------------------------------------

/** One record of the system log, as `system_log/list` sends it (LogEntry.to_dict()). */
export interface SystemLogEntry {
  name: string;
  message: string[];
  level: string;
  /** [path, line number] */
  source: unknown;
  /** Seconds since 1970, as Python floats. */
  timestamp: number;
  first_occurred: number;
  exception: string;
  count: number;
}

/** An installed app (add-on), as the Supervisor lists it. */
export interface SupervisorApp {
  slug: string;
  name: string;
}

export const listSystemLogMessage = (): MessageBase => ({ type: 'system_log/list' });
/** The Supervisor's `GET /addons` through HA (`supervisor/api`, administrators only). */
export const listAppsMessage = (): MessageBase => ({
  type: 'supervisor/api',
  endpoint: '/addons',
  method: 'get',
});

/** The system log's records, newest first. */
export const listSystemLog = (send: Send) => send<SystemLogEntry[]>(listSystemLogMessage());
/** The installed apps, in the Supervisor's order. */
export const listApps = async (send: Send): Promise<SupervisorApp[]> =>
  (await send<{ addons?: SupervisorApp[] }>(listAppsMessage())).addons ?? [];

// ---- REST --------------------------------------------------------------------------------------------------

interface Kept {
  status: number;
  headers: Headers;
  bytes: Uint8Array;
}

/**
 * A fetch for haHttp that sends extra headers and keeps the answer's status, headers and bytes; haHttp is
 * given the body only when it failed (for its message).
 */
function keeping(headers: Record<string, string>, keep: (answer: Kept) => void): typeof fetch {
  return async (input, init) => {
    const res = await fetch(input, {
      ...init,
      headers: { ...(init?.headers as Record<string, string>), ...headers },
    });
    const bytes = new Uint8Array(await res.arrayBuffer());
    keep({ status: res.status, headers: res.headers, bytes });
    return new Response(res.ok ? null : bytes, { status: res.status, headers: res.headers });
  };
}

/** A piece of HA's log file. */
export interface ErrorLogPart {
  bytes: Uint8Array;
  /** The file's size when the piece was read. */
  size: number;
}

/**
 * Bytes `from` to `to` (inclusive) of HA's log file, or the whole file without a range; undefined when the
 * range starts past the end (HA answers 416). Uncompressed, so that HA does not compress the file per call.
 * Throws HaRefusedError with status 404 when HA writes no log file.
 */
export async function readErrorLog(
  coreUrl: string,
  token: string,
  range?: { from: number; to: number }
): Promise<ErrorLogPart | undefined> {
  let kept: Kept | undefined;
  // With a Range header fetch itself asks for no compression (the Fetch standard appends identity).
  const headers: Record<string, string> = range
    ? { range: `bytes=${range.from}-${range.to}` }
    : { 'Accept-Encoding': 'identity' };
  try {
    await haHttp(`${coreUrl}/api/error_log`, { token, fetch: keeping(headers, (k) => (kept = k)) });
  } catch (err) {
    if (err instanceof HaRefusedError && err.refusal.status === 416) return undefined;
    throw err;
  }
  const { status, headers: answer, bytes } = kept!;
  // 206 says which part of how much: "bytes 0-1023/52133"; 200 is the whole file.
  const total = status === 206 ? Number(/\/(\d+)$/.exec(answer.get('content-range') ?? '')?.[1]) : NaN;
  return { bytes, size: Number.isFinite(total) ? total : bytes.length };
}

/** Whether HA writes a log file: `/api/error_log` exists only then (one byte is asked for, not the file). */
export async function hasErrorLog(coreUrl: string, token: string): Promise<boolean> {
  try {
    await readErrorLog(coreUrl, token, { from: 0, to: 0 });
    return true;
  } catch (err) {
    if (err instanceof HaRefusedError && err.refusal.status === 404) return false;
    throw err;
  }
}

/**
 * Whether HA writes a log file, as last found out: undefined until the first answer. Asks again in the
 * background once the answer is older than `maxAgeMs` (the answer changes only when HA restarts).
 */
export function errorLogProbe(
  coreUrl: () => Promise<string>,
  token: string,
  maxAgeMs = 60_000
): () => boolean | undefined {
  let known: boolean | undefined;
  let askedAt = -Infinity;
  return () => {
    if (Date.now() - askedAt > maxAgeMs) {
      askedAt = Date.now();
      coreUrl()
        .then((url) => hasErrorLog(url, token))
        .then(
          (answer) => (known = answer),
          () => (askedAt = -Infinity)
        );
    }
    return known;
  };
}

/** A Supervisor log through HA's proxy: its status and text (HA's own client wants 200 exactly). */
export async function readSupervisorLog(
  coreUrl: string,
  token: string,
  request: { path: string; params: Record<string, string>; range: string; timeoutMs: number }
): Promise<{ status: number; text: string }> {
  let kept: Kept | undefined;
  const query = new URLSearchParams(request.params).toString();
  await haHttp(`${coreUrl}/api/hassio${request.path}?${query}`, {
    token,
    timeoutMs: request.timeoutMs,
    who: 'the Supervisor through Home Assistant',
    fetch: keeping({ range: request.range }, (k) => (kept = k)),
  });
  return { status: kept!.status, text: new TextDecoder().decode(kept!.bytes) };
}
