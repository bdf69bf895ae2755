/**
 * The history integration's tool in HA's "Home Assistant" API: `history__get_history`, the long-term
 * statistics of entities as CSV, as HA's history tool gives them (components/history/llm.py). From outside, as
 * the calling user: `recorder/get_statistics_metadata` says which entities have statistics and of what kind,
 * `recorder/statistics_during_period` gives the rows, with the span, period and fallbacks HA's tool uses, and
 * `recorder/statistic_during_period` tells, for an entity without rows, whether its metadata is in the
 * database yet (HA's tool reads only the database).
 */
import {
  getStatisticDuringPeriod,
  getStatisticsMetadata,
  statisticsDuringPeriod,
  type StatisticsPeriod,
  type StatisticsRow,
  type StatisticType,
} from '../../../ha/recorder-commands.js';
import type { Send } from '../../../ha/commands.js';
import type { Tool, ToolResult } from '../../api.js';
import { pythonJson } from '../../assist/python-json.js';
import { sessionOf, type HaApiContext } from '../context.js';
import { checkedTool, READS_ONLY } from './checked-tool.js';
import { GET_HISTORY } from '../tool-parameters.js';
import { localIsoMs, parseHaTime, type Instant } from './ha-time.js';
import { formatG6, pythonCsv } from './statistics-csv.js';

const SECOND = 1_000_000n;
const MINUTE = 60n * SECOND;
const HOUR = 60n * MINUTE;
const DAY = 24n * HOUR;

/** The shortest length of each period, which bounds how many rows a span gives. */
const PERIOD_LENGTH: Record<StatisticsPeriod, bigint> = {
  '5minute': 5n * MINUTE,
  hour: HOUR,
  day: DAY,
  week: 7n * DAY,
  month: 28n * DAY,
};
const MAX_ROWS = 500n;
/** The longest span each period is chosen for when none is asked for; longer spans get months. */
const AUTO_PERIODS: [bigint, StatisticsPeriod][] = [
  [6n * HOUR, '5minute'],
  [2n * DAY, 'hour'],
  [62n * DAY, 'day'],
  [366n * DAY, 'week'],
];
/**
 * How long the recorder keeps 5-minute statistics: its `purge_keep_days`, which no API tells. HA's default
 * is assumed; where a home keeps fewer days, a short span further back gets 5-minute rows here where HA
 * would pick hours (and the per-entity hourly fallback then marks the entities instead).
 */
const ASSUMED_KEEP_DAYS = 10n;
const NO_STATISTICS = 'No statistics are recorded for this entity.';

interface HistoryArguments {
  entity_ids: string[];
  start_time?: string;
  end_time?: string;
  period?: StatisticsPeriod;
}

/** What to fetch, once the arguments are read as HA reads them. */
export interface HistoryPlan {
  start: Instant;
  end: Instant;
  period: StatisticsPeriod;
  /** Whether entities without rows are asked again by the hour (the period was chosen, and is 5minute). */
  hourlyFallback: boolean;
}

/** The span and period HA's tool would query, or the error it answers with. */
export function planHistory(
  args: Omit<HistoryArguments, 'entity_ids'>,
  now: Instant,
  timeZone: string
): HistoryPlan | { error: string } {
  const end = args.end_time === undefined ? now : parseHaTime(args.end_time, timeZone);
  if (end === undefined) return { error: 'Invalid end_time' };
  const start = args.start_time === undefined ? end - DAY : parseHaTime(args.start_time, timeZone);
  if (start === undefined) return { error: 'Invalid start_time' };
  if (start >= end) return { error: 'start_time must be before end_time' };
  const span = end - start;
  const shortTermKept = start >= now - ASSUMED_KEEP_DAYS * DAY;
  const period =
    args.period ??
    AUTO_PERIODS.find(([max, p]) => span <= max && (p !== '5minute' || shortTermKept))?.[1] ??
    'month';
  // HA divides the spans as floats; at these magnitudes that agrees with this exact comparison.
  if (span > MAX_ROWS * PERIOD_LENGTH[period]) {
    return {
      error: `The time span has more than ${MAX_ROWS} ${period} rows. Use a longer period or a shorter time span.`,
    };
  }
  return { start, end, period, hourlyFallback: args.period === undefined && period === '5minute' };
}

/** `datetime.isoformat()` in UTC with its microseconds, which the recorder's commands read back exactly. */
function utcIso(instant: Instant): string {
  const seconds = instant / SECOND - (instant % SECOND < 0n ? 1n : 0n);
  const micro = String(instant - seconds * SECOND).padStart(6, '0');
  return `${new Date(Number(seconds) * 1000).toISOString().slice(0, 19)}.${micro}+00:00`;
}

