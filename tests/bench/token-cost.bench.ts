/**
 * The token cost's own cost (issue 21): how long counting the home takes at 1,000 exposed entities (lights,
 * sensors, climates and covers over 20 areas, a third with aliases), the first time (tokenizer loaded
 * with it) and again, how fast the cached answer is, and what such a home costs a client. Then what the
 * count does to the server: the longest the event loop is held while a home is counted, with the tokenizer
 * in its worker thread and (for comparison) on the event loop as it was, and the process's RSS before,
 * with the thread running, and once the idle thread has ended. In-process, no HA.
 */
import { EventEmitter, once } from 'node:events';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { TokenCounter, type CountsTokens } from '../../server/src/admin/token-counter.js';
import { TokenCostCache } from '../../server/src/admin/token-cost-cache.js';
import { Home } from '../../server/src/ha/home.js';
import type { EntityState } from '../../server/src/ha/types.js';
import { createAssistApi } from '../../server/src/llm/assist/api.js';
import { ApiRegistry } from '../../server/src/llm/registry.js';
import { createLogger } from '../../server/src/log.js';
import { parseOptions } from '../../server/src/options.js';
import { coreConfig } from '../support/core-config.js';
import { registryEntry } from '../support/registry-entry.js';
import { standInCalls } from '../support/stand-in-calls.js';
import type { Benchmark } from './report.js';

const ENTITIES = 1_000;
const KINDS = [
  { domain: 'light', state: 'on', attributes: { brightness: 180, color_mode: 'brightness' } },
  { domain: 'sensor', state: '21.4', attributes: { unit_of_measurement: '°C', device_class: 'temperature' } },
  {
    domain: 'climate',
    state: 'heat',
    attributes: { temperature: 21, current_temperature: 20.5, hvac_modes: ['off', 'heat'] },
  },
  { domain: 'cover', state: 'open', attributes: { current_position: 70, device_class: 'shade' } },
];

function bigHome(): Home {
  const home = new Home();
  home.haVersion = '2026.11.0';
  const areas = Array.from({ length: 20 }, (_, i) => ({
    area_id: `area_${i}`,
    name: `Room ${i}`,
    aliases: i % 4 === 0 ? [`space ${i}`] : [],
    floor_id: null,
  }));
  const states: Record<string, { s: string; a: EntityState['attributes'] }> = {};
  const registry = Array.from({ length: ENTITIES }, (_, i) => {
    const kind = KINDS[i % KINDS.length]!;
    const entityId = `${kind.domain}.thing_${i}`;
    const name = `${kind.domain} ${i} in room ${i % 20}`;
    states[entityId] = { s: kind.state, a: { friendly_name: name, ...kind.attributes } };
    return registryEntry(entityId, {
      original_name: name,
      area_id: `area_${i % 20}`,
      aliases: i % 3 === 0 ? [null, `alias ${i}`, `other name ${i}`] : [null],
      options: { conversation: { should_expose: true } },
    });
  });
  home.applySnapshot({
    config: coreConfig({ location_name: 'Big Home' }),
    floors: [],
    areas,
    devices: [],
    registry,
    exposed: [],
    exposeNew: false,
    scripts: {},
  });
  home.replaceStates({ a: states });
  home.markReady();
  return home;
}

/** A full collection, when the bench runs with --expose-gc (npm run bench does). */
const gc = () => (globalThis as { gc?: () => void }).gc?.();

const bench: Benchmark = {
  name: 'Token cost of the home (issue 21)',
  async run({ report }) {
    const home = bigHome();
    const options = parseOptions({ llm_apis: ['assist'] }, 'test');
    const quiet = createLogger('error', () => {});
    const registry = new ApiRegistry(() => options, quiet).register(
      createAssistApi({ home, calls: standInCalls(), prefixed: () => true })
    );
    const rssMb = () => process.memoryUsage().rss / 2 ** 20;
    gc();
    const before = rssMb();
    const ended = new EventEmitter();
    const counter = new TokenCounter({ idleMs: 500, onEnded: () => ended.emit('ended') });
    const cache = new TokenCostCache({ home, registry, options: () => options, counter });
    let started = performance.now();
    const first = await cache.current();
    report({
      name: `first count with the tokenizer's load, ${ENTITIES} exposed entities`,
      value: performance.now() - started,
      unit: 'ms',
    });
    report({ name: `count, ${ENTITIES} exposed entities`, value: first.computeMs, unit: 'ms' });
    // A registry change makes the next answer a fresh count (the tokenizer is loaded by now).
    home.setRegistryEntries({ 'light.thing_0': { ...home.registry.get('light.thing_0')!, aliases: [null] } });
    started = performance.now();
    const again = await cache.current();
    report({
      name: `count again after an alias change, ${ENTITIES} exposed entities`,
      value: performance.now() - started,
      unit: 'ms',
      target: { op: '<=', value: 500 },
    });
    started = performance.now();
    await cache.current();
    report({ name: 'answer from the cache', value: performance.now() - started, unit: 'ms' });
    const selection = again.apis[0]!.callers.admin;
    report({
      name: `tokens sent to an administrator, ${ENTITIES} entities`,
      value: selection.total,
      unit: 'tokens',
    });
    report({ name: `of which the live context`, value: selection.liveContext, unit: 'tokens' });

    // What a count does to everything else the server does meanwhile: the event loop's longest stall.
    const stallOf = async (counting: CountsTokens) => {
      const fresh = new TokenCostCache({ home, registry, options: () => options, counter: counting });
      const delay = monitorEventLoopDelay({ resolution: 1 });
      delay.enable();
      // Its first sample only starts the clock: take it before the count, or a stall at once is not seen.
      await sleep(20);
      await fresh.current();
      // The histogram takes a stall's length when its timer runs late, after the stall: let it run.
      await sleep(20);
      delay.disable();
      return delay.max / 1e6;
    };
    report({
      name: `longest event-loop stall while counting ${ENTITIES} entities, tokenizer in its thread`,
      value: await stallOf(counter),
      unit: 'ms',
      target: { op: '<=', value: 100 },
    });
    const running = rssMb();
    // The idle thread's timer does not hold the process open (as in the server): this wait does.
    const holdOpen = setInterval(() => {}, 1_000);
    await once(ended, 'ended');
    clearInterval(holdOpen);
    gc();
    report({ name: 'RSS before the token cost was asked for', value: before, unit: 'MB' });
    report({ name: 'RSS with the counter’s thread running', value: running, unit: 'MB' });
    report({ name: 'RSS once the idle thread has ended', value: rssMb(), unit: 'MB' });
    // Loaded only now, so the RSS figures above are without it.
    const { countTokens } = await import('gpt-tokenizer/encoding/o200k_base');
    const asText = { disallowedSpecial: new Set<string>() };
    report({
      name: `for comparison: the same stall with the tokenizer on the event loop`,
      value: await stallOf({
        count: async (texts) => texts.map((t) => (t === '' ? 0 : countTokens(t, asText))),
      }),
      unit: 'ms',
    });
  },
};

export default bench;
