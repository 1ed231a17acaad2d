import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Alert, Form, Input, InputNumber, Modal, Radio, Select, Skeleton, Space, Typography } from "antd";
import { useEffect, useMemo } from "react";
import { fmtDateTime, periodText, statusText } from "../format.ts";
import { useLang, useT } from "../i18n.tsx";
import { usePlanId } from "../plan-route.ts";
import { type Outputs, useErrorMessage, useTRPC } from "../trpc.ts";

type Recorded = Outputs["statusUpdates"]["record"];
type Status = "not_started" | "in_progress" | "done" | "blocked";

interface EntryForm {
  unitId: number;
  status: Status;
  progress?: number | null;
  roundId: number | "none";
  note?: string;
  values?: Record<string, number | null | undefined>;
}

const NO_ROUND = "none" as const;

/**
 * 代为填报: the office enters a unit's status itself (after a phone call, a meeting, a paper
 * report). The server records it as the signed-in user's entry, source "console", audited.
 */
export default function OfficeStatusModal({
  target,
  onClose,
  onRecorded,
}: {
  target: { taskId: number; unitId: number } | null;
  onClose: () => void;
  onRecorded?: (result: Recorded, unitName: string) => void;
}) {
  const t = useT();
  const { lang } = useLang();
  const errorMessage = useErrorMessage();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<EntryForm>();
  // The plan in the URL: the server checks the task (and round) are that plan's.
  const planId = usePlanId();
  const cell = useQuery(trpc.board.cell.queryOptions({ ...(target ?? { taskId: 1, unitId: 1 }), planId }, { enabled: target !== null }));
  const data = cell.data;
  // A collective (联席会议成员单位) answers through its member units: the office picks one.
  const unitChoices = useMemo(() => (data ? (data.unit.collective && data.unit.members.length > 0 ? data.unit.members : [{ id: data.unit.id, name: data.unit.name }]) : []), [data]);
  const chosenUnit = Form.useWatch("unitId", form);
  const status = Form.useWatch("status", form);
  const owed = useMemo(() => {
    const mine = (data?.submissions ?? []).filter((s) => s.unitId === chosenUnit);
    // Still owed first, earliest due first: that is what the unit is being chased for.
    return [...mine].sort((a, b) => Number(a.submittedAt !== null) - Number(b.submittedAt !== null) || new Date(a.dueAt).getTime() - new Date(b.dueAt).getTime());
  }, [data, chosenUnit]);

  useEffect(() => {
    if (data && form.getFieldValue("unitId") === undefined) form.setFieldsValue({ unitId: unitChoices[0]?.id, status: "in_progress" });
  }, [data, unitChoices, form]);
  useEffect(() => {
    if (chosenUnit !== undefined) form.setFieldValue("roundId", owed.find((s) => !s.submittedAt)?.roundId ?? NO_ROUND);
  }, [chosenUnit, owed, form]);

  const record = useMutation(
    trpc.statusUpdates.record.mutationOptions({
      onSuccess: (result, variables) => {
        void queryClient.invalidateQueries({ queryKey: trpc.board.pathKey() });
        void queryClient.invalidateQueries({ queryKey: trpc.tasks.pathKey() });
        void queryClient.invalidateQueries({ queryKey: trpc.rounds.pathKey() });
        void queryClient.invalidateQueries({ queryKey: trpc.extensions.pathKey() });
        onRecorded?.(result, unitChoices.find((u) => u.id === variables.unitId)?.name ?? "");
        onClose();
      },
    }),
  );

  const submit = (v: EntryForm) => {
    if (!target) return;
    const values = Object.entries(v.values ?? {})
      .filter((entry): entry is [string, number] => typeof entry[1] === "number")
      .map(([indicatorId, value]) => ({ indicatorId: Number(indicatorId), value }));
    record.mutate({
      planId,
      taskId: target.taskId,
      unitId: v.unitId,
      roundId: v.roundId === NO_ROUND ? null : v.roundId,
      status: v.status,
      progress: v.status === "done" ? 100 : (v.progress ?? null),
      note: v.note?.trim() || null,
      values,
    });
  };

  return (
    <Modal
      open={target !== null}
      title={data ? `${t("代为填报", "Enter a status for the unit")} · ${t("任务", "Task")}${data.task.number} · ${data.unit.name}` : t("代为填报", "Enter a status for the unit")}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t("保存填报", "Save")}
      okButtonProps={{ disabled: !data, "data-testid": "office-status-save" } as { disabled: boolean }}
      confirmLoading={record.isPending}
      width={620}
      destroyOnHidden
    >
      {!data ? (
        cell.isError ? <Alert type="error" showIcon title={errorMessage(cell.error)} /> : <Skeleton active />
      ) : (
        <>
          <Typography.Paragraph type="secondary" style={{ fontSize: 13 }}>
            {t(
              "用于电话、会议或纸质材料报来的情况。保存后记为“办公室录入”并写入审计日志；计入报送轮次的，季度进度填报任何状态均视为已报送，其他事项须为“已完成”。",
              "For what a unit reports by phone, at a meeting or on paper. It is saved as an office entry and audited. Counted for a round, any status answers a quarterly progress round; other items need 'done'.",
            )}
          </Typography.Paragraph>
          {record.isError && <Alert type="error" showIcon title={errorMessage(record.error)} style={{ marginBottom: 12 }} data-testid="office-status-error" />}
          <Form<EntryForm> form={form} layout="vertical" onFinish={submit} requiredMark={false}>
            {unitChoices.length > 1 ? (
              <Form.Item name="unitId" label={t("成员单位", "Member unit")} rules={[{ required: true, message: t("请选择单位", "Pick a unit") }]}>
                <Select showSearch={{ optionFilterProp: "label" }} options={unitChoices.map((u) => ({ value: u.id, label: u.name }))} />
              </Form.Item>
            ) : (
              <Form.Item name="unitId" hidden>
                <Input />
              </Form.Item>
            )}
            <Form.Item name="status" label={t("状态", "Status")} rules={[{ required: true }]}>
              <Radio.Group optionType="button" buttonStyle="solid" data-testid="office-status-status">
                {(["not_started", "in_progress", "done", "blocked"] as const).map((s) => (
                  <Radio.Button key={s} value={s}>
                    {statusText(s, lang)}
                  </Radio.Button>
                ))}
              </Radio.Group>
            </Form.Item>
            <Space size="large" align="start" wrap>
              <Form.Item name="progress" label={t("进度", "Progress")} hidden={status === "done"}>
                <InputNumber min={0} max={100} precision={0} suffix="%" style={{ width: 120 }} />
              </Form.Item>
              <Form.Item name="roundId" label={t("计入报送轮次", "Counts for round")} style={{ minWidth: 360 }}>
                <Select
                  data-testid="office-status-round"
                  options={[
                    ...owed.map((s) => ({
                      value: s.roundId,
                      label: `${periodText(s.periodKey, lang)} ${s.deadline}（${t("截止", "due")} ${fmtDateTime(s.dueAt)}${s.submittedAt ? `，${t("已报送", "submitted")}` : ""}）`,
                    })),
                    { value: NO_ROUND, label: t("不计入轮次（仅记录情况）", "None (record only)") },
                  ]}
                />
              </Form.Item>
            </Space>
            {data.task.indicators.length > 0 && (
              <Form.Item label={t("指标值（可选）", "Indicator values (optional)")} style={{ marginBottom: 8 }}>
                <Space orientation="vertical" size={8} style={{ width: "100%" }}>
                  {data.task.indicators.map((i) => (
                    <Space key={i.id} size={8} wrap>
                      <span style={{ display: "inline-block", minWidth: 220 }}>{i.name}</span>
                      <Form.Item name={["values", String(i.id)]} noStyle>
                        <InputNumber style={{ width: 160 }} suffix={i.measureUnit ?? undefined} aria-label={i.name} />
                      </Form.Item>
                    </Space>
                  ))}
                </Space>
              </Form.Item>
            )}
            <Form.Item
              name="note"
              label={t("情况说明", "Note")}
              rules={status === "blocked" ? [{ required: true, whitespace: true, message: t("请说明遇到的困难", "Describe the difficulty") }] : []}
            >
              <Input.TextArea rows={3} maxLength={2000} showCount placeholder={t("如：10月12日电话联系该单位联络员，反映……", "e.g. Phoned the liaison on 12 Oct; they said…")} data-testid="office-status-note" />
            </Form.Item>
          </Form>
        </>
      )}
    </Modal>
  );
}
