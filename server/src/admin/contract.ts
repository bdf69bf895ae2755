/**
 * The admin API's contract with the panel: every request and answer shape of `/api/admin/*` (api.ts), in
 * one file both sides import. The server's handlers check their answers against these types (`satisfies`),
 * and the panel's data layer (`ui/src/data/*.ts`) reads them instead of restating them, so a field renamed
 * on one side fails the type check on the other instead of drifting.
 *
 * Types and constants only: nothing here imports hono, zod or Node at run time, because Vite bundles the
 * panel's import of this file. Type-only imports are erased; the one value re-exported (`OUTCOMES`) comes
 * from a file of plain constants.
 *
 * JSON field names are camelCase. One exception: the add-on's options (`SettingsAnswer.options` and the
 * PUT /settings body) keep the names exactly as config.yaml spells them (`log_retention_days`, ...), since
 * those are the names users see in Home Assistant's Configuration tab, the Supervisor stores, and field
 * errors name (`{ field: 'log_level' }`).
 */
import type { GrantSummary } from '../oauth/grant-summary.js';
import type { Options } from '../options.js';
import type { LoggedRequest, Outcome } from '../store/log-entry.js';
import type { UserLocale } from '../ha/user-locale.js';
import type { CheckCode } from './connection-check-words.js';

export { OUTCOMES, type Outcome } from '../store/log-entry.js';
export type { Options } from '../options.js';
export type { NumberFormat, TimeFormat, UserLocale } from '../ha/user-locale.js';

/** 'addon': behind the Supervisor's ingress; 'standalone': any Home Assistant, given its URL and a token. */
export type Mode = 'addon' | 'standalone';

// Errors ---------------------------------------------------------------------------------------------

/** One problem with a body or query, on the field it is about (`llm_apis.0`, `entityIds`). */
export interface FieldIssue {
  field: string;
  message: string;
}

/** Every refusal: 4xx and 5xx answers. `field` and `issues` come with a 400 about the body or query. */
export interface ErrorAnswer {
  error: string;
  /** The first field the error is about (`log_level`), or null when the body as a whole is wrong. */
  field?: string | null;
  issues?: FieldIssue[];
  /** POST /entities/expose: the entity ids HA does not know. */
  unknown?: string[];
}

// GET /overview --------------------------------------------------------------------------------------

/** The Home model's link to HA (server/src/ha/home.ts `HomeStatus`). */
export type HomeStatus = 'connecting' | 'ready' | 'stale';

/**
 * Where an MCP URL comes from, which says where it works from:
 * - `external`: the add-on's External URL option: wherever the owner made it reach;
 * - `internal`: Home Assistant's internal URL's host on the published port: the home network;
 * - `host`: the host's own address (what HA uses without an internal URL): the home network;
 * - `mdns`: the host's `<name>.local`: the home network, where .local names resolve;
 * - `forwarded`: Home Assistant's external URL's host on the published port: the internet, only if the
 *   router forwards that port to the host;
 * - `local`: standalone, the MCP listener's own address;
 * - `home_assistant`: Home Assistant's own Cloud or external URL, through the companion integration
 *   (`/api/mcp_addon`): wherever Home Assistant is reached.
 */
export type McpUrlKind = 'external' | 'internal' | 'host' | 'mdns' | 'forwarded' | 'local' | 'home_assistant';

export interface McpUrl {
  kind: McpUrlKind;
  url: string;
}

export interface OverviewAnswer {
  version: string;
  mode: Mode;
  home: { status: HomeStatus; haVersion: string | null; locationName: string | null };
  /**
   * `port` is the host port clients use (the published one in an add-on); no URLs on it when it is not
   * published. `cloud`: the Home Assistant Cloud (Nabu Casa) address HA is reached at, if any: it leads to
   * Home Assistant, never to the add-on's port, so it is no MCP URL.
   */
  mcp: { port: number; urls: McpUrl[]; cloud: string | null };
  /** Each part below is null while its source (HA, the request log) is away. */
  entities: { total: number; exposed: number } | null;
  /** The tool names an MCP client is offered now. */
  tools: string[] | null;
  /** Who may use `/api/mcp` and which LLM APIs it serves (the options), for the Connect page. */
  access: { requireAdmin: boolean; llmApis: string[] };
  /**
   * The last 24 hours (failed sign-ins not counted); `to` null means "until now". Everyone's calls for an
   * administrator, the viewer's own for anyone else (as every list of activity here).
   */
  requests: { from: number; to: number | null; calls: number; errors: number } | null;
  /** Who is looking; isAdmin null when HA cannot say (then the panel is read-only). */
  user: { id: string | null; name: string | null; displayName: string | null; isAdmin: boolean | null };
}

