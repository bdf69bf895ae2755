/** The Overview's charts: requests over time (GET /usage/series), and the busiest tools and clients. */
import { api, query } from './api';
import type {
  ClientsAnswer,
  RangeQuery,
  SeriesAnswer,
  SeriesRange,
  ToolsUsageAnswer,
} from '../../../server/src/admin/contract';

export type { SeriesAnswer, SeriesBucketRow, SeriesRange } from '../../../server/src/admin/contract';

export const fetchSeries = (range: SeriesRange) => api<SeriesAnswer>(`/usage/series${query({ range })}`);

/** The same time range as the series, so the busiest lists and the bars count the same requests. */
const rangeOf = (series: SeriesAnswer): RangeQuery => ({ from: String(series.from), to: String(series.to) });

export const fetchToolsUsage = (series: SeriesAnswer) =>
  api<ToolsUsageAnswer>(`/tools-usage${query(rangeOf(series))}`);

export const fetchClientsUsage = (series: SeriesAnswer) =>
  api<ClientsAnswer>(`/clients${query(rangeOf(series))}`);
