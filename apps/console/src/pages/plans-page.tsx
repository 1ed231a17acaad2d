import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Alert, App, Button, Popconfirm, Space, Table, Tag } from "antd";
import { Link } from "react-router";
import { fmtDateTime } from "../format.ts";
import { useT } from "../i18n.tsx";
import { useCanEdit } from "../session.tsx";
import { useErrorMessage, type Outputs, useTRPC } from "../trpc.ts";

type Plan = Outputs["plan"]["list"][number];

/** 方案: every plan the office drives, with its lights, next due date, and archive / restore. */
export default function PlansPage() {
  const t = useT();
  const trpc = useTRPC();
  const canEdit = useCanEdit();
  const errorMessage = useErrorMessage();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const plans = useQuery(trpc.plan.list.queryOptions());
  const overview = useQuery(trpc.board.overview.queryOptions());
  const settle = {
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: trpc.plan.pathKey() });
      void queryClient.invalidateQueries({ queryKey: trpc.board.pathKey() });
    },
    onError: (error: unknown) => void message.error(errorMessage(error)),
  };
  const archive = useMutation(trpc.plan.archive.mutationOptions(settle));
  const restore = useMutation(trpc.plan.restore.mutationOptions(settle));

  if (plans.isError) return <Alert type="error" showIcon title={errorMessage(plans.error)} />;
  const lightsOf = (id: number) => overview.data?.plans.find((p) => p.planId === id)?.counts;

  return (
    <Space orientation="vertical" size={12} style={{ width: "100%" }}>
      <div style={{ display: "flex", justifyContent: "space-between", alignItems: "center" }}>
        <h3 style={{ margin: 0 }}>{t("方案", "Plans")}</h3>
        <Link to="/import">{t("导入新方案或新版本", "Import a plan or a new version")}</Link>
      </div>
      <div data-testid="plans-table">
        <Table<Plan>
          rowKey="id"
          loading={plans.isLoading}
          dataSource={plans.data ?? []}
          pagination={false}
          onRow={(plan) => ({ "data-testid": `plan-row-${plan.id}` }) as React.HTMLAttributes<HTMLElement>}
          columns={[
            { title: t("方案", "Plan"), render: (_, p) => <Link to={`/plans/${p.id}/board`}>{p.title}</Link> },
            { title: t("文号", "Doc. no."), dataIndex: "docNumber", render: (v: string | null) => v ?? "—" },
            { title: t("发文单位", "Issuer"), dataIndex: "issuer", render: (v: string | null) => v ?? "—" },
            { title: t("任务", "Tasks"), dataIndex: "tasks" },
            { title: t("责任单位", "Units"), dataIndex: "units" },
            {
              title: t("红黄绿", "Lights"),
              render: (_, p) => {
                const c = lightsOf(p.id);
                return c ? (
                  <span data-testid={`plan-lights-${p.id}`}>
                    <Tag color="red">{c.red}</Tag>
                    <Tag color="gold">{c.yellow}</Tag>
                    <Tag color="green">{c.green}</Tag>
                  </span>
                ) : "—";
              },
            },
            { title: t("下一截止", "Next due"), dataIndex: "nextDueAt", render: (v: string | Date | null) => (v ? fmtDateTime(v) : "—") },
            {
              title: t("状态", "State"),
              render: (_, p) => (p.archived ? <Tag>{t("已归档", "Archived")}</Tag> : <Tag color="blue">{t("进行中", "Active")}</Tag>),
            },
            {
              title: "",
              render: (_, p) =>
                !canEdit ? null : p.archived ? (
                  <Button size="small" onClick={() => restore.mutate({ planId: p.id })} data-testid={`restore-plan-${p.id}`}>
                    {t("恢复", "Restore")}
                  </Button>
                ) : (
                  // Archiving cancels the plan's waiting reminders and urges, which restoring does not bring back: asked first.
                  <Popconfirm
                    title={t("归档此方案？", "Archive this plan?")}
                    description={t("不再生成新的报送轮次，待发送的提醒和催办将取消；任务和报送记录保留，可随时恢复。", "No new rounds; waiting reminders and urges are cancelled. Tasks and replies stay, and the plan can be restored.")}
                    okText={t("归档", "Archive")}
                    okButtonProps={{ danger: true, ...({ "data-testid": `confirm-archive-plan-${p.id}` } as Record<`data-${string}`, string>) }}
                    onConfirm={() => archive.mutate({ planId: p.id })}
                  >
                    <Button size="small" danger loading={archive.isPending && archive.variables.planId === p.id} data-testid={`archive-plan-${p.id}`}>
                      {t("归档", "Archive")}
                    </Button>
                  </Popconfirm>
                ),
            },
          ]}
        />
      </div>
    </Space>
  );
}
