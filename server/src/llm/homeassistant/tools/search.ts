/**
 * The search integration's tools in HA's "Home Assistant" API, in HA's order: search__search.
 * Not built yet: none is offered until it answers as HA's does.
 */
import type { Tool } from '../../api.js';
import type { HaApiContext } from '../context.js';

export function searchTools(_ctx: HaApiContext): Tool[] {
  return [];
}
