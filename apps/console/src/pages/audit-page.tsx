import { useQuery } from "@tanstack/react-query";
import { Alert, Select, Space, Table, Tag, Typography } from "antd";
import { useState } from "react";
import { AUDIT_ACTIONS, AUDIT_ACTORS, AUDIT_ENTITIES, auditDetailText } from "../audit-text.ts";
import { fmtDateTime } from "../format.ts";
import { useLang, useT } from "../i18n.tsx";
import { useErrorMessage, type Outputs, useTRPC } from "../trpc.ts";

type Item = Outputs["audit"]["list"]["items"][number];

export default function AuditPage() {
  const errorMessage = useErrorMessage();
  const t = useT();
  const trpc = useTRPC();
  const { lang } = useLang();
  const words = (map: Record<string, [string, string]>, key: string) => map[key]?.[lang === "en" ? 1 : 0] ?? key;
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
        <Select
          allowClear
          showSearch={{ optionFilterProp: "label" }}
          placeholder={t("按操作筛选", "Filter by action")}
          style={{ width: 240 }}
          value={action ?? undefined}
          onChange={(v) => (setAction(v ?? null), setPage(1))}
          options={Object.entries(AUDIT_ACTIONS).map(([value, label]) => ({ value, label: lang === "en" ? label[1] : label[0] }))}
          data-testid="audit-action-filter"
        />
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
          {
            title: t("操作者", "Who"),
            width: 280,
            render: (_: unknown, r) => (
              <Space size={4}>
                <Tag color={r.actorType === "user" ? "blue" : r.actorType === "contact" ? "green" : "default"}>{words(AUDIT_ACTORS, r.actorType)}</Tag>
                {r.actor ?? ""}
              </Space>
            ),
          },
          {
            title: t("操作", "Action"),
            dataIndex: "action",
            width: 200,
            render: (v: string) => (
              <span title={v}>
                {words(AUDIT_ACTIONS, v)} <Typography.Text type="secondary" style={{ fontSize: 11 }}>{v}</Typography.Text>
              </span>
            ),
          },
          { title: t("对象", "Entity"), width: 150, render: (_: unknown, r) => `${words(AUDIT_ENTITIES, r.entity)}${r.entityId ? ` #${r.entityId}` : ""}` },
          {
            title: t("详情", "Detail"),
            dataIndex: "detail",
            ellipsis: { showTitle: false },
            render: (v: string | null) => {
              const text = auditDetailText(v, lang);
              return (
                <Typography.Text style={{ fontSize: 12 }} title={text}>
                  {text}
                </Typography.Text>
              );
            },
          },
        ]}
      />
    </Space>
  );
}
