/**
 * An `ApiInstance` (tools, prompt, resources for one principal) as an MCP server: the SDK's low-level
 * `Server` with one handler per method, so tools are listed with their JSON Schema exactly as the tool
 * gives it and failures read as Home Assistant's own server words them (docs/decisions/005-mcp-sdk.md).
 */
import {
  ProtocolError,
  ProtocolErrorCode,
  ResourceNotFoundError,
  Server,
  type CallToolResult,
  type Tool as McpTool,
} from '@modelcontextprotocol/server';
import { clientAskFor, type ClientChannel } from '../approvals/client-channel.js';
import type { ApprovalOutcome } from '../approvals/engine.js';
import type { ApprovalGate } from '../approvals/gate.js';
import type { Principal } from '../ha/principals.js';
import type { ApiInstance, Tool } from '../llm/api.js';
import { VERSION } from '../version.js';
import { argumentProblem } from '../llm/arguments.js';

/** Told how each tool call ended, before the answer is serialised (the request log's record). */
export interface ToolResultSink {
  noteToolResult(result: { isError: boolean; text: string }): void;
  /** The call waited for a person: how that ended (the request log keeps it). */
  noteApproval?(outcome: ApprovalOutcome): void;
  /** The client's name, as its messages said it. */
  readonly clientName?: string | undefined;
  readonly userAgent?: string | undefined;
}

/** Where a server finds its caller and the instance to serve, at the moment a request is handled. */
export interface InstanceSource {
  principal(): Principal;
  /** The client's name as it introduced itself, for a person asked to approve its call. */
  clientName?(): string | undefined;
  /** Streamable HTTP builds it once per HTTP request; an SSE session once per message. */
  instance(): ApiInstance;
  toolResults?: ToolResultSink;
  /** 2025-era Streamable HTTP: this request is answered as an SSE stream (a question can travel on it). */
  streamed?: boolean;
  /** Aborted when the client drops the connection: a call waiting for a person stops waiting. */
  gone?: AbortSignal;
}

export interface McpServerOptions {
  /** Check tool arguments against the tool's schema before running it (default true). */
  validateArguments?: boolean;
  /** Calls that change what `approval_domains` names wait for a person (approvals/gate.ts). */
  gate?: Pick<ApprovalGate, 'check'>;
  /** Asks the person at an MCP client that declared elicitation (approvals/client-channel.ts). */
  clientChannel?: ClientChannel;
}

/** As Home Assistant's built-in server names itself, so clients treat both alike. */
export const SERVER_NAME = 'home-assistant';

