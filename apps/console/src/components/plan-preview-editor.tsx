import { useQuery } from "@tanstack/react-query";
import { Alert, AutoComplete, Button, Card, Col, Form, Input, List, Modal, Popconfirm, Row, Select, Space, Table, Tag, Typography } from "antd";
import { useMemo, useState } from "react";
import type { ParsedPlan, ParsedTask, UnitRole } from "@duban/domain/parse-plan";
import { addTask, deleteTask, emptyTask, mergeWithNext, planProblems, refAt, renameUnit, replaceTask, setTaskUnits, splitTask, type TaskRef, taskText, updateTask } from "@duban/domain/plan-edit";
import { useT } from "../i18n.tsx";
import { useTRPC } from "../trpc.ts";

export interface KeptEdit {
  index: number;
  task: string;
  title: string;
  line: string;
  documentTask: ParsedTask;
}

interface Row {
  key: string;
  at: TaskRef;
  group: string;
  task: ParsedTask;
  last: boolean;
}

const COMPARATOR: Record<string, string> = { ">=": "≥", "<=": "≤" };
const rowKey = (at: TaskRef) => `${at.group}-${at.task}`;

/**
 * The import preview as an editor: the office corrects tasks and units before confirming, and
 * what it sees is what is imported. All edits are the domain's pure plan-edit functions.
 */
