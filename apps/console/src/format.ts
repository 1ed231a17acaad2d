/** Shanghai wall-clock formatting, whatever the browser's time zone. */
const dateTime = new Intl.DateTimeFormat("sv-SE", {
  timeZone: "Asia/Shanghai",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  hour12: false,
});
const dateOnly = new Intl.DateTimeFormat("sv-SE", { timeZone: "Asia/Shanghai", year: "numeric", month: "2-digit", day: "2-digit" });

export function fmtDateTime(value: string | Date | null | undefined): string {
  if (!value) return "—";
  return dateTime.format(new Date(value));
}

export function fmtDate(value: string | Date | null | undefined): string {
  if (!value) return "—";
  return dateOnly.format(new Date(value));
}

export const STATUS_ZH: Record<string, string> = { not_started: "未开始", in_progress: "推进中", done: "已完成", blocked: "有困难" };
export const STATUS_EN: Record<string, string> = { not_started: "Not started", in_progress: "In progress", done: "Done", blocked: "Blocked" };

export function statusText(status: string | null | undefined, lang: "zh" | "en"): string {
  if (!status) return lang === "en" ? "No report" : "未报";
  return (lang === "en" ? STATUS_EN : STATUS_ZH)[status] ?? status;
}

export function downloadBase64(file: { fileName: string; mimeType: string; base64: string }): void {
  const bytes = Uint8Array.from(atob(file.base64), (c) => c.charCodeAt(0));
  const url = URL.createObjectURL(new Blob([bytes], { type: file.mimeType }));
  const a = document.createElement("a");
  a.href = url;
  a.download = file.fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
