/** A live Home model of the test HA, as the server builds it: one link, a full sync, then live updates. */
import type { Connection } from 'home-assistant-js-websocket';
import { Home } from '../../../server/src/ha/home.js';
import { connectLink } from '../../../server/src/ha/link.js';
import { haTokenValidator, Principals, type Principal } from '../../../server/src/ha/principals.js';
import { nudgeExposureDefaults } from '../../../server/src/ha/rest.js';
import { createAssistApi } from '../../../server/src/llm/assist/api.js';
import { haCalls } from '../../../server/src/llm/assist/ha-calls.js';
import { ApiRegistry } from '../../../server/src/llm/registry.js';
import { parseOptions } from '../../../server/src/options.js';
import { HomeSync } from '../../../server/src/ha/sync.js';
import { createLogger } from '../../../server/src/log.js';
import type { TestHaInfo } from './fixture.js';

export interface LiveHome {
  home: Home;
  /** The admin WebSocket link the model is kept by. */
  link: Connection;
  close(): void;
}

export async function liveHome(ha: TestHaInfo): Promise<LiveHome> {
  const quiet = createLogger('error', () => {});
  const home = new Home();
  const link = await connectLink({ url: ha.url, token: ha.adminToken, log: quiet, backoffMs: [200] });
  const sync = new HomeSync(link, home, quiet, {
    exposurePollMs: 500,
    nudgeExposure: () => nudgeExposureDefaults(ha.url, ha.adminToken),
  });
  await sync.start();
  return {
    home,
    link,
    close() {
      sync.stop();
      link.close();
    },
  };
}

/** The Assist API as the server serves it (default options, prefixed names), and the plain user's principal. */
export async function assistForGuest(
  ha: TestHaInfo,
  home: Home
): Promise<{ registry: ApiRegistry; principal: Principal }> {
  const quiet = createLogger('error', () => {});
  const options = parseOptions({}, 'test');
  const registry = new ApiRegistry(() => options, quiet).register(
    createAssistApi({ home, calls: haCalls(ha.url), prefixed: () => true })
  );
  const auth = await new Principals({ validate: haTokenValidator(ha.url) }).authenticate(
    ha.userToken,
    'test'
  );
  if (!auth.ok) throw new Error(`the guest token was refused: ${auth.reason}`);
  return { registry, principal: auth.principal };
}
