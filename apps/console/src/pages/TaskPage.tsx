import { useQuery } from "@tanstack/react-query";
import { Alert, Breadcrumb, Card, Col, Descriptions, Empty, Row, Skeleton, Space, Spin, Table, Tag, Typography } from "antd";
import { lazy, Suspense, useMemo } from "react";
import { Link, useParams } from "react-router";
import { LightDot } from "../components/Light.tsx";
import { StatusHistory } from "../components/StatusHistory.tsx";
import { fmtDateTime, statusText } from "../format.ts";
import { useLang, useT } from "../i18n.tsx";
import { errorMessage, type Outputs, useTRPC } from "../trpc.ts";

// ECharts is the heaviest dependency: it loads only when a task with indicators is opened.
const TrendChart = lazy(() => import("../components/TrendChart.tsx"));

type Task = Outputs["tasks"]["get"];
type Indicator = Task["indicators"][number];

const COMPARATOR: Record<string, string> = { ">=": "≥", "<=": "≤", ">": ">", "<": "<", "=": "=" };

function meets(comparator: string, value: number, target: number): boolean | null {
  switch (comparator) {
    case ">=":
    case "≥":
      return value >= target;
    case ">":
      return value > target;
    case "<=":
    case "≤":
      return value <= target;
    case "<":
      return value < target;
    case "=":
      return value === target;
    default:
      return null;
  }
}

function perPeriod(indicator: Indicator) {
  const last = new Map<string, number>();
  for (const p of indicator.points) last.set(p.periodKey, p.value);
  return [...last].sort(([a], [b]) => a.localeCompare(b)).map(([periodKey, value]) => ({ periodKey, value }));
}

export default function TaskPage() {
  const t = useT();
  const { lang } = useLang();
  const trpc = useTRPC();
  const id = Number(useParams().id);
  const query = useQuery(trpc.tasks.get.queryOptions({ id }, { enabled: Number.isInteger(id) && id > 0, refetchInterval: 10_000 }));
  const task = query.data;
  const charts = useMemo(() => (task?.indicators ?? []).map((i) => ({ id: i.id, series: { name: i.name, target: i.target, measureUnit: i.measureUnit, points: perPeriod(i) } })), [task]);

  if (query.isError) return <Alert type="error" showIcon title={errorMessage(query.error)} />;
  if (!task) return <Skeleton active />;

  return (
    <Space orientation="vertical" size="middle" style={{ width: "100%" }}>
      <Breadcrumb items={[{ title: <Link to="/">{t("总览", "Board")}</Link> }, { title: `${t("任务", "Task")} ${task.number}` }]} />
      <Card>
        <Typography.Title level={3} style={{ marginTop: 0 }}>
          {task.light && <LightDot light={task.light} />} {task.number}. {task.title}
        </Typography.Title>
        {task.group && <Typography.Text type="secondary">{task.group.number} {task.group.heading}</Typography.Text>}
        <Typography.Paragraph style={{ marginTop: 12, whiteSpace: "pre-wrap" }}>{task.body}</Typography.Paragraph>
        {task.deadlineText && <Tag color="gold">{task.deadlineText}</Tag>}
      </Card>

      <Row gutter={16}>
        <Col xs={24} lg={12}>
          <Card title={t("责任单位", "Responsible units")} size="small">
            <Table
              size="small"
              rowKey="unitId"
              pagination={false}
              dataSource={task.units}
              columns={[
                { title: t("单位", "Unit"), dataIndex: "name" },
                { title: t("角色", "Role"), dataIndex: "role", render: (r: string) => (r === "lead" ? <Tag color="red">{t("牵头", "Lead")}</Tag> : <Tag>{t("配合", "Support")}</Tag>) },
                { title: t("灯", "Light"), dataIndex: "light", render: (l: "red" | "yellow" | "green" | null) => (l ? <LightDot light={l} /> : "—") },
                { title: t("最新状态", "Status"), render: (_: unknown, u) => `${statusText(u.status, lang)}${u.progress !== null ? ` ${u.progress}%` : ""}` },
                { title: t("截止", "Due"), dataIndex: "dueAt", render: (v: string | null) => fmtDateTime(v) },
                { title: t("联络员", "Liaisons"), dataIndex: "liaisons" },
              ]}
            />
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card title={t("时间节点", "Deadlines")} size="small" extra={<Link to={`/deadlines?task=${task.id}`}>{t("管理", "Manage")}</Link>}>
            {task.deadlines.length === 0 ? (
              <Empty />
            ) : (
              <Descriptions
                size="small"
                column={1}
                bordered
                items={task.deadlines.map((d) => ({
                  key: d.id,
                  label: d.title,
                  children: (
                    <Space orientation="vertical" size={0}>
                      <span>
                        {d.ruleText} {d.dueTime} {d.unit ? `· ${d.unit}` : ""} {!d.active && <Tag>{t("已停用", "archived")}</Tag>}
                      </span>
                      {d.rounds.map((r) => (
                        <Typography.Text type="secondary" key={r.id}>
                          {r.periodKey}：{t("截止", "due")} {fmtDateTime(r.dueAt)}，{t("已报", "in")} {r.submitted}/{r.expected}
                        </Typography.Text>
                      ))}
                    </Space>
                  ),
                }))}
              />
            )}
          </Card>
        </Col>
      </Row>

      <Card title={t("目标指标", "Indicators")} size="small">
        {task.indicators.length === 0 ? (
          <Empty description={t("该任务没有量化指标", "This task has no measurable targets")} />
        ) : (
          <Row gutter={[16, 16]}>
            {task.indicators.map((i) => {
              const chart = charts.find((c) => c.id === i.id);
              const ok = i.latest ? meets(i.comparator, i.latest.value, i.target) : null;
              return (
                <Col xs={24} lg={12} key={i.id}>
                  <Card size="small" type="inner" title={i.name}>
                    <Descriptions
                      size="small"
                      column={2}
                      items={[
                        { label: t("目标", "Target"), children: `${COMPARATOR[i.comparator] ?? i.comparator} ${i.target}${i.measureUnit ?? ""}` },
                        {
                          label: t("最新值", "Latest"),
                          children: i.latest ? (
                            <span data-testid={`indicator-latest-${i.id}`}>
                              {i.latest.value}
                              {i.measureUnit ?? ""} {ok === null ? null : ok ? <Tag color="green">{t("达标", "met")}</Tag> : <Tag color="red">{t("未达标", "not met")}</Tag>}
                              <Typography.Text type="secondary"> {i.latest.unit} · {fmtDateTime(i.latest.at)}</Typography.Text>
                            </span>
                          ) : (
                            t("未报", "none yet")
                          ),
                        },
                      ]}
                    />
                    <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
                      {i.text}
                    </Typography.Paragraph>
                    {chart && chart.series.points.length > 0 ? (
                      <Suspense fallback={<Spin />}>
                        <TrendChart series={chart.series} targetLabel={t("目标", "Target")} />
                      </Suspense>
                    ) : null}
                  </Card>
                </Col>
              );
            })}
          </Row>
        )}
      </Card>

      <Card title={t("进展记录", "Status history")} size="small">
        <StatusHistory items={task.history} />
      </Card>
    </Space>
  );
}
