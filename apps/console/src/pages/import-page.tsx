import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Alert, Button, Card, Collapse, Descriptions, Empty, Input, Result, Space, Steps, Typography } from "antd";
import { useState } from "react";
import { Link } from "react-router";
import type { ParsedPlan } from "@duban/domain/parse-plan";
import { planProblems } from "@duban/domain/plan-edit";
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
  const [text, setText] = useState("");
  // The plan as the office corrects it; confirming imports exactly this.
  const [draft, setDraft] = useState<ParsedPlan | null>(null);
  const preview = useMutation(trpc.imports.preview.mutationOptions({ onSuccess: (data) => setDraft(data.plan as ParsedPlan), onMutate: () => setDraft(null) }));
  const confirm = useMutation(
    trpc.imports.confirm.mutationOptions({
      onSuccess: () => {
        void queryClient.invalidateQueries();
      },
    }),
  );

  if (!canEdit) return <Result status="403" title={t("只读账号不能导入方案", "Read-only users cannot import plans")} />;

  const plan = preview.data ? draft : null;
  const lines: string[] = preview.data?.lines ?? [];
  const tasks = plan ? plan.groups.flatMap((g) => g.tasks) : [];
  const units = plan?.units ?? [];
  const indicatorCount = tasks.reduce((n, task) => n + task.indicators.length, 0);
  const blocked = plan ? planProblems(plan).some((p) => p.level === "error") : true;
  const step = confirm.isSuccess ? 2 : plan ? 1 : 0;

  return (
    <Space orientation="vertical" size="middle" style={{ width: "100%" }}>
      <Typography.Title level={3} style={{ margin: 0 }}>
        {t("导入方案", "Import plan")}
      </Typography.Title>
      <Steps current={step} items={[{ title: t("粘贴或上传", "Paste or upload") }, { title: t("核对解析结果", "Check the preview") }, { title: t("完成", "Done") }]} />

      {confirm.isSuccess ? (
        <Result
          status="success"
          title={confirm.data.unchanged ? t("方案没有变化", "The plan is unchanged") : confirm.data.created ? t("方案已导入", "Plan imported") : t("方案已更新", "Plan updated")}
          subTitle={confirm.data.lines.length ? confirm.data.lines.slice(0, 10).join("；") : undefined}
          extra={[
            <Link key="board" to="/">
              <Button type="primary">{t("查看总览", "Open the board")}</Button>
            </Link>,
            <Button
              key="again"
              onClick={() => {
                confirm.reset();
                preview.reset();
                setDraft(null);
                setText("");
              }}
            >
              {t("再导入一份", "Import another")}
            </Button>,
          ]}
        />
      ) : (
        <>
          <Card size="small">
            <PlanFileUpload
              onLoaded={(file) => {
                setText(file.text);
                preview.reset();
              }}
            />
            <Input.TextArea
              style={{ marginTop: 12, fontFamily: "monospace" }}
              rows={10}
              value={text}
              onChange={(e) => {
                setText(e.target.value);
                preview.reset();
              }}
              placeholder={t("或在此粘贴方案全文……", "…or paste the full text of the plan here")}
              data-testid="plan-text"
            />
            <Space style={{ marginTop: 12 }}>
              <Button type="primary" disabled={!text.trim()} loading={preview.isPending} onClick={() => preview.mutate({ text })} data-testid="preview-import">
                {t("解析预览", "Preview")}
              </Button>
              {plan && (
                <Button type="primary" danger disabled={blocked} loading={confirm.isPending} onClick={() => plan && confirm.mutate({ text, plan })} data-testid="confirm-import">
                  {lines.length ? t("确认导入并应用变更", "Import and apply the changes") : t("确认导入", "Import")}
                </Button>
              )}
            </Space>
          </Card>
          {preview.isError && <Alert type="error" showIcon title={t("无法解析", "Could not parse")} description={errorMessage(preview.error)} />}
          {confirm.isError && <Alert type="error" showIcon title={errorMessage(confirm.error)} />}
          {plan && (
            <Card size="small" title={t("解析结果", "Parsed plan")} data-testid="import-preview">
              <Descriptions
                size="small"
                column={2}
                items={[
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
                      <PlanPreviewEditor plan={plan} onChange={setDraft} keptEdits={preview.data?.keptEdits ?? []} />
                    ),
                  },
                ]}
              />
            </Card>
          )}
        </>
      )}
    </Space>
  );
}
