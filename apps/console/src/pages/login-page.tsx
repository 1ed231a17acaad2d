import { LockOutlined, UserOutlined } from "@ant-design/icons";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Alert, Button, Form, Input } from "antd";
import { useNavigate, useSearchParams } from "react-router";
import { useLang, useT } from "../i18n.tsx";
import { useErrorMessage, useTRPC } from "../trpc.ts";

export default function LoginPage() {
  const errorMessage = useErrorMessage();
  const t = useT();
  const { lang, setLang } = useLang();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const login = useMutation(
    trpc.auth.login.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries();
        const next = params.get("next");
        // Only same-site paths: never bounce to another origin.
        navigate(next && next.startsWith("/") && !next.startsWith("//") ? next : "/", { replace: true });
      },
    }),
  );

  return (
    <div style={{ minHeight: "100vh", display: "grid", placeItems: "center", background: "linear-gradient(160deg,#7f0000 0%,#b71c1c 45%,#f5f5f5 45%)" }}>
      <div style={{ width: 380, background: "#fff", borderRadius: 8, padding: 24, boxShadow: "0 6px 24px rgba(0,0,0,0.12)" }}>
        <div style={{ display: "flex", justifyContent: "space-between", alignItems: "baseline" }}>
          <h1 style={{ marginTop: 0, fontSize: 24, fontWeight: 600 }}>{t("督办 · 登录", "Duban · Sign in")}</h1>
          <Button size="small" type="text" onClick={() => setLang(lang === "en" ? "zh" : "en")} data-testid="switch-lang">
            {lang === "en" ? "中文" : "English"}
          </Button>
        </div>
        <p style={{ color: "rgba(0,0,0,0.45)" }}>{t("联席会议办公室督办工作台", "The coordinating office's follow-up console")}</p>
        {login.isError && (
          <Alert
            type="error"
            showIcon
            title={errorMessage(login.error)}
            style={{ marginBottom: 16 }}
            data-testid="login-error"
          />
        )}
        <Form layout="vertical" onFinish={(values: { username: string; password: string }) => login.mutate(values)} requiredMark={false}>
          <Form.Item name="username" label={t("用户名", "Username")} rules={[{ required: true, message: t("请输入用户名", "Enter your username") }]}>
            <Input prefix={<UserOutlined />} autoComplete="username" autoFocus />
          </Form.Item>
          <Form.Item name="password" label={t("密码", "Password")} rules={[{ required: true, message: t("请输入密码", "Enter your password") }]}>
            <Input.Password prefix={<LockOutlined />} autoComplete="current-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={login.isPending}>
            {t("登录", "Sign in")}
          </Button>
        </Form>
      </div>
    </div>
  );
}
