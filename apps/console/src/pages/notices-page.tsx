import { BellOutlined, SendOutlined } from "@ant-design/icons";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Alert, App, Button, Card, Checkbox, Form, Input, Radio, Select, Space, Table, Tag, Typography } from "antd";
import { useState } from "react";
import { fmtDateTime } from "../format.ts";
import { useT } from "../i18n.tsx";
import { useCanEdit } from "../session.tsx";
import { useErrorMessage, useTRPC, type Outputs } from "../trpc.ts";

interface Values {
  title?: string;
  text: string;
  scope: "all" | "selected" | "plan";
  unitIds?: number[];
  planId?: number;
  includeHeads: boolean;
}

type Notice = Outputs["notices"]["list"][number];

/** Who has signed (签收) a notice and who has not, unit by unit. */
function Receipts({ notice }: { notice: Notice }) {
  const t = useT();
  return (
    <Space orientation="vertical" size={4} style={{ width: "100%" }} data-testid={`notice-receipts-${notice.id}`}>
      {notice.units.map((u) => (
        <div key={u.unit}>
          {u.receivedAt ? <Tag color="green">{t("已签收", "Signed")}</Tag> : <Tag color="orange">{t("未签收", "Not signed")}</Tag>}
          <strong>{u.unit}</strong>
          {"："}
          {u.recipients.map((r, i) => (
            <span key={i} style={{ marginRight: 12 }}>
              {r.contact ?? t("（未填姓名）", "(no name)")}
              {r.role === "head" ? t("（一把手）", " (head)") : ""}
              {r.receivedAt ? ` ${fmtDateTime(r.receivedAt)}` : r.state === "unreachable" || r.state === "failed" ? ` ${t("未送达", "not delivered")}` : ""}
            </span>
          ))}
        </div>
      ))}
      {notice.withoutContact.length > 0 && (
        <div>
          <Tag>{t("无法送达", "Unreachable")}</Tag>
          {notice.withoutContact.join("、")}
        </div>
      )}
      {notice.reminded.length > 0 && (
        <Typography.Text type="secondary">
          {t("已再次提醒：", "Re-sent: ")}
          {notice.reminded.map((at) => fmtDateTime(at)).join("、")}
        </Typography.Text>
      )}
    </Space>
  );
}

