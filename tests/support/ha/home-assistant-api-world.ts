/**
 * What the tests of the Home Assistant API share: the test HA, its live model, sessions as the caller, the
 * administrator's principal and the API as main.ts builds it (the shared date and time tool included).
 */
import assert from 'node:assert/strict';
import { haTokenValidator, Principals, type Principal } from '../../../server/src/ha/principals.js';
import { userSessions, type UserSessions } from '../../../server/src/ha/user-sessions.js';
import type { LlmApi, Tool } from '../../../server/src/llm/api.js';
import { dateTimeTool } from '../../../server/src/llm/assist/tools.js';
import {
  createHomeAssistantApi,
  type HomeAssistantApiDeps,
} from '../../../server/src/llm/homeassistant/api.js';
import { testHa, type TestHaInfo } from './fixture.js';
import { liveHome, type LiveHome } from './live-home.js';

export interface HomeAssistantApiWorld {
  ha: TestHaInfo;
  live: LiveHome;
  sessions: UserSessions;
  admin: Principal;
  /** A plain user's principal. */
  user: Principal;
  api: LlmApi;
  /** The tools the administrator is offered now (only those whose name starts with `prefix`). */
  tools(prefix?: string): Tool[];
  close(): void;
}

/** @param extra what a test adds to the API's dependencies, made from the test HA */
export async function homeAssistantApiWorld(
  extra: (ha: TestHaInfo) => Partial<Pick<HomeAssistantApiDeps, 'writesLogFile'>> = () => ({})
): Promise<HomeAssistantApiWorld> {
  const ha = await testHa();
  const live = await liveHome(ha);
  const sessions = userSessions({ coreUrl: ha.url, idleMs: 5_000 });
  const principals = new Principals({ validate: haTokenValidator(ha.url) });
  const [asAdmin, asUser] = await Promise.all([
    principals.authenticate(ha.adminToken, 'test'),
    principals.authenticate(ha.userToken, 'test'),
  ]);
  assert.ok(asAdmin.ok && asUser.ok, 'the test HA accepts both tokens');
  const api = createHomeAssistantApi({
    home: live.home,
    sessions,
    coreUrl: async () => ha.url,
    shared: [{ domain: 'llm', tool: () => dateTimeTool({ home: live.home, prefixed: true }) }],
    ...extra(ha),
  });
  const admin = asAdmin.principal;
  return {
    ha,
    live,
    sessions,
    admin,
    user: asUser.principal,
    api,
    tools: (prefix = '') => api.instance(admin).tools.filter((t) => t.name.startsWith(prefix)),
    close() {
      sessions.close();
      live.close();
    },
  };
}
