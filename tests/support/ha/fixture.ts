/**
 * The Home Assistant an integration test talks to. `npm test` starts one for the whole run and passes it
 * in the environment (TEST_HA_*); a test file run on its own starts its own and stops it afterwards.
 */
import { after } from 'node:test';
import { TEST_HA_ENV, type TestHaInfo } from './fixture-env.js';
import { startTestHa, type TestHa } from './harness.js';

export type { TestHaInfo } from './fixture-env.js';

let shared: Promise<TestHaInfo> | undefined;
let own: TestHa | undefined;

// Registered when the module loads, so it belongs to the file's root: an `after` registered from inside a
// `before` hook would belong to that hook and stop HA before the first test.
after(async () => {
  await own?.stop();
});

export function testHa(): Promise<TestHaInfo> {
  shared ??= (async () => {
    const fromEnv = Object.fromEntries(
      Object.entries(TEST_HA_ENV).map(([key, name]) => [key, process.env[name]])
    ) as Partial<TestHaInfo>;
    if (fromEnv.url && fromEnv.adminToken && fromEnv.userToken) return fromEnv as TestHaInfo;
    own = await startTestHa();
    return own;
  })();
  return shared;
}
