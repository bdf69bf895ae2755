/**
 * The system_log integration's tools in HA's "Home Assistant" API, in HA's order: `system_log__get_entries`
 * (the in-memory system log, from `system_log/list`), then `system_log__get_logs` (HA's log file, from
 * `/api/error_log`) where HA offers it: when it writes a log file and has no Supervisor (on a Supervisor
 * install hassio__get_logs reads the logs instead).
 */
import { HaRefusedError } from '../../../ha/errors.js';
import { listSystemLog, readErrorLog, type SystemLogEntry } from '../../../ha/logs.js';
import type { Tool } from '../../api.js';
import { pythonJson } from '../../assist/python-json.js';
import { noteRefusal, sessionOf, type HaApiContext } from '../context.js';
import { CORE_LOG_SOURCES, GET_LOG_ENTRIES } from '../tool-parameters.js';
import { checkedTool, READS_ONLY } from './checked-tool.js';
import { readCoreLog } from './core-log.js';
import { getLogsTool, LogSourceError } from './get-logs.js';
import { utcIsoFromTimestamp } from './ha-time.js';
import { pythonStrip } from './python-text.js';

export function systemLogTools(ctx: HaApiContext): Tool[] {
  const loaded = new Set(ctx.home.require().config?.components ?? []);
  const tools = [getEntriesTool(ctx)];
  if (!loaded.has('hassio') && ctx.writesLogFile?.() !== false) tools.push(coreLogTool(ctx));
  return tools;
}

function getEntriesTool(ctx: HaApiContext): Tool {
  return checkedTool({
    name: 'system_log__get_entries',
    title: 'Get system log entries',
    description:
      'The latest errors and warnings Home Assistant logged, from its in-memory system log, which keeps ' +
      'only WARNING, ERROR and CRITICAL records (no DEBUG or INFO). Filter them by level, or by integration ' +
      'or logger name, and ask for the full exception tracebacks if needed.',
    annotations: READS_ONLY,
    parameters: GET_LOG_ENTRIES,
    async run(args, { principal }) {
      const { level, logger, limit, include_traceback } = args as {
        level?: string;
        logger?: string;
        limit: number;
        include_traceback: boolean;
      };
      const entries = await listSystemLog(sessionOf(ctx, principal).send);
      const result = filterEntries(entries, level, logger)
        .slice(0, limit)
        .map((entry) => formatEntry(entry, include_traceback));
      return { text: pythonJson({ result }) };
    },
  });
}

/** HA's `_filter_log_entries` (the limit aside): level equal, logger a substring of the name or the file. */
export function filterEntries(entries: SystemLogEntry[], level?: string, logger?: string): SystemLogEntry[] {
  const wanted = logger === undefined ? '' : pythonStrip(logger).toLowerCase();
  return entries.filter(
    (entry) =>
      (!level || entry.level.toLowerCase() === level) &&
      (!wanted ||
        entry.name.toLowerCase().includes(wanted) ||
        String((entry.source as unknown[])[0])
          .toLowerCase()
          .includes(wanted))
  );
}

/** HA's `_format_entry`: times as UTC ISO text, the traceback only when asked for and there is one. */
export function formatEntry(entry: SystemLogEntry, includeTraceback: boolean): Record<string, unknown> {
  return {
    name: entry.name,
    message: entry.message,
    level: entry.level,
    source: entry.source,
    count: entry.count,
    timestamp: utcIsoFromTimestamp(entry.timestamp),
    first_occurred: utcIsoFromTimestamp(entry.first_occurred),
    ...(includeTraceback && entry.exception && { exception: entry.exception }),
  };
}

/** `system_log__get_logs`: HA's log file, read over REST as the calling user. */
function coreLogTool(ctx: HaApiContext): Tool {
  return getLogsTool({
    name: 'system_log__get_logs',
    sources: CORE_LOG_SOURCES,
    defaults: ['core'],
    timeZone: () => ctx.home.require().config?.time_zone ?? 'UTC',
    reader: (principal) => async (_name, start) => {
      const url = await ctx.coreUrl();
      try {
        return await readCoreLog((range) => readErrorLog(url, principal.token, range), start);
      } catch (err) {
        // HA's tool could not open or read the file (OSError); here HA refused it (no file, no right).
        noteRefusal(ctx, principal.token, err);
        if (err instanceof HaRefusedError) throw new LogSourceError('Could not read the log file');
        throw err;
      }
    },
  });
}
