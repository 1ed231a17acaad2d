import { EditOutlined, PlusOutlined } from "@ant-design/icons";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Alert, App, Breadcrumb, Button, Card, Col, Descriptions, Empty, Popconfirm, Row, Select, Skeleton, Space, Spin, Table, Tag, Typography } from "antd";
import { lazy, Suspense, useMemo, useState } from "react";
import { Link, useParams } from "react-router";
import { LightDot } from "../components/light.tsx";
import { AssignUnitModal, TaskFieldsModal } from "../components/task-editing.tsx";
import { usePlanId } from "../plan-route.ts";
import { useCanEdit } from "../session.tsx";
import { StatusHistory } from "../components/status-history.tsx";
import { describeRule } from "@duban/domain/rule-text";
import { fmtDateTime, periodText, statusText } from "../format.ts";
import { useLang, useT } from "../i18n.tsx";
import { useErrorMessage, type Outputs, useTRPC } from "../trpc.ts";

// ECharts is the heaviest dependency: it loads only when a task with indicators is opened.
const TrendChart = lazy(() => import("../components/trend-chart.tsx"));
// The entry form (Form, Radio, InputNumber, Select) loads when the office opens it.
const OfficeStatusModal = lazy(() => import("../components/office-status-modal.tsx"));

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
  const errorMessage = useErrorMessage();
  const t = useT();
  const { lang } = useLang();
  const trpc = useTRPC();
  const id = Number(useParams().id);
  // Under /plans/:planId/tasks/:id the server checks the task is that plan's.
  const planId = usePlanId();
  const canEdit = useCanEdit();
  const [entering, setEntering] = useState<number | null>(null);
  const [recorded, setRecorded] = useState<string | null>(null);
  const [editingTask, setEditingTask] = useState(false);
  const [addingUnit, setAddingUnit] = useState(false);
  const query = useQuery(trpc.tasks.get.queryOptions({ id, planId }, { enabled: Number.isInteger(id) && id > 0, refetchInterval: 10_000 }));
  const task = query.data;
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const changed = { onSuccess: () => void queryClient.invalidateQueries(), onError: (e: unknown) => message.error(errorMessage(e)) };
  const update = useMutation(trpc.tasks.update.mutationOptions({ ...changed, onSuccess: () => (setEditingTask(false), void queryClient.invalidateQueries()) }));
  const archive = useMutation(trpc.tasks.setArchived.mutationOptions(changed));
  const assign = useMutation(trpc.tasks.assignUnit.mutationOptions(changed));
  const unassign = useMutation(trpc.tasks.removeUnit.mutationOptions(changed));
  const charts = useMemo(() => (task?.indicators ?? []).map((i) => ({ id: i.id, series: { name: i.name, target: i.target, measureUnit: i.measureUnit, points: perPeriod(i) } })), [task]);

  if (query.isError && !task) {
    return (
      <Space orientation="vertical" style={{ width: "100%" }}>
        <Breadcrumb items={[{ title: <Link to={planId ? `/plans/${planId}/board` : "/"}>{t("总览", "Board")}</Link> }, { title: t("任务", "Task") }]} />
        <Alert type="error" showIcon title={errorMessage(query.error)} />
      </Space>
    );
  }
  if (!task) return <Skeleton active paragraph={{ rows: 12 }} />;

  return (
    <Space orientation="vertical" size="middle" style={{ width: "100%" }}>
      <Breadcrumb items={[{ title: <Link to={`/plans/${task.planId}/board`}>{t("总览", "Board")}</Link> }, { title: `${t("任务", "Task")} ${task.number}` }]} />
      <Card>
        <div style={{ display: "flex", justifyContent: "space-between", gap: 16, alignItems: "flex-start" }}>
          <Typography.Title level={3} style={{ marginTop: 0, marginBottom: 4 }} data-testid="task-heading">
            {task.number}. {task.title}
          </Typography.Title>
          {canEdit && (
            <Space>
              <Button icon={<EditOutlined />} onClick={() => setEditingTask(true)} data-testid="edit-task">
                {t("编辑", "Edit")}
              </Button>
              <Popconfirm
                title={task.active ? t("归档后该任务不再出现在总览，也不再提醒；历史保留。确定？", "Archive: off the board, no more reminders; history kept. Sure?") : t("恢复该任务？", "Restore this task?")}
                onConfirm={() => archive.mutate({ taskId: task.id, planId, archived: task.active })}
              >
                <Button danger={task.active} loading={archive.isPending} data-testid="archive-task">
                  {task.active ? t("归档", "Archive") : t("恢复", "Restore")}
                </Button>
              </Popconfirm>
            </Space>
          )}
        </div>
        <Space size="middle" wrap>
          {task.group && <Typography.Text type="secondary">{task.group.number} {task.group.heading}</Typography.Text>}
          {task.light && <LightDot light={task.light} />}
          {!task.active && <Tag>{task.editedAt ? t("已归档", "Archived") : t("已不在现行方案中", "No longer in the plan")}</Tag>}
          {task.editedAt && <Tag color="blue">{`${t("办公室修改于", "Edited by the office")} ${fmtDateTime(task.editedAt)}`}</Tag>}
          {task.leader && <Typography.Text data-testid="task-leader">{`${t("牵头领导", "Leader")}${t("：", ": ")}${task.leader}`}</Typography.Text>}
          {task.unitNote && <Typography.Text type="secondary">{`${t("单位备注", "Unit note")}${t("：", ": ")}${task.unitNote}`}</Typography.Text>}
        </Space>
        <Typography.Paragraph style={{ marginTop: 12, whiteSpace: "pre-wrap" }} data-testid="task-body-text">{task.body}</Typography.Paragraph>
        {task.deadlineText && <Tag color="gold" data-testid="task-deadline-text">{task.deadlineText}</Tag>}
      </Card>

      <Row gutter={[16, 16]}>
        <Col xs={24} xxl={14}>
          <Card
            title={t("责任单位", "Responsible units")}
            size="small"
            extra={
              canEdit && (
                <Button size="small" icon={<PlusOutlined />} onClick={() => setAddingUnit(true)} data-testid="add-task-unit">
                  {t("添加单位", "Add unit")}
                </Button>
              )
            }
          >
            {recorded && <Alert type="success" showIcon closable={{ onClose: () => setRecorded(null) }} title={recorded} style={{ marginBottom: 8 }} data-testid="office-status-recorded" />}
            <Table
              size="small"
              rowKey="unitId"
              pagination={false}
              dataSource={task.units}
              columns={[
                { title: t("单位", "Unit"), dataIndex: "name" },
                {
                  title: t("角色", "Role"),
                  dataIndex: "role",
                  width: canEdit ? 96 : 64,
                  render: (r: string, u) =>
                    canEdit ? (
                      <Select
                        size="small"
                        value={r as "lead" | "support"}
                        style={{ width: 84 }}
                        onChange={(role: "lead" | "support") => assign.mutate({ taskId: task.id, planId, unit: { unitId: u.unitId }, role })}
                        options={[
                          { value: "lead", label: t("牵头", "Lead") },
                          { value: "support", label: t("配合", "Support") },
                        ]}
                        data-testid={`unit-role-${u.unitId}`}
                      />
                    ) : r === "lead" ? (
                      <Tag color="red">{t("牵头", "Lead")}</Tag>
                    ) : (
                      <Tag>{t("配合", "Support")}</Tag>
                    ),
                },
                { title: t("状态灯", "Light"), dataIndex: "light", width: 64, render: (l: "red" | "yellow" | "green" | null) => (l ? <LightDot light={l} text={{ red: t("红", "red"), yellow: t("黄", "yellow"), green: t("绿", "green") }[l]} /> : "—") },
                { title: t("最新状态", "Status"), render: (_: unknown, u) => `${statusText(u.status, lang)}${u.progress !== null && u.status !== "done" ? ` ${u.progress}%` : ""}` },
                { title: t("下一截止", "Next due"), dataIndex: "dueAt", render: (v: string | null) => fmtDateTime(v), width: 132 },
                {
                  title: t("联络员", "Liaisons"),
                  render: (_: unknown, u) =>
                    u.liaisons === 0 ? (
                      <Typography.Text type="warning">{t("未绑定", "none")}</Typography.Text>
                    ) : (
                      u.liaisonNames.map((n) => n ?? t("（未具名）", "(unnamed)")).join(t("、", ", "))
                    ),
                },
                ...(canEdit
                  ? [
                      {
                        title: "",
                        width: 180,
                        render: (_: unknown, u: Task["units"][number]) => (
                          <Space size={4}>
                            <Button size="small" icon={<EditOutlined />} onClick={() => setEntering(u.unitId)} data-testid={`office-status-open-${u.unitId}`}>
                              {t("代为填报", "Enter status")}
                            </Button>
                            <Popconfirm title={t("从该任务移除此单位？历史保留。", "Remove this unit from the task? History is kept.")} onConfirm={() => unassign.mutate({ taskId: task.id, planId, unitId: u.unitId })}>
                              <Button size="small" type="link" danger data-testid={`remove-task-unit-${u.unitId}`}>
                                {t("移除", "Remove")}
                              </Button>
                            </Popconfirm>
                          </Space>
                        ),
                      },
                    ]
                  : []),
              ]}
            />
          </Card>
        </Col>
        <Col xs={24} xxl={10}>
          <Card title={t("时间节点", "Deadlines")} size="small" extra={<Link to={`/plans/${task.planId}/deadlines?task=${task.id}`}>{t("管理", "Manage")}</Link>}>
            {task.deadlines.length === 0 ? (
              <Empty description={t("尚未设置时间节点", "No deadlines yet")} />
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
                        <span data-testid={`task-deadline-rule-${d.id}`}>{`${describeRule(d.rule, lang)} ${d.dueTime}`}</span> {d.unit ? `· ${d.unit}` : ""} {!d.active && <Tag>{t("已停用", "archived")}</Tag>}
                      </span>
                      {d.rounds.map((r) => (
                        <Typography.Text type="secondary" key={r.id}>
                          {periodText(r.periodKey, lang)}{t("：截止", ": due")} {fmtDateTime(r.dueAt)}{t("，已报", ", in")} {r.submitted}/{r.expected}
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
                            <Typography.Text type="secondary">{t("暂无填报", "none yet")}</Typography.Text>
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

      <Card title={`${t("进展记录", "Status history")}（${task.history.length}）`} size="small">
        <StatusHistory items={task.history} />
      </Card>
      {editingTask && (
        <TaskFieldsModal
          title={`${t("编辑任务", "Edit task")} ${task.number}`}
          initial={{ number: task.number, title: task.title, body: task.body, deadlineText: task.deadlineText, leader: task.leader, unitNote: task.unitNote }}
          pending={update.isPending}
          onCancel={() => setEditingTask(false)}
          onSubmit={({ groupId: _groupId, ...fields }) => update.mutate({ taskId: task.id, planId, fields })}
        />
      )}
      {addingUnit && <AssignUnitModal taskId={task.id} assigned={task.units.map((u) => u.unitId)} onClose={() => setAddingUnit(false)} />}
      {entering !== null && (
        <Suspense fallback={null}>
          <OfficeStatusModal
            target={{ taskId: task.id, unitId: entering }}
            onClose={() => setEntering(null)}
            onRecorded={(result, unitName) =>
              setRecorded(`${t("已代为填报", "Recorded for")} ${unitName}${t("：", ": ")}${statusText(result.status, lang)}${result.round ? `${t("，计入", ", counted for")} ${periodText(result.round.periodKey, lang)}${result.submitted ? t("（已报送）", " (submitted)") : ""}` : ""}`)
            }
          />
        </Suspense>
      )}
    </Space>
  );
}
