import { CheckCircleOutlined, PaperClipOutlined } from "@ant-design/icons";
import { Empty, Space, Tag, Timeline, Typography } from "antd";
import { fmtDateTime, periodText, statusText } from "../format.ts";
import { useLang, useT } from "../i18n.tsx";
import type { Outputs } from "../trpc.ts";

type HistoryItem = Outputs["tasks"]["get"]["history"][number];

const STATUS_COLOR: Record<string, string> = { done: "green", in_progress: "blue", blocked: "orange", not_started: "default" };

/** Replies as sent: notes are plain text (React escapes them), attachments as links (fetched from Telegram by the server). */
export function StatusHistory({ items, showUnit = true }: { items: HistoryItem[]; showUnit?: boolean }) {
  const t = useT();
  const { lang } = useLang();
  if (items.length === 0) return <Empty description={t("暂无报送记录", "No reports yet")} />;
  return (
    <Timeline
      items={items.map((item) => ({
        color: STATUS_COLOR[item.status] === "default" ? "gray" : STATUS_COLOR[item.status],
        content: (
          <div data-testid="status-history-item">
            <Space wrap size={4}>
              <Typography.Text type="secondary">{fmtDateTime(item.at)}</Typography.Text>
              {showUnit && <Typography.Text strong>{item.unit.name}</Typography.Text>}
              <Tag color={STATUS_COLOR[item.status] ?? "default"}>{statusText(item.status, lang)}</Tag>
              {item.progress !== null && <Tag>{item.progress}%</Tag>}
              {item.periodKey && <Tag bordered={false}>{periodText(item.periodKey, lang)}</Tag>}
              <Typography.Text type="secondary">
                {item.byOffice
                  ? `${t("办公室代为填报", "entered by the office")}${item.officeUser ? `（${item.officeUser}）` : ""}`
                  : (item.contact?.name ?? t("联络员", "liaison"))}
              </Typography.Text>
            </Space>
            {item.values.length > 0 && (
              <div>
                {item.values.map((v) => (
                  <Tag key={v.indicatorId} color="purple">
                    {v.name} {v.value}
                    {v.measureUnit ?? ""}
                  </Tag>
                ))}
              </div>
            )}
            {item.note && (
              <Typography.Paragraph style={{ whiteSpace: "pre-wrap", margin: "4px 0" }} data-testid="status-note">
                {item.note}
              </Typography.Paragraph>
            )}
            {item.coordinatedAt && (
              <div style={{ background: "#f6ffed", border: "1px solid #b7eb8f", borderRadius: 4, padding: "4px 8px", marginTop: 4 }} data-testid="status-coordinated">
                <CheckCircleOutlined style={{ color: "#389e0d" }} /> {t("办公室已协调", "Coordinated by the office")}（{item.coordinatedBy ? `${item.coordinatedBy}，` : ""}
                {fmtDateTime(item.coordinatedAt)}）：
                <span style={{ whiteSpace: "pre-wrap" }}>{item.coordinationNote}</span>
              </div>
            )}
            {item.attachments.map((a) => (
              <div key={a.id}>
                <PaperClipOutlined />{" "}
                <a href={`/files/attachments/${a.id}`} target="_blank" rel="noopener noreferrer" data-testid="attachment-link">
                  {a.fileName ?? (a.kind === "photo" ? t("照片", "Photo") : t("文件", "File"))}
                </a>
                {a.size ? <Typography.Text type="secondary"> ({Math.ceil(a.size / 1024)} KB)</Typography.Text> : null}
              </div>
            ))}
          </div>
        ),
      }))}
    />
  );
}
