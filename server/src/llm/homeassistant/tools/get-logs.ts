/**
 * The get_logs tool HA's system_log and hassio integrations share (HA's `SystemLogGetLogsTool`, which
 * `SupervisorGetLogsTool` subclasses): the same parameters, time window and answer; only the tool's name,
 * its sources and how a source is read differ.
 */
import type { Principal } from '../../../ha/principals.js';
import type { Tool, ToolResult } from '../../api.js';
import { pythonJson } from '../../assist/python-json.js';
import { getLogsParameters, type LogSource } from '../tool-parameters.js';
import { checkedTool, READS_ONLY } from './checked-tool.js';
import { parseHaTime, type Instant } from './ha-time.js';
import { answerLogQuery, LEVELS, READ_LINES, type SourceRead } from './log-records.js';

/** A source could not be read: HA's HomeAssistantError, whose text goes into the answer's `errors`. */
export class LogSourceError extends Error {
  override name = 'LogSourceError';
}

/**
 * Reads the oldest lines (at most `lines`) of one source's log in the time window; throws LogSourceError
 * where HA's tool reports the source as unreadable.
 */
export type ReadLogSource = (
  name: string,
  start: Instant,
  end: Instant,
  lines: number
) => Promise<readonly string[]>;

export interface GetLogsTool {
  name: string;
  sources: readonly LogSource[];
  defaults: readonly string[];
  timeZone: () => string;
  /** How the calling user reads a source. */
  reader: (principal: Principal) => ReadLogSource;
}

const DEFAULT_SPAN: Instant = 15n * 60n * 1_000_000n;

export function getLogsTool(spec: GetLogsTool): Tool {
  return checkedTool({
    name: spec.name,
    title: 'Get logs',
    description:
      'Reads every record of the logs in a time window, DEBUG and INFO included, merged into one timeline: ' +
      'oldest first, in local time, from start_time on. For a summary of the errors and warnings of Home ' +
      'Assistant, call system_log__get_entries first; use this tool to see what happened around a moment or ' +
      'to trace the cause of an error. The middle of a long message is cut, and values that look like ' +
      'credentials are masked. An answer with next_start_time ends just before that time: call again with ' +
      'it as start_time for the records after.',
    annotations: READS_ONLY,
    parameters: getLogsParameters(spec.sources, spec.defaults),
    run: (args, { principal }) =>
      queryLogs(args, {
        defaults: spec.defaults,
        timeZone: spec.timeZone(),
        now: BigInt(Date.now()) * 1000n,
        read: spec.reader(principal),
      }),
  });
}

const failure = (error: string): ToolResult => ({ text: pythonJson({ error }), isError: true });

/** HA's `async_call` of get_logs on arguments its schema accepted. */
export async function queryLogs(
  args: Record<string, unknown>,
  context: { defaults: readonly string[]; timeZone: string; now: Instant; read: ReadLogSource }
): Promise<ToolResult> {
  const { timeZone } = context;
  const end = typeof args.end_time === 'string' ? parseHaTime(args.end_time, timeZone) : context.now;
  if (end === undefined) return failure('Invalid end_time');
  const start =
    typeof args.start_time === 'string' ? parseHaTime(args.start_time, timeZone) : end - DEFAULT_SPAN;
  if (start === undefined) return failure('Invalid start_time');
  if (start > end) return failure('start_time must not be after end_time');

  const names = (args.source as string[] | undefined) ?? context.defaults;
  const settled = await Promise.allSettled(names.map((name) => context.read(name, start, end, READ_LINES)));
  const reads: SourceRead[] = settled.map((result, index) => {
    const name = names[index]!;
    if (result.status === 'fulfilled') return { name, lines: result.value };
    // Anything but a source's own failure fails the call, as in HA.
    if (result.reason instanceof LogSourceError) return { name, error: result.reason.message };
    throw result.reason;
  });
  const data = answerLogQuery(reads, {
    start,
    end,
    ...(typeof args.level === 'string' && { minLevel: LEVELS[args.level.toUpperCase()] }),
    contains: typeof args.contains === 'string' ? args.contains.toLowerCase() : '',
    limit: args.limit as number,
    timeZone,
  });
  return { text: pythonJson(data) };
}
