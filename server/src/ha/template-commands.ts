/**
 * Templates rendered by Home Assistant as the calling user. The `render_template` subscription (strict, with a
 * time limit, errors reported) says whether a template renders, in HA's words when it does not, and gives its
 * result parsed as HA's script engine parses it (`"[1, 2]"` arrives as a list). REST `POST /api/template`
 * (administrators only) gives the output as text, unparsed.
 */
import type { MessageBase } from 'home-assistant-js-websocket';
import { HaRefusedError } from './errors.js';
import { haHttp } from './http.js';
import type { UserSession } from './user-sessions.js';

export type TemplateVariables = Record<string, unknown>;

/** How a strict render went: its parsed result, HA's error text, or past the time limit. */
export type StrictRender =
  { kind: 'result'; value: unknown } | { kind: 'error'; message: string } | { kind: 'timeout' };

export const renderTemplateMessage = (
  template: string,
  options: { variables?: TemplateVariables | undefined; strict: boolean; timeoutSeconds?: number }
): MessageBase => ({
  type: 'render_template',
  template,
  ...(options.variables !== undefined && { variables: options.variables }),
  strict: options.strict,
  ...(options.timeoutSeconds !== undefined && { timeout: options.timeoutSeconds }),
  report_errors: true,
});

/** What HA said when it refused a command, in its own words (the message without our preamble). */
export function refusalWords(err: HaRefusedError): string {
  if (err.refusal.reason !== undefined) return err.refusal.reason;
  const preamble = `Home Assistant refused ${err.refusal.command}: `;
  return err.message.startsWith(preamble) ? err.message.slice(preamble.length) : err.message;
}

const TIMED_OUT = 'Exceeded maximum execution time of ';

/**
 * Renders a template strictly (an undefined name is an error), first in a worker thread with a time limit as
 * HA's tools do, then for its result. Other failures (HA away, refused for another reason) are thrown.
 */
export async function renderStrict(
  session: UserSession,
  template: string,
  variables: TemplateVariables | undefined,
  timeoutSeconds: number
): Promise<StrictRender> {
  try {
    return await session.firstEvent<StrictRender>(
      renderTemplateMessage(template, { variables, strict: true, timeoutSeconds }),
      (event) => {
        const e = event as { result?: unknown; error?: unknown; level?: unknown };
        if ('result' in e) return { kind: 'result', value: e.result };
        // Warnings (an undefined name in a lenient render) are only reported, never the outcome.
        if (typeof e.error === 'string' && e.level === 'ERROR') return { kind: 'error', message: e.error };
        return undefined;
      }
    );
  } catch (err) {
    if (!(err instanceof HaRefusedError) || err.refusal.code !== 'template_error') throw err;
    const words = refusalWords(err);
    return words.startsWith(TIMED_OUT) ? { kind: 'timeout' } : { kind: 'error', message: words };
  }
}

const REST_PREFIX = 'Error rendering template: ';

/** The output of a template as text (REST, so with an administrator's token), or HA's error text. */
export async function renderTemplateText(
  coreUrl: string,
  token: string,
  template: string,
  variables: TemplateVariables | undefined
): Promise<{ text: string } | { error: string }> {
  try {
    const { text } = await haHttp(`${coreUrl}/api/template`, { token, json: { template, variables } });
    return { text };
  } catch (err) {
    if (!(err instanceof HaRefusedError) || err.refusal.status !== 400) throw err;
    const message = messageOf(err.refusal.answer);
    if (message === undefined) throw err;
    return { error: message.startsWith(REST_PREFIX) ? message.slice(REST_PREFIX.length) : message };
  }
}

function messageOf(answer: string | undefined): string | undefined {
  try {
    const { message } = JSON.parse(answer ?? '') as { message?: unknown };
    return typeof message === 'string' ? message : undefined;
  } catch {
    return undefined;
  }
}
