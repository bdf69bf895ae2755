/**
 * Every WebSocket message the add-on sends to Home Assistant, one builder each, named after HA's command
 * (in the style of home-assistant-js-websocket's `lib/messages.ts`). commands.ts sends them, typed; nothing
 * else writes a message by hand.
 */
import type { MessageBase } from 'home-assistant-js-websocket';
import { ASSISTANT } from './exposure.js';

export const getConfig = (): MessageBase => ({ type: 'get_config' });
export const getServices = (): MessageBase => ({ type: 'get_services' });
export const listAreas = (): MessageBase => ({ type: 'config/area_registry/list' });
export const listFloors = (): MessageBase => ({ type: 'config/floor_registry/list' });
export const listDevices = (): MessageBase => ({ type: 'config/device_registry/list' });
export const listEntityRegistry = (): MessageBase => ({ type: 'config/entity_registry/list' });
export const getEntityRegistryEntries = (entityIds: string[]): MessageBase => ({
  type: 'config/entity_registry/get_entries',
  entity_ids: entityIds,
});
export const listExposedEntities = (): MessageBase => ({ type: 'homeassistant/expose_entity/list' });
export const exposeEntities = (entityIds: string[], shouldExpose: boolean): MessageBase => ({
  type: 'homeassistant/expose_entity',
  assistants: [ASSISTANT],
  entity_ids: entityIds,
  should_expose: shouldExpose,
});
export const getExposeNew = (): MessageBase => ({
  type: 'homeassistant/expose_new_entities/get',
  assistant: ASSISTANT,
});
export const setExposeNew = (exposeNew: boolean): MessageBase => ({
  type: 'homeassistant/expose_new_entities/set',
  assistant: ASSISTANT,
  expose_new: exposeNew,
});
export const currentUser = (): MessageBase => ({ type: 'auth/current_user' });
export const listUsers = (): MessageBase => ({ type: 'config/auth/list' });
export const httpConfig = (): MessageBase => ({ type: 'http/config' });
export const subscribeEntities = (): MessageBase => ({ type: 'subscribe_entities' });
