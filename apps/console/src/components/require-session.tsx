import { useQuery } from "@tanstack/react-query";
import { Navigate, Outlet, useLocation } from "react-router";
import { useT } from "../i18n.tsx";
import { SessionContext } from "../session.tsx";
import { PageLoading } from "./page-loading.tsx";
import { errorCode, useErrorMessage, useTRPC } from "../trpc.ts";

export function RequireSession() {
  const errorMessage = useErrorMessage();
  const trpc = useTRPC();
  const t = useT();
  const location = useLocation();
  const me = useQuery(trpc.auth.me.queryOptions(undefined, { staleTime: 60_000, retry: false }));
  if (me.isPending) {
    return <PageLoading fullScreen />;
  }
  if (me.isError) {
    if (errorCode(me.error) === "UNAUTHORIZED") {
      return <Navigate to={`/login?next=${encodeURIComponent(location.pathname + location.search)}`} replace />;
    }
    return (
      <div role="alert" style={{ padding: 48, textAlign: "center" }}>
        <h2>{t("无法连接服务器", "Cannot reach the server")}</h2>
        <p>{errorMessage(me.error)}</p>
      </div>
    );
  }
  return (
    <SessionContext.Provider value={me.data.user}>
      <Outlet />
    </SessionContext.Provider>
  );
}
