/**
 * The panel's start: HA's look, then the viewer's language (locale.ts; the words load before anything
 * renders, so nothing shows in English first), then the app.
 */
import { applyTheme } from './theme';
import { fetchProfileLocale, haSelectedLanguage } from './data/locale';
import { browserHour12, chooseLocale, panelLocale, useLocale } from './locale';
import { loadMessages } from './localize';

applyTheme();

async function setUpLocale(): Promise<void> {
  const profile = await fetchProfileLocale().then(
    (answer) => answer.profile,
    () => null
  );
  const locale = chooseLocale({
    profile,
    haSelected: haSelectedLanguage(),
    browser: navigator.languages,
    browserHour12: browserHour12(),
  });
  try {
    await loadMessages(locale.language);
    useLocale(locale);
  } catch {
    // The language's file did not load (an add-on updated under an open panel): English words, own numbers.
    await loadMessages('en');
    useLocale({ ...locale, language: 'en' });
  }
  document.documentElement.lang = panelLocale().language;
}

await setUpLocale();
await import('./components/ha-mcp-app');
