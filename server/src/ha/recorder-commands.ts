/**
 * The recorder's long-term statistics, as HA's history tool reads them from inside (`recorder/websocket_api.py`):
 * which entities have statistics and of what kind, and their rows over a span. Neither command needs an
 * administrator.
 */
import type { MessageBase } from 'home-assistant-js-websocket';
import type { Send } from './commands.js';

/** A statistics period HA's recorder keeps or derives. */
export type StatisticsPeriod = '5minute' | 'hour' | 'day' | 'week' | 'month';
export type StatisticType = 'change' | 'max' | 'mean' | 'min';

/** One entry of `recorder/get_statistics_metadata` (only the fields read). */
export interface StatisticsMetadata {
  statistic_id: string;
  /** 0: no mean, 1: arithmetic, 2: circular (recorder's StatisticMeanType). */
  mean_type: number;
  has_sum: boolean;
  /** The unit the values come in when no unit is asked for (the entity's, where it converts). */
  display_unit_of_measurement: string | null;
}

/** One row of `recorder/statistics_during_period`; times in ms since the epoch. */
export interface StatisticsRow {
  start: number;
  end: number;
  mean?: number | null;
  min?: number | null;
  max?: number | null;
  change?: number | null;
}

export interface StatisticsQuery {
  /** ISO 8601 times; the recorder reads them with `dt_util.parse_datetime`. */
  startTime: string;
  endTime: string;
  statisticIds: string[];
  period: StatisticsPeriod;
  types: StatisticType[];
}

export const getStatisticsMetadataMessage = (statisticIds: string[]): MessageBase => ({
  type: 'recorder/get_statistics_metadata',
  statistic_ids: statisticIds,
});

/** Without `units`: values come in each statistic's display unit, as HA's tool asks with `units=None`. */
export const statisticsDuringPeriodMessage = (query: StatisticsQuery): MessageBase => ({
  type: 'recorder/statistics_during_period',
  start_time: query.startTime,
  end_time: query.endTime,
  statistic_ids: query.statisticIds,
  period: query.period,
  types: query.types,
});

export const getStatisticsMetadata = (send: Send, statisticIds: string[]) =>
  send<StatisticsMetadata[]>(getStatisticsMetadataMessage(statisticIds));

/** Rows by statistic id; ids without rows in the span are absent. */
export const statisticsDuringPeriod = (send: Send, query: StatisticsQuery) =>
  send<Record<string, StatisticsRow[]>>(statisticsDuringPeriodMessage(query));

/**
 * One statistic's summary over a span (`recorder/statistic_during_period`). It answers `{}` when the
 * recorder's database has no metadata for the statistic, which `get_statistics_metadata` cannot tell: that
 * one also lists what an integration will record at its next compile.
 */
export const statisticDuringPeriodMessage = (
  statisticId: string,
  startTime: string,
  endTime: string
): MessageBase => ({
  type: 'recorder/statistic_during_period',
  statistic_id: statisticId,
  types: ['change'],
  fixed_period: { start_time: startTime, end_time: endTime },
});

export const getStatisticDuringPeriod = (
  send: Send,
  statisticId: string,
  startTime: string,
  endTime: string
) =>
  send<Partial<Record<StatisticType, number | null>>>(
    statisticDuringPeriodMessage(statisticId, startTime, endTime)
  );
