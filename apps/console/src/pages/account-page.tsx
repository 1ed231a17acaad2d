import { useMutation } from "@tanstack/react-query";
import { Alert, Button, Card, Descriptions, Form, Input, Space, Typography } from "antd";
import { useState } from "react";
import { useT } from "../i18n.tsx";
import { useCurrentUser } from "../session.tsx";
import { useErrorMessage, useTRPC } from "../trpc.ts";

const ROLE: Record<string, [string, string]> = { admin: ["管理员", "Administrator"], staff: ["办公室工作人员", "Office staff"], viewer: ["只读", "Read-only"] };

interface PasswordForm {
  currentPassword: string;
  newPassword: string;
  confirmPassword: string;
}

/** 修改密码: the signed-in user's own account. Other sessions of the user end; this one stays. */
export default function AccountPage() {
  const t = useT();
  const errorMessage = useErrorMessage();
  const trpc = useTRPC();
  const user = useCurrentUser();
  const [form] = Form.useForm<PasswordForm>();
  const [done, setDone] = useState(false);
  const change = useMutation(
    trpc.auth.changePassword.mutationOptions({
      onSuccess: () => {
        setDone(true);
        form.resetFields();
      },
    }),
  );
  const role = ROLE[user.role];

  return (
    <Space orientation="vertical" size="middle" style={{ width: "100%", maxWidth: 640 }}>
      <Typography.Title level={3} style={{ margin: 0 }}>
        {t("修改密码", "Change password")}
      </Typography.Title>
      <Card size="small" title={t("当前账号", "Signed in as")}>
        <Descriptions
          size="small"
          column={1}
          items={[
            { label: t("用户名", "Username"), children: user.username },
            { label: t("姓名", "Name"), children: user.displayName ?? "—" },
            { label: t("角色", "Role"), children: role ? t(role[0], role[1]) : user.role },
          ]}
        />
      </Card>
      <Card size="small" title={t("设置新密码", "New password")}>
        {done && (
          <Alert
            type="success"
            showIcon
            closable={{ onClose: () => setDone(false) }}
            title={t("密码已修改", "Password changed")}
            description={t("下次登录请使用新密码；在其他电脑或浏览器上的登录已自动退出。", "Use the new password next time; sessions on other computers or browsers have been signed out.")}
            style={{ marginBottom: 16 }}
            data-testid="password-changed"
          />
        )}
        {change.isError && <Alert type="error" showIcon title={errorMessage(change.error)} style={{ marginBottom: 16 }} data-testid="password-error" />}
        <Form<PasswordForm>
          form={form}
          layout="vertical"
          requiredMark={false}
          onFinish={(v) => {
            setDone(false);
            change.mutate({ currentPassword: v.currentPassword, newPassword: v.newPassword });
          }}
          style={{ maxWidth: 400 }}
        >
          <Form.Item name="currentPassword" label={t("当前密码", "Current password")} rules={[{ required: true, message: t("请输入当前密码", "Enter your current password") }]}>
            <Input.Password autoComplete="current-password" />
          </Form.Item>
          <Form.Item
            name="newPassword"
            label={t("新密码", "New password")}
            extra={t("至少 8 位，建议混合字母、数字和符号", "At least 8 characters; mix letters, digits and symbols")}
            rules={[
              { required: true, message: t("请输入新密码", "Enter a new password") },
              { min: 8, message: t("新密码至少 8 位", "At least 8 characters") },
              { max: 200, message: t("新密码过长", "Too long") },
              ({ getFieldValue }) => ({
                validator: (_, value: string | undefined) =>
                  value && value === getFieldValue("currentPassword") ? Promise.reject(new Error(t("新密码不能与当前密码相同", "The new password must differ from the current one"))) : Promise.resolve(),
              }),
            ]}
          >
            <Input.Password autoComplete="new-password" />
          </Form.Item>
          <Form.Item
            name="confirmPassword"
            label={t("确认新密码", "Confirm new password")}
            dependencies={["newPassword"]}
            rules={[
              { required: true, message: t("请再次输入新密码", "Enter the new password again") },
              ({ getFieldValue }) => ({
                validator: (_, value: string | undefined) =>
                  !value || value === getFieldValue("newPassword") ? Promise.resolve() : Promise.reject(new Error(t("两次输入的新密码不一致", "The two entries differ"))),
              }),
            ]}
          >
            <Input.Password autoComplete="new-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={change.isPending} data-testid="change-password">
            {t("确认修改", "Change password")}
          </Button>
        </Form>
      </Card>
    </Space>
  );
}