export default function NoticesPage() {
  const errorMessage = useErrorMessage();
  const t = useT();
  const trpc = useTRPC();
  const canEdit = useCanEdit();
  const { message, modal } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<Values>();
  const scope = Form.useWatch("scope", form);
  const [checking, setChecking] = useState(false);
  const units = useQuery(trpc.units.list.queryOptions());
  const plans = useQuery(trpc.plan.list.queryOptions());
  const notices = useQuery(trpc.notices.list.queryOptions(undefined, { refetchInterval: 10_000 }));
  const refresh = () => void queryClient.invalidateQueries({ queryKey: trpc.notices.list.queryKey() });
  const send = useMutation(
    trpc.notices.broadcast.mutationOptions({
      onSuccess: (r) => {
        message.success(`${t("已加入发送队列：", "Queued: ")}${r.recipients} ${t("人", "recipients")}`);
        form.resetFields();
        refresh();
      },
    }),
  );
  const remind = useMutation(
    trpc.notices.remind.mutationOptions({
      onSuccess: (r) => {
        message.success(r.recipients > 0 ? `${t("已再次提醒：", "Re-sent to ")}${r.recipients} ${t("人", "recipients")}` : t("没有需要再次提醒的人", "Nobody left to remind"));
        refresh();
      },
      onError: (e) => message.error(errorMessage(e)),
    }),
  );

  /** Sending asks first, showing how many people it reaches and who cannot be reached. */
  const confirmAndSend = async (v: Values) => {
    const audience = { unitIds: v.scope === "selected" ? (v.unitIds ?? []) : null, planId: v.scope === "plan" ? (v.planId ?? null) : null, includeHeads: v.includeHeads };
    setChecking(true);
    let preview;
    try {
      preview = await queryClient.fetchQuery({ ...trpc.notices.preview.queryOptions(audience), staleTime: 0 });
    } catch (error) {
      message.error(errorMessage(error));
      return;
    } finally {
      setChecking(false);
    }
    if (preview.recipients === 0) {
      modal.warning({ title: t("没有可送达的联络员", "Nobody can receive it"), content: t("所选单位均未绑定联络员或无法送达。", "No chosen unit has a reachable liaison.") });
      return;
    }
    modal.confirm({
      title: t("确认发送通知", "Send this notice?"),
      okText: t("确认发送", "Send"),
      cancelText: t("取消", "Cancel"),
      content: (
        <div data-testid="notice-confirm">
          <p>
            {t(`将发送给 ${preview.units} 个单位的 ${preview.recipients} 人。`, `To ${preview.recipients} people in ${preview.units} units.`)}
          </p>
          {preview.withoutContact.length > 0 && (
            <p>
              {t(`无法送达的单位（${preview.withoutContact.length}）：`, `Units nobody can receive it in (${preview.withoutContact.length}): `)}
              {preview.withoutContact.map((u) => u.name).join("、")}
            </p>
          )}
          {preview.unreachable.length > 0 && (
            <p>
              {t("无法联系的人员：", "People who cannot be reached: ")}
              {preview.unreachable
                .map((u) => `${u.unit}${u.contact ? ` ${u.contact}` : ""}（${u.reason === "blocked" ? t("已屏蔽机器人", "blocked the bot") : t("未启用机器人", "never started the bot")}）`)
                .join("、")}
            </p>
          )}
        </div>
      ),
      onOk: () => send.mutateAsync({ title: v.title ?? "", text: v.text, ...audience }).then(() => undefined),
    });
  };

  return (
    <Space orientation="vertical" size="middle" style={{ width: "100%" }}>
      <Typography.Title level={3} style={{ margin: 0 }}>
        {t("通知", "Notices")}
      </Typography.Title>
      {canEdit && (
        <Card title={t("发送通知", "Send a notice")} size="small">
          {send.isError && <Alert type="error" showIcon title={errorMessage(send.error)} style={{ marginBottom: 12 }} />}
          <Form form={form} layout="vertical" initialValues={{ scope: "all", includeHeads: false }} onFinish={(v) => void confirmAndSend(v)}>
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
                  { value: "plan", label: t("某方案的责任单位", "Units of a plan") },
                ]}
              />
            </Form.Item>
            {scope === "selected" && (
              <Form.Item name="unitIds" rules={[{ required: true, message: t("请选择单位", "Choose units") }]}>
                <Select mode="multiple" showSearch={{ optionFilterProp: "label" }} options={(units.data ?? []).map((u) => ({ value: u.id, label: u.name }))} placeholder={t("选择单位", "Choose units")} />
              </Form.Item>
            )}
            {scope === "plan" && (
              <Form.Item name="planId" rules={[{ required: true, message: t("请选择方案", "Choose a plan") }]}>
                <Select showSearch={{ optionFilterProp: "label" }} options={(plans.data ?? []).filter((p) => !p.archivedAt).map((p) => ({ value: p.id, label: p.title }))} placeholder={t("选择方案", "Choose a plan")} />
              </Form.Item>
            )}
            <Form.Item name="includeHeads" valuePropName="checked">
              <Checkbox>{t("同时发送给一把手", "Also send to unit heads")}</Checkbox>
            </Form.Item>
            <Button type="primary" htmlType="submit" icon={<SendOutlined />} loading={checking || send.isPending} data-testid="send-notice">
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
          scroll={{ x: "max-content" }}
          locale={{ emptyText: t("尚未发送过通知", "No notice sent yet") }}
          expandable={{ expandedRowRender: (n) => <Receipts notice={n} />, rowExpandable: (n) => n.units.length > 0 || n.withoutContact.length > 0 }}
          columns={[
            { title: t("时间", "When"), dataIndex: "at", render: (v: string) => fmtDateTime(v), width: 150 },
            { title: t("发送人", "By"), dataIndex: "by", width: 100 },
            {
              title: t("通知", "Notice"),
              render: (_: unknown, n) => (
                <span style={{ whiteSpace: "pre-wrap" }}>
                  {n.title ? <strong>{n.title}：</strong> : null}
                  {n.text}
                </span>
              ),
            },
            {
              title: t("范围", "Scope"),
              render: (_: unknown, n) => (n.plan ? `《${n.plan}》` : n.scope === "all" ? t("全部单位", "all units") : n.scope.join("、")),
              ellipsis: true,
            },
            {
              title: t("已送达/应送达", "Delivered"),
              render: (_: unknown, n) => (
                <Space size={4}>
                  <Tag color="green">{n.sent}</Tag>/{n.total}
                  {n.failed > 0 && (
                    <Tag color="red">
                      {t("失败", "failed")} {n.failed}
                    </Tag>
                  )}
                </Space>
              ),
            },
            {
              title: t("签收", "Receipts"),
              render: (_: unknown, n) => (
                <span data-testid={`notice-receipt-count-${n.id}`}>
                  <Tag color={n.receivedUnits === n.totalUnits && n.totalUnits > 0 ? "green" : "orange"}>
                    {n.receivedUnits}/{n.totalUnits} {t("已签收", "signed")}
                  </Tag>
                </span>
              ),
            },
            ...(canEdit
              ? [
                  {
                    title: "",
                    render: (_: unknown, n: Notice) =>
                      n.receivedUnits < n.totalUnits ? (
                        <Button size="small" icon={<BellOutlined />} loading={remind.isPending && remind.variables?.noticeId === n.id} onClick={() => remind.mutate({ noticeId: n.id, ordinal: n.reminded.length + 1 })}>
                          {t("再次提醒未签收", "Remind who has not signed")}
                        </Button>
                      ) : null,
                  },
                ]
              : []),
          ]}
        />
      </Card>
    </Space>
  );
}
