/**
 * The homeassistant integration's tools in HA's "Home Assistant" API, in HA's order: homeassistant__render_template, homeassistant__search_actions, homeassistant__call_action.
 * Not built yet: none is offered until it answers as HA's does.
 */
import type { Tool } from '../../api.js';
import type { HaApiContext } from '../context.js';

export function homeassistantTools(_ctx: HaApiContext): Tool[] {
  return [];
}
