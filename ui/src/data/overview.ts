/** GET /overview: the link to HA, where clients connect, what they are offered, the last day's traffic. */
import { api } from './api';

export interface McpUrl {
  kind: 'external' | 'panel' | 'local';
  url: string;
}

export interface Overview {
  version: string;
  mode: 'addon' | 'standalone';
  home: { status: 'connecting' | 'ready' | 'stale'; haVersion: string | null; locationName: string | null };
  /** `port` is the host port clients use (the published one in an add-on); no URLs when it is not published. */
  mcp: { port: number; urls: McpUrl[] };
  /** Each part is null while its source (HA, the request log) is away. */
  entities: { total: number; exposed: number } | null;
  tools: string[] | null;
  requests: { from: number; calls: number; errors: number } | null;
  /** Who is looking; isAdmin null when HA cannot say (then the panel is read-only). */
  user: { id: string | null; name: string | null; displayName: string | null; isAdmin: boolean | null };
}

export const fetchOverview = () => api<Overview>('/overview');
