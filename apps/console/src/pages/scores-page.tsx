import { FileExcelOutlined } from "@ant-design/icons";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Alert, App, Button, Card, Form, Input, InputNumber, Modal, Popconfirm, Select, Space, Table, Tag, Typography } from "antd";
import { lazy, Suspense, useState } from "react";
import { useSearchParams } from "react-router";
import { downloadBase64, fmtDateTime, scoreRanks } from "../format.ts";
import { useT } from "../i18n.tsx";
import { useCanEdit, useCurrentUser } from "../session.tsx";
import { useErrorMessage, type Outputs, useTRPC, useTRPCClient } from "../trpc.ts";

const ScoreCharts = lazy(() => import("../components/score-charts.tsx"));

type Scores = Outputs["scores"]["list"];
type UnitRow = Scores["units"][number];
type Item = Scores["items"][number];

const rate = (r: number | null) => (r === null ? "—" : `${Math.round(r * 1000) / 10}%`);

/** 考核排名: units ranked by the office's rule, charts, the late and missing items behind each score, exemptions. */
export default function ScoresPage() {
  const t = useT();
  const trpc = useTRPC();
  const client = useTRPCClient();
  const errorMessage = useErrorMessage();
  const canEdit = useCanEdit();
  const isAdmin = useCurrentUser().role === "admin";
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [params, setParams] = useSearchParams();
  const thisYear = new Date().getFullYear();
  const year = Number(params.get("year") ?? thisYear);
  const plan = useQuery(trpc.plan.get.queryOptions());
  const planParam = params.get("plan");
  const planId = planParam ? Number(planParam) : null;
  const scores = useQuery(trpc.scores.list.queryOptions({ year, planId }));
  const scoredUnits = scores.data?.units ?? [];
  const ranks = new Map(scoreRanks(scoredUnits.map((u) => u.score)).map((rank, i) => [scoredUnits[i]!.unitId, rank]));
  const [picked, setPicked] = useState<string | null>(null);
  const [exempting, setExempting] = useState<Item | null>(null);
  const [reason, setReason] = useState("");
  const [editingRule, setEditingRule] = useState(false);
  const [ruleForm] = Form.useForm<Scores["rule"]>();
  const [downloading, setDownloading] = useState(false);

  const refresh = () => void queryClient.invalidateQueries({ queryKey: trpc.scores.pathKey() });
  const exempt = useMutation(
    trpc.scores.exempt.mutationOptions({
      onSuccess: () => {
        message.success(t("已免责", "Exempted"));
        setExempting(null);
        setReason("");
        refresh();
      },
      onError: (e) => message.error(errorMessage(e)),
    }),
  );
  const unexempt = useMutation(trpc.scores.unexempt.mutationOptions({ onSuccess: refresh, onError: (e) => message.error(errorMessage(e)) }));
  const setRule = useMutation(
    trpc.scores.setRule.mutationOptions({
      onSuccess: () => {
        setEditingRule(false);
        refresh();
      },
      onError: (e) => message.error(errorMessage(e)),
    }),
  );

  const download = async () => {
    setDownloading(true);
    try {
      downloadBase64(await client.scores.xlsx.query({ year, planId }));
    } catch (e) {
      message.error(errorMessage(e));
    } finally {
      setDownloading(false);
    }
  };

  const outcomeTag = (i: Item) =>
    i.outcome === "late" ? (
      <Tag color="orange">{t(`逾期 ${i.workdaysLate} 个工作日`, `${i.workdaysLate} workday(s) late`)}</Tag>
    ) : i.outcome === "missing" ? (
      <Tag color="red">{t(`未报（已逾期 ${i.workdaysLate} 个工作日）`, `missing (${i.workdaysLate} workday(s) overdue)`)}</Tag>
    ) : (
      <Tag>{t("免责", "exempt")}</Tag>
    );

  const drillDown = (u: UnitRow) => {
    const items = (scores.data?.items ?? []).filter((i) => i.unitId === u.unitId && (i.outcome === "late" || i.outcome === "missing" || i.outcome === "exempt"));
    return (
      <Table<Item>
        size="small"
        rowKey="submissionId"
        pagination={false}
        dataSource={items}
        locale={{ emptyText: t("没有逾期或未报的事项", "Nothing late or missing") }}
        data-testid={`score-items-${u.unitId}`}
        scroll={{ x: 900 }}
        columns={[
          { title: t("任务", "Task"), render: (_: unknown, i) => `${i.taskNumber}. ${i.taskTitle}`, ellipsis: true, width: 220 },
          { title: t("报送事项", "Item"), render: (_: unknown, i) => `${i.deadline}（${i.periodKey === "once" ? t("一次性", "one-off") : i.periodKey}）` },
          {
            title: t("截止", "Due"),
            render: (_: unknown, i) => (
              <Space orientation="vertical" size={0}>
                {fmtDateTime(i.dueAt)}
                {i.extended && <Typography.Text type="secondary">{t(`已延期，原 ${fmtDateTime(i.originalDueAt)}`, `extended from ${fmtDateTime(i.originalDueAt)}`)}</Typography.Text>}
              </Space>
            ),
          },
          { title: t("报送时间", "Submitted"), render: (_: unknown, i) => (i.submittedAt ? fmtDateTime(i.submittedAt) : "—") },
          { title: t("结果", "Result"), render: (_: unknown, i) => <span data-testid={`score-item-${i.submissionId}`}>{outcomeTag(i)}</span> },
          { title: t("免责理由", "Exemption reason"), dataIndex: "exemptionReason", render: (v: string | null) => v ?? "" },
          ...(canEdit
            ? [
                {
                  title: t("操作", "Actions"),
                  render: (_: unknown, i: Item) =>
                    i.outcome === "exempt" ? (
                      <Popconfirm title={t("撤销免责？该事项将重新计分。", "Withdraw the exemption? The item counts again.")} onConfirm={() => unexempt.mutate({ submissionId: i.submissionId, planId })}>
                        <Button size="small" data-testid={`unexempt-${i.submissionId}`}>
                          {t("撤销免责", "Withdraw")}
                        </Button>
                      </Popconfirm>
                    ) : (
                      <Button size="small" onClick={() => setExempting(i)} data-testid={`exempt-${i.submissionId}`}>
                        {t("免责", "Exempt")}
                      </Button>
                    ),
                },
              ]
            : []),
        ]}
      />
    );
  };

  const rule = scores.data?.rule;
  return (
    <Space orientation="vertical" size="middle" style={{ width: "100%" }}>
      <Typography.Title level={3} style={{ margin: 0 }}>
        {t("考核排名", "Scores")}
      </Typography.Title>
      <Space wrap>
        <span>{t("年度", "Year")}</span>
        <Select
          style={{ width: 110 }}
          value={year}
          onChange={(v) => setParams((p) => ({ ...Object.fromEntries(p), year: String(v) }), { replace: true })}
          options={[0, 1, 2, 3].map((d) => ({ value: thisYear - d, label: String(thisYear - d) }))}
          data-testid="score-year"
        />
        <Select
          style={{ width: 280 }}
          value={planId ?? 0}
          onChange={(v) => setParams((p) => ({ ...Object.fromEntries([...p].filter(([k]) => k !== "plan")), ...(v ? { plan: String(v) } : {}) }), { replace: true })}
          options={[{ value: 0, label: t("全部方案", "All plans") }, ...(plan.data ? [{ value: plan.data.id, label: plan.data.title }] : [])]}
          data-testid="score-plan"
        />
        <Button icon={<FileExcelOutlined />} loading={downloading} onClick={() => void download()} data-testid="score-xlsx">
          {t("导出 Excel", "Export .xlsx")}
        </Button>
      </Space>
      {scores.isError && <Alert type="error" showIcon title={errorMessage(scores.error)} />}
      {rule && (
        <Card size="small" data-testid="score-rule">
          <Space wrap>
            <span>
              {t(
                `计分规则：得分 = 100 × 按时数 ÷（应报数 − 免责数）− 逾期每工作日 ${rule.latePenaltyPerWorkday} 分（每项最多 ${rule.latePenaltyCapWorkdays} 个工作日）− 每项未报 ${rule.missingPenalty} 分；批准延期后按新截止日期计。`,
                `Rule: score = 100 × on time ÷ (owed − exempt) − ${rule.latePenaltyPerWorkday} per workday late (at most ${rule.latePenaltyCapWorkdays} workdays an item) − ${rule.missingPenalty} per missing item; an approved extension moves the due date.`,
              )}
            </span>
            {isAdmin && (
              <Button
                size="small"
                onClick={() => {
                  ruleForm.setFieldsValue(rule);
                  setEditingRule(true);
                }}
                data-testid="score-rule-edit"
              >
                {t("修改规则", "Change rule")}
              </Button>
            )}
          </Space>
        </Card>
      )}
      {scores.data && scores.data.units.length > 0 && (
        <Suspense fallback={<div style={{ height: 280 }} />}>
          <ScoreCharts
            units={scores.data.units}
            picked={picked}
            labels={{ rate: t("按时报送率", "On-time rate"), all: t("全部单位平均", "All units (mean)"), quarter: (q) => t(`第${["一", "二", "三", "四"][q - 1]}季度`, `Q${q}`) }}
          />
        </Suspense>
      )}
      <Table<UnitRow>
        rowKey="unitId"
        size="small"
        loading={scores.isPending}
        dataSource={scores.data?.units ?? []}
        pagination={false}
        scroll={{ x: 960 }}
        data-testid="score-table"
        locale={{ emptyText: t("该年度没有应报事项", "Nothing owed in this year") }}
        onRow={(u) => ({ onClick: () => setPicked(u.unit), "data-testid": `score-row-${u.unitId}` }) as React.HTMLAttributes<HTMLElement>}
        expandable={{ expandedRowRender: drillDown, rowExpandable: (u) => u.late + u.missing + u.exempt > 0 }}
        columns={[
          { title: t("名次", "Rank"), render: (_: unknown, u: UnitRow) => ranks.get(u.unitId) ?? "—", width: 60 },
          { title: t("责任单位", "Unit"), dataIndex: "unit", width: 200 },
          { title: t("应报", "Owed"), dataIndex: "owed" },
          { title: t("按时", "On time"), dataIndex: "onTime" },
          { title: t("逾期", "Late"), dataIndex: "late" },
          { title: t("未报", "Missing"), dataIndex: "missing" },
          { title: t("免责", "Exempt"), dataIndex: "exempt", render: (v: number, u) => <span data-testid={`score-exempt-${u.unitId}`}>{v}</span> },
          { title: t("获批延期", "Extensions"), dataIndex: "extensionsApproved" },
          { title: t("反映困难", "Blockers"), dataIndex: "blockersRaised" },
          { title: t("按时率", "On-time rate"), dataIndex: "onTimeRate", render: (v: number | null) => rate(v) },
          { title: t("得分", "Score"), dataIndex: "score", render: (v: number | null, u) => <strong data-testid={`score-${u.unitId}`}>{v ?? "—"}</strong> },
        ]}
      />
      <Modal
        open={exempting !== null}
        title={t("考核免责", "Exempt from the score")}
        okText={t("免责", "Exempt")}
        onCancel={() => setExempting(null)}
        okButtonProps={{ disabled: reason.trim().length < 2, loading: exempt.isPending, ...({ "data-testid": "exempt-confirm" } as Record<string, string>) }}
        onOk={() => exempting && exempt.mutate({ submissionId: exempting.submissionId, planId, reason })}
      >
        {exempting && (
          <Space orientation="vertical" style={{ width: "100%" }}>
            <span>
              {exempting.unit} · {exempting.taskNumber}. {exempting.deadline}（{exempting.periodKey}）
            </span>
            <Input.TextArea rows={3} maxLength={500} value={reason} onChange={(e) => setReason(e.target.value)} placeholder={t("免责理由（必填，记入审计日志）", "Reason (required, audited)")} data-testid="exempt-reason" />
          </Space>
        )}
      </Modal>
      <Modal open={editingRule} title={t("修改计分规则", "Change the rule")} onCancel={() => setEditingRule(false)} onOk={() => ruleForm.submit()} confirmLoading={setRule.isPending}>
        <Form form={ruleForm} layout="vertical" onFinish={(values) => setRule.mutate(values)}>
          <Form.Item name="latePenaltyPerWorkday" label={t("逾期每工作日扣分", "Points per workday late")} rules={[{ required: true }]}>
            <InputNumber min={0} max={100} step={0.5} data-testid="rule-late" />
          </Form.Item>
          <Form.Item name="latePenaltyCapWorkdays" label={t("每项最多计逾期工作日", "Workdays counted at most per item")} rules={[{ required: true }]}>
            <InputNumber min={0} max={365} precision={0} data-testid="rule-cap" />
          </Form.Item>
          <Form.Item name="missingPenalty" label={t("每项未报扣分", "Points per missing item")} rules={[{ required: true }]}>
            <InputNumber min={0} max={100} step={0.5} data-testid="rule-missing" />
          </Form.Item>
        </Form>
      </Modal>
    </Space>
  );
}
