/**
 * A plan's title short enough for a bot message or a header switcher: the document's own
 * boilerplate (印发…的通知, 关于, 实施方案/工作方案) dropped, at most `max` characters.
 */
export function shortPlanTitle(title: string, max = 16): string {
  let short = title.trim().replace(/\s+/g, "");
  short = short.replace(/^关于印发/, "").replace(/的通知$/, "");
  short = short.replace(/^关于/, "");
  short = short.replace(/^《(.*)》$/, "$1");
  const core = short.replace(/(的)?(实施方案|工作方案|行动方案|方案)$/, "");
  if (core.length >= 4) short = core;
  return short.length > max ? `${short.slice(0, max - 1)}…` : short || title.slice(0, max);
}
