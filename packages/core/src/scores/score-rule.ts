import type { Db } from "@duban/db/client";
import { DEFAULT_SCORE_RULE, scoreRuleSchema, type ScoreRule } from "@duban/domain/score";
import { writeAudit } from "../audit/audit.ts";

export const SCORE_RULE_KEY = "score-rule";

/** The office's 考核 rule: the stored one, else the default (also when the stored JSON no longer parses). */
export async function loadScoreRule(db: Db): Promise<ScoreRule> {
  const row = await db.setting.findUnique({ where: { key: SCORE_RULE_KEY } });
  if (!row) return DEFAULT_SCORE_RULE;
  try {
    const parsed = scoreRuleSchema.safeParse(JSON.parse(row.value));
    return parsed.success ? parsed.data : DEFAULT_SCORE_RULE;
  } catch {
    return DEFAULT_SCORE_RULE;
  }
}

/** Stores a new rule (validated) and audits the old and new values. */
export async function updateScoreRule(db: Db, input: { rule: ScoreRule; userId: number; now: Date }): Promise<ScoreRule> {
  const rule = scoreRuleSchema.parse(input.rule);
  const before = await loadScoreRule(db);
  const value = JSON.stringify(rule);
  await db.$transaction(async (tx) => {
    await tx.setting.upsert({
      where: { key: SCORE_RULE_KEY },
      create: { key: SCORE_RULE_KEY, value, updatedById: input.userId },
      update: { value, updatedById: input.userId },
    });
    await writeAudit(tx, { actorType: "user", actorId: input.userId, action: "score.rule", entity: "Setting", entityId: SCORE_RULE_KEY, detail: { before, after: rule }, at: input.now });
  });
  return rule;
}
