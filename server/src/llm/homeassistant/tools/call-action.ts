/**
 * `homeassistant__call_action`: calls an action as the calling user, with templates in its target and data as
 * a script step has them, and returns the action's response when it has one. HA's tool checks the step as a
 * script's, renders every template strictly within 3 seconds, checks that the action exists, renders the
 * step and calls it. From outside, each step has its command: `validate_config` (the same checks, with paths
 * from a list), the strict `render_template` subscription (whose result is the rendered value a script step
 * gets), `get_services` (whether the action exists and responds), and `call_service`; the steps between
 * (registry ids to entity ids, HA's checks of rendered targets) are ported from HA's script helper.
 */
import { actionTargets } from '../../../approvals/targets.js';
import { HaRefusedError } from '../../../ha/errors.js';
import {
  callService,
  describeActions,
  listEntityRegistryIds,
  validateActions,
  type ActionStep,
} from '../../../ha/action-commands.js';
import { refusalWords, renderStrict, type StrictRender } from '../../../ha/template-commands.js';
import type { Tool } from '../../api.js';
import { pythonJson } from '../../assist/python-json.js';
import { sessionOf, type HaApiContext } from '../context.js';
import { checkedTool } from './checked-tool.js';
import { CALL_ACTION } from '../tool-parameters.js';
import { splitOnce } from './python-text.js';
import { failed, strictFailure, TEMPLATE_TIMEOUT_SECONDS } from './render-template.js';
import {
  compEntityIdsOrUuids,
  excludeBlock,
  pythonStrOf,
  renderComplex,
  templatesIn,
  UnhashableKey,
  validEntityId,
} from './script-values.js';

type Dict = Record<string, unknown>;

/** A template failed when the step was rendered: HA's script helper says where. */
class RenderError extends Error {}

/** The one template error HA finds only when it renders the step (its strict check does not measure). */
const OUTPUT_TOO_LARGE = 'Template output exceeded maximum size of ';

/** The paths of `validate_config`'s text are within its list of steps: HA's tool checks the step alone. */
export function stepError(error: string): string {
  return error.replace(/ at '\[0\]'$/, '').replace(/ at '\[0\]\.(.*)'$/, " at '$1'");
}

/** `str(ServiceNotFound(...))`: its translation, whose final full stop HA's exception messages drop. */
const notFound = (action: string) => `Action ${action} not found`;

/**
 * HA's text for a failed `call_service`, as HA's tool reports the exception the action raised: without the
 * WebSocket API's `Validation error: ` preamble, and a missing action named as the action's exception names it.
 */
export function callFailure(err: HaRefusedError, call: { domain: string; service: string }): string {
  const words = refusalWords(err);
  switch (err.refusal.code) {
    case 'service_validation_error':
      return words.replace(/^Validation error: /, '');
    case 'not_found':
      return notFound(`${call.domain}.${call.service}`);
    case 'home_assistant_error': {
      // The action called another that does not exist: HA's tool sees that action's ServiceNotFound.
      const child = /^Service (\S+) called service \S+ which was not found\.$/.exec(words);
      return child ? notFound(child[1]!) : words;
    }
    default:
      return words;
  }
}

/** The step's target as HA's script helper prepares it: rendered, entity registry ids resolved, checked. */
async function prepareTarget(
  target: Dict,
  rendered: (template: string) => unknown,
  registryIds: () => Promise<Map<string, string>>
): Promise<Dict> {
  const prepared = renderIn('Error rendering service target template', target, rendered);
  if ('entity_id' in prepared) {
    // HA's schema made plain entity IDs a list before rendering (a list it refuses stays as it is).
    const value = isTemplated(target.entity_id)
      ? prepared.entity_id
      : (compEntityIdsOrUuids(target.entity_id) ?? target.entity_id);
    const invalid = new RenderError(`Template rendered invalid entity IDs: ${pythonStrOf(value)}`);
    const ids = compEntityIdsOrUuids(value);
    if (ids === undefined) throw invalid;
    if (Array.isArray(ids) && !ids.every(validEntityId)) {
      const byRegistryId = await registryIds();
      prepared.entity_id = ids.map((id) => {
        const entityId = validEntityId(id) ? id : byRegistryId.get(id);
        if (entityId === undefined) throw invalid;
        return entityId;
      });
    } else prepared.entity_id = ids;
  }
  const exclude = prepared.exclude;
  if (truthy(exclude)) {
    const checked = excludeBlock(exclude);
    if (checked === undefined)
      throw new RenderError(`Template rendered invalid exclude block: ${pythonStrOf(exclude)}`);
    prepared.exclude = checked;
  }
  return prepared;
}

