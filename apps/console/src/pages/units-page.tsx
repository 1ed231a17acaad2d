import { UserAddOutlined } from "@ant-design/icons";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Alert, App, Button, Input, Modal, Popconfirm, Select, Space, Table, Tag, Tooltip, Typography } from "antd";
import { useState } from "react";
import { Link } from "react-router";
import { CHANNEL_COLOR, useChannelName } from "../components/channels.tsx";
import { InviteModal } from "../components/invite-modal.tsx";
import { fmtDateTime } from "../format.ts";
import { useT } from "../i18n.tsx";
import { useCanEdit } from "../session.tsx";
import { useErrorMessage, type Outputs, useTRPC } from "../trpc.ts";

type Unit = Outputs["units"]["list"][number];

export default function UnitsPage() {
  const errorMessage = useErrorMessage();
  const t = useT();
  const trpc = useTRPC();
  const canEdit = useCanEdit();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [inviteFor, setInviteFor] = useState<{ id: number; name: string } | null>(null);
  const [search, setSearch] = useState("");
  const units = useQuery(trpc.units.list.queryOptions(undefined, { refetchInterval: 15_000 }));
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.units.list.queryKey() });
  const onError = (e: unknown) => message.error(errorMessage(e));
  // A removed contact also leaves the menu's count of unreachable contacts.
  const revokeContact = useMutation(trpc.units.revokeContact.mutationOptions({ onSuccess: () => (void refresh(), void queryClient.invalidateQueries({ queryKey: trpc.alerts.pathKey() })), onError }));
  const revokeInvite = useMutation(trpc.units.revokeInvite.mutationOptions({ onSuccess: refresh, onError }));
  const [renaming, setRenaming] = useState<{ id: number; name: string } | null>(null);
  const [merging, setMerging] = useState<{ id: number; name: string; into: number | null } | null>(null);
  // Unit names show up on the board, tasks and audit: refresh everything after a rename or merge.
  const refreshAll = () => queryClient.invalidateQueries();
  const rename = useMutation(trpc.units.rename.mutationOptions({ onSuccess: () => (setRenaming(null), void refreshAll()), onError }));
  const merge = useMutation(
    trpc.units.merge.mutationOptions({
      onSuccess: (r) => {
        setMerging(null);
        message.success(`${t("已合并", "Merged")}${t("：", ": ")}${r.from} → ${r.into}`);
        void refreshAll();
      },
      onError,
    }),
  );

  const reach: Record<string, { color: string; text: string }> = {
    ok: { color: "green", text: t("可联系", "Reachable") },
    "not-started": { color: "gold", text: t("未启动机器人", "Never started") },
    blocked: { color: "red", text: t("已屏蔽机器人", "Blocked the bot") },
    revoked: { color: "default", text: t("已移除", "Removed") },
    "no-liaison": { color: "default", text: t("无联络员", "No liaison") },
  };
  const reachTag = (r: string) => <Tag color={reach[r]?.color}>{reach[r]?.text ?? r}</Tag>;
  const channelName = useChannelName();
  /** The outbox's word on this person: last delivered, or why the latest message did not arrive. */
  const deliveryText = (d: Unit["contacts"][number]["delivery"]) => {
    switch (d.state) {
      case "delivered":
        return `${t("最近送达", "Last delivered")} ${fmtDateTime(d.lastDeliveredAt)}`;
      case "unreachable":
        return (
          <Tag color="red">
            {t("无法送达", "Unreachable")} {fmtDateTime(d.since)}
          </Tag>
        );
      case "failed":
        return (
          <Tooltip title={d.error ?? undefined}>
            <Tag color="orange">
              {t("发送失败", "Failed")} {fmtDateTime(d.at)}
            </Tag>
          </Tooltip>
        );
      case "none":
        return <Typography.Text type="secondary">{t("尚未发送提醒", "Nothing sent yet")}</Typography.Text>;
    }
  };

  if (units.isError && !units.data) return <Alert type="error" showIcon title={errorMessage(units.error)} />;
  const rows = (units.data ?? []).filter((u) => !search || u.name.includes(search));

  return (
    <Space orientation="vertical" size="middle" style={{ width: "100%" }}>
      <Typography.Title level={3} style={{ margin: 0 }}>
        {t("单位与联络员", "Units & liaisons")}
      </Typography.Title>
      <Input.Search allowClear placeholder={t("搜索单位", "Search units")} style={{ maxWidth: 320 }} onSearch={setSearch} onChange={(e) => !e.target.value && setSearch("")} />
      <Table<Unit>
        rowKey="id"
        size="middle"
        loading={units.isPending}
        dataSource={rows}
        pagination={false}
        // On a phone the row scrolls sideways to 邀请/改名: the unit's name (and its expand toggle) stays in view.
        scroll={{ x: "max-content" }}
        expandable={{
          fixed: "left",
          rowExpandable: (u) => u.contacts.length > 0 || u.invites.length > 0,
          expandedRowRender: (u) => (
            <Space orientation="vertical" style={{ width: "100%" }}>
              {u.contacts.length > 0 && (
                <Table
                  size="small"
                  rowKey="id"
                  pagination={false}
                  dataSource={u.contacts}
                  columns={[
                    { title: t("身份", "Role"), dataIndex: "role", render: (r: string) => (r === "head" ? t("一把手", "Head") : t("联络员", "Liaison")) },
                    { title: t("姓名", "Name"), render: (_: unknown, c) => c.name ?? c.telegramName ?? "—" },
                    {
                      title: t("渠道", "Channels"),
                      render: (_: unknown, c) =>
                        c.channels.length === 0 ? (
                          "—"
                        ) : (
                          <Space size={4} data-testid="contact-channels">
                            {c.channels.map((ch) => (
                              <Tag key={ch} color={CHANNEL_COLOR[ch]}>
                                {channelName(ch)}
                                {ch === "telegram" && c.telegramName ? ` · ${c.telegramName}` : ""}
                              </Tag>
                            ))}
                          </Space>
                        ),
                    },
                    { title: t("状态", "Reachability"), dataIndex: "reachability", render: reachTag },
                    { title: t("送达情况", "Delivery"), render: (_: unknown, c) => <span data-testid="contact-delivery">{deliveryText(c.delivery)}</span> },
                    { title: t("加入时间", "Joined"), dataIndex: "createdAt", render: (v: string) => fmtDateTime(v) },
                    {
                      title: t("操作", "Actions"),
                      render: (_: unknown, c) =>
                        canEdit && c.reachability !== "revoked" ? (
                          <Space>
                            <Popconfirm title={t("移除后不再向此人发送提醒，确定？", "Stop all reminders to this person?")} onConfirm={() => revokeContact.mutate({ contactId: c.id })}>
                              <Button size="small" danger>
                                {t("移除", "Remove")}
                              </Button>
                            </Popconfirm>
                            <Button size="small" onClick={() => setInviteFor({ id: u.id, name: u.name })}>
                              {t("重新邀请", "Re-invite")}
                            </Button>
                          </Space>
                        ) : null,
                    },
                  ]}
                />
              )}
              {u.invites.length > 0 && (
                <Table
                  size="small"
                  rowKey="id"
                  pagination={false}
                  title={() => t("未使用的邀请", "Open invites")}
                  dataSource={u.invites}
                  columns={[
                    { title: t("身份", "Role"), dataIndex: "role", render: (r: string) => (r === "head" ? t("一把手", "Head") : t("联络员", "Liaison")) },
                    { title: t("姓名", "Name"), dataIndex: "name", render: (v: string | null) => v ?? "—" },
                    { title: t("创建", "Created"), dataIndex: "createdAt", render: (v: string) => fmtDateTime(v) },
                    { title: t("过期", "Expires"), dataIndex: "expiresAt", render: (v: string) => fmtDateTime(v) },
                    {
                      title: t("操作", "Actions"),
                      render: (_: unknown, i) =>
                        canEdit ? (
                          <Popconfirm title={t("作废此邀请链接？", "Revoke this invite link?")} onConfirm={() => revokeInvite.mutate({ inviteId: i.id })}>
                            <Button size="small" danger>
                              {t("作废", "Revoke")}
                            </Button>
                          </Popconfirm>
                        ) : null,
                    },
                  ]}
                />
              )}
            </Space>
          ),
        }}
        columns={[
          {
            title: t("单位", "Unit"),
            dataIndex: "name",
            fixed: "left",
            // Narrow enough to leave a phone room for the rest of the row: long names wrap.
            width: 170,
            onCell: () => ({ style: { whiteSpace: "normal" } }),
            render: (name: string, u) => (
              <Space wrap size={4}>
                <Link to={`/units/${u.id}`} data-testid={`unit-link-${u.id}`}>
                  {name}
                </Link>
                {u.collective && <Tag color="purple">{t(`含 ${u.memberCount} 个成员单位`, `${u.memberCount} member units`)}</Tag>}
              </Space>
            ),
          },
          {
            title: (
              <span>
                {t("承担任务", "Tasks")} <Tag color="red" style={{ marginInlineStart: 8 }}>{t("牵头", "lead")}</Tag>
                <Tag>{t("配合", "support")}</Tag>
              </span>
            ),
            // Task numbers repeat across plans: with several plans, each tag names its plan.
            render: (_: unknown, u) => {
              const severalPlans = new Set(u.tasks.map((task) => task.planId)).size > 1;
              return u.tasks.map((task) => (
                <Tooltip key={task.taskId} title={`《${task.planShortTitle}》${t("任务", "Task")}${task.number}${task.role === "lead" ? t("（牵头）", " (lead)") : t("（配合）", " (support)")}`}>
                  <Tag color={task.role === "lead" ? "red" : undefined}>{severalPlans ? `${task.planShortTitle}·${task.number}` : task.number}</Tag>
                </Tooltip>
              ));
            },
          },
          { title: t("联络情况", "Reachability"), dataIndex: "reachability", render: reachTag },
          { title: t("联系人", "Contacts"), render: (_: unknown, u) => u.contacts.filter((c) => c.reachability !== "revoked").length },
          {
            title: t("操作", "Actions"),
            render: (_: unknown, u) =>
              canEdit ? (
                <Space size={4}>
                  {!u.collective && (
                    <Button size="small" icon={<UserAddOutlined />} onClick={() => setInviteFor({ id: u.id, name: u.name })} data-testid={`invite-${u.id}`}>
                      {t("邀请", "Invite")}
                    </Button>
                  )}
                  <Button size="small" type="link" onClick={() => setRenaming({ id: u.id, name: u.name })} data-testid={`rename-unit-${u.id}`}>
                    {t("改名", "Rename")}
                  </Button>
                  <Button size="small" type="link" onClick={() => setMerging({ id: u.id, name: u.name, into: null })} data-testid={`merge-unit-${u.id}`}>
                    {t("合并到…", "Merge into…")}
                  </Button>
                </Space>
              ) : null,
          },
        ]}
      />
      <InviteModal unit={inviteFor} onClose={() => setInviteFor(null)} />
      {renaming && (
        <Modal
          open
          title={`${t("单位改名", "Rename unit")}${t("：", ": ")}${renaming.name}`}
          confirmLoading={rename.isPending}
          okButtonProps={{ disabled: !renaming.name.trim(), ...({ "data-testid": "confirm-rename-unit" } as Record<`data-${string}`, string>) }}
          onOk={() => rename.mutate({ unitId: renaming.id, name: renaming.name })}
          onCancel={() => setRenaming(null)}
        >
          <Input value={renaming.name} maxLength={100} onChange={(e) => setRenaming({ ...renaming, name: e.target.value })} data-testid="rename-unit-input" />
        </Modal>
      )}
      {merging && (
        <Modal
          open
          title={`${t("合并单位", "Merge unit")}${t("：", ": ")}${merging.name}`}
          okText={t("合并", "Merge")}
          okButtonProps={{ danger: true, disabled: merging.into === null }}
          confirmLoading={merge.isPending}
          onOk={() => merging.into !== null && merge.mutate({ unitId: merging.id, intoUnitId: merging.into })}
          onCancel={() => setMerging(null)}
        >
          <Typography.Paragraph>
            {t(
              "同一单位的两个名称：把本单位并入所选单位。联络员、任务、报送、进展记录和提醒都转到所选单位，本单位随后删除。",
              "Two names for one body: this unit is folded into the one you pick. Liaisons, tasks, submissions, history and reminders move to it; this unit is then deleted.",
            )}
          </Typography.Paragraph>
          <Select
            showSearch
            style={{ width: "100%" }}
            optionFilterProp="label"
            value={merging.into}
            onChange={(into: number) => setMerging({ ...merging, into })}
            options={(units.data ?? []).filter((x) => x.id !== merging.id).map((x) => ({ value: x.id, label: x.name }))}
            placeholder={t("并入哪个单位", "Merge into")}
          />
        </Modal>
      )}
    </Space>
  );
}
