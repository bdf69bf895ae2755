/**
 * How `npm test` hands its one Home Assistant to the test files: the TEST_HA_* environment (fixture.ts reads
 * it). Kept apart from fixture.ts, which registers test hooks and so is for test files only.
 */
export interface TestHaInfo {
  url: string;
  adminToken: string;
  userToken: string;
  userId: string;
  version: string;
  /** HA's log file, when the harness runs HA (tests count what HA logged, e.g. failed logins). */
  logFile?: string | undefined;
  /** HA's config folder, when the harness runs HA (what an add-on maps as `homeassistant_config`). */
  configDir?: string | undefined;
}

export const TEST_HA_ENV = {
  url: 'TEST_HA_URL',
  adminToken: 'TEST_HA_ADMIN_TOKEN',
  userToken: 'TEST_HA_USER_TOKEN',
  userId: 'TEST_HA_USER_ID',
  version: 'TEST_HA_VERSION',
  logFile: 'TEST_HA_LOG',
  configDir: 'TEST_HA_CONFIG_DIR',
} as const;

export function testHaEnv(ha: TestHaInfo): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, name] of Object.entries(TEST_HA_ENV)) {
    const value = ha[key as keyof TestHaInfo];
    if (value !== undefined) env[name] = value;
  }
  return env;
}
