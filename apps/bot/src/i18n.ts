import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { I18n } from "@grammyjs/i18n";
import { languageOf, type BotContext, type Language } from "./context.ts";

const localesDir = path.join(path.dirname(fileURLToPath(import.meta.url)), "locales");

export const LANGUAGES: readonly Language[] = ["zh", "en"];

/**
 * Fluent translations (src/locales/*.ftl). Chinese is the default; a contact's /lang choice
 * is stored on the contact, so it also applies to reminders sent by the scheduler.
 */
export function createI18n(): I18n<BotContext> {
  const i18n = new I18n<BotContext>({
    defaultLocale: "zh",
    // No Unicode isolation marks around variables: they show up as odd characters in Telegram.
    fluentBundleOptions: { useIsolating: false },
    localeNegotiator: (ctx) => languageOf(ctx),
  });
  for (const language of LANGUAGES) {
    i18n.loadLocaleSync(language, { source: readFileSync(path.join(localesDir, `${language}.ftl`), "utf8"), isDefault: language === "zh" });
  }
  rememberMatchedBundles(i18n);
  return i18n;
}

/**
 * Which bundles serve a locale is fixed once they are loaded (above), but Fluent negotiates it
 * again (@fluent/langneg) for every message it formats: about 5% of a reply's CPU. The answer
 * is kept per locale list (only "zh" and "en" are ever asked for; a few others are not kept).
 */
function rememberMatchedBundles(i18n: I18n<BotContext>): void {
  const fluent = i18n.fluent as unknown as { matchBundles(locales: string[]): Set<unknown> };
  const match = fluent.matchBundles.bind(fluent);
  const matched = new Map<string, Set<unknown>>();
  fluent.matchBundles = (locales) => {
    const key = locales.join(",");
    let bundles = matched.get(key);
    if (!bundles) {
      bundles = match(locales);
      if (matched.size < 8) matched.set(key, bundles);
    }
    return bundles;
  };
}

/** One shared instance: loading is synchronous and the bundles are immutable. */
export const i18n = createI18n();

export type Translate = (key: string, variables?: Record<string, string | number>) => string;

export function translator(language: Language): Translate {
  return (key, variables) => i18n.t(language, key, variables);
}
