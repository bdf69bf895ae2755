/**
 * The hassio integration's tools in HA's "Home Assistant" API (Supervisor installs): `hassio__get_logs`,
 * get_logs over the Supervisor's logs (core, supervisor, host, dns, audio, multicast and each installed app),
 * read as the calling user through HA's own Supervisor proxy, `/api/hassio/<source>/logs`.
 *
 * Not checked against a real Supervisor: written from HA's hassio/llm.py and the proxy's code, and tested
 * against a stand-in.
 */
import { HaError } from '../../../ha/errors.js';
import { listApps, readSupervisorLog, type SupervisorApp } from '../../../ha/logs.js';
import type { Tool } from '../../api.js';
import { sessionOf, type HaApiContext } from '../context.js';
import { SUPERVISOR_DEFAULT_LOG_SOURCES, supervisorLogSources } from '../tool-parameters.js';
import { getLogsTool, LogSourceError, type ReadLogSource } from './get-logs.js';
import type { Instant } from './ha-time.js';
import { pythonSplitLines } from './log-records.js';

const APP_PREFIX = 'app:';
/** Core's and the Supervisor's lines carry their own timestamp and level; the journal adds them to others. */
const PLAIN_SOURCES = ['core', 'supervisor'];
/** HA's own Supervisor client gives up after 10 s (`send_command`'s default). */
const TIMEOUT_MS = 10_000;

/**
 * The installed apps last seen, per API context. HA builds the tool from its own list of apps, refreshed by
 * its coordinator; here a call refreshes it (as its caller), and the tool list shows the apps it last saw.
 */
const knownApps = new WeakMap<HaApiContext, readonly SupervisorApp[]>();

export function hassioTools(ctx: HaApiContext): Tool[] {
  const listed = supervisorLogsTool(ctx, knownApps.get(ctx) ?? []);
  return [
    {
      ...listed,
      async run(args, context) {
        const apps = await listApps(sessionOf(ctx, context.principal).send).catch(() => undefined);
        if (apps) knownApps.set(ctx, apps);
        return supervisorLogsTool(ctx, apps ?? knownApps.get(ctx) ?? []).run(args, context);
      },
    },
  ];
}

function supervisorLogsTool(ctx: HaApiContext, apps: readonly SupervisorApp[]): Tool {
  return getLogsTool({
    name: 'hassio__get_logs',
    sources: supervisorLogSources(apps),
    defaults: SUPERVISOR_DEFAULT_LOG_SOURCES,
    timeZone: () => ctx.home.require().config?.time_zone ?? 'UTC',
    reader: (principal) => supervisorReader(ctx.coreUrl, principal.token, ctx.onRefused),
  });
}

/** HA's `SupervisorGetLogsTool.async_read_source`, through HA's proxy instead of its own client. */
/** @param onRefused told when HA refuses the user's token itself (401: revoked since it was accepted) */
export function supervisorReader(
  coreUrl: () => Promise<string>,
  token: string,
  onRefused?: (token: string) => void
): ReadLogSource {
  return async (source, start, end, lines) => {
    const path = source.startsWith(APP_PREFIX)
      ? `/addons/${source.slice(APP_PREFIX.length)}/logs`
      : `/${source}/logs`;
    try {
      const answer = await readSupervisorLog(await coreUrl(), token, {
        path,
        // Verbose adds the time and the process to each line.
        params: { format: PLAIN_SOURCES.includes(source) ? 'plain' : 'verbose', no_colors: '' },
        // The journal has lines it received after the record was made: read to the next second, the rest is
        // filtered out later.
        range: `realtime=${journalTime(start)}:${floorSeconds(end) + 1n}:${lines}`,
        timeoutMs: TIMEOUT_MS,
      });
      if (answer.status === 401) onRefused?.(token);
      // HA's client takes 200 only.
      if (answer.status !== 200) throw new LogSourceError(`Could not read the ${source} log`);
      return pythonSplitLines(answer.text);
    } catch (err) {
      // Every way HA's client can fail (an error status, no answer, a timeout) is HassioAPIError there.
      if (err instanceof HaError) throw new LogSourceError(`Could not read the ${source} log`);
      throw err;
    }
  };
}

const floorSeconds = (instant: Instant): bigint =>
  instant < 0n ? -((-instant + 999_999n) / 1_000_000n) : instant / 1_000_000n;

/** HA's `_journal_time`: seconds with six decimals, so the next page can start within a busy second. */
export function journalTime(instant: Instant): string {
  const seconds = floorSeconds(instant);
  return `${seconds}.${String(instant - seconds * 1_000_000n).padStart(6, '0')}`;
}