export function PlanPreviewEditor({ plan, onChange, keptEdits }: { plan: ParsedPlan; onChange: (plan: ParsedPlan) => void; keptEdits: KeptEdit[] }) {
  const t = useT();
  const trpc = useTRPC();
  const existing = useQuery(trpc.units.list.queryOptions());
  const knownUnits = useMemo(() => new Set((existing.data ?? []).map((u) => u.name)), [existing.data]);
  const [editing, setEditing] = useState<TaskRef | null>(null);
  const [splitting, setSplitting] = useState<TaskRef | null>(null);
  const [renaming, setRenaming] = useState<string | null>(null);
  const [highlight, setHighlight] = useState<string | null>(null);
  const [usedDocument, setUsedDocument] = useState<Set<number>>(new Set());

  const rows: Row[] = plan.groups.flatMap((g, group) =>
    g.tasks.map((task, index) => ({ key: rowKey({ group, task: index }), at: { group, task: index }, group: `${g.number}${g.heading}`, task, last: index === g.tasks.length - 1 })),
  );
  const problems = planProblems(plan);
  const unitOptions = [...new Set([...plan.units, ...knownUnits])].map((name) => ({ value: name }));

  /** The task a warning names: by its line, else by its number. */
  const findTask = (line: number, number: string | null): string | null => {
    const byLine = line > 0 ? rows.find((r) => r.task.line === line) : undefined;
    const byNumber = number ? rows.find((r) => r.task.number === number) : undefined;
    return (byLine ?? byNumber)?.key ?? null;
  };
  const goTo = (key: string) => {
    setHighlight(key);
    document.querySelector(`[data-row-key="${key}"]`)?.scrollIntoView({ behavior: "smooth", block: "center" });
  };
  const apply = (edit: () => ParsedPlan) => {
    try {
      onChange(edit());
    } catch {
      // A stale position (the row moved under the click): nothing to do.
    }
  };

  const editingTask = editing ? plan.groups[editing.group]?.tasks[editing.task] : undefined;
  const splittingTask = splitting ? plan.groups[splitting.group]?.tasks[splitting.task] : undefined;
  const warnings: Array<{ message: string; line: number; taskNumber: string | null }> =
    plan.warningDetails?.length === plan.warnings.length ? plan.warningDetails : plan.warnings.map((message) => ({ message, line: 0, taskNumber: null }));

  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} xxl={17}>
        <Table<Row>
          size="small"
          rowKey="key"
          pagination={false}
          scroll={{ x: 1100 }}
          dataSource={rows}
          rowClassName={(r) => (r.key === highlight ? "ant-table-row-selected" : "")}
          data-testid="preview-tasks"
          columns={[
            { title: t("分组", "Group"), dataIndex: "group", width: 140, ellipsis: true },
            {
              title: t("任务", "Task"),
              render: (_: unknown, r) => (
                <span data-testid={`preview-task-${r.task.number}`}>
                  <Typography.Text strong>{r.task.number}</Typography.Text> {r.task.title}
                  {r.task.leader && <Typography.Text type="secondary">{` · ${t("牵头领导", "Leader")}：${r.task.leader}`}</Typography.Text>}
                </span>
              ),
            },
            {
              title: t("责任单位", "Units"),
              width: 260,
              render: (_: unknown, r) => (
                <>
                  {r.task.units.map((u) => (
                    <Tag key={u.name} color={u.role === "lead" ? "red" : u.collective ? "purple" : undefined}>
                      {u.name}
                      {u.role === "lead" ? t("（牵头）", " (lead)") : ""}
                    </Tag>
                  ))}
                  {r.task.units.length === 0 && <Typography.Text type="warning">{t("无", "none")}</Typography.Text>}
                  {r.task.unitNote && <Typography.Text type="secondary"> {r.task.unitNote}</Typography.Text>}
                </>
              ),
            },
            {
              title: t("指标与时限", "Targets & timing"),
              width: 200,
              render: (_: unknown, r) => (
                <>
                  {r.task.indicators.map((i) => (
                    <Tag key={i.name} color="blue">
                      {i.name} {COMPARATOR[i.comparator] ?? i.comparator}
                      {i.value}
                      {i.unit ?? ""}
                    </Tag>
                  ))}
                  {r.task.deadline && <Tag color="gold">{r.task.deadline}</Tag>}
                </>
              ),
            },
            {
              title: "",
              width: 250,
              render: (_: unknown, r) => (
                <Space size={4} wrap>
                  <Button size="small" type="link" onClick={() => setEditing(r.at)} data-testid={`edit-preview-task-${r.task.number}`}>
                    {t("编辑", "Edit")}
                  </Button>
                  <Button size="small" type="link" onClick={() => setSplitting(r.at)}>
                    {t("拆分", "Split")}
                  </Button>
                  {!r.last && (
                    <Button size="small" type="link" onClick={() => apply(() => mergeWithNext(plan, r.at))}>
                      {t("并入下一项", "Merge next")}
                    </Button>
                  )}
                  <Button
                    size="small"
                    type="link"
                    data-testid={`add-after-${r.task.number}`}
                    onClick={() => {
                      apply(() => addTask(plan, r.at.group, emptyTask("", t("新任务", "New task")), r.at.task));
                      setEditing({ group: r.at.group, task: r.at.task + 1 });
                    }}
                  >
                    {t("后插任务", "Add after")}
                  </Button>
                  <Popconfirm title={t("这一项不是任务，从方案中去掉？", "Not a task: leave it out of the plan?")} onConfirm={() => apply(() => deleteTask(plan, r.at))}>
                    <Button size="small" type="link" danger>
                      {t("不是任务", "Not a task")}
                    </Button>
                  </Popconfirm>
                </Space>
              ),
            },
          ]}
        />
      </Col>
      <Col xs={24} xxl={7}>
        <Space orientation="vertical" style={{ width: "100%" }}>
          {problems.length > 0 && (
            <Card size="small" title={t("需要处理", "To resolve")} data-testid="preview-problems">
              <List
                size="small"
                dataSource={problems}
                renderItem={(p) => (
                  <List.Item>
                    <Typography.Text type={p.level === "error" ? "danger" : "warning"}>{p.message}</Typography.Text>
                    {p.at && (
                      <Button size="small" type="link" onClick={() => goTo(rowKey(p.at!))}>
                        {t("定位", "Show")}
                      </Button>
                    )}
                  </List.Item>
                )}
              />
            </Card>
          )}
          {warnings.length > 0 && (
            <Card size="small" title={`${t("解析提示", "Warnings")} (${warnings.length})`} data-testid="preview-warnings">
              <List
                size="small"
                dataSource={warnings}
                renderItem={(w) => {
                  const key = findTask(w.line, w.taskNumber);
                  return (
                    <List.Item>
                      <span>{w.message}</span>
                      {key && (
                        <Button size="small" type="link" onClick={() => goTo(key)}>
                          {t("定位", "Show")}
                        </Button>
                      )}
                    </List.Item>
                  );
                }}
              />
            </Card>
          )}
          {keptEdits.length > 0 && (
            <Card size="small" title={t("保留的办公室修改", "Office edits kept")} data-testid="kept-edits">
              <List
                size="small"
                dataSource={keptEdits}
                renderItem={(k) => (
                  <List.Item>
                    <span>{k.line}</span>
                    {usedDocument.has(k.index) ? (
                      <Tag>{t("已用文件版本", "Document's version")}</Tag>
                    ) : (
                      <Button
                        size="small"
                        onClick={() => {
                          const at = refAt(plan, k.index);
                          if (!at) return;
                          apply(() => replaceTask(plan, at, k.documentTask));
                          setUsedDocument(new Set([...usedDocument, k.index]));
                        }}
                      >
                        {t("用文件版本", "Use the document's version")}
                      </Button>
                    )}
                  </List.Item>
                )}
              />
            </Card>
          )}
          <Card size="small" title={`${t("单位", "Units")} (${plan.units.length})`} data-testid="preview-units">
            <List
              size="small"
              dataSource={plan.units}
              renderItem={(name) => (
                <List.Item>
                  <span>
                    {name} {knownUnits.has(name) ? <Tag color="green">{t("已有", "existing")}</Tag> : <Tag>{t("新单位", "new")}</Tag>}
                  </span>
                  <Button size="small" type="link" onClick={() => setRenaming(name)} data-testid={`rename-preview-unit-${name}`}>
                    {t("改名/对应", "Rename / map")}
                  </Button>
                </List.Item>
              )}
            />
          </Card>
        </Space>
      </Col>

      {editing && editingTask && (
        <TaskDraftModal
          task={editingTask}
          unitOptions={unitOptions}
          onCancel={() => setEditing(null)}
          onSave={(next) => {
            const at = editing;
            apply(() => setTaskUnits(updateTask(plan, at, next), at, next.units));
            setEditing(null);
          }}
        />
      )}
      {splitting && splittingTask && (
        <SplitModal
          task={splittingTask}
          onCancel={() => setSplitting(null)}
          onSplit={(offset) => {
            apply(() => splitTask(plan, splitting, offset));
            setSplitting(null);
          }}
        />
      )}
      {renaming !== null && (
        <RenameUnitModal
          name={renaming}
          options={[...knownUnits].filter((n) => n !== renaming).map((value) => ({ value }))}
          onCancel={() => setRenaming(null)}
          onRename={(to) => {
            apply(() => renameUnit(plan, renaming, to));
            setRenaming(null);
          }}
        />
      )}
    </Row>
  );
}

