/** A live Home model of the test HA, as the server builds it: one link, a full sync, then live updates. */
import type { Connection } from 'home-assistant-js-websocket';
import { Home } from '../../server/src/ha/home.js';
import { connectLink } from '../../server/src/ha/link.js';
import { nudgeExposureDefaults } from '../../server/src/ha/rest.js';
import { HomeSync } from '../../server/src/ha/sync.js';
import { createLogger } from '../../server/src/log.js';
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
