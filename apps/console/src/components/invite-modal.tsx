import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Alert, Button, Form, Image, Input, Modal, Radio, Space, Typography } from "antd";
import QRCode from "qrcode";
import { useEffect, useState } from "react";
import { fmtDateTime } from "../format.ts";
import { useT } from "../i18n.tsx";
import { useErrorMessage, useTRPC } from "../trpc.ts";
import { useChannelName } from "./channels.tsx";

type Channel = "telegram" | "wecom" | "dingtalk" | "feishu";

/** What the member does to join, per channel: Telegram opens the link; the others send the code to the app. */
function useJoinSteps(): (channel: Channel) => string {
  const t = useT();
  return (channel) =>
    ({
      telegram: t("请对方用 Telegram 打开链接或扫码，点击“开始”。", "Ask them to open the link in Telegram (or scan the code) and tap Start."),
      wecom: t("请对方在企业微信中打开督办应用，发送下面这句话（含邀请码）：", "Ask them to open the Duban app in WeCom and send this line (with the code):"),
      dingtalk: t("请对方在钉钉中向督办应用发送下面这句话（含邀请码）：", "Ask them to send this line (with the code) to the Duban app in DingTalk:"),
      feishu: t("请对方在飞书中向督办应用发送下面这句话（含邀请码）：", "Ask them to send this line (with the code) to the Duban app in Feishu:"),
    })[channel];
}

/** With a link (PUBLIC_URL set): the member scans or opens it in the platform's app and is bound at once. */
function useLinkSteps(): (channel: Exclude<Channel, "telegram">) => { open: string; fallback: string } {
  const t = useT();
  return (channel) =>
    ({
      wecom: {
        open: t("请对方用企业微信扫码，或在企业微信中打开链接，即可绑定。", "Ask them to scan the code with WeCom, or open the link in WeCom: that binds them."),
        fallback: t("也可以在企业微信中向督办应用发送这句话：", "Or they can send this line to the Duban app in WeCom:"),
      },
      dingtalk: {
        open: t("请对方用钉钉扫码，或在钉钉中打开链接并同意授权，即可绑定。", "Ask them to scan the code with DingTalk, or open the link in DingTalk and agree: that binds them."),
        fallback: t("也可以在钉钉中向督办应用发送这句话：", "Or they can send this line to the Duban app in DingTalk:"),
      },
      feishu: {
        open: t("请对方用飞书扫码，或在飞书中打开链接，即可绑定。", "Ask them to scan the code with Feishu, or open the link in Feishu: that binds them."),
        fallback: t("也可以在飞书中向督办应用发送这句话：", "Or they can send this line to the Duban app in Feishu:"),
      },
    })[channel];
}

export function InviteModal({ unit, onClose }: { unit: { id: number; name: string } | null; onClose: () => void }) {
  const errorMessage = useErrorMessage();
  const t = useT();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<{ role: "liaison" | "head"; name?: string; channel: Channel }>();
  const channelName = useChannelName();
  const joinSteps = useJoinSteps();
  const linkSteps = useLinkSteps();
  const channels = useQuery(trpc.units.inviteChannels.queryOptions(undefined, { enabled: unit !== null }));
  const offered = channels.data ?? [];
  const [qr, setQr] = useState<string | null>(null);
  const create = useMutation(
    trpc.units.createInvite.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.units.list.queryKey() }),
    }),
  );
  const link = create.data?.link ?? null;
  const bindText = create.data?.bindText ?? null;
  const loginChannel = create.data && create.data.channel !== "telegram" && link ? create.data.channel : null;

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
    <Modal open={unit !== null} title={`${t("邀请", "Invite to")} ${unit?.name ?? ""}`} onCancel={close} footer={create.data ? <Button onClick={close}>{t("完成", "Done")}</Button> : undefined} onOk={() => form.submit()} okText={t("生成邀请", "Create invite")} confirmLoading={create.isPending} destroyOnHidden>
      {create.data ? (
        <Space orientation="vertical" align="center" style={{ width: "100%" }} data-testid="invite-result">
          <Alert type="success" showIcon title={t("邀请只显示这一次，请现在发给对方。", "The invite is shown only now: send it to them.")} />
          <Typography.Text data-testid="invite-steps">{loginChannel ? linkSteps(loginChannel).open : joinSteps(create.data.channel)}</Typography.Text>
          {bindText && !loginChannel && (
            <Typography.Paragraph copyable={{ text: bindText }} code data-testid="invite-bind-text" style={{ wordBreak: "break-all", fontSize: 16 }}>
              {bindText}
            </Typography.Paragraph>
          )}
          {qr && <Image src={qr} alt={t("邀请二维码", "Invite QR code")} width={240} preview={false} data-testid="invite-qr" />}
          {link && (
            <Typography.Paragraph copyable={{ text: link }} data-testid="invite-link" style={{ wordBreak: "break-all" }}>
              {link}
            </Typography.Paragraph>
          )}
          {bindText && loginChannel && (
            <>
              <Typography.Text type="secondary" data-testid="invite-fallback">{linkSteps(loginChannel).fallback}</Typography.Text>
              <Typography.Paragraph copyable={{ text: bindText }} code data-testid="invite-bind-text" style={{ wordBreak: "break-all" }}>
                {bindText}
              </Typography.Paragraph>
            </>
          )}
          {create.data.linkMissing === "public-url" && (
            <Alert
              type="info"
              showIcon
              data-testid="invite-no-link"
              title={t(
                "未设置服务器的公网地址（PUBLIC_URL），因此没有扫码绑定的链接：请对方发送上面这句话。",
                "The server's public address (PUBLIC_URL) is not set, so there is no link to scan: ask them to send the line above.",
              )}
            />
          )}
          <Typography.Text type="secondary">
            {t("有效期至", "Valid until")} {fmtDateTime(create.data?.expiresAt)}
          </Typography.Text>
        </Space>
      ) : (
        <Form form={form} layout="vertical" initialValues={{ role: "liaison" }} onFinish={(v) => unit && create.mutate({ unitId: unit.id, role: v.role, name: v.name?.trim() || null, channel: v.channel })}>
          {create.isError && <Alert type="error" showIcon title={errorMessage(create.error)} style={{ marginBottom: 12 }} />}
          {channels.isSuccess && offered.length === 0 && (
            <Alert type="warning" showIcon style={{ marginBottom: 12 }} title={t("本实例尚未配置任何聊天渠道（Telegram、企业微信……），暂时无法邀请。", "No chat channel (Telegram, WeCom…) is configured in this instance: invites cannot be used yet.")} />
          )}
          {offered.length > 0 && (
            <Form.Item name="channel" label={t("对方使用的渠道", "Where they will join")} initialValue={offered.includes("telegram") ? "telegram" : offered[0]}>
              <Radio.Group data-testid="invite-channel" options={offered.map((c) => ({ value: c, label: channelName(c) }))} />
            </Form.Item>
          )}
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
          <Typography.Text type="secondary">{t("邀请一次有效，默认 14 天过期；同一人被重新邀请会转到新单位。", "Single use, expires in 14 days by default; re-inviting a person moves them.")}</Typography.Text>
        </Form>
      )}
    </Modal>
  );
}
