import { z } from "zod";
import { unitName } from "../trpc.ts";

/**
 * A parsed plan as the office corrected it in the import preview. The browser sends it back
 * whole, so every list and string has a limit: a real plan has a few hundred tasks.
 */
const text = (max: number) => z.string().max(max, `内容过长（不超过 ${max} 字）`);
const nullableText = (max: number) => text(max).nullable();

const unit = z.object({ name: unitName, role: z.enum(["lead", "support"]), collective: z.boolean() });
const indicator = z.object({
  text: text(2_000),
  name: text(200),
  comparator: z.enum([">=", ">", "<=", "<", "="]),
  value: z.number().finite(),
  unit: nullableText(20),
});
const cadence = z.object({ kind: z.enum(["quarterly", "annual"]), what: text(200), text: text(2_000) });
const task = z.object({
  number: z.string().trim().min(1, "任务编号不能为空").max(40, "任务编号过长"),
  title: z.string().trim().min(1, "任务标题不能为空").max(500, "任务标题过长"),
  body: text(20_000),
  units: z.array(unit).max(100, "一项任务的单位过多"),
  indicators: z.array(indicator).max(50),
  deadline: nullableText(500),
  cadences: z.array(cadence).max(20),
  line: z.number().int().min(0),
  leader: nullableText(100).default(null),
  unitNote: nullableText(500).default(null),
});
const group = z.object({ number: text(40), heading: text(500), tasks: z.array(task).max(2_000) });
const warning = z.object({
  code: z.enum(["no-units", "lead-assumed", "duplicate-number", "unit-rejected", "other"]),
  line: z.number().int().min(0),
  taskNumber: nullableText(40),
  message: text(1_000),
});

export const parsedPlanInput = z
  .object({
    title: z.string().trim().min(1, "方案标题不能为空").max(300, "方案标题过长"),
    docNumber: nullableText(100),
    issuer: nullableText(200),
    date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).nullable(),
    groups: z.array(group).min(1, "方案中没有任务").max(500),
    units: z.array(text(100)).max(5_000),
    warnings: z.array(text(1_000)).max(5_000),
    warningDetails: z.array(warning).max(5_000).default([]),
  })
  .refine((plan) => plan.groups.reduce((n, g) => n + g.tasks.length, 0) <= 2_000, "任务过多（不超过 2000 项）");
