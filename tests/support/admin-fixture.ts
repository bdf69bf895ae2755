/**
 * The admin API's unit-test world: a small Home (two floors, three areas, five entities), a fake Home
 * Assistant answering the few WebSocket commands the API sends, a real request-log store in a temporary
 * directory, a registry with one small LLM API, and options kept in memory. `call()` sends a request as the
 * Supervisor's ingress proxy would (its peer address and user headers), or from any other peer.
 */
import { after } from 'node:test';
import { Hono } from 'hono';
import { createAdminApp } from '../../server/src/admin/app.js';
import type { AdminApiDeps } from '../../server/src/admin/api.js';
import { INGRESS_PROXY, type Mode } from '../../server/src/admin/access.js';
import type { OptionsStore } from '../../server/src/admin/options-store.js';
import type { HaUser } from '../../server/src/admin/users.js';
import type { MessageBase } from 'home-assistant-js-websocket';
import type { Send } from '../../server/src/ha/commands.js';
import { HaAwayError, HaRefusedError } from '../../server/src/ha/errors.js';
import { Home } from '../../server/src/ha/home.js';
import type { RegistryEntry } from '../../server/src/ha/types.js';
import type { LlmApi, Tool } from '../../server/src/llm/api.js';
import { ApiRegistry } from '../../server/src/llm/registry.js';
import { createLogger } from '../../server/src/log.js';
import { parseOptions, type Options } from '../../server/src/options.js';
import type { RequestLogEntry } from '../../server/src/store/log-entry.js';
import { openStore, type Store } from '../../server/src/store/store.js';
import { tempDirs } from './temp-dirs.js';
import { registryEntry as entry } from './registry-entry.js';
import { coreConfig } from './core-config.js';

export const quiet = createLogger('error', () => {});

export const USERS = {
  owner: { id: 'u-owner', name: 'owner', display: 'Olivia Owner', is_owner: true, group_ids: [] },
  admin: { id: 'u-admin', name: 'ada', display: 'Ada Admin', is_owner: false, group_ids: ['system-admin'] },
  guest: { id: 'u-guest', name: 'guest', display: 'Guest', is_owner: false, group_ids: ['system-users'] },
  retired: {
    id: 'u-retired',
    name: 'rita',
    display: 'Rita',
    is_owner: false,
    group_ids: ['system-admin'],
    is_active: false,
  },
} as const;
export type UserName = keyof typeof USERS;

const exposedTo = (should: boolean) => ({ conversation: { should_expose: should } });

/** A ready Home: lights in two areas, a sensor without an area, a lock without a registry entry. */
export function smallHome(): Home {
  const home = new Home();
  home.haVersion = '2026.11.0';
  home.applySnapshot({
    config: coreConfig({ location_name: 'Test Home' }),
    floors: [
      { floor_id: 'ground', name: 'Ground Floor', aliases: [], level: 0 },
      { floor_id: 'first', name: 'First Floor', aliases: [], level: 1 },
    ],
    areas: [
      { area_id: 'living', name: 'Living Room', aliases: ['lounge'], floor_id: 'ground' },
      { area_id: 'kitchen', name: 'Kitchen', aliases: [], floor_id: 'ground' },
      { area_id: 'bedroom', name: 'Bedroom', aliases: [], floor_id: 'first' },
    ],
    devices: [],
    registry: [
      entry('light.lamp', {
        original_name: 'Lamp',
        area_id: 'living',
        aliases: [null, 'Reading Lamp'],
        options: exposedTo(true),
      }),
      entry('light.kitchen', {
        original_name: 'Kitchen Light',
        area_id: 'kitchen',
        options: exposedTo(true),
      }),
      entry('switch.fan', { original_name: 'Bedroom Fan', area_id: 'bedroom', options: exposedTo(false) }),
      entry('sensor.temperature', {
        original_name: 'Temperature',
        options: exposedTo(true),
        original_device_class: 'temperature',
      }),
    ],
    exposed: ['lock.front_door'],
    exposeNew: true,
    scripts: {},
  });
  home.replaceStates({
    a: {
      'light.lamp': { s: 'on', a: { friendly_name: 'Lamp' } },
      'light.kitchen': { s: 'off', a: { friendly_name: 'Kitchen Light' } },
      'switch.fan': { s: 'off', a: { friendly_name: 'Bedroom Fan' } },
      'sensor.temperature': { s: '21', a: { friendly_name: 'Temperature', device_class: 'temperature' } },
      'lock.front_door': { s: 'locked', a: { friendly_name: 'Front Door' } },
    },
  });
  home.markReady();
  return home;
}

/** Home Assistant as far as the admin API talks to it over the WebSocket. */

/** HA's answer to a command it refuses, as command.ts turns it into an error. */
const refused = (command: string, code: string, message: string) =>
  new HaRefusedError(`Home Assistant refused ${command}: ${message}`, { command, code });

export class FakeHa {
  users: HaUser[] = Object.values(USERS).map((u) => ({
    id: u.id,
    name: u.display,
    username: u.name,
    is_owner: u.is_owner,
    is_active: 'is_active' in u ? u.is_active : true,
    group_ids: [...u.group_ids],
  }));
  exposeNew = true;
  /** The frontend data of the user the add-on's link is (`frontend/get_user_data`), by key. */
  userData: Record<string, unknown> = {};
  /** Set: every command fails as the link being down would. */
  down = false;
  /** Set: HA answers every command with this error. */
  refuse: { code: string; message: string } | undefined;
  readonly sent: MessageBase[] = [];

