/**
 * The approval gate in front of every tool call: a call that would change an entity the `approval_domains`
 * option names (or any change, for a client its owner set to ask for everything) waits for a person; reads
 * never wait. What a call would change comes from the tool itself (`Tool.changes`, targets.ts), and for
 * scripts from what Home Assistant relates them to. Then the engine asks (engine.ts) and the call runs only
 * if a person allowed it; otherwise the model is told, in words it cannot mistake for a failure to retry.
 */
import type { InputRequiredResult } from '@modelcontextprotocol/server';
import type { Home } from '../ha/home.js';
import { ClientInputRequired, type ClientAsk } from './client-channel.js';
import type { Principal } from '../ha/principals.js';
import type { ResolvedEntity } from '../ha/types.js';
import type { Tool } from '../llm/api.js';
import { newApprovalId, type Approvals, type ApprovalOutcome, type Ask } from './engine.js';
import { domainNeedsApproval, needsApproval, type ApprovalRule } from './policy.js';
import { phoneText, questionIn, type Change, type PhoneText } from './phone-words.js';
import type { CallChanges } from './targets.js';

/** The client's own way to ask its person (MCP elicitation), when it has one (client-channel.ts). */
export interface ClientQuestion {
  readonly supported: boolean;
  readonly era?: ClientAsk['era'];
  takeAnswer?: ClientAsk['takeAnswer'];
  ask(
    question: { id: string; message: string },
    signal: AbortSignal
  ): Promise<{ kind: 'accept' | 'decline' | 'cancel' }>;
}

/** The person's phones (phone-channel.ts): the part of it the gate uses. */
export interface PhoneQuestions {
  ask(
    question: { id: string; userId: string } & PhoneText,
    onAnswer: (answer: { allow: boolean; deviceName: string; userId: string }) => void,
    signal: AbortSignal
  ): Promise<boolean>;
}

export interface GateDeps {
  home: Home;
  approvals: Approvals;
  /** The `approval_domains` option, read per call. */
  rules(): readonly ApprovalRule[];
  /** The entity ids Home Assistant relates a script to (its search); empty when it cannot say. */
  related(scriptEntityId: string): Promise<string[]>;
  /** A client whose every change waits (its grant is set so in the panel). */
  asksForEverything?(principal: Principal): boolean;
  phone?: PhoneQuestions;
  /** The language the user chose in their HA profile, for their phone's question; undefined when unknown. */
  phoneLanguage?(userId: string): Promise<string | undefined>;
}

export interface GatedCall {
  tool: Tool;
  args: Record<string, unknown>;
  principal: Principal;
  /** The name the client gave itself; null when it gave none. */
  clientName: string | null;
  client?: ClientQuestion;
  /** Aborted when the client goes away: its request for approval is cancelled. */
  signal?: AbortSignal;
}

/** What a call was waiting for, and how it ended; undefined when it did not wait. */
export interface GateResult {
  outcome: ApprovalOutcome;
  /** The text the model gets instead of the tool's result, when it may not run. */
  refusal?: string;
  /** 2026 era: return this from tools/call; the client asks its person and retries the call. */
  inputRequired?: InputRequiredResult;
}

const nameOf = (entity: ResolvedEntity) =>
  entity.names[0] ??
  (typeof entity.attributes.friendly_name === 'string' ? entity.attributes.friendly_name : entity.entity_id);

/** The question as a person reads it: "Claude wants to unlock Front Door". */
export const questionOf = (
  clientName: string | null,
  verb: string,
  entities: { name: string }[],
  domains: string[]
): string => questionIn('en', { clientName, verb, entities: entities.map((e) => e.name), domains });

/** What the model is told when the call did not run. */
export function refusalText(
  outcome: ApprovalOutcome,
  question: string,
  timeoutSeconds: number
): string | undefined {
  const never = 'Nothing was changed. Do not retry this on your own: tell the user, and let them ask again.';
  switch (outcome.outcome) {
    case 'allowed':
      return undefined;
    case 'denied':
      return `A person declined this action (${question}). ${never}`;
    case 'timed_out':
      return `No one approved this action (${question}) within ${timeoutSeconds} seconds, so it was not done. ${never}`;
    case 'cancelled':
      return `The request for approval (${question}) ended before anyone answered. ${never}`;
    case 'refused':
      return `This action (${question}) needs a person's approval, but ${outcome.reason}. ${never}`;
  }
}

