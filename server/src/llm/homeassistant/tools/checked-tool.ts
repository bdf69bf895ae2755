/**
 * A tool of the "Home Assistant" API whose arguments are checked as HA checks them before its tool runs (its
 * probatio schema): the input schema comes from the same parameters, and bad arguments are answered in HA's
 * words. Tools built this way do not restate that step each.
 */
import type { Tool, ToolAnnotations, ToolContext, ToolResult } from '../../api.js';
import { jsonSchemaOf, parseArguments, type Parameters } from '../parameters.js';

/** HA's annotations of a tool that only reads: read_only, not destructive, idempotent, closed world. */
export const READS_ONLY: ToolAnnotations = {
  readOnlyHint: true,
  destructiveHint: false,
  idempotentHint: true,
  openWorldHint: false,
};

export interface CheckedTool extends Omit<Tool, 'inputSchema' | 'run'> {
  parameters: Parameters;
  /** Runs with the arguments as HA's schema returns them: coerced, defaults filled in. */
  run(args: Record<string, unknown>, ctx: ToolContext): Promise<ToolResult>;
}

export function checkedTool({ parameters, run, ...tool }: CheckedTool): Tool {
  return {
    ...tool,
    inputSchema: jsonSchemaOf(parameters),
    async run(args, ctx) {
      const parsed = parseArguments(parameters, args);
      if (!parsed.ok) return { text: `Error calling tool: ${parsed.message}`, isError: true };
      return run(parsed.value, ctx);
    },
  };
}
