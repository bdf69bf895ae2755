/**
 * The languages the add-on has words for (the panel's translations, the phone's approval questions), and
 * which of them a language tag asks for. Pure, and bundled into the panel too (ui/src/locale.ts).
 */
export const LANGUAGES = ['en', 'de', 'fr', 'nl', 'es'] as const;
export type Language = (typeof LANGUAGES)[number];

/** The language for a tag (`de-CH` → `de`, `nl_BE` → `nl`); undefined when there are no words for it. */
export function matchLanguage(tag: string | null | undefined): Language | undefined {
  if (!tag) return undefined;
  const lower = tag.toLowerCase().replaceAll('_', '-');
  const base = lower.split('-')[0];
  return LANGUAGES.find((language) => language === lower || language === base);
}
