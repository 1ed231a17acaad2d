import { PlusOutlined } from "@ant-design/icons";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Alert, App, Button, DatePicker, Form, Input, InputNumber, Modal, Popconfirm, Radio, Select, Space, Switch, Table, Tabs, Tag, Typography } from "antd";
import { describeRule } from "@duban/domain/rule-text";
import dayjs, { type Dayjs } from "dayjs";
import { useState } from "react";
import { useSearchParams } from "react-router";
import { usePlanId } from "../plan-route.ts";
import { fmtDateTime, ladderText, rungText } from "../format.ts";
import { useLang, useT } from "../i18n.tsx";
import { useCanEdit } from "../session.tsx";
import { useErrorMessage, type Outputs, useTRPC } from "../trpc.ts";

type Deadline = Outputs["deadlines"]["list"][number];

interface FormValues {
  taskId: number;
  assignmentId: number | null;
  title: string;
  kind: "once" | "quarterly" | "annual";
  dueDate?: Dayjs;
  offsetDays?: number;
  month?: number;
  day?: number;
  dayBasis: "calendar" | "workday";
  dueTime: string;
  customLadder: boolean;
  before: number[];
  onDueDay: boolean;
  overdueEvery: number;
  overdueMax: number;
  headAfter: number | null;
  officeAfter: number | null;
  sendAt: string;
}

const DEFAULTS = { before: [7, 3, 1], onDueDay: true, overdueEvery: 2, overdueMax: 30, headAfter: 3, officeAfter: 5, sendAt: "09:00" };

function toFormValues(d: Deadline): FormValues {
  const rule = d.rule;
  return {
    taskId: d.taskId,
    assignmentId: d.assignmentId,
    title: d.title,
    kind: rule.kind,
    dueDate: rule.kind === "once" ? dayjs(rule.dueDate) : undefined,
    offsetDays: rule.kind === "quarterly" ? rule.offsetDays : undefined,
    month: rule.kind === "annual" ? rule.month : undefined,
    day: rule.kind === "annual" ? rule.day : undefined,
    dayBasis: rule.kind === "once" ? "calendar" : rule.dayBasis,
    dueTime: d.dueTime,
    customLadder: d.customLadder,
    ...d.ladder,
    before: [...d.ladder.before],
  };
}

function toInput(v: FormValues) {
  const rule =
    v.kind === "once"
      ? { kind: "once" as const, dueDate: (v.dueDate ?? dayjs()).format("YYYY-MM-DD") }
      : v.kind === "quarterly"
        ? { kind: "quarterly" as const, offsetDays: v.offsetDays ?? 0, dayBasis: v.dayBasis }
        : { kind: "annual" as const, month: v.month ?? 1, day: v.day ?? 31, dayBasis: v.dayBasis };
  return {
    taskId: v.taskId,
    assignmentId: v.assignmentId ?? null,
    title: v.title,
    rule,
    dueTime: v.dueTime,
    ladder: v.customLadder
      ? { before: v.before.map(Number).filter((n) => Number.isInteger(n) && n > 0), onDueDay: v.onDueDay, overdueEvery: v.overdueEvery, overdueMax: v.overdueMax, headAfter: v.headAfter ?? null, officeAfter: v.officeAfter ?? null, sendAt: v.sendAt }
      : null,
  };
}

