import type { AppRouter } from "@duban/api/root";
import { QueryCache, QueryClient } from "@tanstack/react-query";
import { createTRPCClient, httpBatchLink, TRPCClientError } from "@trpc/client";
import { createTRPCContext } from "@trpc/tanstack-react-query";
import type { inferRouterOutputs } from "@trpc/server";
import { errorText, type InputIssue, type ServerError } from "./error-text.ts";
import { type Lang, useLang } from "./i18n.tsx";

export type Outputs = inferRouterOutputs<AppRouter>;

export const { TRPCProvider, useTRPC, useTRPCClient } = createTRPCContext<AppRouter>();

export function createClient() {
  // Same origin: the httpOnly session cookie rides along; nothing about it is visible to scripts.
  return createTRPCClient<AppRouter>({ links: [httpBatchLink({ url: "/trpc" })] });
}

export function errorCode(error: unknown): string | null {
  return error instanceof TRPCClientError ? ((error.data as { code?: string } | undefined)?.code ?? null) : null;
}

/** The server's refusal as data: code, message, reason and issues (see packages/api/src/trpc.ts). */
export function serverError(error: unknown): ServerError {
  if (error instanceof TRPCClientError) {
    const data = error.data as { code?: string; reason?: string | null; issues?: InputIssue[] | null } | undefined;
    return { code: data?.code ?? null, message: error.message, reason: data?.reason ?? null, issues: data?.issues ?? null };
  }
  return { code: "CLIENT", message: error instanceof Error ? error.message : String(error) };
}

/** An error worded in the given language. Prefer useErrorMessage() in components. */
export function errorMessage(error: unknown, lang: Lang = "zh"): string {
  return errorText(serverError(error), lang);
}

/** `errorMessage` in the console's current language. */
export function useErrorMessage(): (error: unknown) => string {
  const { lang } = useLang();
  return (error: unknown) => errorMessage(error, lang);
}

/** A session that ends (expired, logged out elsewhere) sends the user back to the login page. */
export function createQueryClient(onUnauthorized: () => void) {
  return new QueryClient({
    queryCache: new QueryCache({
      onError: (error, query) => {
        // auth.me is RequireSession's own check: it redirects itself, without a reload.
        const path = query.queryKey[0];
        const isSessionCheck = Array.isArray(path) && path.join(".") === "auth.me";
        if (errorCode(error) === "UNAUTHORIZED" && !isSessionCheck) onUnauthorized();
      },
    }),
    defaultOptions: {
      queries: {
        retry: (count, error) => !["UNAUTHORIZED", "FORBIDDEN", "NOT_FOUND", "BAD_REQUEST"].includes(errorCode(error) ?? "") && count < 2,
        refetchOnWindowFocus: true,
      },
    },
  });
}
