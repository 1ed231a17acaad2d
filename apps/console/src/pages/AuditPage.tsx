import { useQuery } from "@tanstack/react-query";
import { Alert, Input, Select, Space, Table, Tag, Typography } from "antd";
import { useState } from "react";
import { fmtDateTime } from "../format.ts";
import { useT } from "../i18n.tsx";
import { errorMessage, type Outputs, useTRPC } from "../trpc.ts";

type Item = Outputs["audit"]["list"]["items"][number];

export default function AuditPage() {
  const t = useT();
  const trpc = useTRPC();
  const [page, setPage] = useState(1);
  const [action, setAction] = useState<string | null>(null);
  const [actorType, setActorType] = useState<"user" | "contact" | "system" | null>(null);
  const audit = useQuery(trpc.audit.list.queryOptions({ page, pageSize: 50, action, actorType }, { placeholderData: (prev) => prev }));

  return (
    <Space orientation="vertical" size="middle" style={{ width: "100%" }}>
      <Typography.Title level={3} style={{ margin: 0 }}>
        {t("审计日志", "Audit log")}
      </Typography.Title>
      <Space>
        <Input.Search allowClear placeholder={t("操作前缀，如 deadline", "Action prefix, e.g. deadline")} onSearch={(v) => (setAction(v.trim() || null), setPage(1))} style={{ width: 260 }} />
        <Select
          allowClear
          placeholder={t("操作者类型", "Actor type")}
          style={{ width: 160 }}
          value={actorType ?? undefined}
          onChange={(v) => (setActorType(v ?? null), setPage(1))}
          options={[
            { value: "user", label: t("办公室用户", "Office user") },
            { value: "contact", label: t("联络员", "Liaison") },
            { value: "system", label: t("系统", "System") },
          ]}
        />
      </Space>
      {audit.isError && <Alert type="error" showIcon title={errorMessage(audit.error)} />}
      <Table<Item>
        rowKey="id"
        size="small"
        loading={audit.isFetching}
        dataSource={audit.data?.items ?? []}
        pagination={{ current: page, pageSize: 50, total: audit.data?.total ?? 0, onChange: setPage, showSizeChanger: false }}
        columns={[
          { title: t("时间", "When"), dataIndex: "at", render: (v: string) => fmtDateTime(v), width: 150 },
          { title: t("操作者", "Who"), render: (_: unknown, r) => <Space size={4}><Tag>{r.actorType}</Tag>{r.actor ?? ""}</Space>, width: 220 },
          { title: t("操作", "Action"), dataIndex: "action", render: (v: string) => <Typography.Text code>{v}</Typography.Text> },
          { title: t("对象", "Entity"), render: (_: unknown, r) => `${r.entity}${r.entityId ? ` #${r.entityId}` : ""}` },
          {
            title: t("详情", "Detail"),
            dataIndex: "detail",
            ellipsis: true,
            render: (v: string | null) => (v ? <Typography.Text style={{ fontSize: 12 }} title={v}>{v}</Typography.Text> : "—"),
          },
        ]}
      />
    </Space>
  );
}
