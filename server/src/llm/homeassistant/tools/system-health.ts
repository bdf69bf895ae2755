/**
 * `system_health__get_system_info`: the installation type, time zone and versions (Core, frontend, Python,
 * operating system, Supervisor), as HA's system_health tool gives them. From outside: `get_config`'s version,
 * the first complete answer of the `system_health/info` subscription, and `frontend/get_version`.
 */
import { HaRefusedError } from '../../../ha/errors.js';
import type { Tool } from '../../api.js';
import { pythonJson } from '../../assist/python-json.js';
import { sessionOf, type HaApiContext } from '../context.js';

type Info = Record<string, unknown>;
interface DomainHealth {
  info?: Info;
}

const PENDING = (value: unknown) => (value as { type?: unknown } | null)?.type === 'pending';

/** HA's system_health answer once the parts this tool reads are known (some checks finish later). */
export function settleHealth(): (event: unknown) => Record<string, DomainHealth> | undefined {
  let data: Record<string, DomainHealth> | undefined;
  const needed: [string, string][] = [
    ['homeassistant', 'installation_type'],
    ['homeassistant', 'python_version'],
    ['homeassistant', 'os_name'],
    ['homeassistant', 'os_version'],
    ['homeassistant', 'arch'],
    ['homeassistant', 'timezone'],
    ['hassio', 'supervisor_version'],
    ['hassio', 'host_os'],
  ];
  const ready = () =>
    needed.every(([domain, key]) => data?.[domain] === undefined || !PENDING(data[domain]!.info?.[key]));
  return (event) => {
    const e = event as { type?: string; data?: unknown; domain?: string; key?: string; success?: boolean };
    if (e.type === 'initial') data = e.data as Record<string, DomainHealth>;
    else if (e.type === 'update' && data && e.domain && e.key) {
      const info = (data[e.domain] ??= {}).info ?? {};
      info[e.key] = e.success ? e.data : { type: 'failed', error: e.data };
      data[e.domain]!.info = info;
    } else if (e.type === 'finish') return data ?? {};
    return data && ready() ? data : undefined;
  };
}

/** A value HA's checks gave, or undefined when the check failed or never ran. */
const valueOf = (value: unknown): unknown =>
  value !== null && typeof value === 'object' && 'type' in value ? undefined : value;

export function systemHealthTools(ctx: HaApiContext): Tool[] {
  return [
    {
      name: 'system_health__get_system_info',
      title: 'Get system info',
      description:
        'The installation type and time zone of Home Assistant, and the versions of Core, the frontend, ' +
        'Python, the operating system and the Supervisor, for example for a bug report.',
      inputSchema: { type: 'object', properties: {} },
      annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
      async run(_args, { principal }) {
        const session = sessionOf(ctx, principal);
        const [config, health, frontend] = await Promise.all([
          session.send<{ version: string }>({ type: 'get_config' }),
          session.firstEvent({ type: 'system_health/info' }, settleHealth()),
          session.send<{ version: string }>({ type: 'frontend/get_version' }).then(
            (answer) => answer.version,
            (err: unknown) => {
              // HA answers unknown_version when it cannot tell: its tool then says null.
              if (err instanceof HaRefusedError && err.refusal.code === 'unknown_version') return null;
              throw err;
            }
          ),
        ]);
        const core = health.homeassistant?.info ?? {};
        const result: Record<string, unknown> = {
          installation_type: valueOf(core.installation_type) ?? null,
          core_version: config.version,
          frontend_version: frontend,
          python_version: valueOf(core.python_version) ?? null,
          os_name: valueOf(core.os_name) ?? null,
          os_version: valueOf(core.os_version) ?? null,
          arch: valueOf(core.arch) ?? null,
          timezone: valueOf(core.timezone) ?? null,
        };
        const supervisor = String(valueOf(health.hassio?.info?.supervisor_version) ?? '').replace(
          /^supervisor-/,
          ''
        );
        if (supervisor && supervisor !== 'None') result.supervisor_version = supervisor;
        const hostOs = valueOf(health.hassio?.info?.host_os);
        if (hostOs) result.host_os = hostOs;
        return { text: pythonJson({ result }) };
      },
    },
  ];
}
