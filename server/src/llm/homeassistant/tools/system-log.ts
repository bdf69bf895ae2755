/**
 * The system_log integration's tools in HA's "Home Assistant" API, in HA's order: system_log__get_entries, system_log__get_logs (when HA writes a log file and has no Supervisor).
 * Not built yet: none is offered until it answers as HA's does.
 */
import type { Tool } from '../../api.js';
import type { HaApiContext } from '../context.js';

export function systemLogTools(_ctx: HaApiContext): Tool[] {
  return [];
}
