import {
  AlertOutlined,
  AuditOutlined,
  BellOutlined,
  CalendarOutlined,
  ClockCircleOutlined,
  DashboardOutlined,
  FolderOpenOutlined,
  FundOutlined,
  FileSearchOutlined,
  ImportOutlined,
  LockOutlined,
  LogoutOutlined,
  MenuOutlined,
  NotificationOutlined,
  TeamOutlined,
  UserOutlined,
  TrophyOutlined,
} from "@ant-design/icons";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Button } from "antd";
import { lazy, Suspense, useEffect, useState } from "react";
import { NavLink, Outlet, useLocation, useNavigate } from "react-router";
import { useLang, useT } from "../i18n.tsx";
import { useCurrentUser } from "../session.tsx";
import { menuPlanOf, planPathOf, switchPlanPath } from "../plan-route.ts";
import { useTRPC } from "../trpc.ts";
import { PageLoading } from "./page-loading.tsx";
import "./app-layout.css";

const TodayPanel = lazy(() => import("./today-panel.tsx"));
const LAST_VISIT = "duban.last-visit";
const TODAY_SHOWN = "duban.today-shown";

function storage(kind: "local" | "session"): Storage | null {
  try {
    return kind === "local" ? localStorage : sessionStorage;
  } catch {
    return null;
  }
}

const ROLE_ZH: Record<string, string> = { admin: "管理员", staff: "办公室工作人员", viewer: "只读" };
const ROLE_EN: Record<string, string> = { admin: "Administrator", staff: "Office staff", viewer: "Read-only" };

/**
 * The frame of every signed-in page. Kept to plain markup and a Button: it ships with the first
 * route, so the heavier antd components load with the pages that use them.
 */
