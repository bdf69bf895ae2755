/**
 * The token counter's thread (admin/token-counter.ts): it counts as the tokenizer does in-process, starts
 * on the first count, ends after it has been idle, fails what it owed when it ends, and starts again.
 * The token cost's two rounds (admin/token-cost-cache.ts): a recount asks only for texts that changed, and
 * a state that moves while the counter runs never leaves a figure at zero.
 */
import assert from 'node:assert/strict';
import { EventEmitter, once } from 'node:events';
import { describe, it } from 'node:test';
import { countTokens } from 'gpt-tokenizer/encoding/o200k_base';
import { TokenCostCache } from '../../server/src/admin/token-cost-cache.js';
import { TokenCounter, type CountsTokens } from '../../server/src/admin/token-counter.js';
import { createAssistApi } from '../../server/src/llm/assist/api.js';
import { ApiRegistry } from '../../server/src/llm/registry.js';
import { memoryOptions, quiet, smallHome } from '../support/admin-fixture.js';
import { standInCalls } from '../support/stand-in-calls.js';

describe('the token counter’s thread', { timeout: 60_000 }, () => {
  it('counts as the tokenizer does, special tokens as text, and ends once idle', async () => {
    const ended = new EventEmitter();
    const counter = new TokenCounter({ idleMs: 1, onEnded: () => ended.emit('ended') });
    const texts = ['', 'hello world', 'Küche Deckenlicht: on', '<|endoftext|> spelled out', 'x'.repeat(5000)];
    const asText = { disallowedSpecial: new Set<string>() };
    const ending = once(ended, 'ended');
    assert.deepEqual(
      await counter.count(texts),
      texts.map((t) => (t === '' ? 0 : countTokens(t, asText)))
    );
    assert.equal(counter.running, true);
    await ending;
    assert.equal(counter.running, false, 'idle: the thread and its vocabulary are gone');
    assert.deepEqual(await counter.count(['hello world']), [2], 'and the next count starts another');
    await counter.stop();
  });

  it('fails the counts it owed when it is stopped, and counts again after', async () => {
    const counter = new TokenCounter();
    const owed = assert.rejects(counter.count(['a'.repeat(100_000)]), /stopped/);
    await counter.stop();
    await owed;
    assert.deepEqual(await counter.count(['hello world']), [2]);
    await counter.stop();
  });

  it('answers nothing for nothing, without a thread', async () => {
    const counter = new TokenCounter();
    assert.deepEqual(await counter.count([]), []);
    assert.equal(counter.running, false);
  });
});

describe('the token cost’s rounds', () => {
  /** The Assist API over the small home, and a counter that counts characters and keeps what it was asked. */
  function world(duringCount: () => void = () => {}) {
    const home = smallHome();
    const options = memoryOptions({ llm_apis: ['assist'] });
    const registry = new ApiRegistry(options.current, quiet).register(
      createAssistApi({ home, calls: standInCalls(), prefixed: () => true })
    );
    const asked: string[][] = [];
    const counter: CountsTokens = {
      async count(texts) {
        asked.push(texts);
        duringCount();
        return texts.map((t) => t.length);
      },
    };
    const cache = new TokenCostCache({ home, registry, options: options.current, counter });
    return { home, cache, asked };
  }
  const adminAtMcp = (answer: Awaited<ReturnType<TokenCostCache['current']>>) =>
    answer.apis[0]!.callers.admin;

  it('asks the counter once, and on a recount only for the texts that changed', async () => {
    const w = world();
    const first = await w.cache.current();
    assert.equal(w.asked.length, 1, 'one trip to the thread');
    assert.ok(adminAtMcp(first).liveContext > 0);
    const current = w.home.registry.get('light.lamp')!;
    w.home.setRegistryEntries({ 'light.lamp': { ...current, aliases: [null, 'Reading Lamp', 'Desk Lamp'] } });
    const again = await w.cache.current();
    assert.equal(w.asked.length, 2);
    assert.ok(w.asked[1]!.length < w.asked[0]!.length / 2, `${w.asked[1]!.length} of ${w.asked[0]!.length}`);
    assert.ok(adminAtMcp(again).total > adminAtMcp(first).total, 'the new alias is counted');
  });

  it('gives a text that changed while the counter ran the tokens of the one it replaced, not zero', async () => {
    const steady = await world().cache.current();
    let moved = false;
    const w = world(() => {
      if (moved) return;
      moved = true;
      w.home.applyStates({ c: { 'light.lamp': { '+': { s: 'off' } } } });
    });
    const answer = await w.cache.current();
    assert.equal(w.asked.length, 1, 'the figures do not wait for another trip');
    assert.equal(adminAtMcp(answer).liveContext, adminAtMcp(steady).liveContext);
  });
});