function DeadlineForm({ editing, onClose }: { editing: Deadline | "new" | null; onClose: () => void }) {
  const errorMessage = useErrorMessage();
  const t = useT();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<FormValues>();
  // The plan in the URL: its tasks to pick from, and the server checks the deadline is that plan's.
  const planId = usePlanId();
  const tasks = useQuery(trpc.tasks.list.queryOptions({ planId }));
  const taskId = Form.useWatch("taskId", form);
  const kind = Form.useWatch("kind", form);
  const custom = Form.useWatch("customLadder", form);
  const done = () => {
    void queryClient.invalidateQueries({ queryKey: trpc.deadlines.pathKey() });
    onClose();
  };
  const create = useMutation(trpc.deadlines.create.mutationOptions({ onSuccess: done }));
  const update = useMutation(trpc.deadlines.update.mutationOptions({ onSuccess: done }));
  const error = create.error ?? update.error;
  const task = tasks.data?.find((x) => x.id === taskId);
  const initial: Partial<FormValues> =
    editing && editing !== "new" ? toFormValues(editing) : { kind: "once", dayBasis: "workday", dueTime: "17:30", assignmentId: null, customLadder: false, ...DEFAULTS };

  return (
    <Modal
      open={editing !== null}
      title={editing === "new" ? t("新建时间节点", "New deadline") : t("编辑时间节点", "Edit deadline")}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={create.isPending || update.isPending}
      width={680}
      destroyOnHidden
      okText={t("保存", "Save")}
    >
      {error && <Alert type="error" showIcon title={errorMessage(error)} style={{ marginBottom: 12 }} />}
      {editing && editing !== "new" && (
        <Typography.Paragraph type="secondary">
          {t("保存后，尚未到期的轮次及各单位截止时间随之改期（已批准的延期不会提前），待发提醒按新日期重排；已过期的轮次保留原截止日期。", "Rounds not yet past due, and each unit's due date, follow the change (an approved extension is never shortened) and waiting reminders are replanned; past-due rounds keep their date.")}
        </Typography.Paragraph>
      )}
      <Form
        form={form}
        layout="vertical"
        initialValues={initial}
        onFinish={(v) => {
          const input = toInput(v);
          if (editing && editing !== "new") update.mutate({ id: editing.id, planId, deadline: input });
          else create.mutate({ ...input, planId });
        }}
      >
        <Form.Item name="taskId" label={t("任务", "Task")} rules={[{ required: true, message: t("请选择任务", "Choose a task") }]}>
          <Select
            showSearch={{ optionFilterProp: "label" }}
            options={(tasks.data ?? []).map((x) => ({ value: x.id, label: `${x.number}. ${x.title}` }))}
            onChange={() => form.setFieldValue("assignmentId", null)}
            data-testid="deadline-task"
          />
        </Form.Item>
        <Form.Item name="assignmentId" label={t("适用单位", "Owed by")}>
          <Select options={[{ value: null, label: t("该任务全部责任单位", "Every unit of the task") }, ...(task?.assignments ?? []).map((a) => ({ value: a.id, label: a.unit }))]} />
        </Form.Item>
        <Form.Item name="title" label={t("名称", "Title")} rules={[{ required: true, message: t("请填写名称", "Enter a title") }]}>
          <Input maxLength={200} placeholder={t("如：计量专项检查完成情况报送", "e.g. Metrology inspection report")} data-testid="deadline-title" />
        </Form.Item>
        <Form.Item name="kind" label={t("类型", "Kind")}>
          <Radio.Group
            optionType="button"
            options={[
              { value: "once", label: t("一次性", "One-off") },
              { value: "quarterly", label: t("每季度", "Quarterly") },
              { value: "annual", label: t("每年", "Annual") },
            ]}
          />
        </Form.Item>
        <Space wrap align="start">
          {kind === "once" && (
            <Form.Item name="dueDate" label={t("截止日期", "Due date")} rules={[{ required: true, message: t("请选择日期", "Pick a date") }]}>
              <DatePicker data-testid="deadline-date" />
            </Form.Item>
          )}
          {kind === "quarterly" && (
            <Form.Item name="offsetDays" label={t("季度结束后（天）", "Days after quarter end")} rules={[{ required: true }]}>
              <InputNumber min={0} max={366} />
            </Form.Item>
          )}
          {kind === "annual" && (
            <>
              <Form.Item name="month" label={t("次年月份", "Month (next year)")} rules={[{ required: true }]}>
                <InputNumber min={1} max={12} />
              </Form.Item>
              <Form.Item name="day" label={t("日", "Day")} rules={[{ required: true }]}>
                <InputNumber min={1} max={31} />
              </Form.Item>
            </>
          )}
          {kind !== "once" && (
            <Form.Item name="dayBasis" label={t("计日方式", "Counted in")}>
              <Radio.Group
                options={[
                  { value: "workday", label: t("工作日", "Workdays") },
                  { value: "calendar", label: t("自然日", "Calendar days") },
                ]}
              />
            </Form.Item>
          )}
          <Form.Item name="dueTime" label={t("截止时刻", "Due time")} rules={[{ required: true, pattern: /^([01]\d|2[0-3]):[0-5]\d$/, message: t("请按 时:分 填写，如 17:30", "Use HH:MM, e.g. 17:30") }]}>
            <Input style={{ width: 90 }} />
          </Form.Item>
        </Space>
        <Form.Item name="customLadder" label={t("自定义提醒阶梯", "Custom reminder ladder")} valuePropName="checked">
          <Switch />
        </Form.Item>
        {custom ? (
          <Space wrap align="start">
            <Form.Item name="before" label={t("提前提醒（工作日）", "Before (workdays)")}>
              <Select mode="tags" style={{ minWidth: 160 }} tokenSeparators={[",", " ", "，"]} />
            </Form.Item>
            <Form.Item name="onDueDay" label={t("当天提醒", "On the due day")} valuePropName="checked">
              <Switch />
            </Form.Item>
            <Form.Item name="overdueEvery" label={t("逾期每隔（工作日）", "Overdue every")}>
              <InputNumber min={1} max={250} />
            </Form.Item>
            <Form.Item name="overdueMax" label={t("逾期最多（工作日）", "Overdue at most")}>
              <InputNumber min={0} max={250} />
            </Form.Item>
            <Form.Item name="headAfter" label={t("抄送一把手（逾期工作日）", "Copy head after")}>
              <InputNumber min={1} max={250} placeholder={t("不抄送", "never")} />
            </Form.Item>
            <Form.Item name="officeAfter" label={t("升级办公室（逾期工作日）", "Escalate after")}>
              <InputNumber min={1} max={250} placeholder={t("不升级", "never")} />
            </Form.Item>
            <Form.Item name="sendAt" label={t("发送时刻", "Send at")} rules={[{ pattern: /^([01]\d|2[0-3]):[0-5]\d$/, message: t("请按 时:分 填写，如 09:00", "Use HH:MM, e.g. 09:00") }]}>
              <Input style={{ width: 90 }} />
            </Form.Item>
          </Space>
        ) : (
          <Typography.Text type="secondary">
            {t("默认：提前 7、3、1 个工作日及当天提醒；逾期后每 2 个工作日提醒；逾期 3 个工作日抄送一把手，5 个工作日升级至办公室。", "Default: 7, 3 and 1 workdays before and on the day; every 2 workdays overdue; the head is copied after 3 and the office after 5 workdays overdue.")}
          </Typography.Text>
        )}
      </Form>
    </Modal>
  );
}