  readonly haCommand: Send = async <T>(message: MessageBase) => (await this.answer(message)) as T;

  private async answer(message: MessageBase): Promise<unknown> {
    this.sent.push(message);
    if (this.down) throw new HaAwayError();
    if (this.refuse) throw refused(message.type, this.refuse.code, this.refuse.message);
    switch (message.type) {
      case 'config/auth/list':
        return structuredClone(this.users);
      case 'homeassistant/expose_new_entities/get':
        return { expose_new: this.exposeNew };
      case 'homeassistant/expose_new_entities/set':
        this.exposeNew = message.expose_new as boolean;
        return null;
      case 'homeassistant/expose_entity':
        return null;
      case 'frontend/get_user_data':
        return { value: this.userData[message.key as string] ?? null };
    }
    throw refused(message.type, 'unknown_command', 'Unknown command.');
  }

  sentOf(type: string): MessageBase[] {
    return this.sent.filter((m) => m.type === type);
  }
}

const tool = (name: string, readOnly: boolean): Tool => ({
  name,
  description: name,
  inputSchema: { type: 'object', properties: {} },
  annotations: { readOnlyHint: readOnly },
  run: async () => ({ text: '' }),
});

/** An LLM API with one tool that reads and one that acts; it needs the Home, as the Assist API does. */
export function smallApi(home: Home): LlmApi {
  return {
    id: 'assist',
    name: 'Assist',
    instance() {
      home.require();
      return {
        tools: [tool('GetLiveContext', true), tool('HassTurnOn', false)],
        prompt: { name: 'Assist', description: '', text: '' },
        resources: [],
      };
    },
  };
}

/** A stand-in for the Home Assistant API: for administrators, one read-only tool. */
export function smallHomeAssistantApi(): LlmApi {
  return {
    id: 'homeassistant',
    name: 'Home Assistant',
    requiresAdmin: true,
    instance: () => ({
      tools: [tool('homeassistant__render_template', true)],
      prompt: { name: 'Home Assistant', description: '', text: '' },
      resources: [],
    }),
  };
}

/** Options in memory, as main.ts's callback would keep them. */
export function memoryOptions(initial: Partial<Options> = {}): OptionsStore & { saved: Options[] } {
  let options = parseOptions(initial, 'test');
  const saved: Options[] = [];
  return {
    saved,
    current: () => options,
    async save(next) {
      saved.push(next);
      options = next;
      return options;
    },
  };
}

const dirs = tempDirs('admin-api');

export function openTestStore(): Store {
  const store = openStore({
    dataDir: dirs(),
    options: { log_retention_days: 3650, log_max_rows: 1_000_000 },
    log: quiet,
    tuning: { retentionFirstMs: 3_600_000 },
  });
  after(() => store.close());
  return store;
}

/** Rows into the store, committed (and pushed to the live tail) before this returns. */
export function record(store: Store, entries: Partial<RequestLogEntry>[]): void {
  for (const over of entries) {
    store.requestLog.record({
      time: Date.now(),
      userId: 'u-owner',
      userName: 'owner',
      clientName: 'Claude',
      method: 'tools/call',
      target: 'HassTurnOn',
      arguments: { name: 'Lamp' },
      outcome: 'ok',
      latencyMs: 5,
      ...over,
    });
  }
  store.requestLog.flush();
}

export interface AdminWorld {
  app: Hono;
  home: Home;
  ha: FakeHa;
  store: Store;
  options: ReturnType<typeof memoryOptions>;
  registry: ApiRegistry;
  /** A request from the ingress proxy (or `peer`), as `user` (or nobody). */
  call(path: string, init?: CallInit): Promise<Response>;
}

export interface CallInit {
  method?: string;
  json?: unknown;
  body?: string;
  headers?: Record<string, string>;
  /** The connection's peer address; null for none at all. Default: the ingress proxy. */
  peer?: string | null;
  user?: UserName;
}

export interface WorldOptions {
  mode?: Mode;
  home?: Home;
  options?: ReturnType<typeof memoryOptions>;
  overrides?: Partial<Omit<AdminApiDeps, 'home'>>;
}

export function adminWorld(world: WorldOptions = {}): AdminWorld {
  const home = world.home ?? smallHome();
  const ha = new FakeHa();
  const store = openTestStore();
  const options = world.options ?? memoryOptions();
  const registry = new ApiRegistry(options.current, quiet)
    .register(smallApi(home))
    .register(smallHomeAssistantApi());
  const app = createAdminApp({
    home,
    api: {
      mode: world.mode ?? 'addon',
      haCommand: ha.haCommand,
      store,
      registry,
      options,
      mcp: { port: 9123 },
      log: quiet,
      ...world.overrides,
    },
  });
  return {
    app,
    home,
    ha,
    store,
    options,
    registry,
    call(path, init = {}) {
      const headers: Record<string, string> = { ...init.headers };
      if (init.user) {
        const user = USERS[init.user];
        headers['x-remote-user-id'] = user.id;
        headers['x-remote-user-name'] = user.name;
        headers['x-remote-user-display-name'] = user.display;
      }
      let body = init.body;
      if (init.json !== undefined) {
        headers['content-type'] ??= 'application/json';
        body = JSON.stringify(init.json);
      }
      const peer = init.peer === undefined ? INGRESS_PROXY : init.peer;
      const env = peer === null ? {} : { incoming: { socket: { remoteAddress: peer } } };
      return Promise.resolve(
        app.request(
          path,
          { method: init.method ?? (body === undefined ? 'GET' : 'POST'), headers, body },
          env
        )
      );
    },
  };
}
