/**
 * The add-on's options: read from the Supervisor's `/data/options.json` in an add-on, or from
 * `DATA_DIR/options.json` standalone (every option has a default, so the file is optional there).
 * Names and defaults match `config.yaml`; a test keeps the three (this, config.yaml, translations) in step.
 */
import * as z from 'zod';
// The fixed choices live in the admin API's contract (a file without run-time imports), so the panel's
// menus offer exactly what this schema accepts.
import { LOG_LEVELS, TOOL_NAMINGS } from './admin/contract.js';
import { APPROVAL_DOMAIN, DEFAULT_APPROVAL_DOMAINS } from './approvals/policy.js';

export { LOG_LEVELS, TOOL_NAMINGS };
export type LogLevel = (typeof LOG_LEVELS)[number];

const httpUrl = z
  .string()
  .trim()
  .refine((value) => {
    try {
      const url = new URL(value);
      return url.protocol === 'http:' || url.protocol === 'https:';
    } catch {
      return false;
    }
  }, 'must be an http:// or https:// URL')
  .transform((value) => value.replace(/\/+$/, ''));

export const OptionsSchema = z.object({
  /** Off means read-only: only tools that change nothing are offered, and calls to others are refused. */
  control_home_assistant: z.boolean().default(true),
  /**
   * Only HA administrators may use `/api/mcp` and the legacy SSE pair (HA's own default). The per-API
   * endpoints ignore it, as HA's do: `/api/mcp/assist` is for everyone, the others for administrators.
   */
  require_admin: z.boolean().default(true),
  /**
   * The LLM APIs whose tools, prompt and resource `/api/mcp` serves: both by default, as HA's own server
   * ("All LLM APIs"); a merge that includes `homeassistant` is for administrators only.
   */
  llm_apis: z
    .array(z.string().min(1))
    .min(1, 'select at least one LLM API')
    .default(['assist', 'homeassistant']),
  /** Tool names as the connected HA names them (auto), always bare, or always prefixed with their domain. */
  tool_naming: z.enum(TOOL_NAMINGS).default('auto'),
  /** The URL clients reach the MCP port at (for OAuth metadata and the setup page), if not HA's own. */
  external_url: z.preprocess((v) => (v === '' || v === null ? undefined : v), httpUrl.optional()),
  /**
   * Entity domains whose changes wait for a person's approval; `cover.garage` names covers of one device
   * class (approvals/policy.ts).
   */
  approval_domains: z
    .array(
      z
        .string()
        .trim()
        .regex(APPROVAL_DOMAIN, 'must be a domain, or a domain and a device class (cover.garage)')
    )
    .default([...DEFAULT_APPROVAL_DOMAINS]),
  /** Seconds a call waits for that approval before it is not done. */
  approval_timeout: z.number().int().min(10).max(3600).default(120),
  log_retention_days: z.number().int().min(1).max(3650).default(30),
  log_max_rows: z.number().int().min(1_000).max(10_000_000).default(200_000),
  log_level: z.enum(LOG_LEVELS).default('info'),
});

export type Options = z.infer<typeof OptionsSchema>;

/** A setting that keeps the server from starting; its message is shown to the user as it is. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Turns zod issues into one line a user can act on: `log_level: must be one of ...; ...`. */
export function describeIssues(error: z.ZodError, source: string): string {
  const parts = error.issues.map((issue) => {
    const path = issue.path.join('.') || '(root)';
    return `${path}: ${issue.message}`;
  });
  return `invalid options in ${source}: ${parts.join('; ')}`;
}

export function parseOptions(raw: unknown, source: string): Options {
  const result = OptionsSchema.safeParse(raw ?? {});
  if (!result.success) throw new ConfigError(describeIssues(result.error, source));
  return result.data;
}
