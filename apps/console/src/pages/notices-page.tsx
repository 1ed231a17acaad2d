import { SendOutlined } from "@ant-design/icons";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Alert, App, Button, Card, Checkbox, Form, Input, Radio, Select, Space, Table, Tag, Typography } from "antd";
import { fmtDateTime } from "../format.ts";
import { useT } from "../i18n.tsx";
import { useCanEdit } from "../session.tsx";
import { useErrorMessage, useTRPC } from "../trpc.ts";

interface Values {
  title?: string;
  text: string;
  scope: "all" | "selected";
  unitIds?: number[];
  includeHeads: boolean;
}

export default function NoticesPage() {
  const errorMessage = useErrorMessage();
  const t = useT();
  const trpc = useTRPC();
  const canEdit = useCanEdit();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<Values>();
  const scope = Form.useWatch("scope", form);
  const units = useQuery(trpc.units.list.queryOptions());
  const notices = useQuery(trpc.notices.list.queryOptions(undefined, { refetchInterval: 10_000 }));
  const send = useMutation(
    trpc.notices.broadcast.mutationOptions({
      onSuccess: (r) => {
        message.success(`${t("已加入发送队列：", "Queued: ")}${r.recipients} ${t("人", "recipients")}`);
        if (r.withoutContact.length) message.warning(`${t("无联络员的单位：", "Units without a liaison: ")}${r.withoutContact.map((u) => u.name).join("、")}`);
        form.resetFields();
        void queryClient.invalidateQueries({ queryKey: trpc.notices.list.queryKey() });
      },
    }),
  );

  return (
    <Space orientation="vertical" size="middle" style={{ width: "100%" }}>
      <Typography.Title level={3} style={{ margin: 0 }}>
        {t("通知", "Notices")}
      </Typography.Title>
      {canEdit && (
        <Card title={t("发送通知", "Send a notice")} size="small">
          {send.isError && <Alert type="error" showIcon title={errorMessage(send.error)} style={{ marginBottom: 12 }} />}
          <Form
            form={form}
            layout="vertical"
            initialValues={{ scope: "all", includeHeads: false }}
            onFinish={(v) => send.mutate({ title: v.title ?? "", text: v.text, unitIds: v.scope === "all" ? null : (v.unitIds ?? []), includeHeads: v.includeHeads })}
          >
            <Form.Item name="title" label={t("标题（可选）", "Title (optional)")}>
              <Input maxLength={100} placeholder={t("如：关于召开质量强市联席会议的通知", "e.g. Joint meeting on Friday")} />
            </Form.Item>
            <Form.Item name="text" label={t("内容", "Text")} rules={[{ required: true, message: t("请填写通知内容", "Enter the text") }]}>
              <Input.TextArea rows={4} maxLength={3000} showCount />
            </Form.Item>
            <Form.Item name="scope" label={t("发送范围", "Recipients")}>
              <Radio.Group
                options={[
                  { value: "all", label: t("全部单位联络员", "Every unit's liaisons") },
                  { value: "selected", label: t("指定单位", "Selected units") },
                ]}
              />
            </Form.Item>
            {scope === "selected" && (
              <Form.Item name="unitIds" rules={[{ required: true, message: t("请选择单位", "Choose units") }]}>
                <Select mode="multiple" showSearch={{ optionFilterProp: "label" }} options={(units.data ?? []).map((u) => ({ value: u.id, label: u.name }))} placeholder={t("选择单位", "Choose units")} />
              </Form.Item>
            )}
            <Form.Item name="includeHeads" valuePropName="checked">
              <Checkbox>{t("同时发送给一把手", "Also send to unit heads")}</Checkbox>
            </Form.Item>
            <Button type="primary" htmlType="submit" icon={<SendOutlined />} loading={send.isPending}>
              {t("发送", "Send")}
            </Button>
          </Form>
        </Card>
      )}
      {notices.isError && <Alert type="error" showIcon title={errorMessage(notices.error)} />}
      <Card size="small" title={t("已发送的通知", "Notices sent")} styles={{ body: { padding: 0 } }}>
      <Table
        rowKey="id"
        size="small"
        loading={notices.isPending}
        dataSource={notices.data ?? []}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        locale={{ emptyText: t("尚未发送过通知", "No notice sent yet") }}
        columns={[
          { title: t("时间", "When"), dataIndex: "at", render: (v: string) => fmtDateTime(v), width: 150 },
          { title: t("发送人", "By"), dataIndex: "by", width: 100 },
          { title: t("通知", "Notice"), render: (_: unknown, n) => <span style={{ whiteSpace: "pre-wrap" }}>{n.title ? <strong>{n.title}：</strong> : null}{n.text}</span> },
          { title: t("范围", "Scope"), dataIndex: "units", render: (u: string[] | "all") => (u === "all" ? t("全部单位", "all units") : u.join("、")), ellipsis: true },
          {
            title: t("已送达/应送达", "Delivered"),
            render: (_: unknown, n) => (
              <Space size={4}>
                <Tag color="green">{n.sent}</Tag>/{n.total}
                {n.failed > 0 && <Tag color="red">{t("失败", "failed")} {n.failed}</Tag>}
              </Space>
            ),
          },
        ]}
      />
      </Card>
    </Space>
  );
}
