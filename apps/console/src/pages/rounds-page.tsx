import { FileExcelOutlined, FileWordOutlined, SoundOutlined } from "@ant-design/icons";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Alert, App, Button, Grid, Popconfirm, Select, Space, Table, Tag, Tooltip, Typography } from "antd";
import { useState } from "react";
import { useSearchParams } from "react-router";
import { downloadBase64, fmtDateTime, periodText, statusText } from "../format.ts";
import { useLang, useT } from "../i18n.tsx";
import { useCanEdit } from "../session.tsx";
import { usePlanId } from "../plan-route.ts";
import { useErrorMessage, type Outputs, useTRPC, useTRPCClient } from "../trpc.ts";

type Round = Outputs["rounds"]["list"][number];

export default function RoundsPage() {
  const errorMessage = useErrorMessage();
  const t = useT();
  const { lang } = useLang();
  const trpc = useTRPC();
  const client = useTRPCClient();
  const canEdit = useCanEdit();
  const { message, modal } = App.useApp();
  const queryClient = useQueryClient();
  const [params, setParams] = useSearchParams();
  const planId = usePlanId();
  const periods = useQuery(trpc.rounds.periods.queryOptions({ planId }));
  const period = params.get("period") ?? periods.data?.current ?? null;
  const rounds = useQuery(trpc.rounds.list.queryOptions({ period, planId }, { enabled: periods.isSuccess, refetchInterval: 10_000 }));
  const [downloading, setDownloading] = useState<string | null>(null);
  const plan = useQuery(trpc.plan.get.queryOptions(planId ? { planId } : undefined));
  // On a phone a pinned 290px action column would cover the task names: it scrolls with the rest there.
  const wide = Grid.useBreakpoint().md ?? true;

  const urge = useMutation(
    trpc.rounds.urge.mutationOptions({
      onSuccess: (result) => {
        void queryClient.invalidateQueries({ queryKey: trpc.rounds.pathKey() });
        // Nothing queued (every missing unit unreachable) is not a success: the office must phone them.
        const queued = result.units.length > 0;
        (queued ? modal.success : modal.warning)({
          title: queued ? t("已加入催办队列", "Urges queued") : t("没有发出催办", "No urge was sent"),
          content: (
            <div data-testid="urge-result">
              <p>
                {t("催办", "Urged")} {result.units.length} {t("个单位，共", "units, ")} {result.reminders} {t("条消息。", "messages.")}
              </p>
              {result.units.length > 0 && <p>{result.units.map((u) => u.unit).join("、")}</p>}
              {result.unreachable.length > 0 && (
                <Alert type="warning" showIcon title={`${t("以下单位没有可联系的联络员，请电话督办：", "No reachable liaison — phone them: ")}${result.unreachable.map((u) => u.unit).join("、")}`} />
              )}
            </div>
          ),
        });
      },
      onError: (e) => message.error(errorMessage(e)),
    }),
  );

  const download = async (round: Round, kind: "xlsx" | "docx") => {
    setDownloading(`${round.roundId}-${kind}`);
    try {
      const file = kind === "xlsx" ? await client.exports.roundXlsx.query({ roundId: round.roundId, planId, baseUrl: location.origin }) : await client.exports.roundDocx.query({ roundId: round.roundId, planId });
      downloadBase64(file);
    } catch (e) {
      message.error(errorMessage(e));
    } finally {
      setDownloading(null);
    }
  };

  /** The whole plan's 台账 or city-wide analysis draft for the period shown. */
  const downloadPlan = async (kind: "xlsx" | "docx") => {
    if (!plan.data || !period || period === "once") return;
    setDownloading(`plan-${kind}`);
    try {
      const input = { planId: plan.data.id, periodKey: period, baseUrl: location.origin };
      downloadBase64(kind === "xlsx" ? await client.exports.planXlsx.query(input) : await client.exports.planDocx.query(input));
    } catch (e) {
      message.error(errorMessage(e));
    } finally {
      setDownloading(null);
    }
  };

  return (
    <Space orientation="vertical" size="middle" style={{ width: "100%" }}>
      <Typography.Title level={3} style={{ margin: 0 }}>
        {t("报送轮次", "Reporting rounds")}
      </Typography.Title>
      <Space wrap>
        <span style={{ whiteSpace: "nowrap" }}>{t("期次", "Period")}</span>
        <Select
          style={{ width: 220 }}
          value={period ?? undefined}
          loading={periods.isPending}
          placeholder={t("暂无轮次", "No rounds yet")}
          onChange={(v) => setParams({ period: v }, { replace: true })}
          options={(periods.data?.periods ?? []).map((p) => ({ value: p, label: p === "once" ? t("一次性时间节点", "One-off deadlines") : periodText(p, lang) }))}
          data-testid="period-select"
        />
        <Button icon={<FileExcelOutlined />} disabled={!plan.data || !period || period === "once"} loading={downloading === "plan-xlsx"} onClick={() => void downloadPlan("xlsx")} data-testid="plan-xlsx">
          {t("本期全方案台账", "Ledger of the whole plan")}
        </Button>
        <Button icon={<FileWordOutlined />} disabled={!plan.data || !period || period === "once"} loading={downloading === "plan-docx"} onClick={() => void downloadPlan("docx")} data-testid="plan-docx">
          {t("全市质量分析报告", "City-wide analysis")}
        </Button>
      </Space>
      {periods.isError && <Alert type="error" showIcon title={errorMessage(periods.error)} />}
      {rounds.isError && <Alert type="error" showIcon title={errorMessage(rounds.error)} />}
      <Table<Round>
        rowKey="roundId"
        size="small"
        loading={rounds.isPending && periods.isSuccess}
        dataSource={rounds.data ?? []}
        pagination={{ pageSize: 30, hideOnSinglePage: true }}
        scroll={{ x: 1180 }}
        locale={{ emptyText: t("该期次没有报送轮次", "No rounds in this period") }}
        data-testid="rounds-table"
        expandable={{
          fixed: "left",
          expandedRowRender: (round) => (
            <Table
              size="small"
              rowKey="unitId"
              pagination={false}
              dataSource={round.units}
              columns={[
                { title: t("单位", "Unit"), dataIndex: "unit" },
                { title: t("截止", "Due"), dataIndex: "dueAt", render: (v: string) => fmtDateTime(v) },
                {
                  title: t("报送", "Submitted"),
                  render: (_: unknown, u) =>
                    u.submittedAt ? (
                      <Space>
                        {fmtDateTime(u.submittedAt)}
                        {u.late && <Tag color="orange">{t("逾期", "late")}</Tag>}
                      </Space>
                    ) : (
                      <Tag color={u.late ? "red" : "default"}>{u.late ? t("逾期未报", "overdue") : t("未报", "missing")}</Tag>
                    ),
                },
                { title: t("签收", "Acknowledged"), dataIndex: "acknowledgedAt", render: (v: string | null) => (v ? <Tag color="green">{fmtDateTime(v)}</Tag> : <Tag>{t("未签收", "not yet")}</Tag>) },
                { title: t("最新状态", "Status"), dataIndex: "lastStatus", render: (v: string | null) => statusText(v, lang) },
              ]}
            />
          ),
        }}
        columns={[
          // Pinned, so a row scrolled sideways to 催办 still says which task it is; narrower on a phone.
          { title: t("任务", "Task"), render: (_: unknown, r) => `${r.taskNumber}. ${r.taskTitle}`, ellipsis: true, width: wide ? 220 : 130, fixed: "left" as const },
          { title: t("报送事项", "Item"), render: (_: unknown, r) => r.deadline },
          { title: t("截止", "Due"), dataIndex: "dueAt", render: (v: string) => fmtDateTime(v), width: 150 },
          {
            title: t("报送情况", "Progress"),
            width: 230,
            render: (_: unknown, r) => (
              <Space size={4} data-testid={`round-counts-${r.roundId}`}>
                <Tag color="green">
                  {t("已报", "in")} {r.submitted.length}
                </Tag>
                <Tooltip title={r.missing.join("、")}>
                  <Tag color={r.missing.length ? "red" : "default"}>
                    {t("未报", "missing")} {r.missing.length}
                  </Tag>
                </Tooltip>
                {r.late.length > 0 && (
                  <Tooltip title={r.late.join("、")}>
                    <Tag color="orange">
                      {t("逾期", "late")} {r.late.length}
                    </Tag>
                  </Tooltip>
                )}
                <Typography.Text type="secondary">/ {r.expected.length}</Typography.Text>
              </Space>
            ),
          },
          {
            title: t("签收", "Ack."),
            render: (_: unknown, r) => `${r.units.filter((u) => u.acknowledgedAt).length}/${r.units.length}`,
            width: 70,
          },
          {
            title: t("操作", "Actions"),
            fixed: wide ? ("right" as const) : undefined,
            width: 290,
            render: (_: unknown, r) => (
              <Space size={6}>
                {canEdit && r.missing.length > 0 && (
                  <Popconfirm
                    title={t("立即催办未报送单位？", "Urge the missing units now?")}
                    description={r.missing.join("、")}
                    onConfirm={() => urge.mutate({ roundId: r.roundId, planId })}
                    okText={t("催办", "Urge")}
                  >
                    <Button size="small" danger icon={<SoundOutlined />} data-testid={`urge-${r.roundId}`} loading={urge.isPending && urge.variables.roundId === r.roundId}>
                      {t("催办", "Urge")}
                    </Button>
                  </Popconfirm>
                )}
                <Button size="small" icon={<FileExcelOutlined />} loading={downloading === `${r.roundId}-xlsx`} onClick={() => void download(r, "xlsx")} data-testid={`xlsx-${r.roundId}`}>
                  {t("台账", "Ledger")}
                </Button>
                <Button size="small" icon={<FileWordOutlined />} loading={downloading === `${r.roundId}-docx`} onClick={() => void download(r, "docx")} data-testid={`docx-${r.roundId}`}>
                  {t("分析报告", "Analysis")}
                </Button>
              </Space>
            ),
          },
        ]}
      />
    </Space>
  );
}
