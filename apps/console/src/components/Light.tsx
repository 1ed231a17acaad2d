import { useT } from "../i18n.tsx";

export type LightValue = "red" | "yellow" | "green";

export const LIGHT_COLOR: Record<LightValue, string> = { red: "#cf1322", yellow: "#faad14", green: "#389e0d" };

export function useLightLabel() {
  const t = useT();
  return (light: LightValue) => ({ red: t("红灯·逾期", "Red · overdue"), yellow: t("黄灯·临近或有困难", "Yellow · due soon or blocked"), green: t("绿灯·正常", "Green · on track") })[light];
}

export function LightDot({ light, text }: { light: LightValue; text?: string }) {
  const label = useLightLabel();
  return (
    <span title={label(light)} style={{ display: "inline-flex", alignItems: "center", gap: 6 }} data-light={light}>
      <span style={{ width: 8, height: 8, borderRadius: 4, background: LIGHT_COLOR[light], display: "inline-block" }} aria-label={label(light)} />
      {text}
    </span>
  );
}
