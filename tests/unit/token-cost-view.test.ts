/**
 * The panel's token-cost helpers (ui/src/data/token-cost.ts): which entity has which share, the costliest
 * first ten, why an entity costs what it does (in words that are translated, one or many), and which
 * endpoint the shares are counted at.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TOKENIZER } from '../../server/src/admin/token-cost-tokenizer.js';
import { panelText } from '../support/panel-words.js';
import type { TokenCostAnswer, TokenCostEntity, TokenCostFigures } from '../../server/src/admin/contract.js';
import {
  byTokens,
  CALLER_KINDS,
  costReasons,
  costliest,
  reasonKey,
  shareEndpoint,
  shareOf,
  sharesById,
} from '../../ui/src/data/token-cost-figures.js';

/** The panel's English text for a key, as it shows it (a key without words fails the test). */
const localize = panelText('en');

const entity = (entityId: string, tokens: number, more: Partial<TokenCostEntity> = {}): TokenCostEntity => ({
  entityId,
  name: entityId,
  domain: entityId.split('.')[0]!,
  tokens,
  liveContext: tokens,
  prompt: 0,
  tools: 0,
  attributes: 0,
  aliases: 0,
  ...more,
});

const figures = (liveContext: number, available = true): TokenCostFigures => ({
  available,
  toolCount: 3,
  tools: 100,
  prompt: 50,
  liveContext,
  total: 150 + liveContext,
});

const answer = (entities: TokenCostEntity[], liveAt: 'mcp' | 'assist' | 'none' = 'mcp'): TokenCostAnswer => ({
  tokenizer: { name: 'o200k_base', note: '' },
  selected: ['assist'],
  controlHomeAssistant: true,
  apis: [
    {
      id: null,
      name: 'Selected',
      endpoint: '/api/mcp',
      callers: {
        admin: figures(liveAt === 'mcp' ? 40 : 0),
        nonAdmin: figures(0, false),
        readOnly: figures(0),
      },
    },
    {
      id: 'assist',
      name: 'Assist',
      endpoint: '/api/mcp/assist',
      callers: { admin: figures(liveAt === 'none' ? 0 : 40), nonAdmin: figures(40), readOnly: figures(40) },
    },
  ],
  entities,
  entityTotals: { count: entities.length, tokens: entities.reduce((sum, e) => sum + e.tokens, 0) },
  computedAt: 0,
  computeMs: 1,
});

describe('the token cost in the panel', () => {
  it('finds each exposed entity’s share by its id; an entity not counted has none', () => {
    const shares = sharesById(answer([entity('light.a', 30), entity('sensor.b', 10)]));
    assert.equal(shares.get('light.a')?.tokens, 30);
    assert.equal(shares.get('sensor.b')?.tokens, 10);
    assert.equal(shares.get('switch.unexposed'), undefined);
    assert.equal(sharesById(undefined).size, 0, 'nothing loaded yet: no shares');
  });

  it('lists the first ten as the costliest (the server sorts), and each one’s share of them all', () => {
    const many = Array.from({ length: 14 }, (_, i) => entity(`light.l${i}`, 100 - i));
    const cost = answer(many);
    assert.deepEqual(
      costliest(cost).map((e) => e.entityId),
      many.slice(0, 10).map((e) => e.entityId)
    );
    assert.equal(costliest(cost, 3).length, 3);
    assert.equal(shareOf(many[0]!, cost), 100 / cost.entityTotals.tokens);
    assert.equal(shareOf(entity('x.y', 0), answer([])), 0, 'nothing exposed: no division by zero');
  });

  it('says why: attributes, aliases, a script’s own tool or a name among a tool’s choices', () => {
    assert.deepEqual(costReasons(entity('light.a', 50, { attributes: 3, aliases: 1 })), [
      { key: 'attributes', count: 3 },
      { key: 'aliases', count: 1 },
    ]);
    assert.deepEqual(costReasons(entity('script.s', 80, { tools: 80 })), [{ key: 'own_tool', count: 80 }]);
    assert.deepEqual(costReasons(entity('todo.list', 20, { tools: 5 })), [{ key: 'tool_choice', count: 5 }]);
    assert.deepEqual(costReasons(entity('sensor.bare', 12)), [], 'nothing to trim but the entity itself');
  });

  it('words each reason in English, one or many, with no key left untranslated', () => {
    const say = (key: Parameters<typeof reasonKey>[0]['key'], count: number) =>
      localize(reasonKey({ key, count }), { count });
    assert.equal(say('attributes', 1), '1 attribute');
    assert.equal(say('attributes', 4), '4 attributes');
    assert.equal(say('aliases', 1), '1 alias');
    assert.equal(say('aliases', 2), '2 aliases');
    assert.equal(say('own_tool', 1), 'its own tool');
    assert.equal(say('tool_choice', 7), 'named in a tool');
    for (const kind of CALLER_KINDS)
      assert.doesNotMatch(localize(`token_cost.callers.${kind}`), /^token_cost/);
  });

  it('says in the panel’s English what the API’s tokenizer note says', () => {
    assert.equal(localize('token_cost.tokenizer_note'), TOKENIZER.note);
  });

  it('names the endpoint the shares are counted at: the first that sends an administrator the live context', () => {
    assert.equal(shareEndpoint(answer([], 'mcp')), '/api/mcp');
    assert.equal(shareEndpoint(answer([], 'assist')), '/api/mcp/assist');
    assert.equal(shareEndpoint(answer([], 'none')), undefined);
  });

  it('sorts rows costliest first: exposed by share, then exposed but not counted, then unexposed', () => {
    const shares = sharesById(
      answer([entity('light.big', 90), entity('sensor.small', 5), entity('switch.mid', 40)])
    );
    const rows = [
      { entityId: 'lock.off', exposed: false },
      { entityId: 'sensor.small', exposed: true },
      { entityId: 'fan.new', exposed: true },
      { entityId: 'light.big', exposed: true },
      { entityId: 'cover.off', exposed: false },
      { entityId: 'switch.mid', exposed: true },
    ];
    assert.deepEqual(
      byTokens(rows, shares).map((row) => row.entityId),
      ['light.big', 'switch.mid', 'sensor.small', 'fan.new', 'lock.off', 'cover.off']
    );
    assert.equal(rows[0]!.entityId, 'lock.off', 'the rows given are left as they were');
  });
});
