/**
 * Calls that wait for a person: each is asked through the channels the situation allows, and the first
 * answer decides. The client itself when it can ask (MCP elicitation); else the person's phones (the HA
 * companion app); and always the panel's list, where the user concerned or an administrator can answer.
 *
 * An approval is single-use and bound to one waiting call: its id is random, an answer to an id that is no
 * longer waiting does nothing, and only the user the client acts as (or, in the panel, an administrator)
 * can answer. Waiting calls are bounded per client and in all; a call that times out, whose client goes
 * away, or that is waiting when the server stops, is not allowed.
 */
import { randomBytes } from 'node:crypto';
import type { Logger } from '../log.js';

export type ApprovalChannelName = 'client' | 'phone' | 'panel';

/** What a call that waits is about, as the panel and the questions show it. */
export interface ApprovalCall {
  /** The HA user the client acts as: the one who decides. */
  userId: string;
  userName: string;
  /** Who asked: the same key for every call of one client (its grant, or its token). */
  clientKey: string;
  /** The name the client gave itself; null when it gave none. */
  clientName: string | null;
  tool: string;
  args: Record<string, unknown>;
  /** What it would change: "unlock", and the entities by id and name. */
  verb: string;
  entities: { entityId: string; name: string }[];
}

export interface WaitingApproval extends ApprovalCall {
  id: string;
  askedAt: number;
  expiresAt: number;
}

export type ApprovalOutcome =
  | { outcome: 'allowed' | 'denied'; channel: ApprovalChannelName; decidedBy: string; waitedMs: number }
  | { outcome: 'timed_out' | 'cancelled'; waitedMs: number }
  | { outcome: 'refused'; reason: string; waitedMs: 0 };

/** Someone's answer: who, and where they gave it. */
export interface ApprovalAnswer {
  allow: boolean;
  channel: ApprovalChannelName;
  by: { userId: string; name: string; isAdmin?: boolean };
}

/** A channel that asks for one approval until `signal` aborts; it calls `answer` with what it heard. */
export type Ask = (
  approval: WaitingApproval,
  answer: (answer: ApprovalAnswer) => void,
  signal: AbortSignal
) => Promise<boolean>;

export interface ApprovalsOptions {
  /** How long a call waits, read per call (the `approval_timeout` option). */
  timeoutMs: () => number;
  maxPerClient?: number;
  maxTotal?: number;
  now?: () => number;
  log: Logger;
}

interface Entry {
  approval: WaitingApproval;
  settle(outcome: ApprovalOutcome): void;
  /** Aborted once the approval is settled: every channel stops asking (and clears its question). */
  done: AbortController;
}

export type ApprovalChange = { kind: 'added'; approval: WaitingApproval } | { kind: 'settled'; id: string };

/** An approval's id: random, single-use, and what a phone's action and a client's question carry. */
export const newApprovalId = () => randomBytes(18).toString('base64url');

export class Approvals {
  private readonly entries = new Map<string, Entry>();
  private readonly listeners = new Set<(change: ApprovalChange) => void>();
  private stopped = false;

  constructor(private readonly options: ApprovalsOptions) {}

  private get now() {
    return (this.options.now ?? Date.now)();
  }

  /**
   * Waits for a person's answer to `call`. `channels` are asked in order until one of them could ask (the
   * client, then the phones); the panel lists every waiting call regardless. `signal`: the client went away.
   */
  async request(call: ApprovalCall, channels: Ask[], signal?: AbortSignal): Promise<ApprovalOutcome> {
    const refusal = this.refusalFor(call);
    if (refusal) return { outcome: 'refused', reason: refusal, waitedMs: 0 };
    const askedAt = this.now;
    const approval: WaitingApproval = {
      ...call,
      id: newApprovalId(),
      askedAt,
      expiresAt: askedAt + this.options.timeoutMs(),
    };
    const done = new AbortController();
    const outcome = new Promise<ApprovalOutcome>((resolve) => {
      const entry: Entry = {
        approval,
        done,
        settle: (result) => {
          if (!this.entries.delete(approval.id)) return;
          clearTimeout(timer);
          signal?.removeEventListener('abort', cancel);
          done.abort();
          this.emit({ kind: 'settled', id: approval.id });
          resolve(result);
        },
      };
      const waited = () => this.now - askedAt;
      const timer = setTimeout(
        () => entry.settle({ outcome: 'timed_out', waitedMs: waited() }),
        approval.expiresAt - askedAt
      );
      const cancel = () => entry.settle({ outcome: 'cancelled', waitedMs: waited() });
      this.entries.set(approval.id, entry);
      if (signal?.aborted) cancel();
      else signal?.addEventListener('abort', cancel, { once: true });
    });
    if (this.entries.has(approval.id)) {
      this.emit({ kind: 'added', approval });
      void this.askThrough(channels, approval, done.signal);
    }
    return outcome;
  }

  /** An answer for a waiting approval: whether it decided it. Only its user, or an administrator in the panel. */
  decide(id: string, answer: ApprovalAnswer): boolean {
    const entry = this.entries.get(id);
    if (!entry) return false;
    const mayAnswer =
      answer.by.userId === entry.approval.userId ||
      (answer.channel === 'panel' && answer.by.isAdmin === true);
    if (!mayAnswer) return false;
    entry.settle({
      outcome: answer.allow ? 'allowed' : 'denied',
      channel: answer.channel,
      decidedBy: answer.by.name,
      waitedMs: this.now - entry.approval.askedAt,
    });
    return true;
  }

  /** What waits now: everything for an administrator, a user's own calls for anyone else. */
  waiting(viewer: { userId: string; isAdmin: boolean }): WaitingApproval[] {
    return [...this.entries.values()]
      .map((e) => e.approval)
      .filter((a) => viewer.isAdmin || a.userId === viewer.userId)
      .sort((a, b) => a.askedAt - b.askedAt);
  }

  onChange(listener: (change: ApprovalChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The server stops: what waits is not allowed, and nothing new waits. */
  stop(): void {
    this.stopped = true;
    for (const entry of [...this.entries.values()]) {
      entry.settle({ outcome: 'cancelled', waitedMs: this.now - entry.approval.askedAt });
    }
  }

  private refusalFor(call: ApprovalCall): string | undefined {
    if (this.stopped) return 'the server is stopping';
    const all = [...this.entries.values()];
    const maxTotal = this.options.maxTotal ?? 50;
    const maxPerClient = this.options.maxPerClient ?? 5;
    if (all.length >= maxTotal) return `${maxTotal} calls are already waiting for approval`;
    if (all.filter((e) => e.approval.clientKey === call.clientKey).length >= maxPerClient) {
      return `this client already has ${maxPerClient} calls waiting for approval`;
    }
    return undefined;
  }

  /** The first channel that can ask does; its failure is logged and the next is tried. */
  private async askThrough(channels: Ask[], approval: WaitingApproval, signal: AbortSignal): Promise<void> {
    const answer = (a: ApprovalAnswer) => this.decide(approval.id, a);
    for (const ask of channels) {
      if (signal.aborted) return;
      try {
        if (await ask(approval, answer, signal)) return;
      } catch (err) {
        if (signal.aborted) return;
        this.options.log.warning('An approval channel failed; trying the next', {
          error: err instanceof Error ? err.message : String(err),
        });
      }
    }
  }

  private emit(change: ApprovalChange): void {
    for (const listener of this.listeners) listener(change);
  }
}
