import { createContext, useContext } from "react";
import type { Outputs } from "./trpc.ts";

export type CurrentUser = Outputs["auth"]["me"]["user"];

export const SessionContext = createContext<CurrentUser | null>(null);

export function useCurrentUser(): CurrentUser {
  const user = useContext(SessionContext);
  if (!user) throw new Error("useCurrentUser outside a signed-in page");
  return user;
}

/** Viewers read; admin and staff change. The server checks too — this only hides buttons. */
export function useCanEdit(): boolean {
  return useCurrentUser().role !== "viewer";
}
