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
import { TOKENIZER } from './token-cost-tokenizer.js';
import { TokenCounter, type CountsTokens } from './token-counter.js';

export interface TokenCostCacheDeps extends Omit<TokenCostInput, 'count' | 'limit'> {
  /**
   * How long after a change the figures are counted again in the background (default 30 s: a count takes a
   * few hundred milliseconds at 1,000 entities, and states barely move it).
   */
  debounceMs?: number;
  /** How long after the last question changes are still followed (default 10 minutes). */
  warmMs?: number;
  now?: () => number;
  /** Aborted when the server stops: stops following the Home and the counter's thread. */
  signal?: AbortSignal;
  /** Counts the texts (default: o200k_base in a worker thread, token-counter.ts). */
  counter?: CountsTokens;
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
  private readonly counter: CountsTokens;
  /** The last count's texts and their tokens: a recount sends the counter only what changed. */
  private known = new Map<string, number>();

  constructor(private readonly deps: TokenCostCacheDeps) {
    this.now = deps.now ?? Date.now;
    const own = deps.counter ? undefined : new TokenCounter();
    this.counter = deps.counter ?? own!;
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
        void own?.stop();
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

  /**
   * Two rounds over the home. The first finds every text the figures need, in order, and takes the tokens
   * of those the last count already knew; the counter counts the rest off the event loop; the second works
   * the figures out. A text that changed in between (a state moved while the counter ran) takes the tokens
   * of the text in its place in the first round: the background catch-up counts it soon after.
   */
  private async countNow(): Promise<TokenCostAnswer> {
    const shape = this.shape;
    this.entries = new Map(this.deps.home.registry);
    const started = performance.now();
    const known = this.known;
    const texts: string[] = [];
    const input = { ...this.deps, limit: Number.POSITIVE_INFINITY };
    let figures = await tokenCost({
      ...input,
      count: (text) => {
        texts.push(text);
        return known.get(text) ?? 0;
      },
    });
    const missing = [...new Set(texts.filter((text) => !known.has(text)))];
    if (missing.length > 0) {
      const counts = await this.counter.count(missing);
      missing.forEach((text, i) => known.set(text, counts[i]!));
      let place = 0;
      figures = await tokenCost({
        ...input,
        count: (text) => {
          const first = texts[place++];
          return known.get(text) ?? (first === undefined ? undefined : known.get(first)) ?? 0;
        },
      });
    }
    this.known = new Map(texts.map((text) => [text, known.get(text)!]));
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
