import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Alert, App, Button, Card, Collapse, Descriptions, Empty, Input, Result, Select, Space, Steps, Typography } from "antd";
import { useState } from "react";
import { useNavigate } from "react-router";
import type { ParsedPlan } from "@duban/domain/parse-plan";
import { planProblems, withoutKeptEdits } from "@duban/domain/plan-edit";
import PlanFileUpload from "../components/plan-file-upload.tsx";
import { PlanPreviewEditor } from "../components/plan-preview-editor.tsx";
import { useT } from "../i18n.tsx";
import { useCanEdit } from "../session.tsx";
import { useErrorMessage, useTRPC } from "../trpc.ts";

export default function ImportPage() {
  const errorMessage = useErrorMessage();
  const t = useT();
  const trpc = useTRPC();
  const canEdit = useCanEdit();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const { message, modal } = App.useApp();
  const plans = useQuery(trpc.plan.list.queryOptions());
  const [text, setText] = useState("");
  // The plan as the office corrects it; confirming imports exactly this.
  const [draft, setDraft] = useState<ParsedPlan | null>(null);
  // Whether the office has corrected the preview: new text or a new parse would throw those corrections away.
  const [corrected, setCorrected] = useState(false);
  // Which plan the import updates ("new": adds one). The first preview lets the server match it by
  // 文号 (else title); `matched` remembers that answer for the picker.
  const [target, setTarget] = useState<number | "new" | null>(null);
  const [matched, setMatched] = useState<number | null>(null);
  const preview = useMutation(
    trpc.imports.preview.mutationOptions({
      onMutate: () => setDraft(null),
      onSuccess: (data, input) => {
        setDraft(data.plan as ParsedPlan);
        if (input.planId == null && !input.newPlan) {
          setMatched(data.targetPlanId);
          setTarget(data.targetPlanId ?? "new");
        }
      },
    }),
  );
  const textChanged = () => {
    preview.reset();
    setTarget(null);
    setMatched(null);
    setCorrected(false);
  };
  /** Runs `discard` at once, or after the office agrees to lose its corrections of the preview. */
  const unlessCorrected = (discard: () => void) => {
    if (!corrected || !preview.data) return discard();
    modal.confirm({
      title: t("放弃对解析结果的修改？", "Discard your corrections of the preview?"),
      content: t("原文改动或重新解析后，预览中已做的修改（任务、单位、牵头/配合、时限）将丢失。", "Changing the text or parsing again loses the corrections made in the preview (tasks, units, lead/support, deadlines)."),
      okText: t("放弃修改", "Discard"),
      okButtonProps: { danger: true },
      cancelText: t("保留", "Keep"),
      onOk: discard,
    });
  };
  const confirm = useMutation(
    trpc.imports.confirm.mutationOptions({
      onSuccess: (result) => {
        void queryClient.invalidateQueries();
        const title = result.unchanged ? t("方案没有变化", "The plan is unchanged") : result.created ? t("方案已导入", "Plan imported") : t("方案已更新", "Plan updated");
        message.success(result.lines.length ? `${title}${t("：", ": ")}${result.lines.slice(0, 5).join("；")}` : title);
        void navigate(`/plans/${result.planId}/board`);
      },
    }),
  );
  const into = target === "new" ? { newPlan: true } : target === null ? {} : { planId: target };

  if (!canEdit) return <Result status="403" title={t("只读账号不能导入方案", "Read-only users cannot import plans")} />;

  const plan = preview.data ? draft : null;
  const lines: string[] = preview.data?.lines ?? [];
  const tasks = plan ? plan.groups.flatMap((g) => g.tasks) : [];
  const units = plan?.units ?? [];
  const indicatorCount = tasks.reduce((n, task) => n + task.indicators.length, 0);
  const blocked = plan ? planProblems(plan).some((p) => p.level === "error") : true;
  const step = confirm.isSuccess ? 2 : plan ? 1 : 0;
  const targetPlan = typeof target === "number" ? plans.data?.find((p) => p.id === target) : undefined;
  const confirmButton = (testId: string) =>
    plan && (
      <Button type="primary" danger disabled={blocked} loading={confirm.isPending} onClick={() => confirm.mutate({ text, plan, ...into })} data-testid={testId}>
        {lines.length ? t("确认导入并应用变更", "Import and apply the changes") : t("确认导入", "Import")}
      </Button>
    );

  return (
    <Space orientation="vertical" size="middle" style={{ width: "100%" }}>
      <Typography.Title level={3} style={{ margin: 0 }}>
        {t("导入方案", "Import plan")}
      </Typography.Title>
      <Steps current={step} items={[{ title: t("粘贴或上传", "Paste or upload") }, { title: t("核对解析结果", "Check the preview") }, { title: t("完成", "Done") }]} />

      {confirm.isSuccess ? (
        <Result status="success" title={t("正在打开方案…", "Opening the plan…")} />      ) : (
        <>
          <Card size="small">
            <PlanFileUpload
              onLoaded={(file) =>
                unlessCorrected(() => {
                  setText(file.text);
                  textChanged();
                })
              }
            />
            <Input.TextArea
              style={{ marginTop: 12, fontFamily: "monospace" }}
              rows={10}
              value={text}
              onChange={(e) => {
                const next = e.target.value;
                unlessCorrected(() => {
                  setText(next);
                  textChanged();
                });
              }}
              placeholder={t("或在此粘贴方案全文……", "…or paste the full text of the plan here")}
              data-testid="plan-text"
            />
            <Space style={{ marginTop: 12 }}>
              <Button type="primary" disabled={!text.trim()} loading={preview.isPending} onClick={() => unlessCorrected(() => (setTarget(null), setCorrected(false), preview.mutate({ text })))} data-testid="preview-import">
                {t("解析预览", "Preview")}
              </Button>
              {plan && confirmButton("confirm-import")}
            </Space>
          </Card>
          {preview.isError && <Alert type="error" showIcon title={t("无法解析", "Could not parse")} description={errorMessage(preview.error)} />}
          {confirm.isError && <Alert type="error" showIcon title={errorMessage(confirm.error)} />}
          {plan && (
            <Card size="small" title={t("解析结果", "Parsed plan")} data-testid="import-preview">
              <Descriptions
                size="small"
                column={{ xs: 1, sm: 2 }}
                items={[
                  {
                    label: t("导入到", "Import into"),
                    span: "filled" as const,
                    children: (
                      // A flex row rather than Space: the picker may shrink below 320px to stay on a phone's screen.
                      <div style={{ display: "flex", flexWrap: "wrap", alignItems: "center", gap: 8 }}>
                        <Select<number | "new">
                          style={{ flex: "0 1 320px", minWidth: 0 }}
                          value={target ?? undefined}
                          disabled={preview.isPending}
                          onChange={(next) => {
                            setTarget(next);
                            // The diff and kept edits depend on the plan compared against: preview again,
                            // with the office's corrections so far (the old target's stored edits taken out).
                            const corrected = draft && preview.data ? withoutKeptEdits(draft, preview.data.plan as ParsedPlan, preview.data.keptEdits) : undefined;
                            const chosen = next === "new" ? { newPlan: true } : { planId: next };
                            preview.mutate({ text, ...chosen, ...(corrected ? { plan: corrected } : {}) });
                          }}
                          options={[
                            { value: "new" as const, label: t("新建方案", "A new plan") },
                            ...(plans.data ?? []).map((p) => ({
                              value: p.id,
                              label: `${p.archived ? t("［已归档］", "[archived] ") : ""}${p.title}${p.docNumber ? `（${p.docNumber}）` : ""}${p.id === matched ? t(" · 文号/标题相同", " · same doc. no./title") : ""}`,
                            })),
                          ]}
                          data-testid="import-target"
                        />
                        <Typography.Text strong data-testid="import-target-text">
                          {target === "new" ? t("将新建一个方案", "Adds a new plan") : targetPlan ? `${t("将更新已有方案", "Updates the existing plan")}《${targetPlan.title}》` : ""}
                        </Typography.Text>
                      </div>
                    ),
                  },
                  { label: t("标题", "Title"), children: plan.title },
                  { label: t("文号", "Doc. no."), children: plan.docNumber ?? "—" },
                  { label: t("发文机关", "Issuer"), children: plan.issuer ?? "—" },
                  { label: t("日期", "Date"), children: plan.date ?? "—" },
                  { label: t("规模", "Size"), children: <span data-testid="import-summary">{`${plan.groups.length} ${t("个分组", "groups")} · ${tasks.length} ${t("项任务", "tasks")} · ${units.length} ${t("个单位", "units")} · ${indicatorCount} ${t("项指标", "indicators")}`}</span> },
                ]}
              />
              <Collapse
                style={{ marginTop: 12 }}
                defaultActiveKey={lines.length ? ["diff", "tasks"] : ["tasks"]}
                items={[
                  {
                    key: "diff",
                    label: `${t("与现有方案的差异", "Changes against the stored plan")} (${lines.length})`,
                    children: lines.length ? (
                      <ul data-testid="import-diff">
                        {lines.map((line, i) => (
                          <li key={i}>{line}</li>
                        ))}
                      </ul>
                    ) : (
                      <Empty description={t("没有差异（或尚无已导入方案）", "No changes (or nothing imported yet)")} />
                    ),
                  },
                  {
                    key: "tasks",
                    label: `${t("任务（可修改，确认导入的就是这里的内容）", "Tasks (editable: what you see is what is imported)")} (${tasks.length})`,
                    children: (
                      <PlanPreviewEditor
                        plan={plan}
                        onChange={(next) => {
                          setDraft(next);
                          setCorrected(true);
                        }}
                        keptEdits={preview.data?.keptEdits ?? []}
                      />
                    ),
                  },
                ]}
              />
              {/* Again below the preview: a long plan is checked from the top down, and ends far from the first button. */}
              <div style={{ marginTop: 12 }}>{confirmButton("confirm-import-bottom")}</div>
            </Card>
          )}
        </>
      )}
    </Space>
  );
}