export class ApprovalGate {
  constructor(private readonly deps: GateDeps & { timeoutSeconds(): number }) {}

  /** Waits for approval when the call needs it; undefined when it does not. */
  async check(call: GatedCall): Promise<GateResult | undefined> {
    if (call.tool.annotations?.readOnlyHint === true) return undefined;
    const everything = this.deps.asksForEverything?.(call.principal) ?? false;
    if (!call.tool.changes && !everything) return undefined;
    const changes: CallChanges = call.tool.changes?.(call.args) ?? { entities: [], domains: [], verb: 'use' };
    const rules = this.deps.rules();
    const entities = [...changes.entities, ...(await this.scriptEntities(changes.scripts ?? []))];
    const risky = everything ? entities : entities.filter((e) => needsApproval(e, rules));
    const domains = changes.domains.filter((d) => everything || domainNeedsApproval(d, rules));
    if (!everything && risky.length === 0 && domains.length === 0) return undefined;

    const shown = [
      ...new Map(risky.map((e) => [e.entity_id, { entityId: e.entity_id, name: nameOf(e) }])).values(),
    ];
    const question = questionOf(call.clientName, changes.verb, shown, domains);
    const { client } = call;
    // 2026 era: the person answered at the client, and the client retried this very call with the answer.
    const carried = client?.takeAnswer?.();
    if (carried) {
      const allowed = carried.answer.kind === 'accept';
      const outcome: ApprovalOutcome = {
        outcome: allowed ? 'allowed' : 'denied',
        channel: 'client',
        decidedBy: call.principal.name,
        waitedMs: 0,
      };
      const refusal = refusalText(outcome, question, this.deps.timeoutSeconds());
      return { outcome, ...(refusal !== undefined && { refusal }) };
    }
    // 2026 era: no server-to-client request; the client is asked by the call's result (MRTR).
    if (client?.supported && client.era === 'modern') {
      try {
        await client.ask(
          { id: newApprovalId(), message: `${question}. Allow it?` },
          call.signal ?? new AbortController().signal
        );
      } catch (err) {
        if (err instanceof ClientInputRequired) {
          return {
            outcome: { outcome: 'refused', reason: 'asked at the client', waitedMs: 0 },
            inputRequired: err.result,
          };
        }
      }
    }
    const outcome = await this.deps.approvals.request(
      {
        userId: call.principal.userId,
        userName: call.principal.name,
        clientKey: call.principal.tokenHash,
        clientName: call.clientName,
        tool: call.tool.name,
        args: call.args,
        verb: changes.verb,
        entities: shown,
      },
      this.channels(call, question, {
        clientName: call.clientName,
        verb: changes.verb,
        entities: shown.map((e) => e.name),
        domains,
      }),
      call.signal
    );
    const refusal = refusalText(outcome, question, this.deps.timeoutSeconds());
    return { outcome, ...(refusal !== undefined && { refusal }) };
  }

  /** The client when it can ask, then the person's phones; the panel lists the call in any case. */
  private channels(call: GatedCall, question: string, change: Change): Ask[] {
    const asks: Ask[] = [];
    const { client } = call;
    if (client?.supported) {
      asks.push(async (approval, answer, signal) => {
        void client.ask({ id: approval.id, message: `${question}. Allow it?` }, signal).then(
          (reply) =>
            answer({
              allow: reply.kind === 'accept',
              channel: 'client',
              by: { userId: call.principal.userId, name: call.principal.name },
            }),
          () => undefined
        );
        return true;
      });
    }
    const { phone } = this.deps;
    if (phone) {
      asks.push(async (approval, answer, signal) => {
        // In the words of the user's own language, as their phone shows what it is sent.
        const language = await this.deps.phoneLanguage?.(approval.userId).catch(() => undefined);
        return phone.ask(
          {
            id: approval.id,
            userId: approval.userId,
            ...phoneText(language, change, this.deps.timeoutSeconds()),
          },
          (reply) =>
            answer({
              allow: reply.allow,
              channel: 'phone',
              by: { userId: reply.userId, name: `${call.principal.name} (${reply.deviceName})` },
            }),
          signal
        );
      });
    }
    return asks;
  }

  private async scriptEntities(scripts: string[]): Promise<ResolvedEntity[]> {
    const related = await Promise.all(scripts.map((id) => this.deps.related(id).catch(() => [] as string[])));
    return related
      .flat()
      .map((id) => this.deps.home.get(id))
      .filter((e): e is ResolvedEntity => e !== undefined);
  }
}