interface Draft {
  number: string;
  title: string;
  body: string;
  deadline: string | null;
  leader: string | null;
  unitNote: string | null;
  units: Array<{ name: string; role: UnitRole }>;
}

function TaskDraftModal({ task, unitOptions, onCancel, onSave }: { task: ParsedTask; unitOptions: Array<{ value: string }>; onCancel: () => void; onSave: (draft: Draft) => void }) {
  const t = useT();
  const [draft, setDraft] = useState<Draft>({
    number: task.number,
    title: task.title,
    body: task.body,
    deadline: task.deadline,
    leader: task.leader ?? null,
    unitNote: task.unitNote ?? null,
    units: task.units.map((u) => ({ name: u.name, role: u.role })),
  });
  const [newUnit, setNewUnit] = useState("");
  const [newRole, setNewRole] = useState<UnitRole>(task.units.some((u) => u.role === "lead") ? "support" : "lead");
  const set = (patch: Partial<Draft>) => setDraft({ ...draft, ...patch });
  const addUnit = () => {
    const name = newUnit.trim();
    if (!name) return;
    set({ units: [...draft.units.filter((u) => u.name !== name), { name, role: newRole }] });
    setNewUnit("");
    setNewRole("support");
  };
  const roleOptions = [
    { value: "lead", label: t("牵头", "Lead") },
    { value: "support", label: t("配合", "Support") },
  ];
  return (
    <Modal
      open
      width={720}
      title={`${t("编辑任务", "Edit task")} ${task.number}`}
      okText={t("保存", "Save")}
      okButtonProps={{ disabled: !draft.number.trim() || !draft.title.trim(), ...({ "data-testid": "save-preview-task" } as Record<`data-${string}`, string>) }}
      onOk={() => onSave({ ...draft, deadline: draft.deadline?.trim() || null, leader: draft.leader?.trim() || null, unitNote: draft.unitNote?.trim() || null })}
      onCancel={onCancel}
    >
      <Form layout="vertical" size="small">
        <Space.Compact style={{ width: "100%" }}>
          <Form.Item label={t("编号", "No.")} style={{ width: 120 }}>
            <Input value={draft.number} onChange={(e) => set({ number: e.target.value })} data-testid="draft-number" />
          </Form.Item>
          <Form.Item label={t("标题", "Title")} style={{ flex: 1 }}>
            <Input value={draft.title} onChange={(e) => set({ title: e.target.value })} data-testid="draft-title" />
          </Form.Item>
        </Space.Compact>
        <Form.Item label={t("正文", "Body")}>
          <Input.TextArea rows={3} value={draft.body} onChange={(e) => set({ body: e.target.value })} />
        </Form.Item>
        <Space.Compact style={{ width: "100%" }}>
          <Form.Item label={t("完成时限", "Deadline")} style={{ flex: 1 }}>
            <Input value={draft.deadline ?? ""} onChange={(e) => set({ deadline: e.target.value })} data-testid="draft-deadline" />
          </Form.Item>
          <Form.Item label={t("牵头领导", "Leader")} style={{ flex: 1 }}>
            <Input value={draft.leader ?? ""} onChange={(e) => set({ leader: e.target.value })} />
          </Form.Item>
          <Form.Item label={t("单位备注", "Unit note")} style={{ flex: 1 }}>
            <Input value={draft.unitNote ?? ""} onChange={(e) => set({ unitNote: e.target.value })} />
          </Form.Item>
        </Space.Compact>
        <Form.Item label={t("责任单位", "Units")}>
          <Space orientation="vertical" style={{ width: "100%" }}>
            {draft.units.map((u) => (
              <Space key={u.name}>
                {/* min(…, 36vw): on a phone the role picker and 移除 stay inside the dialog. */}
                <Typography.Text style={{ minWidth: "min(200px, 36vw)", display: "inline-block" }}>{u.name}</Typography.Text>
                <Select
                  size="small"
                  style={{ width: 96 }}
                  value={u.role}
                  options={roleOptions}
                  onChange={(role: UnitRole) => set({ units: draft.units.map((x) => (x.name === u.name ? { ...x, role } : x)) })}
                  data-testid={`draft-role-${u.name}`}
                />
                <Button size="small" danger type="link" onClick={() => set({ units: draft.units.filter((x) => x.name !== u.name) })}>
                  {t("移除", "Remove")}
                </Button>
              </Space>
            ))}
            <Space.Compact style={{ width: "100%", maxWidth: 432 }}>
              <AutoComplete
                style={{ flex: 1, minWidth: 0 }}
                options={unitOptions.filter((o) => o.value.includes(newUnit))}
                value={newUnit}
                onChange={setNewUnit}
                placeholder={t("选择或输入单位", "Pick or type a unit")}
                id="draft-new-unit"
              />
              <Select style={{ width: 96 }} value={newRole} options={roleOptions} onChange={setNewRole} data-testid="draft-new-role" />
              <Button onClick={addUnit} disabled={!newUnit.trim()} data-testid="draft-add-unit">
                {t("添加", "Add")}
              </Button>
            </Space.Compact>
          </Space>
        </Form.Item>
      </Form>
    </Modal>
  );
}

