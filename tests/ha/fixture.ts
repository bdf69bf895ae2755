/**
 * The Home Assistant an integration test talks to. `npm test` starts one for the whole run and passes it
 * in the environment (TEST_HA_*); a test file run on its own starts its own and stops it afterwards.
 */
import { after } from 'node:test';
import { startTestHa } from './harness.js';

export interface TestHaInfo {
  url: string;
  adminToken: string;
  userToken: string;
  userId: string;
  version: string;
}

export const TEST_HA_ENV = {
  url: 'TEST_HA_URL',
  adminToken: 'TEST_HA_ADMIN_TOKEN',
  userToken: 'TEST_HA_USER_TOKEN',
  userId: 'TEST_HA_USER_ID',
  version: 'TEST_HA_VERSION',
} as const;

export function testHaEnv(ha: TestHaInfo): Record<string, string> {
  return Object.fromEntries(
    Object.entries(TEST_HA_ENV).map(([key, name]) => [name, ha[key as keyof TestHaInfo]])
  );
}

let shared: Promise<TestHaInfo> | undefined;

export function testHa(): Promise<TestHaInfo> {
  shared ??= (async () => {
    const fromEnv = Object.fromEntries(
      Object.entries(TEST_HA_ENV).map(([key, name]) => [key, process.env[name]])
    ) as Partial<TestHaInfo>;
    if (fromEnv.url && fromEnv.adminToken && fromEnv.userToken) return fromEnv as TestHaInfo;
    const ha = await startTestHa();
    after(() => ha.stop());
    return ha;
  })();
  return shared;
}