/** Renders a target or the data, failing with HA's words for where a template failed. */
function renderIn(where: string, value: Dict, rendered: (template: string) => unknown): Dict {
  try {
    return renderComplex(value, rendered) as Dict;
  } catch (err) {
    if (err instanceof RenderError) throw new RenderError(`${where}: ${err.message}`);
    // A template that renders to a list or a dict cannot be a key (Python's TypeError, as HA's tool reports it).
    if (err instanceof UnhashableKey) {
      throw new RenderError(
        "cannot use 'homeassistant.helpers.template.gen_result_wrapper.<locals>.Wrapper' as a dict key " +
          "(unhashable type: 'Wrapper')"
      );
    }
    throw err;
  }
}

const isTemplated = (value: unknown): boolean => templatesIn(value).next().done === false;

/** Python's truth of a JSON value. */
const truthy = (value: unknown): boolean =>
  Array.isArray(value)
    ? value.length > 0
    : value !== null && typeof value === 'object'
      ? Object.keys(value).length > 0
      : Boolean(value);

export function callActionTool(ctx: HaApiContext): Tool {
  return checkedTool({
    name: 'homeassistant__call_action',
    title: 'Call action',
    description:
      'Calls a Home Assistant action and returns what it responds, for actions that respond. Values in ' +
      'target and data may be templates, as in a script.',
    parameters: CALL_ACTION,
    annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true },
    changes: (args) => actionTargets(ctx.home.require(), args),
    async run(args, { principal }) {
      const step = args as unknown as ActionStep;
      const session = sessionOf(ctx, principal);
      const { send } = session;

      const checked = (await validateActions(send, [step])).actions;
      if (!checked.valid) return failed(stepError(checked.error ?? ''));

      // Every template renders strictly (an undefined name is an error) within the time limit, in order.
      const renders = new Map<string, StrictRender>();
      for (const template of templatesIn(step)) {
        if (renders.has(template)) continue;
        const render = await renderStrict(session, template, undefined, TEMPLATE_TIMEOUT_SECONDS);
        renders.set(template, render);
        // HA checks a template's output size only when the step is rendered, below.
        if (render.kind === 'error' && render.message.startsWith(OUTPUT_TOO_LARGE)) continue;
        const problem = strictFailure(render);
        if (problem !== undefined) return failed(problem);
      }

      const [domain, service] = splitOnce(step.action, '.');
      const description = (await describeActions(send))[domain]?.[service];
      if (!description) return failed(`Action ${step.action} does not exist.`);
      const returnResponse = description.response !== undefined;

      const rendered = (template: string): unknown => {
        const render = renders.get(template)!;
        if (render.kind === 'result') return render.value;
        throw new RenderError(render.kind === 'error' ? render.message : '');
      };
      let target: Dict | undefined;
      let serviceData: Dict | undefined;
      try {
        if (step.target) {
          target = await prepareTarget(step.target, rendered, async () => {
            const entries = await listEntityRegistryIds(send);
            return new Map(entries.map((entry) => [entry.id, entry.entity_id]));
          });
        }
        if (step.data) serviceData = renderIn('Error rendering data template', step.data, rendered);
      } catch (err) {
        if (err instanceof RenderError) return failed(err.message);
        throw err;
      }

      const call = { domain, service };
      let answer: { response?: unknown };
      try {
        answer = await callService(send, { ...call, target, serviceData, returnResponse });
      } catch (err) {
        if (err instanceof HaRefusedError && err.refusal.command === 'call_service') {
          return failed(callFailure(err, call));
        }
        throw err;
      }
      return { text: pythonJson(returnResponse ? { response: answer.response ?? null } : { success: true }) };
    },
  });
}
