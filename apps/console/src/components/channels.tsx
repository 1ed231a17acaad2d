import { useT } from "../i18n.tsx";

/** Where a contact is reached, as the office names it. */
export const CHANNEL_COLOR: Record<string, string> = { telegram: "blue", wecom: "green", dingtalk: "geekblue", feishu: "cyan" };

export function useChannelName(): (channel: string) => string {
  const t = useT();
  const names: Record<string, string> = { telegram: "Telegram", wecom: t("企业微信", "WeCom"), dingtalk: t("钉钉", "DingTalk"), feishu: t("飞书", "Feishu") };
  return (channel) => names[channel] ?? channel;
}