export function AppLayout() {
  const t = useT();
  const { lang, setLang } = useLang();
  const user = useCurrentUser();
  const navigate = useNavigate();
  const { pathname } = useLocation();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  // On a phone the menu is a drawer over the page, opened by the header's menu button.
  const [navOpen, setNavOpen] = useState(false);
  useEffect(() => setNavOpen(false), [pathname]);
  useEffect(() => {
    if (!navOpen) return;
    const onKey = (event: KeyboardEvent) => event.key === "Escape" && setNavOpen(false);
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [navOpen]);
  // Counts on the menu, refreshed every minute: what waits for the office.
  const alerts = useQuery(trpc.alerts.get.queryOptions({ since: null }, { refetchInterval: 60_000 }));
  const counts = alerts.data?.counts;
  // 今日 opens once per browser session on sign-in; "since" is the visit before this one.
  const [since] = useState(() => storage("local")?.getItem(LAST_VISIT) ?? null);
  const [todayOpen, setTodayOpen] = useState(() => storage("session")?.getItem(TODAY_SHOWN) !== "1");
  useEffect(() => {
    storage("session")?.setItem(TODAY_SHOWN, "1");
    storage("local")?.setItem(LAST_VISIT, new Date().toISOString());
  }, []);
  const logout = useMutation(
    trpc.auth.logout.mutationOptions({
      onSettled: () => {
        queryClient.clear();
        navigate("/login", { replace: true });
      },
    }),
  );

  // The plan switcher: board, tasks, deadlines and rounds are per plan, and the URL carries it
  // (/plans/:id/board). Off those pages the menu keeps to the plan last shown.
  const plans = useQuery(trpc.plan.list.queryOptions());
  const [lastPlan, setLastPlan] = useState<number | null>(null);
  const shownPlan = planPathOf(pathname)?.planId ?? null;
  useEffect(() => {
    if (shownPlan !== null) setLastPlan(shownPlan);
  }, [shownPlan]);
  const currentPlan = shownPlan ?? lastPlan;

  const items = [
    { to: "/overview", icon: <FundOutlined />, label: t("跨方案总览", "All plans") },
    { to: "/plans", icon: <FolderOpenOutlined />, label: t("方案", "Plans"), end: true },
    { to: currentPlan ? `/plans/${currentPlan}/board` : "/", icon: <DashboardOutlined />, label: t("总览", "Board"), end: true, badge: counts?.redCells, badgeKind: "red" as const, badgeId: "red" },
    { to: "/units", icon: <TeamOutlined />, label: t("单位与联络员", "Units & liaisons"), badge: counts?.unreachableContacts, badgeId: "unreachable" },
    { to: currentPlan ? `/plans/${currentPlan}/deadlines` : "/deadlines", icon: <ClockCircleOutlined />, label: t("时间节点与提醒", "Deadlines & reminders") },
    { to: currentPlan ? `/plans/${currentPlan}/rounds` : "/rounds", icon: <FileSearchOutlined />, label: t("报送轮次", "Reporting rounds") },
    { to: "/extensions", icon: <AlertOutlined />, label: t("延期与协调", "Extensions & blockers"), badge: counts?.extensionsAndBlockers, badgeId: "extensions" },
    { to: "/scores", icon: <TrophyOutlined />, label: t("考核排名", "Scores") },
    { to: "/notices", icon: <NotificationOutlined />, label: t("通知", "Notices") },
    // Importing changes the plan: not offered to read-only users (the server refuses them anyway).
    ...(user.role === "viewer" ? [] : [{ to: "/import", icon: <ImportOutlined />, label: t("导入方案", "Import plan") }]),
    { to: "/calendar", icon: <CalendarOutlined />, label: t("日历", "Calendar") },
    { to: "/audit", icon: <AuditOutlined />, label: t("审计日志", "Audit log") },
    ...(user.role === "admin" ? [{ to: "/users", icon: <UserOutlined />, label: t("用户", "Users") }] : []),
  ];

  return (
    <div className={`app-frame${navOpen ? " app-nav-open" : ""}`}>
      {navOpen && <div className="app-backdrop" onClick={() => setNavOpen(false)} aria-hidden="true" />}
      <aside className="app-sider" id="app-nav" data-testid="app-nav">
        <div className="app-brand">
          <BellOutlined /> 督办 <small>Duban</small>
        </div>
        <nav aria-label={t("主菜单", "Main menu")}>
          <ul className="app-menu">
            {items.map((item) => (
              <li key={item.to}>
                <NavLink to={item.to} end={item.end ?? false} className={({ isActive }) => (isActive || (item.to.endsWith("/board") || item.to === "/" ? /^(\/plans\/\d+)?\/tasks\//.test(pathname) : false) ? "active" : undefined)}>
                  {item.icon}
                  <span>{item.label}</span>
                  {"badge" in item && item.badge ? (
                    <span className={`app-menu-badge${"badgeKind" in item ? " app-menu-badge-red" : ""}`} data-testid={`menu-badge-${item.badgeId}`} title={t("待处理", "Waiting")}>
                      {item.badge > 99 ? "99+" : item.badge}
                    </span>
                  ) : null}
                </NavLink>
              </li>
            ))}
          </ul>
        </nav>
      </aside>
      <div className="app-main">
        <header className="app-header">
          <button
            type="button"
            className="app-nav-toggle"
            aria-label={t("菜单", "Menu")}
            aria-controls="app-nav"
            aria-expanded={navOpen}
            data-testid="nav-toggle"
            onClick={() => setNavOpen((open) => !open)}
          >
            <MenuOutlined />
          </button>
          <span className="app-header-brand">督办</span>
          <select
            className="app-plan-switcher"
            aria-label={t("切换方案", "Switch plan")}
            data-testid="plan-switcher"
            value={menuPlanOf(pathname, lastPlan, plans.data ?? []) ?? ""}
            onChange={(event) => {
              if (event.target.value) navigate(switchPlanPath(pathname, Number(event.target.value)));
            }}
          >
            <option value="">{t("选择方案…", "Choose a plan…")}</option>
            {(plans.data ?? []).map((p) => (
              <option key={p.id} value={p.id}>
                {p.archived ? `${t("［已归档］", "[archived] ")}${p.title}` : p.title}
              </option>
            ))}
          </select>
          <Button size="small" type="text" icon={<BellOutlined />} onClick={() => setTodayOpen((open) => !open)} aria-label={t("今日", "Today")} data-testid="open-today">
            <span className="app-header-text">{t("今日", "Today")}</span>
          </Button>
          <Button size="small" type="text" onClick={() => setLang(lang === "en" ? "zh" : "en")} aria-label={t("切换语言", "Switch language")} data-testid="switch-lang">
            {lang === "en" ? "中文" : "English"}
          </Button>
          <span data-testid="current-user">
            <UserOutlined /> <span className="app-header-text">{user.displayName ?? user.username}</span>
          </span>
          <span className={`app-role app-role-${user.role}`}>{lang === "en" ? (ROLE_EN[user.role] ?? user.role) : (ROLE_ZH[user.role] ?? user.role)}</span>
          <NavLink to="/account" className="app-header-link" data-testid="account-link">
            <LockOutlined /> <span className="app-header-text">{t("修改密码", "Change password")}</span>
          </NavLink>
          <Button size="small" icon={<LogoutOutlined />} onClick={() => logout.mutate()} loading={logout.isPending} aria-label={t("退出", "Sign out")}>
            <span className="app-header-text">{t("退出", "Sign out")}</span>
          </Button>
        </header>
        <main className="app-content">
          {todayOpen && (
            <Suspense fallback={null}>
              <TodayPanel since={since} onClose={() => setTodayOpen(false)} />
            </Suspense>
          )}
          <Suspense fallback={<PageLoading />}>
            <Outlet />
          </Suspense>
        </main>
      </div>
    </div>
  );
}
