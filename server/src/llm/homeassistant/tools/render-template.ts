/**
 * `homeassistant__render_template`: a Jinja2 template rendered by HA as the calling user, its output as text.
 * HA's tool renders strictly in a thread with a 3-second limit, then for the text. From outside: the strict,
 * time-limited `render_template` subscription finds errors and time-outs (in HA's words); REST gives the text
 * (the subscription's result is parsed), whose length is counted in code points as Python counts it.
 */
import { renderStrict, renderTemplateText, type StrictRender } from '../../../ha/template-commands.js';
import type { Tool, ToolResult } from '../../api.js';
import { pythonJson } from '../../assist/python-json.js';
import { sessionOf, type HaApiContext } from '../context.js';
import { RENDER_TEMPLATE } from '../tool-parameters.js';
import { codePoints } from './python-text.js';
import { checkedTool, READS_ONLY } from './checked-tool.js';

/** HA's tools give a template this long to render. */
export const TEMPLATE_TIMEOUT_SECONDS = 3;
const MAX_OUTPUT = 16 * 1024;

export const failed = (error: string): ToolResult => ({ text: pythonJson({ error }), isError: true });

/** HA's text for a strict render that failed, or undefined when it rendered. */
export function strictFailure(render: StrictRender): string | undefined {
  if (render.kind === 'timeout')
    return `Template rendering exceeded the maximum time of ${TEMPLATE_TIMEOUT_SECONDS} seconds`;
  return render.kind === 'error' ? render.message : undefined;
}

export function renderTemplateTool(ctx: HaApiContext): Tool {
  return checkedTool({
    name: 'homeassistant__render_template',
    title: 'Render template',
    description:
      'Renders a Home Assistant Jinja2 template and returns its output as text. A template can read every ' +
      "entity's state and attributes and use Home Assistant's template functions (areas, devices, labels, " +
      'time and more).',
    parameters: RENDER_TEMPLATE,
    annotations: READS_ONLY,
    async run(args, { principal }) {
      const template = args.template as string;
      const variables = args.variables as Record<string, unknown> | undefined;
      const problem = strictFailure(
        await renderStrict(sessionOf(ctx, principal), template, variables, TEMPLATE_TIMEOUT_SECONDS)
      );
      if (problem !== undefined) return failed(problem);
      const output = await renderTemplateText(await ctx.coreUrl(), principal.token, template, variables);
      if ('error' in output) return failed(output.error);
      const length = codePoints(output.text);
      if (length > MAX_OUTPUT) {
        return failed(
          `Template output of ${length} characters exceeded the maximum of ${MAX_OUTPUT} characters`
        );
      }
      return { text: pythonJson({ result: output.text }) };
    },
  });
}
