/**
 * Home Assistant's side of the Assist tools (intents, actions) answered in-process: sometimes an answer,
 * sometimes a refusal, sometimes away, in turn. In-process reliability tests use it so that generated calls
 * cannot switch the shared test home; the real HA still provides the live model they read.
 */
import { HaAwayError, HaRefusedError } from '../../server/src/ha/errors.js';
import type { HaCalls, IntentResponse } from '../../server/src/llm/assist/ha-calls.js';

export function standInCalls(): HaCalls {
  let n = 0;
  const next = () => n++ % 4;
  return {
    async handleIntent(_token, intent, slots): Promise<IntentResponse> {
      switch (next()) {
        case 0:
          return {
            response_type: 'error',
            data: { code: 'no_valid_targets' },
            speech: { plain: { speech: `No device or entity named ${String(slots.name ?? '')}` } },
          };
        case 1:
          throw new HaRefusedError('Home Assistant answered 400: Invalid slot info', { status: 400 });
        case 2:
          throw new HaAwayError();
        default:
          return { response_type: 'action_done', data: { targets: [], success: [], failed: [] }, speech: {} };
      }
    },
    async callWithResponse() {
      if (next() === 2) throw new HaAwayError();
      return {};
    },
  };
}
