import { TRPCError } from "@trpc/server";
import { ZodError } from "zod";

/**
 * Use cases throw plain errors with a `code` for expected refusals; procedures turn them into
 * tRPC errors the console can show. Anything else stays an internal error.
 */
export function toTrpcError(error: unknown): never {
  if (error instanceof TRPCError) throw error;
  if (error instanceof ZodError) {
    throw new TRPCError({ code: "BAD_REQUEST", message: error.issues.map((i) => i.message).join("；"), cause: error });
  }
  const code = error instanceof Error ? (error as Error & { code?: unknown }).code : undefined;
  // Use-case codes are kebab-case words ("not-found"); Prisma (P2002) and Node (ENOENT) codes are not.
  if (error instanceof Error && typeof code === "string" && /^[a-z][a-z-]*$/.test(code)) {
    const trpcCode = code === "not-found" ? "NOT_FOUND" : code.endsWith("-taken") || code === "conflict" ? "CONFLICT" : "BAD_REQUEST";
    throw new TRPCError({ code: trpcCode, message: error.message, cause: error });
  }
  // A row that vanished or a reference to one that does not exist: the caller's mistake (a stale
  // page, a forged id), not a server failure.
  if (code === "P2025") throw new TRPCError({ code: "NOT_FOUND", message: "记录不存在或已被删除", cause: error });
  if (code === "P2003") throw new TRPCError({ code: "BAD_REQUEST", message: "引用的记录不存在", cause: error });
  throw error;
}

/** Runs a use case, mapping its expected refusals. */
export async function run<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    return toTrpcError(error);
  }
}
