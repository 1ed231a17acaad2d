import {
  AlertOutlined,
  AuditOutlined,
  BellOutlined,
  CalendarOutlined,
  ClockCircleOutlined,
  DashboardOutlined,
  FileSearchOutlined,
  ImportOutlined,
  LockOutlined,
  LogoutOutlined,
  NotificationOutlined,
  TeamOutlined,
  UserOutlined,
  TrophyOutlined,
} from "@ant-design/icons";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Button } from "antd";
import { Suspense } from "react";
import { NavLink, Outlet, useLocation, useNavigate } from "react-router";
import { useLang, useT } from "../i18n.tsx";
import { useCurrentUser } from "../session.tsx";
import { useTRPC } from "../trpc.ts";
import { PageLoading } from "./page-loading.tsx";
import "./app-layout.css";

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
  const logout = useMutation(
    trpc.auth.logout.mutationOptions({
      onSettled: () => {
        queryClient.clear();
        navigate("/login", { replace: true });
      },
    }),
  );

  const items = [
    { to: "/", icon: <DashboardOutlined />, label: t("总览", "Board"), end: true },
    { to: "/units", icon: <TeamOutlined />, label: t("单位与联络员", "Units & liaisons") },
    { to: "/deadlines", icon: <ClockCircleOutlined />, label: t("时间节点与提醒", "Deadlines & reminders") },
    { to: "/rounds", icon: <FileSearchOutlined />, label: t("报送轮次", "Reporting rounds") },
    { to: "/extensions", icon: <AlertOutlined />, label: t("延期与协调", "Extensions & blockers") },
    { to: "/scores", icon: <TrophyOutlined />, label: t("考核排名", "Scores") },
    { to: "/notices", icon: <NotificationOutlined />, label: t("通知", "Notices") },
    { to: "/import", icon: <ImportOutlined />, label: t("导入方案", "Import plan") },
    { to: "/calendar", icon: <CalendarOutlined />, label: t("日历", "Calendar") },
    { to: "/audit", icon: <AuditOutlined />, label: t("审计日志", "Audit log") },
    ...(user.role === "admin" ? [{ to: "/users", icon: <UserOutlined />, label: t("用户", "Users") }] : []),
  ];

  return (
    <div className="app-frame">
      <aside className="app-sider">
        <div className="app-brand">
          <BellOutlined /> 督办 <small>Duban</small>
        </div>
        <nav aria-label={t("主菜单", "Main menu")}>
          <ul className="app-menu">
            {items.map((item) => (
              <li key={item.to}>
                <NavLink to={item.to} end={item.end ?? false} className={({ isActive }) => (isActive || (item.to === "/" && pathname.startsWith("/tasks")) ? "active" : undefined)}>
                  {item.icon}
                  <span>{item.label}</span>
                </NavLink>
              </li>
            ))}
          </ul>
        </nav>
      </aside>
      <div className="app-main">
        <header className="app-header">
          <Button size="small" type="text" onClick={() => setLang(lang === "en" ? "zh" : "en")} aria-label={t("切换语言", "Switch language")} data-testid="switch-lang">
            {lang === "en" ? "中文" : "English"}
          </Button>
          <span data-testid="current-user">
            <UserOutlined /> {user.displayName ?? user.username}
          </span>
          <span className={`app-role app-role-${user.role}`}>{lang === "en" ? (ROLE_EN[user.role] ?? user.role) : (ROLE_ZH[user.role] ?? user.role)}</span>
          <NavLink to="/account" className="app-header-link" data-testid="account-link">
            <LockOutlined /> {t("修改密码", "Change password")}
          </NavLink>
          <Button size="small" icon={<LogoutOutlined />} onClick={() => logout.mutate()} loading={logout.isPending}>
            {t("退出", "Sign out")}
          </Button>
        </header>
        <main className="app-content">
          <Suspense fallback={<PageLoading />}>
            <Outlet />
          </Suspense>
        </main>
      </div>
    </div>
  );
}
