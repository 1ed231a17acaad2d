import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Alert, App, Button, Card, DatePicker, Form, Input, InputNumber, Popconfirm, Radio, Space, Table, Tag, Typography } from "antd";
import type { Dayjs } from "dayjs";
import { useState } from "react";
import { useT } from "../i18n.tsx";
import { useCanEdit } from "../session.tsx";
import { parseBulk } from "../calendar-bulk.ts";
import { useErrorMessage, type Outputs, useTRPC } from "../trpc.ts";

type Day = Outputs["calendar"]["year"]["days"][number];

export default function CalendarPage() {
  const errorMessage = useErrorMessage();
  const t = useT();
  const trpc = useTRPC();
  const canEdit = useCanEdit();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [year, setYear] = useState(() => new Date().getFullYear() + 1);
  const [bulk, setBulk] = useState("");
  const [form] = Form.useForm<{ date: Dayjs; kind: "holiday" | "workday"; name?: string }>();
  const calendar = useQuery(trpc.calendar.year.queryOptions({ year }));
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.calendar.pathKey() });
  const onError = (e: unknown) => message.error(errorMessage(e));
  const set = useMutation(trpc.calendar.set.mutationOptions({ onSuccess: () => (form.resetFields(), refresh()), onError }));
  const setMany = useMutation(trpc.calendar.setMany.mutationOptions({ onSuccess: (r) => (message.success(`${t("已保存", "Saved")} ${r.count}`), setBulk(""), refresh()), onError }));
  const remove = useMutation(trpc.calendar.remove.mutationOptions({ onSuccess: refresh, onError }));
  const parsed = parseBulk(bulk);

  return (
    <Space orientation="vertical" size="middle" style={{ width: "100%" }}>
      <Typography.Title level={3} style={{ margin: 0 }}>
        {t("日历：节假日与调休", "Calendar: holidays and make-up workdays")}
      </Typography.Title>
      <Space>
        <span>{t("年份", "Year")}</span>
        <InputNumber min={2000} max={2100} value={year} onChange={(v) => v && setYear(v)} />
        {calendar.data && (calendar.data.covered ? <Tag color="green">{calendar.data.libraryCovers ? t("已含国务院公布的安排", "State Council schedule included") : t("已由办公室录入", "Entered by the office")}</Tag> : <Tag color="red">{t("尚无该年节假日安排，仅按周末计算，请录入", "No holiday data for this year yet — weekends only; please enter it")}</Tag>)}
      </Space>
      {calendar.isError && <Alert type="error" showIcon title={errorMessage(calendar.error)} />}
      {canEdit && (
        <Card size="small" title={t("录入", "Enter")}>
          <Form form={form} layout="inline" initialValues={{ kind: "holiday" }} onFinish={(v) => set.mutate({ date: v.date.format("YYYY-MM-DD"), kind: v.kind, name: v.name?.trim() || null })}>
            <Form.Item name="date" rules={[{ required: true, message: t("请选择日期", "Pick a date") }]}>
              <DatePicker />
            </Form.Item>
            <Form.Item name="kind">
              <Radio.Group
                optionType="button"
                options={[
                  { value: "holiday", label: t("放假", "Holiday") },
                  { value: "workday", label: t("调休上班", "Make-up workday") },
                ]}
              />
            </Form.Item>
            <Form.Item name="name">
              <Input placeholder={t("名称，如 春节", "Name, e.g. Spring Festival")} maxLength={50} />
            </Form.Item>
            <Button htmlType="submit" type="primary" loading={set.isPending}>
              {t("保存", "Save")}
            </Button>
          </Form>
          <Typography.Paragraph type="secondary" style={{ marginTop: 16, marginBottom: 4 }}>
            {t("批量录入：每行「日期 放假|调休 名称」，如 2027-02-06 放假 春节", "Bulk: one line per day, \"date holiday|workday name\", e.g. 2027-02-06 holiday Spring Festival")}
          </Typography.Paragraph>
          <Input.TextArea rows={4} value={bulk} onChange={(e) => setBulk(e.target.value)} style={{ fontFamily: "monospace" }} />
          {parsed.errors.length > 0 && <Alert type="warning" showIcon title={`${t("无法识别的行", "Unreadable lines")}: ${parsed.errors.join("；")}`} style={{ marginTop: 8 }} />}
          <Button style={{ marginTop: 8 }} disabled={parsed.days.length === 0 || parsed.errors.length > 0} loading={setMany.isPending} onClick={() => setMany.mutate({ days: parsed.days })}>
            {t("批量保存", "Save all")} {parsed.days.length ? `(${parsed.days.length})` : ""}
          </Button>
        </Card>
      )}
      <Table<Day>
        rowKey="date"
        size="small"
        loading={calendar.isPending}
        dataSource={calendar.data?.days ?? []}
        pagination={false}
        locale={{ emptyText: t("该年份尚无节假日或调休安排，截止日按周末计算", "No holidays or make-up workdays for this year; deadlines count weekends only") }}
        columns={[
          { title: t("日期", "Date"), dataIndex: "date", width: 120 },
          { title: t("星期", "Weekday"), dataIndex: "date", width: 80, render: (d: string) => t("日一二三四五六", "SMTWTFS")[new Date(`${d}T00:00:00Z`).getUTCDay()] },
          { title: t("类型", "Kind"), dataIndex: "kind", render: (k: string) => (k === "holiday" ? <Tag color="red">{t("放假", "Holiday")}</Tag> : <Tag color="blue">{t("调休上班", "Make-up workday")}</Tag>) },
          { title: t("名称", "Name"), dataIndex: "name", render: (v: string | null) => v ?? "—" },
          { title: t("来源", "Source"), dataIndex: "source", render: (s: string) => (s === "override" ? <Tag color="purple">{t("办公室录入", "office")}</Tag> : t("国务院通知", "State Council")) },
          {
            title: t("操作", "Actions"),
            render: (_: unknown, d) =>
              canEdit && d.overrideId ? (
                <Popconfirm title={t("删除此项录入？", "Delete this entry?")} onConfirm={() => remove.mutate({ id: d.overrideId ?? 0 })}>
                  <Button size="small" danger>
                    {t("删除", "Delete")}
                  </Button>
                </Popconfirm>
              ) : null,
          },
        ]}
      />
    </Space>
  );
}
