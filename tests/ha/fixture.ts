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
  /** HA's log file, when the harness runs HA (tests count what HA logged, e.g. failed logins). */
  logFile?: string | undefined;
}

export const TEST_HA_ENV = {
  url: 'TEST_HA_URL',
  adminToken: 'TEST_HA_ADMIN_TOKEN',
  userToken: 'TEST_HA_USER_TOKEN',
  userId: 'TEST_HA_USER_ID',
  version: 'TEST_HA_VERSION',
  logFile: 'TEST_HA_LOG',
} as const;

export function testHaEnv(ha: TestHaInfo): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, name] of Object.entries(TEST_HA_ENV)) {
    const value = ha[key as keyof TestHaInfo];
    if (value !== undefined) env[name] = value;
  }
  return env;
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