export default function DeadlinesPage() {
  const errorMessage = useErrorMessage();
  const t = useT();
  const { lang } = useLang();
  const trpc = useTRPC();
  const canEdit = useCanEdit();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [params] = useSearchParams();
  const taskFilter = Number(params.get("task")) || null;
  const [editing, setEditing] = useState<Deadline | "new" | null>(null);
  const planId = usePlanId();
  const deadlines = useQuery(trpc.deadlines.list.queryOptions({ taskId: taskFilter, planId }));
  const preview = useQuery(trpc.deadlines.preview.queryOptions({ days: 7, planId }));
  const archive = useMutation(
    trpc.deadlines.archive.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.deadlines.pathKey() }),
      onError: (e) => message.error(errorMessage(e)),
    }),
  );

  return (
    <Space orientation="vertical" size="middle" style={{ width: "100%" }}>
      <div style={{ display: "flex", justifyContent: "space-between" }}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t("时间节点与提醒", "Deadlines & reminders")}
        </Typography.Title>
        {canEdit && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing("new")} data-testid="new-deadline">
            {t("新建时间节点", "New deadline")}
          </Button>
        )}
      </div>
      <Tabs
        items={[
          {
            key: "deadlines",
            label: t("时间节点", "Deadlines"),
            children: deadlines.isError ? (
              <Alert type="error" showIcon title={errorMessage(deadlines.error)} />
            ) : (
              <Table<Deadline>
                rowKey="id"
                size="small"
                loading={deadlines.isPending}
                dataSource={deadlines.data ?? []}
                pagination={{ pageSize: 50, hideOnSinglePage: true }}
                // The task column's ellipsis fixes the layout: without a width to scroll to, a phone squeezes the other columns into each other.
                scroll={{ x: 1100 }}
                data-testid="deadlines-table"
                columns={[
                  { title: t("任务", "Task"), render: (_: unknown, d) => `${d.taskNumber}. ${d.taskTitle}`, ellipsis: true, width: 260 },
                  { title: t("名称", "Title"), dataIndex: "title" },
                  { title: t("周期", "Cycle"), dataIndex: "cycle", render: (v: string | null) => v ?? <Tag>{t("一次性", "one-off")}</Tag> },
                  { title: t("规则", "Rule"), render: (_: unknown, d) => <span data-testid={`deadline-rule-${d.id}`}>{`${describeRule(d.rule, lang)} ${d.dueTime}`}</span> },
                  { title: t("适用单位", "Owed by"), dataIndex: "unit", render: (v: string | null) => v ?? t("全部责任单位", "all units") },
                  { title: t("提醒阶梯", "Ladder"), render: (_: unknown, d) => (d.customLadder ? <Tag color="blue">{ladderText(d.ladder, lang)}</Tag> : <Typography.Text type="secondary">{t("默认", "default")}</Typography.Text>) },
                  {
                    title: t("操作", "Actions"),
                    render: (_: unknown, d) =>
                      canEdit ? (
                        <Space>
                          <Button size="small" onClick={() => setEditing(d)}>
                            {t("编辑", "Edit")}
                          </Button>
                          <Popconfirm title={t("停用后不再生成轮次和提醒，历史保留。确定？", "Stop new rounds and reminders? History stays.")} onConfirm={() => archive.mutate({ id: d.id, planId })}>
                            <Button size="small" danger>
                              {t("停用", "Archive")}
                            </Button>
                          </Popconfirm>
                        </Space>
                      ) : null,
                  },
                ]}
              />
            ),
          },
          {
            key: "preview",
            label: t("未来 7 天提醒预览", "Next 7 days"),
            children: (
              <>
                {preview.isError && <Alert type="error" showIcon title={errorMessage(preview.error)} style={{ marginBottom: 12 }} />}
                <Table
                  rowKey="key"
                  size="small"
                  loading={preview.isPending}
                  dataSource={preview.data ?? []}
                  locale={{ emptyText: t("未来 7 天没有待发送的提醒", "Nothing to send in the next 7 days") }}
                  pagination={{ pageSize: 50, hideOnSinglePage: true }}
                  columns={[
                    { title: t("时间", "When"), dataIndex: "at", render: (v: string) => fmtDateTime(v), width: 150 },
                    { title: t("单位", "Unit"), dataIndex: "unit", width: 170 },
                    { title: t("任务", "Task"), dataIndex: "task", width: 60 },
                    { title: t("类别", "Kind"), dataIndex: "kind", render: (k: string) => <Tag color={k === "reminder" ? "blue" : "red"}>{{ reminder: t("提醒", "reminder"), "escalation-head": t("抄送一把手", "to head"), "escalation-office": t("升级办公室", "to office") }[k] ?? k}</Tag> },
                    { title: t("提醒节点", "Rung"), dataIndex: "rung", width: 190, render: (r: string) => rungText(r, lang) },
                    { title: t("消息内容", "Text"), dataIndex: "text", ellipsis: { showTitle: true } },
                  ]}
                />
              </>
            ),
          },
        ]}
      />
      <DeadlineForm editing={editing} onClose={() => setEditing(null)} />
    </Space>
  );
}