// GET /entities, POST /entities/expose, GET|PUT /expose-new ------------------------------------------

/** One entity as the panel lists it. */
export interface EntityRow {
  entityId: string;
  /** What HA shows as the entity's name. */
  name: string;
  /** The other names Assist knows it by. */
  aliases: string[];
  domain: string;
  area: { id: string; name: string } | null;
  floor: { id: string; name: string } | null;
  exposed: boolean;
}

/** The query string of GET /entities; a parameter left out (or empty) means "any". */
export interface EntityQuery {
  /** In the name, an alias or the entity id, ignoring case. */
  search?: string;
  domain?: string;
  /** An area id. */
  area?: string;
  exposed?: 'true' | 'false';
}

/** The filter menus: counted over all entities, not only those shown. */
export interface EntityFacets {
  domains: { id: string; count: number }[];
  areas: { id: string; name: string; floor: string | null; count: number }[];
}

export interface EntitiesAnswer {
  /** The entities that match, by name. */
  entities: EntityRow[];
  facets: EntityFacets;
  counts: { total: number; exposed: number; matching: number };
  /** HA's "expose new entities" for Assist. */
  exposeNew: boolean;
  /** Exposure written here that the server's model (and so the tool list) has not caught up with yet. */
  settling: number;
}

export interface ExposeBody {
  entityIds: string[];
  shouldExpose: boolean;
}

export interface ExposeAnswer {
  entities: { entityId: string; exposed: boolean }[];
}

/** GET /expose-new's answer, and PUT /expose-new's body and answer. */
export interface ExposeNew {
  exposeNew: boolean;
}

// GET /logs, /logs/export, /logs/tail ----------------------------------------------------------------

/** A row of the request log, as the store keeps it. */
export type LogRow = LoggedRequest;

/** The filters of every log route (server/src/admin/log-filter.ts), as query parameters. */
export interface LogQuery {
  /** Milliseconds since the epoch or an ISO date; from inclusive, to exclusive. */
  from?: string;
  to?: string;
  /** An HA user id; for a viewer who is not an administrator, always their own, whatever this says. */
  user?: string;
  /** A client's name, exactly. */
  client?: string;
  /** A tool, prompt or resource name, exactly. */
  tool?: string;
  /** One or more outcomes, comma-separated. */
  outcome?: string;
  /** Free text in the method, target, error or arguments. */
  q?: string;
}

export interface LogPageQuery extends LogQuery {
  /** `next` from the previous page. */
  cursor?: string;
  limit?: string;
}

export type LogExportFormat = 'csv' | 'json';

export interface LogExportQuery extends LogQuery {
  format?: LogExportFormat;
}

/** Newest first. */
export interface LogPageAnswer {
  rows: LogRow[];
  /** The cursor of the next (older) page; null at the end. */
  next: string | null;
}

/** The live tail's Server-Sent Events, by event name, with what their `data` holds. */
export interface LogTailEvents {
  /** Once, first, as soon as the stream opens: a panel that does not get it knows the stream is held back. */
  ready: Record<string, never>;
  /** A row the store committed that the filter matches. */
  row: LogRow;
  /** Rows left out because the client read too slowly. */
  gap: { dropped: number };
}

// GET /clients, /tools-usage, /grants, DELETE /grants/:id --------------------------------------------

/** The query string of GET /clients and /tools-usage (default: the last 24 hours). */
export interface RangeQuery {
  from?: string;
  to?: string;
}

/** Figures within the range asked for. */
export interface CallFigures {
  calls: number;
  errors: number;
  lastSeen: number;
  p50Ms: number;
  p95Ms: number;
}

/** A client: one (user, client name) pair. */
export interface ClientRow {
  userId: string | null;
  userName: string | null;
  /** Null for requests that never named a client. */
  name: string | null;
  /** The most recently seen version and user agent; every version seen, newest first. */
  version: string | null;
  versions: string[];
  userAgent: string | null;
  firstSeen: number | null;
  lastSeen: number;
  /** Since first seen (kept in the clients table, beyond the log's retention); null if never named. */
  total: { calls: number; errors: number } | null;
  /** Within the range asked for; null if the client made no request in it. */
  range: CallFigures | null;
}

export interface ClientsAnswer {
  from: number;
  /** Null: until now. */
  to: number | null;
  /** Most recently seen first. */
  clients: ClientRow[];
}

export interface ToolUsageRow extends CallFigures {
  tool: string;
}

export interface ToolsUsageAnswer {
  from: number;
  to: number | null;
  tools: ToolUsageRow[];
}

