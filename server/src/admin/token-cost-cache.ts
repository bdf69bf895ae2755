/**
 * The token cost, counted ahead so the panel's question is answered at once even in a home of thousands of
 * entities. A change of what the home offers (exposure, aliases, areas, scripts: the Home's `'all'` changes
 * and any entity whose registry entry was replaced) makes the figures out of date at once: the next question
 * waits for a fresh count, so an owner who just trimmed sees the effect. States change all the time and move
 * the live context only a little: they are caught up in the background, debounced, and only while someone
 * has looked lately, so an idle panel costs nothing.
 */
import type { RegistryEntry } from '../ha/types.js';
import type { TokenCostAnswer } from './contract.js';
import { tokenCost, type TokenCostInput } from './token-cost.js';
import { loadTokenizer, TOKENIZER, type CountTokens } from './token-cost-tokenizer.js';

export interface TokenCostCacheDeps extends Omit<TokenCostInput, 'count' | 'limit'> {
  /**
   * How long after a change the figures are counted again in the background (default 30 s: a count takes a
   * few hundred milliseconds at 1,000 entities, and states barely move it).
   */
  debounceMs?: number;
  /** How long after the last question changes are still followed (default 10 minutes). */
  warmMs?: number;
  now?: () => number;
  /** Aborted when the server stops: stops following the Home. */
  signal?: AbortSignal;
  /** The token counter (default: o200k_base, loaded on first use). */
  tokenizer?: () => Promise<CountTokens>;
}

export class TokenCostCache {
  private cached: { answer: TokenCostAnswer; shape: number } | undefined;
  /** Bumped by every change of what the home offers (not by states). */
  private shape = 0;
  private running: Promise<TokenCostAnswer> | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private askedAt = Number.NEGATIVE_INFINITY;
  /** The registry entries the last count read: a replaced one is an entity exposed, hidden or renamed. */
  private entries = new Map<string, RegistryEntry>();
  private readonly now: () => number;

  constructor(private readonly deps: TokenCostCacheDeps) {
    this.now = deps.now ?? Date.now;
    const stop = deps.home.onChange((changed) => {
      if (changed === 'all' || changed.some((id) => deps.home.registry.get(id) !== this.entries.get(id)))
        this.shape++;
      this.schedule();
    });
    deps.signal?.addEventListener(
      'abort',
      () => {
        stop();
        clearTimeout(this.timer);
      },
      { once: true }
    );
  }

  /**
   * The figures: the last count while only states changed since, else a fresh one. Every exposed entity is
   * in `entities`; the route keeps the top ones.
   * @throws {HaAwayError} while the Home is not live
   */
  async current(): Promise<TokenCostAnswer> {
    this.askedAt = this.now();
    this.deps.home.require();
    const cached = this.cached;
    if (cached && cached.shape === this.shape) return cached.answer;
    return this.count();
  }

  private schedule(): void {
    if (this.timer || this.now() - this.askedAt > (this.deps.warmMs ?? 600_000)) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      // Away or failing now: the next question says so.
      this.count().catch(() => {});
    }, this.deps.debounceMs ?? 30_000);
    this.timer.unref?.();
  }

  private count(): Promise<TokenCostAnswer> {
    this.running ??= this.countNow().finally(() => (this.running = undefined));
    return this.running;
  }

  private async countNow(): Promise<TokenCostAnswer> {
    const count = await (this.deps.tokenizer ?? loadTokenizer)();
    const shape = this.shape;
    this.entries = new Map(this.deps.home.registry);
    const started = performance.now();
    const figures = await tokenCost({ ...this.deps, count, limit: Number.POSITIVE_INFINITY });
    const answer: TokenCostAnswer = {
      tokenizer: { ...TOKENIZER },
      ...figures,
      computedAt: this.now(),
      computeMs: Math.round(performance.now() - started),
    };
    this.cached = { answer, shape };
    return answer;
  }
}
