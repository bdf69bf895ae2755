/**
 * An LLM API is a plugin: for a calling principal it yields tools, a prompt and resources. MCP tools,
 * prompts and resources are all generated from an instance (mcp/), so the transport knows nothing of HA.
 */
import type { CallChanges } from '../approvals/targets.js';
import type { Principal } from '../ha/principals.js';

/** A JSON Schema for a tool's arguments: always an object schema. */
export interface JsonSchemaObject {
  type: 'object';
  properties: Record<string, unknown>;
  required?: string[];
  [key: string]: unknown;
}

export interface ToolAnnotations {
  readOnlyHint?: boolean;
  destructiveHint?: boolean;
  idempotentHint?: boolean;
  openWorldHint?: boolean;
}

/** What a tool returns: its text (HA's tools return JSON text) and whether it failed. */
export interface ToolResult {
  text: string;
  isError?: boolean;
}

export interface ToolContext {
  principal: Principal;
  signal?: AbortSignal;
  /** The device the request speaks for (`_meta["io.home-assistant/device_id"]`), for area-relative intents. */
  deviceId?: string;
}

export interface Tool {
  name: string;
  /**
   * The same tool in every API that offers it (HA's GetDateTime): merged APIs list it once. Tools that
   * share this key are one tool.
   */
  shared?: string;
  title?: string;
  description: string;
  inputSchema: JsonSchemaObject;
  annotations?: ToolAnnotations;
  run(args: Record<string, unknown>, ctx: ToolContext): Promise<ToolResult>;
  /**
   * What a call with these arguments would change in the home, for the approval gate (approvals/gate.ts);
   * absent for tools that change no entity.
   */
  changes?(args: Record<string, unknown>): CallChanges;
}

export interface Prompt {
  name: string;
  description: string;
  text: string;
}

export interface Resource {
  uri: string;
  name: string;
  title?: string;
  description: string;
  mimeType: string;
  read(ctx: ToolContext): Promise<string>;
}

/** One API's offer to one principal, built per request from the live Home. */
export interface ApiInstance {
  tools: Tool[];
  prompt: Prompt;
  resources: Resource[];
  /** Tools not listed but still answered when called by name: read-only mode refuses them clearly. */
  unlisted?: Tool[];
}

export interface LlmApi {
  id: string;
  name: string;
  /** For administrators only (HA's "Home Assistant" API); a merge that includes it is too. */
  requiresAdmin?: boolean;
  instance(principal: Principal): ApiInstance;
}

/** A principal asked for an API that is for administrators: HA answers JSON-RPC error 0 "Unauthorized". */
export class ApiUnauthorizedError extends Error {
  override name = 'ApiUnauthorizedError';
  /** The JSON-RPC error code the SDK answers with (it reads `code` from what a handler throws). */
  readonly code = 0;
  constructor() {
    super('Unauthorized');
  }
}