/** An OAuth sign-in: one per client and user (the authorization server's own summary). */
export type GrantRow = GrantSummary;

export interface GrantsAnswer {
  grants: GrantRow[];
  /** False when OAuth is off (then there are never any). */
  enabled: boolean;
}

export interface RevokeGrantAnswer {
  revoked: true;
}

// GET|PUT /settings ----------------------------------------------------------------------------------

/** The choices of the options that have a fixed list: OptionsSchema and the panel's menus both read these. */
export const TOOL_NAMINGS = ['auto', 'bare', 'prefixed'] as const;
export const LOG_LEVELS = ['debug', 'info', 'warning', 'error'] as const;

/** The whole options object, with config.yaml's names (the exception to camelCase, see above). */
export type SettingsBody = Options;

export interface SettingsAnswer {
  /** What is in force now. */
  options: Options;
  /** The LLM APIs there are to choose from. */
  apis: { id: string; name: string }[];
  mode: Mode;
}

// POST /connection-test ------------------------------------------------------------------------------

export interface ConnectionTestBody {
  url: string;
  /** A long-lived token to try `tools/list` with; used for this test only. */
  token?: string;
}

export interface ConnectionCheck {
  name: 'URL' | 'Port' | 'Reachable' | 'Token';
  ok: boolean;
  /** What was found, for the panel to word (connection-check-words.ts), with the values it is worded with. */
  code: CheckCode;
  params: Record<string, string | number>;
  /** What was found, in English words the owner can act on. */
  detail: string;
}

export interface ConnectionTestAnswer {
  url: string;
  /** Every check passed. */
  ok: boolean;
  checks: ConnectionCheck[];
}

// GET /companion, POST /companion/{install,setup,restart,remove} --------------------------------------

/**
 * Where the companion integration stands (companion.ts): not in HA's config folder; copied but not loaded
 * until Core restarts; loaded without a config entry; working; older (or newer) than the add-on's copy; or
 * an error to show in words.
 */
export type CompanionState =
  'not_installed' | 'restart_needed' | 'set_up_needed' | 'ready' | 'update_available' | 'error';

/** Why the add-on cannot copy the integration into HA's config folder (companion-files.ts). */
export interface CompanionBlock {
  reason: 'unavailable' | 'missing' | 'not_a_folder' | 'read_only';
  /** The folder the add-on looked for; null when it has none. */
  folder: string | null;
}

export interface CompanionEntry {
  entryId: string;
  /** HA's ConfigEntryState: `loaded`, `setup_error`, `setup_retry`, ... */
  state: string;
}

export interface CompanionStatus {
  state: CompanionState;
  /** What went wrong, in words, when `state` is `error` (or the last setup failed). */
  error: string | null;
  /** The add-on can copy the files itself: HA's config folder is mapped and writable. */
  canInstall: boolean;
  /** Why it cannot, in words (null when it can). */
  installBlocked: string | null;
  /** Why it cannot, for the panel to word (null when it can). */
  installBlock: CompanionBlock | null;
  /** The copy the add-on carries (its manifest's version). */
  bundledVersion: string | null;
  /** The copy in HA's config folder; null when there is none (or the folder is not mapped). */
  filesVersion: string | null;
  /** The version Core has loaded; null when Core does not know the integration (yet). */
  loadedVersion: string | null;
  entry: CompanionEntry | null;
  /** Home Assistant is not answering, or still starting (restarting): loaded version and entry are unknown. */
  haAway: boolean;
  /** An install was asked for: the add-on sets the integration up by itself once Core has loaded it. */
  setupPending: boolean;
  /** The add-on URL the entry was set up with, when the add-on set it up. */
  addonUrl: string | null;
}

export interface CompanionRestartAnswer {
  restarting: true;
}

// GET /approvals, /approvals/stream, POST /approvals/:id ---------------------------------------------

/** A call waiting for a person's approval (server/src/approvals/engine.ts), as the panel lists it. */
export interface ApprovalRow {
  id: string;
  /** The HA user the client acts as: they (or an administrator) decide. */
  userId: string;
  userName: string;
  /** The name the client gave itself; null when it gave none. */
  clientName: string | null;
  tool: string;
  /** What it would do, and to what: "unlock" Front Door. No entities: a whole domain, or a script's. */
  verb: string;
  entities: { entityId: string; name: string }[];
  askedAt: number;
  /** When it stops waiting and is not done. */
  expiresAt: number;
}

