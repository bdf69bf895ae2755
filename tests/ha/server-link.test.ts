/** The server process against the real HA: it builds the model at start, and a bad credential stops it clearly. */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { runToExit, startServer } from '../support/server-process.js';
import { testHa, type TestHaInfo } from '../support/ha/fixture.js';

describe('the server’s link to Home Assistant', () => {
  let ha: TestHaInfo;
  before(async () => {
    ha = await testHa();
  });

  it('builds the model at start and says so in /healthz', async () => {
    const server = await startServer({ HA_URL: ha.url, HA_TOKEN: ha.adminToken });
    try {
      await new Promise<void>((resolve) => {
        const check = () =>
          /Home Assistant model ready/.test(server.output()) ? resolve() : setImmediate(check);
        check();
      });
      const health = (await (await fetch(`${server.mcpUrl}/healthz`)).json()) as { home: string };
      assert.equal(health.home, 'ready');
      assert.doesNotMatch(server.output(), new RegExp(ha.adminToken.slice(-20)));
    } finally {
      assert.equal(await server.stop(), 0);
    }
  });

  it('stops with one clear message when HA refuses the token', async () => {
    const { code, output } = await runToExit({ HA_URL: ha.url, HA_TOKEN: 'not-a-valid-token' });
    assert.equal(code, 2);
    assert.match(
      output,
      /ERROR: Home Assistant at .* refused the add-on's access token: HA_TOKEN must be a valid long-lived access token of an administrator/
    );
    assert.doesNotMatch(output, /not-a-valid-token/);
  });

  it('stops with one clear message when the token is not an administrator’s', async () => {
    const { code, output } = await runToExit({ HA_URL: ha.url, HA_TOKEN: ha.userToken });
    assert.equal(code, 2);
    assert.match(
      output,
      /ERROR: the access token belongs to a Home Assistant user who is not an administrator/
    );
  });
});
