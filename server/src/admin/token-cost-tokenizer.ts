/**
 * The tokenizer the token cost is counted with: OpenAI's o200k_base encoding (GPT-4o and later), from the
 * `gpt-tokenizer` package, which ships the vocabulary inside the package and runs offline in plain
 * JavaScript (no native build, no download at run time). Claude's tokenizer is not public and Gemini's
 * differs again; an o200k count is a close proxy for all of them, good for comparing and trimming, not a bill.
 *
 * The vocabulary takes a few hundred milliseconds and some megabytes to load, so it is loaded the first time
 * the panel asks, not when the server starts.
 */
export const TOKENIZER = {
  name: 'o200k_base (gpt-tokenizer)',
  note:
    "Counted offline with OpenAI's o200k_base encoding (GPT-4o and later). Claude's tokenizer is not " +
    'public and other models count differently (often somewhat more), so take these figures as a close ' +
    'proxy: right for comparing and trimming, not an exact bill.',
} as const;

export type CountTokens = (text: string) => number;

let loading: Promise<CountTokens> | undefined;

/** The counter, once the vocabulary is loaded (loaded once per process). */
export function loadTokenizer(): Promise<CountTokens> {
  loading ??= import('gpt-tokenizer/encoding/o200k_base').then(({ countTokens }) => {
    // Text that happens to spell a special token (`<|endoftext|>`) is counted as the text it is, as a
    // model's API counts a user's text, instead of throwing.
    const asText = { disallowedSpecial: new Set<string>() };
    return (text: string) => (text === '' ? 0 : countTokens(text, asText));
  });
  return loading;
}
