/** GET /overview: the link to HA, where clients connect, what they are offered, the last day's traffic. */
import { api } from './api';
import type { OverviewAnswer } from '../../../server/src/admin/contract';

export type { McpUrl, OverviewAnswer } from '../../../server/src/admin/contract';

export const fetchOverview = () => api<OverviewAnswer>('/overview');
