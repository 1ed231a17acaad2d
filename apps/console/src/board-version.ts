import { useQuery } from "@tanstack/react-query";
import { useEffect, useRef } from "react";
import { useTRPC } from "./trpc.ts";

/**
 * Polls `board.version` (a few bytes) every 5 s and calls `refetch` only when the token moves, so an
 * open board or overview follows a liaison's reply within seconds without downloading the whole
 * matrix every time. The token also moves once a minute, for lights that turn with the clock.
 */
export function useRefetchWhenBoardChanges(planId: number | null, refetch: () => unknown): void {
  const trpc = useTRPC();
  const version = useQuery(trpc.board.version.queryOptions({ planId }, { refetchInterval: 5000 }));
  const seen = useRef<string | undefined>(undefined);
  const latestRefetch = useRef(refetch);
  latestRefetch.current = refetch;
  useEffect(() => {
    if (version.data === undefined) return;
    if (seen.current !== undefined && seen.current !== version.data) void latestRefetch.current();
    seen.current = version.data;
  }, [version.data]);
}
