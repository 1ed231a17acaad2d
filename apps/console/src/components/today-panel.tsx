import { useQuery } from "@tanstack/react-query";
import { CloseOutlined } from "@ant-design/icons";
import { Button, Card, Col, Empty, List, Row, Space, Tag, Typography } from "antd";
import { Link } from "react-router";
import { fmtDateTime, periodText, statusText } from "../format.ts";
import { useLang, useT } from "../i18n.tsx";
import { useTRPC } from "../trpc.ts";

/**
 * 今日: shown above the first page after sign-in (and from the header's bell): what falls due this
 * week and what came in since the user's previous visit, with links to the task and the queue.
 * Inline, not an overlay: it never stands between the user and the page.
 */
export default function TodayPanel({ since, onClose }: { since: string | null; onClose: () => void }) {
  const t = useT();
  const { lang } = useLang();
  const trpc = useTRPC();
  const alerts = useQuery(trpc.alerts.get.queryOptions({ since }));
  const data = alerts.data;
  return (
    <Card
      size="small"
      title={t("今日", "Today")}
      extra={<Button size="small" type="text" icon={<CloseOutlined />} onClick={onClose} aria-label={t("关闭", "Close")} data-testid="close-today" />}
      style={{ marginBottom: 16 }}
      data-testid="today-panel"
      loading={alerts.isPending}
    >
      {data && (
        <Space orientation="vertical" size="middle" style={{ width: "100%" }}>
          <Space wrap>
            <Link to="/extensions">
              <Tag color={data.counts.extensionsAndBlockers ? "gold" : "default"} data-testid="today-queue">
                {t("延期与协调待处理", "Extensions & blockers waiting")} {data.counts.extensionsAndBlockers}
              </Tag>
            </Link>
            <Link to="/?light=red">
              <Tag color={data.counts.redCells ? "red" : "default"} data-testid="today-red">
                {t("逾期未报", "Overdue")} {data.counts.redCells}
              </Tag>
            </Link>
            <Link to="/units">
              <Tag color={data.counts.unreachableContacts ? "volcano" : "default"} data-testid="today-unreachable">
                {t("无法送达的联络人", "Unreachable contacts")} {data.counts.unreachableContacts}
              </Tag>
            </Link>
          </Space>
          <Row gutter={[24, 8]}>
          <Col xs={24} lg={data.sinceLastVisit ? 12 : 24}>
            <Typography.Text strong>{t("本周到期", "Due this week")}</Typography.Text>
            <List
              size="small"
              data-testid="today-due"
              locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("本周没有到期事项", "Nothing falls due this week")} /> }}
              dataSource={data.dueThisWeek}
              renderItem={(item) => (
                <List.Item>
                  <Link to={`/tasks/${item.taskId}`}>
                    {item.number}. {item.title}
                  </Link>
                  <span>
                    {periodText(item.periodKey, lang)} · {fmtDateTime(item.dueAt)} · {t(`${item.owed} 个单位未报`, `${item.owed} units owe it`)}
                  </span>
                </List.Item>
              )}
            />
          </Col>
          {data.sinceLastVisit && (
            <Col xs={24} lg={12}>
              <Typography.Text strong>
                {t("上次访问以来", "Since your last visit")} <small>（{fmtDateTime(data.sinceLastVisit.since)}）</small>
              </Typography.Text>
              <Typography.Paragraph data-testid="today-since">
                {t(
                  `新收到进展 ${data.sinceLastVisit.reports} 条，延期申请 ${data.sinceLastVisit.extensionRequests} 件。`,
                  `${data.sinceLastVisit.reports} new reports, ${data.sinceLastVisit.extensionRequests} extension requests.`,
                )}
              </Typography.Paragraph>
              <List
                size="small"
                dataSource={data.sinceLastVisit.recent}
                renderItem={(r) => (
                  <List.Item>
                    <span>
                      {r.unit.name} · <Link to={`/tasks/${r.task.id}`}>{r.task.number}</Link> · {statusText(r.status, lang)}
                      {r.progress !== null ? ` ${r.progress}%` : ""}
                      {r.note ? ` · ${r.note}` : ""}
                    </span>
                    <span className="board-muted">{fmtDateTime(r.createdAt)}</span>
                  </List.Item>
                )}
              />
            </Col>
          )}
          </Row>
        </Space>
      )}
    </Card>
  );
}
