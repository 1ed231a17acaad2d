import { useT } from "../i18n.tsx";

export type LightValue = "red" | "yellow" | "green";

export const LIGHT_COLOR: Record<LightValue, string> = { red: "#cf1322", yellow: "#faad14", green: "#389e0d" };

export function useLightLabel() {
  const t = useT();
  return (light: LightValue) => ({ red: t("红灯·逾期未报", "Red · overdue"), yellow: t("黄灯·临期或有困难", "Yellow · due soon or blocked"), green: t("绿灯·正常", "Green · on track") })[light];
}

/** A light with its meaning spelled out beside it ("红灯·逾期未报"), unless `text` says otherwise. */
export function LightDot({ light, text, size = 10 }: { light: LightValue; text?: string; size?: number }) {
  const label = useLightLabel();
  return (
    <span title={label(light)} style={{ display: "inline-flex", alignItems: "center", gap: 6, whiteSpace: "nowrap" }} data-light={light}>
      <span style={{ width: size, height: size, borderRadius: size / 2, background: LIGHT_COLOR[light], display: "inline-block", flex: "none" }} aria-label={label(light)} />
      {text ?? label(light)}
    </span>
  );
}
