import { useQuery } from "@tanstack/react-query";
import { Descriptions, Drawer, Skeleton, Table, Tag, Typography } from "antd";
import { Link } from "react-router";
import { fmtDateTime, statusText } from "../format.ts";
import { useLang, useT } from "../i18n.tsx";
import { useTRPC } from "../trpc.ts";
import { StatusHistory } from "./StatusHistory.tsx";

export default function CellDrawer({ cell, onClose }: { cell: { taskId: number; unitId: number } | null; onClose: () => void }) {
  const t = useT();
  const { lang } = useLang();
  const trpc = useTRPC();
  const query = useQuery(trpc.board.cell.queryOptions(cell ?? { taskId: 1, unitId: 1 }, { enabled: cell !== null, refetchInterval: 5000 }));
  const data = query.data;
  return (
    <Drawer open={cell !== null} onClose={onClose} size={560} title={data ? `${t("任务", "Task")}${data.task.number} · ${data.unit.name}` : t("报送历史", "History")} destroyOnHidden>
      {!data ? (
        <Skeleton active />
      ) : (
        <>
          <Typography.Paragraph>
            <Link to={`/tasks/${data.task.id}`}>
              {data.task.number}. {data.task.title}
            </Link>
          </Typography.Paragraph>
          <Typography.Title level={5}>{t("报送义务", "Submissions owed")}</Typography.Title>
          <Table
            size="small"
            rowKey="id"
            pagination={false}
            dataSource={data.submissions}
            columns={[
              { title: t("期次", "Period"), dataIndex: "periodKey" },
              { title: t("事项", "Item"), dataIndex: "deadline", ellipsis: true },
              { title: t("截止", "Due"), dataIndex: "dueAt", render: (v: string) => fmtDateTime(v) },
              {
                title: t("报送", "Submitted"),
                dataIndex: "submittedAt",
                render: (v: string | null) => (v ? fmtDateTime(v) : <Tag color="red">{t("未报", "Missing")}</Tag>),
              },
              { title: t("签收", "Ack."), dataIndex: "acknowledgedAt", render: (v: string | null) => (v ? fmtDateTime(v) : "—") },
            ]}
          />
          {data.extensions.length > 0 && (
            <>
              <Typography.Title level={5} style={{ marginTop: 16 }}>
                {t("延期申请", "Extension requests")}
              </Typography.Title>
              {data.extensions.map((e) => (
                <Descriptions key={e.id} size="small" column={1} bordered style={{ marginBottom: 8 }} items={[
                  { label: t("申请", "Request"), children: `${fmtDateTime(e.at)} ${e.reason}` },
                  { label: t("状态", "State"), children: e.state },
                  ...(e.decisionReason ? [{ label: t("批复", "Decision"), children: e.decisionReason }] : []),
                ]} />
              ))}
            </>
          )}
          <Typography.Title level={5} style={{ marginTop: 16 }}>
            {t("进展记录", "Status history")} {data.history[0] ? `· ${statusText(data.history[0].status, lang)}` : ""}
          </Typography.Title>
          <StatusHistory items={data.history} showUnit={data.unit.collective} />
        </>
      )}
    </Drawer>
  );
}
