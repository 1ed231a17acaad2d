import { QueryClientProvider } from "@tanstack/react-query";
import { ConfigProvider } from "antd";
import enUS from "antd/es/locale/en_US";
import zhCN from "antd/es/locale/zh_CN";
import dayjs from "dayjs";
import "dayjs/locale/zh-cn";
import { lazy, Suspense, useMemo, useState } from "react";
import { BrowserRouter, Route, Routes } from "react-router";
import { LangContext, storedLang, type Lang } from "./i18n.tsx";
import { AppLayout } from "./components/app-layout.tsx";
import { RequireSession } from "./components/require-session.tsx";
import { DefaultPlanRedirect, PlanTasksRedirect, TaskPlanRedirect } from "./components/plan-redirect.tsx";
import { createClient, createQueryClient, TRPCProvider } from "./trpc.ts";

// Every page is its own chunk: the shell (router, layout, tRPC) loads first, then only the page visited.
// Pages that confirm or toast (message, modal) get antd's App around them, loaded with them.
const Feedback = lazy(() => import("./components/feedback.tsx"));
const LoginPage = lazy(() => import("./pages/login-page.tsx"));
const BoardPage = lazy(() => import("./pages/board-page.tsx"));
const TaskPage = lazy(() => import("./pages/task-page.tsx"));
const UnitsPage = lazy(() => import("./pages/units-page.tsx"));
const UnitPage = lazy(() => import("./pages/unit-page.tsx"));
const DeadlinesPage = lazy(() => import("./pages/deadlines-page.tsx"));
const RoundsPage = lazy(() => import("./pages/rounds-page.tsx"));
const ExtensionsPage = lazy(() => import("./pages/extensions-page.tsx"));
const NoticesPage = lazy(() => import("./pages/notices-page.tsx"));
const ImportPage = lazy(() => import("./pages/import-page.tsx"));
const CalendarPage = lazy(() => import("./pages/calendar-page.tsx"));
const AuditPage = lazy(() => import("./pages/audit-page.tsx"));
const ScoresPage = lazy(() => import("./pages/scores-page.tsx"));
const UsersPage = lazy(() => import("./pages/users-page.tsx"));
const AccountPage = lazy(() => import("./pages/account-page.tsx"));
const PlansPage = lazy(() => import("./pages/plans-page.tsx"));
const OverviewPage = lazy(() => import("./pages/overview-page.tsx"));
const NotFoundPage = lazy(() => import("./pages/not-found-page.tsx"));

export function App() {
  const [lang, setLangState] = useState<Lang>(storedLang);
  const setLang = (next: Lang) => {
    setLangState(next);
    dayjs.locale(next === "en" ? "en" : "zh-cn");
    try {
      localStorage.setItem("duban.lang", next);
    } catch {
      // private mode: the choice lasts for this tab only
    }
  };
  dayjs.locale(lang === "en" ? "en" : "zh-cn");

  const queryClient = useMemo(
    () =>
      createQueryClient(() => {
        if (!location.pathname.startsWith("/login")) location.assign(`/login?next=${encodeURIComponent(location.pathname + location.search)}`);
      }),
    [],
  );
  const trpcClient = useMemo(() => createClient(), []);

  return (
    <LangContext.Provider value={{ lang, setLang }}>
      <ConfigProvider locale={lang === "en" ? enUS : zhCN} theme={{ token: { colorPrimary: "#b71c1c", borderRadius: 4 } }} button={{ autoInsertSpace: false }}>
        <QueryClientProvider client={queryClient}>
          <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
            <BrowserRouter>
              <Routes>
                <Route
                  path="/login"
                  element={
                    <Suspense fallback={null}>
                      <LoginPage />
                    </Suspense>
                  }
                />
                <Route element={<RequireSession />}>
                  <Route element={<AppLayout />}>
                    <Route index element={<BoardPage />} />
                    <Route path="tasks/:id" element={<TaskPlanRedirect fallback={<TaskPage />} />} />
                    <Route path="plans" element={<Feedback><PlansPage /></Feedback>} />
                    <Route path="overview" element={<OverviewPage />} />
                    <Route path="plans/:planId/board" element={<BoardPage />} />
                    <Route path="plans/:planId/rounds" element={<Feedback><RoundsPage /></Feedback>} />
                    <Route path="plans/:planId/tasks" element={<PlanTasksRedirect />} />
                    <Route path="plans/:planId/tasks/:id" element={<TaskPage />} />
                    <Route path="plans/:planId/deadlines" element={<Feedback><DeadlinesPage /></Feedback>} />
                    <Route path="units" element={<Feedback><UnitsPage /></Feedback>} />
                    <Route path="units/:unitId" element={<UnitPage />} />
                    <Route path="deadlines" element={<DefaultPlanRedirect section="deadlines" fallback={<Feedback><DeadlinesPage /></Feedback>} />} />
                    <Route path="rounds" element={<DefaultPlanRedirect section="rounds" fallback={<Feedback><RoundsPage /></Feedback>} />} />
                    <Route path="extensions" element={<ExtensionsPage />} />
                    <Route path="scores" element={<Feedback><ScoresPage /></Feedback>} />
                    <Route path="notices" element={<Feedback><NoticesPage /></Feedback>} />
                    <Route path="import" element={<Feedback><ImportPage /></Feedback>} />
                    <Route path="calendar" element={<Feedback><CalendarPage /></Feedback>} />
                    <Route path="audit" element={<AuditPage />} />
                    <Route path="users" element={<Feedback><UsersPage /></Feedback>} />
                    <Route path="account" element={<AccountPage />} />
                    <Route path="*" element={<NotFoundPage />} />
                  </Route>
                </Route>
              </Routes>
            </BrowserRouter>
          </TRPCProvider>
        </QueryClientProvider>
      </ConfigProvider>
    </LangContext.Provider>
  );
}
