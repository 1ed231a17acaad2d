import { useQuery } from "@tanstack/react-query";
import { Alert, Space, Table, Tag } from "antd";
import { Link } from "react-router";
import { useRefetchWhenBoardChanges } from "../board-version.ts";
import { useT } from "../i18n.tsx";
import { useErrorMessage, type Outputs, useTRPC } from "../trpc.ts";

type Overview = Outputs["board"]["overview"];

/** 跨方案总览: every active plan's lights, and which units are late in which plan. */
export default function OverviewPage() {
  const t = useT();
  const trpc = useTRPC();
  const errorMessage = useErrorMessage();
  const overview = useQuery(trpc.board.overview.queryOptions());
  // The version token covers every plan's changes: the overview is fetched again only when it moves.
  useRefetchWhenBoardChanges(null, overview.refetch);
  if (overview.isError) return <Alert type="error" showIcon title={errorMessage(overview.error)} />;
  const plans = overview.data?.plans ?? [];
  return (
    <Space orientation="vertical" size={16} style={{ width: "100%" }}>
      <h3 style={{ margin: 0 }}>{t("跨方案总览", "Overview of all plans")}</h3>
      <div data-testid="overview-plans">
        <Table<Overview["plans"][number]>
          rowKey="planId"
          loading={overview.isLoading}
          dataSource={plans}
          pagination={false}
          columns={[
            { title: t("方案", "Plan"), render: (_, p) => <Link to={`/plans/${p.planId}/board`}>{p.title}</Link> },
            { title: t("文号", "Doc. no."), dataIndex: "docNumber", render: (v: string | null) => v ?? "—" },
            { title: t("红灯", "Red"), render: (_, p) => <Tag color="red">{p.counts.red}</Tag> },
            { title: t("黄灯", "Yellow"), render: (_, p) => <Tag color="gold">{p.counts.yellow}</Tag> },
            { title: t("绿灯", "Green"), render: (_, p) => <Tag color="green">{p.counts.green}</Tag> },
            { title: t("任务（红/黄/绿）", "Tasks (red/yellow/green)"), render: (_, p) => `${p.tasks.red} / ${p.tasks.yellow} / ${p.tasks.green}` },
          ]}
        />
      </div>
      <h4 style={{ margin: 0 }}>{t("各单位逾期事项", "Late items by unit")}</h4>
      <div data-testid="overview-units">
        <Table<Overview["units"][number]>
          rowKey="unitId"
          size="small"
          loading={overview.isLoading}
          dataSource={overview.data?.units ?? []}
          pagination={{ pageSize: 50 }}
          columns={[
            { title: t("单位", "Unit"), dataIndex: "unit" },
            ...plans.map((p) => ({
              title: p.shortTitle,
              key: String(p.planId),
              render: (_: unknown, u: Overview["units"][number]) => {
                const cell = u.plans.find((c) => c.planId === p.planId);
                if (!cell) return "";
                return cell.late > 0 ? <Tag color="red">{cell.late}</Tag> : <span style={{ color: "#999" }}>0</span>;
              },
            })),
            { title: t("合计逾期", "Late in all"), dataIndex: "late" },
          ]}
        />
      </div>
    </Space>
  );
}
