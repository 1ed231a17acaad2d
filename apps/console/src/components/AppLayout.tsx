import {
  AlertOutlined,
  AuditOutlined,
  BellOutlined,
  CalendarOutlined,
  ClockCircleOutlined,
  DashboardOutlined,
  FileSearchOutlined,
  ImportOutlined,
  LogoutOutlined,
  NotificationOutlined,
  TeamOutlined,
  UserOutlined,
} from "@ant-design/icons";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Button, Layout, Menu, Segmented, Space, Spin, Tag } from "antd";
import { Suspense } from "react";
import { Outlet, useLocation, useNavigate } from "react-router";
import { useLang, useT } from "../i18n.tsx";
import { useCurrentUser } from "../session.tsx";
import { useTRPC } from "../trpc.ts";

const ROLE_ZH: Record<string, string> = { admin: "管理员", staff: "办公室", viewer: "只读" };

export function AppLayout() {
  const t = useT();
  const { lang, setLang } = useLang();
  const user = useCurrentUser();
  const navigate = useNavigate();
  const location = useLocation();
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
    { key: "/", icon: <DashboardOutlined />, label: t("总览", "Board") },
    { key: "/units", icon: <TeamOutlined />, label: t("单位与联络员", "Units & liaisons") },
    { key: "/deadlines", icon: <ClockCircleOutlined />, label: t("时间节点与提醒", "Deadlines & reminders") },
    { key: "/rounds", icon: <FileSearchOutlined />, label: t("报送轮次", "Reporting rounds") },
    { key: "/extensions", icon: <AlertOutlined />, label: t("延期与协调", "Extensions & blockers") },
    { key: "/notices", icon: <NotificationOutlined />, label: t("通知", "Notices") },
    { key: "/import", icon: <ImportOutlined />, label: t("导入方案", "Import plan") },
    { key: "/calendar", icon: <CalendarOutlined />, label: t("日历", "Calendar") },
    { key: "/audit", icon: <AuditOutlined />, label: t("审计日志", "Audit log") },
    ...(user.role === "admin" ? [{ key: "/users", icon: <UserOutlined />, label: t("用户", "Users") }] : []),
  ];
  const selected = location.pathname.startsWith("/tasks") ? "/" : (items.find((i) => i.key !== "/" && location.pathname.startsWith(i.key))?.key ?? "/");

  return (
    <Layout style={{ minHeight: "100vh" }}>
      <Layout.Sider breakpoint="lg" collapsedWidth={0} width={208} theme="dark">
        <div style={{ color: "#fff", padding: "18px 20px", fontSize: 18, fontWeight: 600, letterSpacing: 2 }}>
          <BellOutlined /> 督办 <span style={{ fontSize: 12, opacity: 0.6, letterSpacing: 0 }}>Duban</span>
        </div>
        <nav aria-label={t("主菜单", "Main menu")}>
          <Menu theme="dark" mode="inline" selectedKeys={[selected]} items={items} onClick={(e) => navigate(e.key)} />
        </nav>
      </Layout.Sider>
      <Layout>
        <Layout.Header style={{ background: "#fff", padding: "0 24px", display: "flex", alignItems: "center", justifyContent: "flex-end", borderBottom: "1px solid #f0f0f0" }}>
          <Space size="middle">
            <Segmented
              size="small"
              value={lang}
              options={[
                { label: "中文", value: "zh" },
                { label: "EN", value: "en" },
              ]}
              onChange={(v) => setLang(v as "zh" | "en")}
            />
            <span data-testid="current-user">
              <UserOutlined /> {user.displayName ?? user.username}
            </span>
            <Tag color={user.role === "admin" ? "red" : user.role === "staff" ? "blue" : "default"}>{lang === "en" ? user.role : (ROLE_ZH[user.role] ?? user.role)}</Tag>
            <Button icon={<LogoutOutlined />} onClick={() => logout.mutate()} loading={logout.isPending}>
              {t("退出", "Sign out")}
            </Button>
          </Space>
        </Layout.Header>
        <Layout.Content style={{ padding: 24 }}>
          <Suspense fallback={<Spin style={{ display: "block", margin: "80px auto" }} />}>
            <Outlet />
          </Suspense>
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