/** `as_local(utc_from_timestamp(t)).isoformat(timespec="seconds")` of a row's start (ms since the epoch). */
const localIsoSeconds = (ms: number, timeZone: string): string =>
  localIsoMs(BigInt(ms) * 1000n, timeZone).replace(/\.\d{3}(?=[+-])/, '');

/** The columns of an entity's CSV, by the kind of statistics it has. */
function columnsOf(meanType: number, hasSum: boolean): StatisticType[] {
  const columns: StatisticType[] = meanType === 1 ? ['mean', 'min', 'max'] : meanType === 2 ? ['mean'] : [];
  if (hasSum) columns.push('change');
  return columns;
}

/** HA's result for the entities over the planned span: per entity a unit, maybe a period, and the CSV. */
async function readStatistics(
  send: Send,
  entityIds: string[],
  plan: HistoryPlan,
  timeZone: string
): Promise<Record<string, unknown>> {
  const wanted = new Set(entityIds);
  const metadata = (await getStatisticsMetadata(send, [...wanted])).filter((m) => wanted.has(m.statistic_id));
  const columns = new Map(metadata.map((m) => [m.statistic_id, columnsOf(m.mean_type, m.has_sum)]));
  const units = new Map(metadata.map((m) => [m.statistic_id, m.display_unit_of_measurement]));
  const types = [...new Set([...columns.values()].flat())];
  const startTime = utcIso(plan.start);
  // The recorder widens the end to the next period boundary: one microsecond less keeps the period that
  // starts at the end out.
  const endTime = utcIso(plan.end - 1n);
  const query = (period: StatisticsPeriod, statisticIds: string[]) =>
    statisticsDuringPeriod(send, { startTime, endTime, statisticIds, period, types });

  let rows: Record<string, StatisticsRow[]> = {};
  const hourly = new Set<string>();
  if (columns.size) {
    rows = await query(plan.period, [...columns.keys()]);
    // Some statistics, such as imported ones, only have hourly rows.
    const missing = [...columns.keys()].filter((id) => !rows[id]?.length);
    if (plan.hourlyFallback && missing.length) {
      const hourlyRows = await query('hour', missing);
      for (const [id, found] of Object.entries(hourlyRows)) {
        if (!found.length) continue;
        hourly.add(id);
        rows[id] = found;
      }
    }
    // HA reads metadata from its database only; the metadata command also lists what an integration will
    // record at its next compile. For an entity without rows, the database has its metadata if the
    // recorder can summarise it at all.
    await Promise.all(
      [...columns.keys()]
        .filter((id) => !rows[id]?.length)
        .map(async (id) => {
          const summary = await getStatisticDuringPeriod(send, id, startTime, endTime);
          if (!Object.keys(summary).length) columns.delete(id);
        })
    );
  }

  const entities: Record<string, unknown> = {};
  for (const entityId of entityIds) {
    const entityColumns = columns.get(entityId);
    if (!entityColumns) {
      entities[entityId] = { error: NO_STATISTICS };
      continue;
    }
    const entry: Record<string, unknown> = {};
    const unit = units.get(entityId);
    if (unit) entry.unit = unit;
    if (hourly.has(entityId)) entry.period = 'hour';
    entry.csv = pythonCsv([
      ['start', ...entityColumns],
      ...(rows[entityId] ?? []).map((row) => [
        localIsoSeconds(row.start, timeZone),
        ...entityColumns.map((column) => formatG6(row[column])),
      ]),
    ]);
    entities[entityId] = entry;
  }
  return { period: plan.period, entities };
}

export function historyTools(ctx: HaApiContext): Tool[] {
  return [
    checkedTool({
      name: 'history__get_history',
      title: 'Get history',
      description:
        'Read the long-term statistics of entities as CSV, one row per period, with start times in local ' +
        'ISO 8601. For questions about earlier values and how a value changed over time. A row holds, for ' +
        'example, the mean, min and max of a temperature, or how much an energy meter changed. Only ' +
        'entities with numeric statistics have them (sensors with a state class); they cover finished ' +
        'recording periods, though a day, week or month may still be running. Values are in the ' +
        "entity's unit where they can be converted, as 'unit' says. An entity with its own 'period' has " +
        "rows of that length instead of the result's.",
      parameters: GET_HISTORY,
      annotations: READS_ONLY,
      async run(args, { principal }): Promise<ToolResult> {
        const value = args as unknown as HistoryArguments;
        const timeZone = ctx.home.require().config?.time_zone ?? 'UTC';
        const plan = planHistory(value, BigInt(Date.now()) * 1000n, timeZone);
        if ('error' in plan) return { text: pythonJson({ error: plan.error }), isError: true };
        const send = sessionOf(ctx, principal).send;
        const result = await readStatistics(send, value.entity_ids, plan, timeZone);
        return { text: pythonJson({ result }) };
      },
    }),
  ];
}