function SplitModal({ task, onCancel, onSplit }: { task: ParsedTask; onCancel: () => void; onSplit: (offset: number) => void }) {
  const t = useT();
  const text = taskText(task);
  const [offset, setOffset] = useState<number | null>(null);
  const ok = offset !== null && text.slice(0, offset).trim() !== "" && text.slice(offset).trim() !== "";
  return (
    <Modal open title={`${t("拆分任务", "Split task")} ${task.number}`} okText={t("拆分", "Split")} okButtonProps={{ disabled: !ok }} onOk={() => offset !== null && onSplit(offset)} onCancel={onCancel}>
      <Typography.Paragraph type="secondary">{t("把光标放在第二项任务开始的位置，然后点“拆分”。", "Put the cursor where the second task begins, then click Split.")}</Typography.Paragraph>
      <Input.TextArea
        readOnly
        rows={8}
        value={text}
        onSelect={(e) => setOffset((e.target as HTMLTextAreaElement).selectionStart)}
        onClick={(e) => setOffset((e.target as HTMLTextAreaElement).selectionStart)}
      />
      {offset !== null && !ok && <Alert type="info" showIcon style={{ marginTop: 8 }} title={t("拆分点两侧都要有文字", "Both parts need text")} />}
    </Modal>
  );
}

function RenameUnitModal({ name, options, onCancel, onRename }: { name: string; options: Array<{ value: string }>; onCancel: () => void; onRename: (to: string) => void }) {
  const t = useT();
  const [to, setTo] = useState(name);
  return (
    <Modal
      open
      title={`${t("单位改名或对应到已有单位", "Rename or map onto an existing unit")}：${name}`}
      okText={t("应用到所有任务", "Apply to all tasks")}
      okButtonProps={{ disabled: !to.trim() || to.trim() === name, ...({ "data-testid": "apply-unit-rename" } as Record<`data-${string}`, string>) }}
      onOk={() => onRename(to.trim())}
      onCancel={onCancel}
    >
      <AutoComplete style={{ width: "100%" }} options={options.filter((o) => o.value.includes(to) || to === name)} value={to} onChange={setTo} data-testid="unit-rename-input" />
      <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
        {t("输入新名称，或从已有单位中选择（如 市市场监管局 → 市场监督管理局）。", "Type a new name, or pick an existing unit (e.g. 市市场监管局 → 市场监督管理局).")}
      </Typography.Paragraph>
    </Modal>
  );
}
