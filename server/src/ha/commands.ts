/**
 * The WebSocket commands the add-on sends, typed by what Home Assistant answers (in the style of
 * home-assistant-js-websocket's `lib/commands.ts`). Each takes a `Send` (command.ts): over the link main.ts
 * keeps, with its time limit and its errors (errors.ts).
 */
import type { MessageBase } from 'home-assistant-js-websocket';
import * as messages from './messages.js';
import type { HttpConfigAnswer } from './login-attempts.js';
import type { Area, CoreConfig, Device, Floor, RegistryEntry, ScriptService } from './types.js';

/**
 * Sends one message and resolves with HA's `result`, or fails with an HaAwayError / HaRefusedError; within
 * the sender's time limit, or `timeoutMs` for a command known to take longer (an action that runs a script).
 */
export type Send = <T>(message: MessageBase, timeoutMs?: number) => Promise<T>;

/** Who a token belongs to, as `auth/current_user` says. */
export interface CurrentUser {
  id: string;
  name: string;
  is_admin: boolean;
}

export const getConfig = (send: Send) => send<CoreConfig>(messages.getConfig());
export const getServices = (send: Send) =>
  send<Record<string, Record<string, ScriptService>>>(messages.getServices());
export const listAreas = (send: Send) => send<Area[]>(messages.listAreas());
export const listFloors = (send: Send) => send<Floor[]>(messages.listFloors());
export const listDevices = (send: Send) => send<Device[]>(messages.listDevices());
export const listEntityRegistry = (send: Send) =>
  send<{ entity_id: string }[]>(messages.listEntityRegistry());
export const getEntityRegistryEntries = (send: Send, entityIds: string[]) =>
  send<Record<string, RegistryEntry | null>>(messages.getEntityRegistryEntries(entityIds));
export const listExposedEntities = (send: Send) =>
  send<{ exposed_entities: Record<string, Record<string, boolean>> }>(messages.listExposedEntities());
export const exposeEntities = (send: Send, entityIds: string[], shouldExpose: boolean) =>
  send<unknown>(messages.exposeEntities(entityIds, shouldExpose));
export const getExposeNew = (send: Send) => send<{ expose_new?: unknown }>(messages.getExposeNew());
export const setExposeNew = (send: Send, exposeNew: boolean) =>
  send<unknown>(messages.setExposeNew(exposeNew));
export const currentUser = (send: Send) => send<CurrentUser>(messages.currentUser());
/** HA's users, as `config/auth/list` gives them (the admin API checks the shape with zod). */
export const listUsers = (send: Send) => send<unknown>(messages.listUsers());
/** HA's HTTP settings, ban threshold included (login-attempts.ts reads them). */
export const httpConfig = (send: Send) => send<HttpConfigAnswer>(messages.httpConfig());
