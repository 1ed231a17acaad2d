import { useQuery } from "@tanstack/react-query";
import { Alert, Breadcrumb, Card, Checkbox, Empty, Skeleton, Space, Table, Tag, Typography } from "antd";
import { useState } from "react";
import { Link, useParams } from "react-router";
import { LightDot } from "../components/light.tsx";
import { fmtDate, periodText, statusText } from "../format.ts";
import { useLang, useT } from "../i18n.tsx";
import { useErrorMessage, type Outputs, useTRPC } from "../trpc.ts";

type Work = Outputs["units"]["work"];
type WorkTask = Work["plans"][number]["tasks"][number];

/** A unit's page: its tasks in every plan, grouped by plan, and its liaisons. */
export default function UnitPage() {
  const t = useT();
  const { lang } = useLang();
  const trpc = useTRPC();
  const errorMessage = useErrorMessage();
  const unitId = Number(useParams().unitId);
  const [includeArchived, setIncludeArchived] = useState(true);
  const work = useQuery(trpc.units.work.queryOptions({ unitId, includeArchived }, { enabled: Number.isInteger(unitId) && unitId > 0, refetchInterval: 15_000 }));
  const crumbs = [{ title: <Link to="/units">{t("单位与联络员", "Units & liaisons")}</Link> }, { title: work.data?.unit.name ?? t("单位", "Unit") }];

  if (work.isError && !work.data) {
    return (
      <Space orientation="vertical" style={{ width: "100%" }}>
        <Breadcrumb items={crumbs} />
        <Alert type="error" showIcon title={errorMessage(work.error)} />
      </Space>
    );
  }
  const data = work.data;
  if (!data) return <Skeleton active paragraph={{ rows: 10 }} />;
  const contacts = data.contacts.filter((c) => c.reachability !== "revoked");
  const reach: Record<string, string> = {
    ok: t("可联系", "Reachable"),
    "not-started": t("未启动机器人", "Never started"),
    blocked: t("已屏蔽机器人", "Blocked the bot"),
  };

  return (
    <Space orientation="vertical" size="middle" style={{ width: "100%" }}>
      <Breadcrumb items={crumbs} />
      <Typography.Title level={3} style={{ margin: 0 }} data-testid="unit-heading">
        {data.unit.name}
      </Typography.Title>
      {data.unit.members.length > 0 && <Typography.Text type="secondary">{`${t("成员单位", "Member units")}${t("：", ": ")}${data.unit.members.join("、")}`}</Typography.Text>}
      <Card size="small" title={t("联系人", "Contacts")} data-testid="unit-contacts">
        {contacts.length === 0 ? (
          <Typography.Text type="secondary">{t("尚无联络员，可在“单位与联络员”页邀请。", "No liaison yet: invite one on the Units & liaisons page.")}</Typography.Text>
        ) : (
          <Space wrap>
            {contacts.map((c) => (
              <Tag key={c.id} color={c.reachability === "ok" ? "green" : c.reachability === "blocked" ? "red" : "gold"}>
                {`${c.role === "head" ? t("一把手", "Head") : t("联络员", "Liaison")} ${c.name ?? c.telegramName ?? "—"} · ${reach[c.reachability] ?? c.reachability}`}
              </Tag>
            ))}
          </Space>
        )}
      </Card>
      <Checkbox checked={includeArchived} onChange={(e) => setIncludeArchived(e.target.checked)} data-testid="unit-include-archived">
        {t("包括已归档方案", "Include archived plans")}
      </Checkbox>
      {data.plans.length === 0 && <Empty description={t("该单位在各方案中都没有任务", "This unit has no tasks in any plan")} />}
      {data.plans.map((plan) => (
        <Card
          key={plan.planId}
          size="small"
          data-testid={`unit-plan-${plan.planId}`}
          title={
            <Space wrap>
              <Link to={`/plans/${plan.planId}/board?unit=${data.unit.id}`}>{plan.title}</Link>
              {plan.docNumber && <Typography.Text type="secondary">{plan.docNumber}</Typography.Text>}
              {plan.archived && <Tag data-testid={`unit-plan-archived-${plan.planId}`}>{t("已归档", "Archived")}</Tag>}
            </Space>
          }
          extra={
            <Space size={4}>
              <Tag color="red">{plan.counts.red}</Tag>
              <Tag color="gold">{plan.counts.yellow}</Tag>
              <Tag color="green">{plan.counts.green}</Tag>
            </Space>
          }
        >
          <Table<WorkTask>
            rowKey="taskId"
            size="small"
            pagination={false}
            dataSource={plan.tasks}
            scroll={{ x: "max-content" }}
            columns={[
              {
                title: t("任务", "Task"),
                render: (_, task) => (
                  <Link to={`/plans/${plan.planId}/tasks/${task.taskId}`} data-testid={`unit-task-${plan.planId}-${task.number}`}>
                    {`${task.number}. ${task.title}`}
                  </Link>
                ),
              },
              {
                title: t("职责", "Role"),
                render: (_, task) => (
                  <Space size={4}>
                    <Tag color={task.role === "lead" ? "red" : undefined}>{task.role === "lead" ? t("牵头", "Lead") : t("配合", "Support")}</Tag>
                    {task.via && <Typography.Text type="secondary">{`${t("经", "via ")}${task.via}`}</Typography.Text>}
                  </Space>
                ),
              },
              { title: t("灯", "Light"), render: (_, task) => <LightDot light={task.light} /> },
              { title: t("最新进展", "Latest status"), render: (_, task) => (task.status ? `${statusText(task.status, lang)}${task.progress != null ? ` ${task.progress}%` : ""}` : "—") },
              {
                title: t("截止", "Due"),
                render: (_, task) =>
                  task.dueAt ? `${fmtDate(task.dueAt)}${task.periodKey ? `（${periodText(task.periodKey, lang)}）` : ""}${task.submitted ? t(" 已报送", " submitted") : ""}` : "—",
              },
            ]}
          />
        </Card>
      ))}
    </Space>
  );
}
