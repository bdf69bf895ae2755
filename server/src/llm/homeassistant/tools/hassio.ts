/**
 * The hassio integration's tools in HA's "Home Assistant" API, in HA's order: hassio__get_logs (Supervisor installs).
 * Not built yet: none is offered until it answers as HA's does.
 */
import type { Tool } from '../../api.js';
import type { HaApiContext } from '../context.js';

export function hassioTools(_ctx: HaApiContext): Tool[] {
  return [];
}
