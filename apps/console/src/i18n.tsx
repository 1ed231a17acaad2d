import { createContext, useContext } from "react";

export type Lang = "zh" | "en";

export const LangContext = createContext<{ lang: Lang; setLang: (lang: Lang) => void }>({ lang: "zh", setLang: () => {} });

/** `t("总览", "Overview")`: Chinese first (the default), English beside it, so no key goes stale. */
export function useT() {
  const { lang } = useContext(LangContext);
  return (zh: string, en: string) => (lang === "en" ? en : zh);
}

export function useLang() {
  return useContext(LangContext);
}

export function storedLang(): Lang {
  try {
    return localStorage.getItem("duban.lang") === "en" ? "en" : "zh";
  } catch {
    return "zh";
  }
}
