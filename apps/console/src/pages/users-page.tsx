import { PlusOutlined } from "@ant-design/icons";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Alert, App, Button, Form, Input, Modal, Popconfirm, Result, Select, Space, Table, Tag, Typography } from "antd";
import { useState } from "react";
import { fmtDateTime } from "../format.ts";
import { useT } from "../i18n.tsx";
import { useCurrentUser } from "../session.tsx";
import { useErrorMessage, type Outputs, useTRPC } from "../trpc.ts";

type User = Outputs["users"]["list"][number];
type Role = "admin" | "staff" | "viewer";

export default function UsersPage() {
  const errorMessage = useErrorMessage();
  const t = useT();
  const trpc = useTRPC();
  const me = useCurrentUser();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [creating, setCreating] = useState(false);
  const [resetting, setResetting] = useState<User | null>(null);
  const [createForm] = Form.useForm<{ username: string; displayName?: string; role: Role; password: string }>();
  const [resetForm] = Form.useForm<{ password: string }>();
  const users = useQuery(trpc.users.list.queryOptions(undefined, { enabled: me.role === "admin" }));
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.users.list.queryKey() });
  const onError = (e: unknown) => message.error(errorMessage(e));
  const create = useMutation(trpc.users.create.mutationOptions({ onSuccess: () => (setCreating(false), createForm.resetFields(), refresh()) }));
  const update = useMutation(trpc.users.update.mutationOptions({ onSuccess: refresh, onError }));
  const reset = useMutation(trpc.users.resetPassword.mutationOptions({ onSuccess: () => (setResetting(null), resetForm.resetFields(), message.success(t("密码已重置", "Password reset"))) }));
  const roles = [
    { value: "admin", label: t("管理员", "Admin") },
    { value: "staff", label: t("办公室工作人员", "Office staff") },
    { value: "viewer", label: t("只读", "Viewer") },
  ];

  if (me.role !== "admin") return <Result status="403" title={t("仅管理员可管理用户", "Only admins manage users")} />;

  return (
    <Space orientation="vertical" size="middle" style={{ width: "100%" }}>
      <div style={{ display: "flex", justifyContent: "space-between" }}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t("用户", "Users")}
        </Typography.Title>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
          {t("新建用户", "New user")}
        </Button>
      </div>
      {users.isError && <Alert type="error" showIcon title={errorMessage(users.error)} />}
      <Table<User>
        rowKey="id"
        size="small"
        loading={users.isPending}
        dataSource={users.data ?? []}
        pagination={false}
        columns={[
          { title: t("用户名", "Username"), dataIndex: "username" },
          { title: t("姓名", "Name"), dataIndex: "displayName", render: (v: string | null) => v ?? "—" },
          {
            title: t("角色", "Role"),
            dataIndex: "role",
            render: (role: Role, u) => <Select size="small" value={role} options={roles} style={{ width: 150 }} disabled={u.id === me.id} onChange={(v) => update.mutate({ id: u.id, role: v })} />,
          },
          { title: t("状态", "State"), dataIndex: "disabled", render: (d: boolean) => (d ? <Tag>{t("已停用", "Disabled")}</Tag> : <Tag color="green">{t("正常", "Active")}</Tag>) },
          { title: t("创建时间", "Created"), dataIndex: "createdAt", render: (v: string) => fmtDateTime(v) },
          {
            title: t("操作", "Actions"),
            render: (_: unknown, u) => (
              <Space>
                <Button size="small" onClick={() => setResetting(u)}>
                  {t("重置密码", "Reset password")}
                </Button>
                {u.id !== me.id && (
                  <Popconfirm title={u.disabled ? t("启用此用户？", "Enable this user?") : t("停用后该用户立即退出，确定？", "Disable and sign them out?")} onConfirm={() => update.mutate({ id: u.id, disabled: !u.disabled })}>
                    <Button size="small" danger={!u.disabled}>
                      {u.disabled ? t("启用", "Enable") : t("停用", "Disable")}
                    </Button>
                  </Popconfirm>
                )}
              </Space>
            ),
          },
        ]}
      />
      <Modal open={creating} title={t("新建用户", "New user")} onCancel={() => setCreating(false)} onOk={() => createForm.submit()} confirmLoading={create.isPending} destroyOnHidden>
        {create.isError && <Alert type="error" showIcon title={errorMessage(create.error)} style={{ marginBottom: 12 }} />}
        <Form form={createForm} layout="vertical" initialValues={{ role: "staff" }} onFinish={(v) => create.mutate({ username: v.username, password: v.password, role: v.role, displayName: v.displayName?.trim() || null })}>
          <Form.Item name="username" label={t("用户名", "Username")} rules={[{ required: true, pattern: /^[A-Za-z0-9_.-]{2,32}$/, message: t("2-32 位字母、数字、下划线、点或连字符", "2–32 letters, digits, _ . -") }]}>
            <Input autoComplete="off" />
          </Form.Item>
          <Form.Item name="displayName" label={t("姓名", "Name")}>
            <Input maxLength={50} />
          </Form.Item>
          <Form.Item name="role" label={t("角色", "Role")}>
            <Select options={roles} />
          </Form.Item>
          <Form.Item name="password" label={t("初始密码", "Initial password")} rules={[{ required: true, min: 8, message: t("至少 8 位", "At least 8 characters") }]}>
            <Input.Password autoComplete="new-password" />
          </Form.Item>
        </Form>
      </Modal>
      <Modal open={resetting !== null} title={`${t("重置密码", "Reset password")}：${resetting?.username ?? ""}`} onCancel={() => setResetting(null)} onOk={() => resetForm.submit()} confirmLoading={reset.isPending} destroyOnHidden>
        {reset.isError && <Alert type="error" showIcon title={errorMessage(reset.error)} style={{ marginBottom: 12 }} />}
        <Form form={resetForm} layout="vertical" onFinish={(v) => resetting && reset.mutate({ id: resetting.id, password: v.password })}>
          <Form.Item name="password" label={t("新密码", "New password")} rules={[{ required: true, min: 8, message: t("至少 8 位", "At least 8 characters") }]}>
            <Input.Password autoComplete="new-password" />
          </Form.Item>
        </Form>
      </Modal>
    </Space>
  );
}
