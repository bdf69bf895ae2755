/**
 * The tokenizer the token cost is counted with: OpenAI's o200k_base encoding (GPT-4o and later), from the
 * `gpt-tokenizer` package, which ships the vocabulary inside the package and runs offline in plain
 * JavaScript (no native build, no download at run time). Claude's tokenizer is not public and Gemini's
 * differs again; an o200k count is a close proxy for all of them, good for comparing and trimming, not a bill.
 *
 * The vocabulary takes a few hundred milliseconds and tens of megabytes to load: it is loaded in the token
 * counter's thread (token-counter.ts) the first time the panel asks, and goes with the thread when idle.
 */
export const TOKENIZER = {
  name: 'o200k_base (gpt-tokenizer)',
  note:
    "Counted offline with OpenAI's o200k_base encoding (GPT-4o and later). Claude's tokenizer is not " +
    'public and other models count differently (often somewhat more), so take these figures as a close ' +
    'proxy: right for comparing and trimming, not an exact bill.',
} as const;

export type CountTokens = (text: string) => number;