export interface ApprovalsAnswer {
  /** Oldest first: everything for an administrator, the viewer's own calls for anyone else. */
  approvals: ApprovalRow[];
  /** The server's clock, for the time left (the browser's may differ). */
  now: number;
  /** False when nothing can wait for approval here (no engine). */
  enabled: boolean;
}

/** The approvals stream's Server-Sent Events, by name, with what their `data` holds. */
export interface ApprovalEvents {
  /** Once, first: a panel that does not get it knows the stream is held back, and polls. */
  ready: Record<string, never>;
  /** The whole list as the viewer may see it, at once and after every change. */
  approvals: ApprovalsAnswer;
}

export interface ApprovalDecisionBody {
  allow: boolean;
}

export interface ApprovalDecisionAnswer {
  decided: true;
  allow: boolean;
}

// PUT /grants/:id ------------------------------------------------------------------------------------

/** A grant's own rule, beyond `approval_domains`: every change its client makes waits for a person. */
export interface GrantSettingsBody {
  asksEverything: boolean;
}

export type GrantSettingsAnswer = GrantRow;

// GET /token-cost ------------------------------------------------------------------------------------

/** What one kind of caller is sent by one endpoint, in tokens (token-cost.ts). */
export interface TokenCostFigures {
  /**
   * False when this caller cannot use the endpoint (an API for administrators, or `/api/mcp` while
   * `require_admin` is on): every count is 0.
   */
  available: boolean;
  /** How many tools tools/list offers. */
  toolCount: number;
  /** The tools array of tools/list, as sent. */
  tools: number;
  /** The prompt's text (prompts/get). */
  prompt: number;
  /** GetLiveContext's answer without filters; 0 where the endpoint offers no live context. */
  liveContext: number;
  total: number;
}

export interface TokenCostApi {
  /** The API's id; null for `/api/mcp`, which serves what the options select (merged when several). */
  id: string | null;
  name: string;
  /** Where clients reach it on the MCP listener. */
  endpoint: string;
  callers: { admin: TokenCostFigures; nonAdmin: TokenCostFigures; readOnly: TokenCostFigures };
}

/** An exposed entity's share of what an administrator's client is sent by the API with the live context. */
export interface TokenCostEntity {
  entityId: string;
  name: string;
  domain: string;
  /** The sum of the three below. */
  tokens: number;
  /** Its own block in GetLiveContext's answer. */
  liveContext: number;
  /** Its line in the prompt's static context. */
  prompt: number;
  /** A script's own tool; a to-do list's or calendar's names in its tool's choices. */
  tools: number;
  /** Attributes the live context shows (temperature, brightness, ...): each one is sent on every read. */
  attributes: number;
  /** Aliases beyond its name: each is sent in the live context and the prompt. */
  aliases: number;
}

export interface TokenCostAnswer {
  tokenizer: { name: string; note: string };
  /** The API ids the options select, in order (`/api/mcp` serves them). */
  selected: string[];
  /** False when the options make every caller read-only ("Control Home Assistant" off). */
  controlHomeAssistant: boolean;
  /** The selection (`/api/mcp`) first, then every API on its own endpoint. */
  apis: TokenCostApi[];
  /** The costliest exposed entities first, at most `limit` of them. */
  entities: TokenCostEntity[];
  /** Every exposed entity's share added up, and how many there are. */
  entityTotals: { count: number; tokens: number };
  /** When these figures were counted (ms since epoch) and how long that took. */
  computedAt: number;
  computeMs: number;
}

// GET /usage/series ----------------------------------------------------------------------------------

export type SeriesRange = '24h' | '7d';

/** One bucket of requests over time: [start, start + bucketMs), cut short at the series' `to`. */
export interface SeriesBucketRow {
  start: number;
  /** Requests by how they ended; the five always present. */
  counts: Record<Outcome, number>;
  total: number;
  /** Nearest-rank percentiles of the bucket's latencies; null for an empty bucket. */
  p50Ms: number | null;
  p95Ms: number | null;
}

export interface SeriesAnswer {
  /** Inclusive, ms since the epoch; the first bucket's start. */
  from: number;
  /** Exclusive; for a named range the end of the bucket that holds now (so a little in the future). */
  to: number;
  bucketMs: number;
  /** Every bucket from `from` to `to`, oldest first, empty ones too. */
  buckets: SeriesBucketRow[];
}

// The viewer's language ------------------------------------------------------------------------------

/**
 * GET /locale: the language and number and time formats the viewer chose in their Home Assistant profile
 * (ha/user-locale.ts); null when they never chose (HA then follows the browser, and so does the panel) or
 * the add-on cannot read it.
 */
export interface LocaleAnswer {
  profile: UserLocale | null;
}