const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** The request meta key a satellite-aware client names its device with (HA's mcp_server reads it). */
export const DEVICE_ID_META = 'io.home-assistant/device_id';

/**
 * The device the request speaks for, if it names one. Anything but a string (or null) is refused as HA
 * refuses it: JSON-RPC error 0 with HA's words, for every method that builds the API instance.
 */
function deviceIdOf(request: { params?: unknown }): string | undefined {
  const meta = (request.params as { _meta?: Record<string, unknown> } | undefined)?._meta;
  const value = meta?.[DEVICE_ID_META];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new ProtocolError(0, `${DEVICE_ID_META} must be a string`);
  return value;
}

const toolResult = (text: string, isError: boolean): CallToolResult => ({
  content: [{ type: 'text', text }],
  isError,
});

function listed(tool: Tool) {
  return {
    name: tool.name,
    ...(tool.title !== undefined && { title: tool.title }),
    description: tool.description,
    // Tool schemas are JSON by construction; the SDK's type only spells out which JSON.
    inputSchema: tool.inputSchema as McpTool['inputSchema'],
    ...(tool.annotations !== undefined && { annotations: tool.annotations }),
  };
}

export function createMcpServer(source: InstanceSource, options: McpServerOptions = {}): Server {
  const validate = options.validateArguments ?? true;
  const server = new Server(
    { name: SERVER_NAME, version: VERSION },
    {
      capabilities: {
        tools: { listChanged: false },
        prompts: { listChanged: false },
        resources: { listChanged: false },
      },
    }
  );

  server.setRequestHandler('tools/list', (request) => {
    deviceIdOf(request);
    return { tools: source.instance().tools.map(listed) };
  });

  // Tool failures are results, not protocol errors, worded as Home Assistant words them: unknown tools
  // included (HA raises inside its handler, and its SDK turns that into an isError result).
  server.setRequestHandler('tools/call', async (request, ctx) => {
    const answer = (text: string, isError: boolean) => {
      source.toolResults?.noteToolResult({ isError, text });
      return toolResult(text, isError);
    };
    const toolError = (text: string) => answer(text, true);
    const deviceId = deviceIdOf(request);
    const { name } = request.params;
    const args = request.params.arguments ?? {};
    const instance = source.instance();
    const listedTool = instance.tools.find((t) => t.name === name);
    // Unlisted tools exist to refuse clearly (read-only mode): their refusal matters more than the arguments.
    const tool = listedTool ?? instance.unlisted?.find((t) => t.name === name);
    if (!tool) return toolError(`Error calling tool: Tool "${name}" not found`);
    const problem = validate && listedTool ? argumentProblem(tool.inputSchema, args) : undefined;
    if (problem) return toolError(`Error calling tool: invalid arguments: ${problem}`);
    try {
      // Unlisted tools only refuse (read-only mode): nothing of theirs waits for a person.
      const approval =
        listedTool &&
        (await options.gate?.check({
          tool,
          args,
          principal: source.principal(),
          clientName: source.clientName?.() || null,
          signal: source.gone ? AbortSignal.any([ctx.mcpReq.signal, source.gone]) : ctx.mcpReq.signal,
          ...(options.clientChannel && {
            client: clientAskFor(ctx, {
              channel: options.clientChannel,
              server,
              principal: source.principal(),
              call: { name, arguments: args },
              streamed: source.streamed ?? false,
            }),
          }),
        }));
      if (approval?.inputRequired) return approval.inputRequired;
      if (approval) source.toolResults?.noteApproval?.(approval.outcome);
      if (approval?.refusal !== undefined) return toolError(approval.refusal);
      const result = await tool.run(args, {
        principal: source.principal(),
        signal: ctx.mcpReq.signal,
        ...(deviceId !== undefined && { deviceId }),
      });
      return answer(result.text, result.isError ?? false);
    } catch (err) {
      return toolError(`Error calling tool: ${messageOf(err)}`);
    }
  });

  server.setRequestHandler('prompts/list', (request) => {
    deviceIdOf(request);
    const { prompt } = source.instance();
    return { prompts: [{ name: prompt.name, description: prompt.description }] };
  });

  server.setRequestHandler('prompts/get', (request) => {
    deviceIdOf(request);
    const { prompt } = source.instance();
    if (request.params.name !== prompt.name) {
      throw new ProtocolError(ProtocolErrorCode.InvalidParams, `Unknown prompt: ${request.params.name}`);
    }
    return {
      description: prompt.description,
      messages: [{ role: 'assistant', content: { type: 'text', text: prompt.text } }],
    };
  });

  server.setRequestHandler('resources/list', (request) => {
    deviceIdOf(request);
    return {
      resources: source.instance().resources.map(({ uri, name, title, description, mimeType }) => ({
        uri,
        name,
        ...(title !== undefined && { title }),
        description,
        mimeType,
      })),
    };
  });

  // No templates: answered empty rather than "method not found", since the capability is declared.
  server.setRequestHandler('resources/templates/list', () => ({ resourceTemplates: [] }));

  server.setRequestHandler('resources/read', async (request, ctx) => {
    const { uri } = request.params;
    const resource = source.instance().resources.find((r) => r.uri === uri);
    if (!resource) throw new ResourceNotFoundError(uri, `Unknown resource: ${uri}`);
    deviceIdOf(request);
    let text: string;
    try {
      text = await resource.read({ principal: source.principal(), signal: ctx.mcpReq.signal });
    } catch (err) {
      throw new ProtocolError(ProtocolErrorCode.InternalError, `Error reading resource: ${messageOf(err)}`);
    }
    return { contents: [{ uri, mimeType: resource.mimeType, text }] };
  });

  return server;
}
