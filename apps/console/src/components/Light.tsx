import { Badge } from "antd";
import { useT } from "../i18n.tsx";

export type LightValue = "red" | "yellow" | "green";

export const LIGHT_COLOR: Record<LightValue, string> = { red: "#cf1322", yellow: "#faad14", green: "#389e0d" };

export function useLightLabel() {
  const t = useT();
  return (light: LightValue) => ({ red: t("红灯·逾期", "Red · overdue"), yellow: t("黄灯·临近或有困难", "Yellow · due soon or blocked"), green: t("绿灯·正常", "Green · on track") })[light];
}

export function LightDot({ light, text }: { light: LightValue; text?: string }) {
  const label = useLightLabel();
  return <Badge color={LIGHT_COLOR[light]} text={text} title={label(light)} />;
}
