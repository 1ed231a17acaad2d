import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Alert, Button, Form, Image, Input, Modal, Radio, Space, Typography } from "antd";
import QRCode from "qrcode";
import { useEffect, useState } from "react";
import { fmtDateTime } from "../format.ts";
import { useT } from "../i18n.tsx";
import { useErrorMessage, useTRPC } from "../trpc.ts";

export function InviteModal({ unit, onClose }: { unit: { id: number; name: string } | null; onClose: () => void }) {
  const errorMessage = useErrorMessage();
  const t = useT();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<{ role: "liaison" | "head"; name?: string }>();
  const [qr, setQr] = useState<string | null>(null);
  const create = useMutation(
    trpc.units.createInvite.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.units.list.queryKey() }),
    }),
  );
  const link = create.data?.link ?? null;

  useEffect(() => {
    if (!link) return setQr(null);
    let live = true;
    QRCode.toDataURL(link, { width: 240, margin: 1, errorCorrectionLevel: "M" }).then((url) => live && setQr(url));
    return () => {
      live = false;
    };
  }, [link]);

  const close = () => {
    create.reset();
    form.resetFields();
    onClose();
  };

  return (
    <Modal open={unit !== null} title={`${t("邀请", "Invite to")} ${unit?.name ?? ""}`} onCancel={close} footer={link ? <Button onClick={close}>{t("完成", "Done")}</Button> : undefined} onOk={() => form.submit()} okText={t("生成邀请链接", "Create invite link")} confirmLoading={create.isPending} destroyOnHidden>
      {link ? (
        <Space orientation="vertical" align="center" style={{ width: "100%" }}>
          <Alert type="success" showIcon title={t("邀请链接只显示这一次，请现在发送给对方或让其扫码。", "The link is shown only now: send it or let them scan the code.")} />
          {qr && <Image src={qr} alt={t("邀请二维码", "Invite QR code")} width={240} preview={false} data-testid="invite-qr" />}
          <Typography.Paragraph copyable={{ text: link }} data-testid="invite-link" style={{ wordBreak: "break-all" }}>
            {link}
          </Typography.Paragraph>
          <Typography.Text type="secondary">
            {t("有效期至", "Valid until")} {fmtDateTime(create.data?.expiresAt)}
          </Typography.Text>
        </Space>
      ) : (
        <Form form={form} layout="vertical" initialValues={{ role: "liaison" }} onFinish={(v) => unit && create.mutate({ unitId: unit.id, role: v.role, name: v.name?.trim() || null })}>
          {create.isError && <Alert type="error" showIcon title={errorMessage(create.error)} style={{ marginBottom: 12 }} />}
          <Form.Item name="role" label={t("身份", "Role")}>
            <Radio.Group
              options={[
                { value: "liaison", label: t("联络员", "Liaison") },
                { value: "head", label: t("一把手", "Unit head") },
              ]}
            />
          </Form.Item>
          <Form.Item name="name" label={t("姓名（可选）", "Name (optional)")}>
            <Input maxLength={50} />
          </Form.Item>
          <Typography.Text type="secondary">{t("链接一次有效，默认 14 天过期；同一人被重新邀请会转到新单位。", "Single use, expires in 14 days by default; re-inviting a person moves them.")}</Typography.Text>
        </Form>
      )}
    </Modal>
  );
}
