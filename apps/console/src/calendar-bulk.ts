/** "2027-01-01 holiday 元旦" or "2027-02-07 调休" per line: the State Council notice, typed in. */
export function parseBulk(text: string): { days: { date: string; kind: "holiday" | "workday"; name: string | null }[]; errors: string[] } {
  const days: { date: string; kind: "holiday" | "workday"; name: string | null }[] = [];
  const errors: string[] = [];
  for (const [i, raw] of text.split(/\r?\n/).entries()) {
    const line = raw.trim();
    if (!line) continue;
    const m = /^(\d{4}-\d{2}-\d{2})\s+(\S+)(?:\s+(.+))?$/.exec(line);
    const kindWord = m?.[2] ?? "";
    const kind = /^(holiday|休|放假|假)/i.test(kindWord) ? "holiday" : /^(workday|班|上班|调休)/i.test(kindWord) ? "workday" : null;
    if (!m || !kind) {
      errors.push(`${i + 1}: ${line}`);
      continue;
    }
    days.push({ date: m[1] ?? "", kind, name: m[3]?.trim() || null });
  }
  return { days, errors };
}
