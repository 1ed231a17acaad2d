import { TRPCError } from "@trpc/server";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { at, liaisonFixture, type LiaisonFixture, SEED_PLAN_TEXT } from "@duban/core/testing/liaison-fixture";
import { createUser } from "@duban/core/users/create-user";
import { DEFAULT_WORKING_HOURS } from "@duban/domain/working-hours";
import { appRouter } from "../root.ts";
import { createCallerFactory, type ApiContext, type Role, type SessionUser } from "../trpc.ts";

const now = at("2026-10-12", "10:00");
const createCaller = createCallerFactory(appRouter);

async function refusal(work: Promise<unknown>): Promise<TRPCError> {
  try {
    await work;
  } catch (error) {
    if (error instanceof TRPCError) return error;
    throw error;
  }
  throw new Error("expected a refusal");
}

describe("editing tasks, units and the import preview through the API", () => {
  let f: LiaisonFixture;
  const users = {} as Record<Role, SessionUser>;
  const caller = (role: Role) =>
    createCaller({
      db: f.db,
      now: () => now,
      user: users[role],
      sessionId: "token",
      ip: "192.0.2.1",
      setHeader: () => {},
      messenger: null,
      botUsername: null,
      secureCookies: false,
      workingHours: DEFAULT_WORKING_HOURS,
    } satisfies ApiContext);
  beforeEach(async () => {
    f = await liaisonFixture({ now });
    for (const role of ["staff", "viewer"] as const) {
      const user = await createUser(f.db, { username: role, password: `${role} password 1`, role, displayName: null, now, actor: null });
      users[role] = { id: user.id, username: role, role, displayName: null };
    }
  });
  afterEach(() => f.cleanup());

  it("a viewer is refused every change and nothing is written; staff's changes are stored and audited", async () => {
    const taskId = await f.taskId("3");
    const unitId = await f.unitId("交运局");
    const into = await f.unitId("住建局");
    const viewer = caller("viewer");
    const audits = await f.db.auditEvent.count();
    for (const attempt of [
      viewer.tasks.update({ taskId, fields: { title: "改" } }),
      viewer.tasks.create({ fields: { number: "99", title: "新任务" } }),
      viewer.tasks.setArchived({ taskId, archived: true }),
      viewer.tasks.assignUnit({ taskId, unit: { unitId }, role: "lead" }),
      viewer.tasks.removeUnit({ taskId, unitId }),
      viewer.units.rename({ unitId, name: "交通运输局" }),
      viewer.units.merge({ unitId, intoUnitId: into }),
      viewer.imports.confirm({ text: SEED_PLAN_TEXT }),
    ]) {
      expect((await refusal(attempt)).code).toBe("FORBIDDEN");
    }
    expect(await f.db.auditEvent.count()).toBe(audits);
    expect((await viewer.tasks.get({ id: taskId })).title).toBe("加强城市质量文化建设");

    const staff = caller("staff");
    await staff.tasks.update({ taskId, fields: { title: "加强城市质量文化建设（修订）", leader: "" } });
    await staff.tasks.assignUnit({ taskId, unit: { name: "气象局" }, role: "support" });
    await staff.units.rename({ unitId, name: "交通运输局" });
    const task = await staff.tasks.get({ id: taskId });
    expect(task).toMatchObject({ title: "加强城市质量文化建设（修订）", leader: null });
    expect(task.units.map((u) => u.name)).toContain("气象局");
    expect((await refusal(staff.units.merge({ unitId, intoUnitId: unitId }))).code).toBe("CONFLICT");
    // A unit name has the parser's length limit, with a clear refusal and nothing changed.
    const tooLong = "市".repeat(41);
    for (const attempt of [staff.units.rename({ unitId, name: tooLong }), staff.tasks.assignUnit({ taskId, unit: { name: tooLong }, role: "support" })]) {
      expect((await refusal(attempt)).code).toBe("BAD_REQUEST");
    }
    expect(await f.db.unit.count({ where: { name: tooLong } })).toBe(0);
    expect((await refusal(staff.tasks.update({ taskId, fields: { number: "4" } }))).code).toBe("CONFLICT");
  });

  it("confirm stores the corrected plan the preview returned; a plan over the limits or with errors is refused", async () => {
    const staff = caller("staff");
    const preview = await staff.imports.preview({ text: SEED_PLAN_TEXT });
    const plan = structuredClone(preview.plan);
    plan.groups[0]!.tasks[2]!.title = "办公室改的标题";
    await staff.imports.confirm({ text: SEED_PLAN_TEXT, plan });
    expect((await f.db.task.findFirstOrThrow({ where: { number: "3", active: true } })).title).toBe("办公室改的标题");

    const long = structuredClone(preview.plan);
    long.groups[0]!.tasks[0]!.title = "长".repeat(501);
    expect((await refusal(staff.imports.confirm({ text: SEED_PLAN_TEXT, plan: long }))).code).toBe("BAD_REQUEST");
    const dup = structuredClone(preview.plan);
    dup.groups[0]!.tasks[1]!.number = "1";
    const error = await refusal(staff.imports.confirm({ text: SEED_PLAN_TEXT, plan: dup }));
    expect(error.code).toBe("BAD_REQUEST");
    expect(error.message).toContain("重复");
  });
});
