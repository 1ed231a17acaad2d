import { EditOutlined } from "@ant-design/icons";
import { useQuery } from "@tanstack/react-query";
import { Alert, Button, Descriptions, Drawer, Skeleton, Table, Tag, Typography } from "antd";
import { lazy, Suspense, useState } from "react";
import { Link } from "react-router";
import { fmtDateTime, periodText, statusText } from "../format.ts";
import { useLang, useT } from "../i18n.tsx";
import { usePlanId } from "../plan-route.ts";
import { useCanEdit } from "../session.tsx";
import { type Outputs, useErrorMessage, useTRPC } from "../trpc.ts";
import { StatusHistory } from "./status-history.tsx";

const OfficeStatusModal = lazy(() => import("./office-status-modal.tsx"));

type Submission = Outputs["board"]["cell"]["submissions"][number];

const EXTENSION_STATE: Record<string, [string, string, string]> = {
  pending: ["待审批", "pending", "gold"],
  approved: ["已批准", "approved", "green"],
  rejected: ["未批准", "rejected", "red"],
};

export default function CellDrawer({ cell, now, onClose }: { cell: { taskId: number; unitId: number } | null; now: string | Date | null; onClose: () => void }) {
  const t = useT();
  const { lang } = useLang();
  const errorMessage = useErrorMessage();
  const trpc = useTRPC();
  const canEdit = useCanEdit();
  const [entering, setEntering] = useState(false);
  const [recorded, setRecorded] = useState<string | null>(null);
  // The plan in the URL: the server checks the cell's task is that plan's.
  const planId = usePlanId();
  const query = useQuery(trpc.board.cell.queryOptions({ ...(cell ?? { taskId: 1, unitId: 1 }), planId }, { enabled: cell !== null, refetchInterval: 5000 }));
  const data = query.data;
  // "Overdue" by the server's clock (the board's), not the browser's.
  const serverNow = now ? new Date(now).getTime() : Date.now();

  const submittedTag = (s: Submission) => {
    if (s.submittedAt) return fmtDateTime(s.submittedAt);
    return new Date(s.dueAt).getTime() < serverNow ? <Tag color="red">{t("逾期未报", "Overdue")}</Tag> : <Tag>{t("待报送", "Not yet")}</Tag>;
  };

  return (
    <Drawer
      open={cell !== null}
      onClose={onClose}
      size={720}
      title={data ? `${t("任务", "Task")}${data.task.number} · ${data.unit.name}` : t("报送情况", "Reports")}
      extra={
        canEdit && data ? (
          <Button type="primary" icon={<EditOutlined />} onClick={() => setEntering(true)} data-testid="office-status-open">
            {t("代为填报", "Enter status")}
          </Button>
        ) : null
      }
      destroyOnHidden
    >
      {query.isError && !data ? (
        <Alert type="error" showIcon title={errorMessage(query.error)} />
      ) : !data ? (
        <Skeleton active />
      ) : (
        <>
          {recorded && <Alert type="success" showIcon closable={{ onClose: () => setRecorded(null) }} title={recorded} style={{ marginBottom: 12 }} data-testid="office-status-recorded" />}
          <Typography.Paragraph>
            <Link to={planId ? `/plans/${planId}/tasks/${data.task.id}` : `/tasks/${data.task.id}`}>
              {data.task.number}. {data.task.title}
            </Link>
          </Typography.Paragraph>
          <Typography.Title level={5}>{t("应报事项", "Reports owed")}</Typography.Title>
          <Table
            size="small"
            rowKey="id"
            pagination={false}
            dataSource={data.submissions}
            locale={{ emptyText: t("该单位在此任务下暂无报送事项", "Nothing owed for this task yet") }}
            columns={[
              { title: t("期次", "Period"), dataIndex: "periodKey", render: (v: string) => periodText(v, lang), width: 120 },
              ...(data.unit.collective ? [{ title: t("单位", "Unit"), dataIndex: "unit" }] : []),
              { title: t("事项", "Item"), dataIndex: "deadline" },
              { title: t("截止时间", "Due"), dataIndex: "dueAt", render: (v: string) => fmtDateTime(v), width: 132 },
              { title: t("报送", "Submitted"), render: (_: unknown, s: Submission) => submittedTag(s), width: 132 },
              { title: t("签收", "Ack."), dataIndex: "acknowledgedAt", render: (v: string | null) => (v ? fmtDateTime(v) : "—"), width: 132 },
            ]}
          />
          {data.extensions.length > 0 && (
            <>
              <Typography.Title level={5} style={{ marginTop: 16 }}>
                {t("延期申请", "Extension requests")}
              </Typography.Title>
              {data.extensions.map((e) => {
                const state = EXTENSION_STATE[e.state];
                return (
                  <Descriptions
                    key={e.id}
                    size="small"
                    column={1}
                    bordered
                    style={{ marginBottom: 8 }}
                    items={[
                      { label: t("申请", "Request"), children: `${fmtDateTime(e.at)} · ${periodText(e.periodKey, lang)} · ${e.reason}` },
                      { label: t("状态", "State"), children: state ? <Tag color={state[2]}>{t(state[0], state[1])}</Tag> : e.state },
                      ...(e.newDueAt ? [{ label: t("新截止", "New due"), children: fmtDateTime(e.newDueAt) }] : []),
                      ...(e.decisionReason ? [{ label: t("批复", "Decision"), children: e.decisionReason }] : []),
                    ]}
                  />
                );
              })}
            </>
          )}
          <Typography.Title level={5} style={{ marginTop: 16 }}>
            {t("进展记录", "Status history")} {data.history[0] ? `· ${t("最新", "latest")}：${statusText(data.history[0].status, lang)}` : ""}
          </Typography.Title>
          <StatusHistory items={data.history} showUnit={data.unit.collective} />
          {entering && (
            <Suspense fallback={null}>
              <OfficeStatusModal
                target={cell}
                onClose={() => setEntering(false)}
                onRecorded={(result, unitName) =>
                  setRecorded(
                    `${t("已代为填报", "Recorded for")} ${unitName}：${statusText(result.status, lang)}${result.progress !== null && result.status !== "done" ? ` ${result.progress}%` : ""}${
                      result.round ? `，${t("计入", "counted for")} ${periodText(result.round.periodKey, lang)}${result.submitted ? `（${t("已报送", "submitted")}）` : ""}` : ""
                    }`,
                  )
                }
              />
            </Suspense>
          )}
        </>
      )}
    </Drawer>
  );
}
