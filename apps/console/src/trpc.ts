import type { AppRouter } from "@duban/api/root";
import { QueryCache, QueryClient } from "@tanstack/react-query";
import { createTRPCClient, httpBatchLink, TRPCClientError } from "@trpc/client";
import { createTRPCContext } from "@trpc/tanstack-react-query";
import type { inferRouterOutputs } from "@trpc/server";

export type Outputs = inferRouterOutputs<AppRouter>;

export const { TRPCProvider, useTRPC, useTRPCClient } = createTRPCContext<AppRouter>();

export function createClient() {
  // Same origin: the httpOnly session cookie rides along; nothing about it is visible to scripts.
  return createTRPCClient<AppRouter>({ links: [httpBatchLink({ url: "/trpc" })] });
}

export function errorCode(error: unknown): string | null {
  return error instanceof TRPCClientError ? ((error.data as { code?: string } | undefined)?.code ?? null) : null;
}

export function errorMessage(error: unknown): string {
  if (error instanceof TRPCClientError) {
    const code = errorCode(error);
    if (code === "INTERNAL_SERVER_ERROR") return "服务器出错，请稍后重试";
    return error.message;
  }
  return error instanceof Error ? error.message : String(error);
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
