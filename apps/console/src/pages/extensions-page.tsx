import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Alert, Button, DatePicker, Descriptions, Form, Input, Modal, Select, Space, Table, Tabs, Tag, Typography } from "antd";
import type { Dayjs } from "dayjs";
import { useState } from "react";
import { Link } from "react-router";
import { fmtDate, fmtDateTime, periodText } from "../format.ts";
import { useLang, useT } from "../i18n.tsx";
import { useCanEdit } from "../session.tsx";
import { useErrorMessage, type Outputs, useTRPC } from "../trpc.ts";

type Queue = Outputs["extensions"]["queue"];
type Request = Queue["pending"][number];
type Blocker = Queue["blocked"][number];

const planTag = (plan: { title: string; shortTitle: string }) => (
  <Tag title={plan.title} style={{ maxWidth: 140, overflow: "hidden", textOverflow: "ellipsis" }}>
    {plan.shortTitle}
  </Tag>
);

/** 有困难 → 已协调: the note goes back to the liaison who raised it. */
function CoordinateModal({ target, onClose }: { target: Blocker | null; onClose: () => void }) {
  const t = useT();
  const errorMessage = useErrorMessage();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<{ note: string }>();
  const coordinate = useMutation(
    trpc.extensions.coordinate.mutationOptions({
      onSuccess: () => {
        void queryClient.invalidateQueries({ queryKey: trpc.extensions.queue.queryKey() });
        void queryClient.invalidateQueries({ queryKey: trpc.board.pathKey() });
        void queryClient.invalidateQueries({ queryKey: trpc.tasks.pathKey() });
        // The menu's 延期与协调 count: otherwise it counts the handled item for up to a minute.
        void queryClient.invalidateQueries({ queryKey: trpc.alerts.pathKey() });
        onClose();
      },
    }),
  );
  return (
    <Modal
      open={target !== null}
      title={t("标记为已协调", "Mark as coordinated")}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t("确认已协调", "Mark coordinated")}
      confirmLoading={coordinate.isPending}
      destroyOnHidden
    >
      {target && (
        <Descriptions
          size="small"
          column={1}
          bordered
          style={{ marginBottom: 16 }}
          items={[
            { label: t("单位", "Unit"), children: target.unit.name },
            { label: t("方案", "Plan"), children: target.plan.title },
            { label: t("任务", "Task"), children: `${target.task.number}. ${target.task.title}` },
            { label: t("反映时间", "Reported"), children: `${fmtDateTime(target.at)}${target.contact ? ` · ${target.contact}` : ""}` },
            { label: t("困难", "Difficulty"), children: <span style={{ whiteSpace: "pre-wrap" }}>{target.note ?? "—"}</span> },
          ]}
        />
      )}
      {coordinate.isError && <Alert type="error" showIcon title={errorMessage(coordinate.error)} style={{ marginBottom: 12 }} />}
      <Form form={form} layout="vertical" onFinish={(v) => target && coordinate.mutate({ statusUpdateId: target.statusUpdateId, planId: target.plan.id, note: v.note })}>
        <Form.Item
          name="note"
          label={t("协调结果（将发给该单位联络员）", "Outcome (sent to the unit's liaison)")}
          rules={[{ required: true, whitespace: true, message: t("请填写协调结果", "Describe the outcome") }]}
        >
          <Input.TextArea rows={4} maxLength={500} showCount placeholder={t("如：已协调财政局，专项经费本月内下达", "e.g. The finance bureau will release the funds this month")} data-testid="coordinate-note" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function DecisionModal({ target, onClose }: { target: { request: Request; decision: "approve" | "reject" } | null; onClose: () => void }) {
  const errorMessage = useErrorMessage();
  const t = useT();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<{ newDueDate?: Dayjs; reason: string }>();
  const decide = useMutation(
    trpc.extensions.decide.mutationOptions({
      onSuccess: () => {
        void queryClient.invalidateQueries({ queryKey: trpc.extensions.queue.queryKey() });
        // A new due date moves the unit's light, its round and the menu's 延期与协调 count.
        void queryClient.invalidateQueries({ queryKey: trpc.board.pathKey() });
        void queryClient.invalidateQueries({ queryKey: trpc.tasks.pathKey() });
        void queryClient.invalidateQueries({ queryKey: trpc.rounds.pathKey() });
        void queryClient.invalidateQueries({ queryKey: trpc.alerts.pathKey() });
        onClose();
      },
    }),
  );
  const approve = target?.decision === "approve";
  return (
    <Modal
      open={target !== null}
      title={approve ? t("批准延期", "Approve extension") : t("不予延期", "Reject extension")}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={decide.isPending}
      okButtonProps={{ danger: !approve }}
      destroyOnHidden
    >
      {target && (
        <Typography.Paragraph>
          {target.request.unit.name} · {t("任务", "Task")}
          {target.request.task.number} · {t("原截止", "due")} {fmtDateTime(target.request.currentDueAt)}
          <br />
          {t("理由", "Reason")}：<span style={{ whiteSpace: "pre-wrap" }}>{target.request.reason}</span>
        </Typography.Paragraph>
      )}
      {decide.isError && <Alert type="error" showIcon title={errorMessage(decide.error)} style={{ marginBottom: 12 }} />}
      <Form
        form={form}
        layout="vertical"
        onFinish={(v) => {
          if (!target) return;
          if (approve) decide.mutate({ id: target.request.id, planId: target.request.plan.id, decision: "approve", newDueDate: (v.newDueDate as Dayjs).format("YYYY-MM-DD"), reason: v.reason ?? "" });
          else decide.mutate({ id: target.request.id, planId: target.request.plan.id, decision: "reject", reason: v.reason });
        }}
      >
        {approve && (
          <Form.Item name="newDueDate" label={t("新的截止日期", "New due date")} rules={[{ required: true, message: t("请选择日期", "Pick a date") }]}>
            {/* Enter commits the typed date; it must not also submit the form (the decision would go out without its note). */}
            <DatePicker data-testid="extension-new-date" onKeyDown={(event) => event.key === "Enter" && event.preventDefault()} />
          </Form.Item>
        )}
        <Form.Item name="reason" label={approve ? t("说明（将发给联络员）", "Note to the liaison") : t("理由（将发给联络员）", "Reason (sent to the liaison)")} rules={approve ? [] : [{ required: true, message: t("请填写理由", "Give a reason") }]}>
          <Input.TextArea rows={3} maxLength={500} showCount data-testid="extension-note" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

export default function ExtensionsPage() {
  const errorMessage = useErrorMessage();
  const t = useT();
  const trpc = useTRPC();
  const canEdit = useCanEdit();
  const plans = useQuery(trpc.plan.list.queryOptions());
  const [planId, setPlanId] = useState<number | null>(null);
  const queue = useQuery(trpc.extensions.queue.queryOptions({ planId }, { refetchInterval: 10_000 }));
  const { lang } = useLang();
  const [target, setTarget] = useState<{ request: Request; decision: "approve" | "reject" } | null>(null);
  const [coordinating, setCoordinating] = useState<Blocker | null>(null);

  if (queue.isError && !queue.data) return <Alert type="error" showIcon title={errorMessage(queue.error)} />;
  const data = queue.data;
  const stateTag = (s: string) => <Tag color={s === "approved" ? "green" : s === "rejected" ? "red" : "gold"}>{{ approved: t("已批准", "approved"), rejected: t("未批准", "rejected"), pending: t("待处理", "pending") }[s] ?? s}</Tag>;

  const base = [
    { title: t("提出时间", "Asked"), dataIndex: "at", render: (v: string) => fmtDateTime(v), width: 150 },
    { title: t("单位", "Unit"), render: (_: unknown, r: Request) => r.unit.name },
    { title: t("方案", "Plan"), render: (_: unknown, r: Request) => planTag(r.plan), width: 150 },
    { title: t("任务", "Task"), render: (_: unknown, r: Request) => <Link to={`/plans/${r.plan.id}/tasks/${r.task.id}`}>{`${r.task.number}. ${r.task.title}`}</Link>, ellipsis: true },
    { title: t("期次", "Period"), dataIndex: "periodKey", width: 130, render: (v: string) => periodText(v, lang) },
    { title: t("原截止", "Due"), dataIndex: "currentDueAt", render: (v: string) => fmtDate(v), width: 110 },
    { title: t("理由", "Reason"), dataIndex: "reason", render: (v: string) => <span style={{ whiteSpace: "pre-wrap" }}>{v}</span> },
  ];

  return (
    <Space orientation="vertical" size="middle" style={{ width: "100%" }}>
      <Space wrap style={{ justifyContent: "space-between", width: "100%" }}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t("延期与协调", "Extensions & blockers")}
        </Typography.Title>
        <Select<number>
          style={{ minWidth: 240 }}
          value={planId ?? 0}
          onChange={(v) => setPlanId(v === 0 ? null : v)}
          options={[{ value: 0, label: t("全部在办方案", "All active plans") }, ...(plans.data ?? []).filter((p) => !p.archived).map((p) => ({ value: p.id, label: p.title }))]}
          data-testid="extensions-plan"
        />
      </Space>
      <Tabs
        items={[
          {
            key: "pending",
            label: `${t("待处理延期申请", "Pending requests")} (${data?.pending.length ?? 0})`,
            children: (
              <Table<Request>
                rowKey="id"
                size="small"
                loading={queue.isPending}
                dataSource={data?.pending ?? []}
                pagination={false}
                locale={{ emptyText: t("没有待处理的延期申请", "No request waiting") }}
                columns={[
                  ...base,
                  {
                    title: t("操作", "Actions"),
                    render: (_: unknown, r: Request) =>
                      canEdit ? (
                        <Space>
                          <Button size="small" type="primary" onClick={() => setTarget({ request: r, decision: "approve" })}>
                            {t("批准", "Approve")}
                          </Button>
                          <Button size="small" danger onClick={() => setTarget({ request: r, decision: "reject" })}>
                            {t("驳回", "Reject")}
                          </Button>
                        </Space>
                      ) : null,
                  },
                ]}
              />
            ),
          },
          {
            key: "blocked",
            label: `${t("有困难待协调", "Difficulties to coordinate")} (${data?.blocked.length ?? 0})`,
            children: (
              <Table<Blocker>
                rowKey="statusUpdateId"
                size="small"
                loading={queue.isPending}
                dataSource={data?.blocked ?? []}
                pagination={false}
                locale={{ emptyText: t("没有待协调的困难", "No difficulty waiting") }}
                data-testid="blocked-table"
                columns={[
                  { title: t("反映时间", "Reported"), dataIndex: "at", render: (v: string) => fmtDateTime(v), width: 150 },
                  { title: t("单位", "Unit"), render: (_: unknown, b) => b.unit.name, width: 160 },
                  { title: t("方案", "Plan"), render: (_: unknown, b) => planTag(b.plan), width: 150 },
                  { title: t("任务", "Task"), render: (_: unknown, b) => <Link to={`/plans/${b.plan.id}/tasks/${b.task.id}`}>{`${b.task.number}. ${b.task.title}`}</Link>, ellipsis: true, width: 240 },
                  { title: t("联络员", "Liaison"), dataIndex: "contact", render: (v: string | null) => v ?? t("办公室录入", "office entry"), width: 110 },
                  { title: t("困难说明", "Difficulty"), dataIndex: "note", render: (v: string | null) => <span style={{ whiteSpace: "pre-wrap" }}>{v ?? "—"}</span> },
                  ...(canEdit
                    ? [
                        {
                          title: t("操作", "Actions"),
                          width: 120,
                          render: (_: unknown, b: Blocker) => (
                            <Button size="small" type="primary" onClick={() => setCoordinating(b)} data-testid={`coordinate-${b.statusUpdateId}`}>
                              {t("标记已协调", "Coordinated")}
                            </Button>
                          ),
                        },
                      ]
                    : []),
                ]}
              />
            ),
          },
          {
            key: "coordinated",
            label: `${t("已协调", "Coordinated")} (${data?.coordinated.length ?? 0})`,
            children: (
              <Table<Blocker>
                rowKey="statusUpdateId"
                size="small"
                dataSource={data?.coordinated ?? []}
                pagination={{ pageSize: 20, hideOnSinglePage: true }}
                locale={{ emptyText: t("暂无已协调的困难", "Nothing coordinated yet") }}
                columns={[
                  { title: t("单位", "Unit"), render: (_: unknown, b) => b.unit.name, width: 160 },
                  { title: t("方案", "Plan"), render: (_: unknown, b) => planTag(b.plan), width: 150 },
                  { title: t("任务", "Task"), render: (_: unknown, b) => <Link to={`/plans/${b.plan.id}/tasks/${b.task.id}`}>{`${b.task.number}. ${b.task.title}`}</Link>, ellipsis: true, width: 240 },
                  { title: t("困难说明", "Difficulty"), dataIndex: "note", render: (v: string | null) => <span style={{ whiteSpace: "pre-wrap" }}>{v ?? "—"}</span> },
                  { title: t("协调结果", "Outcome"), dataIndex: "coordinationNote", render: (v: string | null) => <span style={{ whiteSpace: "pre-wrap" }}>{v ?? "—"}</span> },
                  { title: t("协调时间", "When"), dataIndex: "coordinatedAt", render: (v: string | null) => fmtDateTime(v), width: 150 },
                  { title: t("处理人", "By"), dataIndex: "coordinatedBy", render: (v: string | null) => v ?? "—", width: 100 },
                ]}
              />
            ),
          },
          {
            key: "decided",
            label: `${t("已处理延期", "Decided requests")} (${data?.decided.length ?? 0})`,
            children: (
              <Table<Request>
                rowKey="id"
                size="small"
                dataSource={data?.decided ?? []}
                pagination={{ pageSize: 20, hideOnSinglePage: true }}
                columns={[
                  ...base,
                  { title: t("结果", "Decision"), dataIndex: "state", render: stateTag },
                  { title: t("新截止", "New due"), dataIndex: "newDueAt", render: (v: string | null) => fmtDate(v) },
                  { title: t("批复说明", "Note"), dataIndex: "decisionReason", render: (v: string | null) => v ?? "—" },
                  { title: t("处理人", "By"), dataIndex: "decidedBy", render: (v: string | null) => v ?? "—" },
                ]}
              />
            ),
          },
        ]}
      />
      <DecisionModal target={target} onClose={() => setTarget(null)} />
      <CoordinateModal target={coordinating} onClose={() => setCoordinating(null)} />
    </Space>
  );
}
