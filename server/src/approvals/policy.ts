/**
 * Which entities need a person's approval before a tool changes them: those whose domain is listed in the
 * `approval_domains` option, where an entry is a domain (`lock`) or a domain and a device class
 * (`cover.garage`: only covers of that class). The default asks for locks, alarm panels, valves, and garage
 * doors, gates and doors. Pure: the caller says which entities a call would change (targets.ts).
 */
import type { ResolvedEntity } from '../ha/types.js';

export const DEFAULT_APPROVAL_DOMAINS = [
  'lock',
  'alarm_control_panel',
  'valve',
  'cover.garage',
  'cover.gate',
  'cover.door',
] as const;

/** One entry of `approval_domains`: a domain, optionally narrowed to a device class. */
export const APPROVAL_DOMAIN = /^[a-z0-9_]+(?:\.[a-z0-9_]+)?$/;

export interface ApprovalRule {
  domain: string;
  deviceClass?: string;
}

export const rulesOf = (domains: readonly string[]): ApprovalRule[] =>
  domains.map((entry) => {
    const [domain, deviceClass] = entry.split('.', 2) as [string, string | undefined];
    return deviceClass ? { domain, deviceClass } : { domain };
  });

/** Whether changing this entity needs approval under these rules. */
export function needsApproval(
  entity: Pick<ResolvedEntity, 'domain' | 'attributes'>,
  rules: readonly ApprovalRule[]
): boolean {
  return rules.some(
    (rule) =>
      rule.domain === entity.domain &&
      (rule.deviceClass === undefined || entity.attributes.device_class === rule.deviceClass)
  );
}

/**
 * Whether an action of this domain can change an entity that needs approval, when the call names no entity
 * the model knows (`lock.unlock` with no target acts on every lock): any rule for the domain.
 */
export const domainNeedsApproval = (domain: string, rules: readonly ApprovalRule[]): boolean =>
  rules.some((rule) => rule.domain === domain);
