import { PlusOutlined } from "@ant-design/icons";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { App, AutoComplete, Button, Form, Input, Modal, Select } from "antd";
import { useState } from "react";
import { useNavigate } from "react-router";
import { useT } from "../i18n.tsx";
import { usePlanId } from "../plan-route.ts";
import { useCanEdit } from "../session.tsx";
import { useErrorMessage, useTRPC } from "../trpc.ts";

export interface TaskFieldsValue {
  number: string;
  title: string;
  body: string;
  deadlineText: string | null;
  leader: string | null;
  unitNote: string | null;
}

/** The task form, for a new task and for editing one after import. */
export function TaskFieldsModal({
  title,
  initial,
  groups,
  pending,
  onCancel,
  onSubmit,
}: {
  title: string;
  initial: Partial<TaskFieldsValue>;
  groups?: Array<{ id: number; number: string; heading: string }>;
  pending: boolean;
  onCancel: () => void;
  onSubmit: (value: TaskFieldsValue & { groupId?: number | null }) => void;
}) {
  const t = useT();
  const [form] = Form.useForm<TaskFieldsValue & { groupId?: number | null }>();
  return (
    <Modal open title={title} width={640} okText={t("保存", "Save")} confirmLoading={pending} onCancel={onCancel} onOk={() => form.submit()} okButtonProps={{ ...({ "data-testid": "save-task" } as Record<`data-${string}`, string>) }}>
      <Form
        form={form}
        layout="vertical"
        initialValues={{ body: "", ...initial, groupId: groups?.[groups.length - 1]?.id ?? null }}
        onFinish={(v) => onSubmit({ ...v, body: v.body ?? "", deadlineText: v.deadlineText || null, leader: v.leader || null, unitNote: v.unitNote || null })}
      >
        {groups && groups.length > 0 && (
          <Form.Item name="groupId" label={t("分组", "Group")}>
            <Select options={groups.map((g) => ({ value: g.id, label: `${g.number} ${g.heading}` }))} />
          </Form.Item>
        )}
        <Form.Item name="number" label={t("编号", "No.")} rules={[{ required: true, whitespace: true, message: t("请填写编号", "Enter a number") }, { max: 40 }]}>
          <Input data-testid="task-number" />
        </Form.Item>
        <Form.Item name="title" label={t("标题", "Title")} rules={[{ required: true, whitespace: true, message: t("请填写标题", "Enter a title") }, { max: 500 }]}>
          <Input data-testid="task-title" />
        </Form.Item>
        <Form.Item name="body" label={t("正文", "Body")} rules={[{ max: 20_000 }]}>
          <Input.TextArea rows={4} data-testid="task-body" />
        </Form.Item>
        <Form.Item name="deadlineText" label={t("完成时限", "Deadline")} rules={[{ max: 500 }]}>
          <Input data-testid="task-deadline" />
        </Form.Item>
        <Form.Item name="leader" label={t("牵头领导", "Leader")} rules={[{ max: 100 }]}>
          <Input />
        </Form.Item>
        <Form.Item name="unitNote" label={t("单位备注（如 各有关部门）", "Unit note (e.g. all departments concerned)")} rules={[{ max: 500 }]}>
          <Input />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** "新增任务" for editors: a task the office adds itself, kept by later re-imports. */
export function AddTaskButton({ groups }: { groups: Array<{ id: number; number: string; heading: string }> }) {
  const t = useT();
  const trpc = useTRPC();
  const canEdit = useCanEdit();
  const navigate = useNavigate();
  const errorMessage = useErrorMessage();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  // The task goes into the plan the board shows (the default plan on the plan-less home page).
  const planId = usePlanId();
  const create = useMutation(
    trpc.tasks.create.mutationOptions({
      onSuccess: ({ taskId }) => {
        setOpen(false);
        void queryClient.invalidateQueries();
        void navigate(planId ? `/plans/${planId}/tasks/${taskId}` : `/tasks/${taskId}`);
      },
      onError: (e) => message.error(errorMessage(e)),
    }),
  );
  if (!canEdit) return null;
  return (
    <>
      <Button icon={<PlusOutlined />} onClick={() => setOpen(true)} data-testid="add-task">
        {t("新增任务", "Add task")}
      </Button>
      {open && (
        <TaskFieldsModal
          title={t("新增任务", "Add task")}
          initial={{}}
          groups={groups}
          pending={create.isPending}
          onCancel={() => setOpen(false)}
          onSubmit={({ groupId, ...fields }) => create.mutate({ planId, groupId: groupId ?? null, fields })}
        />
      )}
    </>
  );
}

/** Puts a unit (picked, or typed as a new one) on a task with a role. */
export function AssignUnitModal({ taskId, assigned, onClose }: { taskId: number; assigned: number[]; onClose: () => void }) {
  const t = useT();
  const trpc = useTRPC();
  const errorMessage = useErrorMessage();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const units = useQuery(trpc.units.list.queryOptions());
  const planId = usePlanId();
  const [name, setName] = useState("");
  const [role, setRole] = useState<"lead" | "support">("support");
  const assign = useMutation(
    trpc.tasks.assignUnit.mutationOptions({
      onSuccess: () => {
        void queryClient.invalidateQueries();
        onClose();
      },
      onError: (e) => message.error(errorMessage(e)),
    }),
  );
  const options = (units.data ?? []).filter((u) => !assigned.includes(u.id) && u.name.includes(name)).map((u) => ({ value: u.name }));
  const submit = () => {
    const existing = (units.data ?? []).find((u) => u.name === name.trim());
    assign.mutate({ taskId, planId, unit: existing ? { unitId: existing.id } : { name: name.trim() }, role });
  };
  return (
    <Modal
      open
      title={t("添加责任单位", "Add a responsible unit")}
      okText={t("添加", "Add")}
      confirmLoading={assign.isPending}
      okButtonProps={{ disabled: !name.trim(), ...({ "data-testid": "confirm-assign-unit" } as Record<`data-${string}`, string>) }}
      onOk={submit}
      onCancel={onClose}
    >
      <Form layout="vertical">
        <Form.Item label={t("单位（选择已有单位或输入新单位）", "Unit (pick an existing one or type a new one)")}>
          <AutoComplete options={options} value={name} onChange={setName} data-testid="assign-unit-name" />
        </Form.Item>
        <Form.Item label={t("角色", "Role")}>
          <Select
            value={role}
            onChange={setRole}
            options={[
              { value: "lead", label: t("牵头", "Lead") },
              { value: "support", label: t("配合", "Support") },
            ]}
            data-testid="assign-unit-role"
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
