/**
 * The approval question on a phone (approvals/phone-words.ts): in English exactly the question the client
 * and the panel's log are told (gate.ts `questionOf`), and in each other language the panel's own words for
 * each action (ui/src/translations/*.json `approvals.actions`), so a person reads the same on both.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LANGUAGES } from '../../server/src/admin/languages.js';
import { questionOf } from '../../server/src/approvals/gate.js';
import { ACTIONS } from '../../server/src/approvals/actions.js';
import { actionWords, phoneText } from '../../server/src/approvals/phone-words.js';
import { panelText } from '../support/panel-words.js';

const change = (verb: string, entities: string[] = ['Front Door'], domains: string[] = []) => ({
  clientName: 'Claude',
  verb,
  entities,
  domains,
});

describe('the question on a phone', () => {
  it('is, in English, the question the client is asked, for every verb and without a target', () => {
    for (const verb of [...Object.keys(ACTIONS), 'call lock.unlock on', 'start timer']) {
      for (const [entities, domains] of [
        [['Front Door', 'Back Door'], []],
        [[], ['lock']],
        [[], []],
      ] as const) {
        assert.equal(
          phoneText('en', change(verb, [...entities], [...domains]), 120).title,
          questionOf(
            'Claude',
            verb,
            entities.map((name) => ({ name })),
            [...domains]
          ),
          verb
        );
      }
    }
    assert.equal(
      phoneText(undefined, { ...change('unlock'), clientName: null }, 120).title,
      questionOf(null, 'unlock', [{ name: 'Front Door' }], [])
    );
  });

  it('words each action as the panel does, in every language', () => {
    const differ: string[] = [];
    for (const language of LANGUAGES) {
      const panel = panelText(language);
      for (const [id, words] of Object.entries(actionWords(language))) {
        const expected = panel(`approvals.actions.${id}`, { what: 'Front Door' });
        if (words('Front Door') !== expected)
          differ.push(`${language} ${id}: ${words('Front Door')} ≠ ${expected}`);
      }
      assert.equal(
        phoneText(language, change('call lock.unlock on'), 60).title.includes(
          panel('approvals.actions.call', { action: 'lock.unlock', what: 'Front Door' })
        ),
        true,
        `${language}: call`
      );
    }
    assert.deepEqual(differ, []);
  });

  it('has buttons and a message in the user’s language, English for a language without words', () => {
    assert.deepEqual(
      [phoneText('fr-CA', change('lock'), 90)].map(({ allow, deny, message }) => ({ allow, deny, message })),
      [
        {
          allow: 'Autoriser',
          deny: 'Refuser',
          message: 'Autoriser dans les 90 secondes ? Demandé via le module complémentaire MCP Server.',
        },
      ]
    );
    assert.equal(phoneText('ja', change('lock'), 90).title, 'Claude wants to lock Front Door');
  });
});
