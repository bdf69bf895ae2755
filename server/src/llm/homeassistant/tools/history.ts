/**
 * The history integration's tools in HA's "Home Assistant" API, in HA's order: history__get_history.
 * Not built yet: none is offered until it answers as HA's does.
 */
import type { Tool } from '../../api.js';
import type { HaApiContext } from '../context.js';

export function historyTools(_ctx: HaApiContext): Tool[] {
  return [];
}
