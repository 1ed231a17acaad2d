import { describe, expect, it } from "vitest";
import { defaultPlanOf, menuPlanOf, planPathOf, switchPlanPath } from "./plan-route.ts";

describe("plan routes", () => {
  it("reads the plan and page kind from a path", () => {
    expect(planPathOf("/plans/3/board")).toEqual({ planId: 3, section: "board" });
    expect(planPathOf("/plans/12/tasks/40")).toEqual({ planId: 12, section: "tasks" });
    expect(planPathOf("/plans/2/deadlines")).toEqual({ planId: 2, section: "deadlines" });
    expect(planPathOf("/plans/2/roundsx")).toBeNull();
    expect(planPathOf("/plans")).toBeNull();
    expect(planPathOf("/units/4")).toBeNull();
  });

  it("switching plans keeps the page kind; a task page goes to the other plan's board", () => {
    expect(switchPlanPath("/plans/1/rounds", 5)).toBe("/plans/5/rounds");
    expect(switchPlanPath("/plans/1/deadlines", 5)).toBe("/plans/5/deadlines");
    expect(switchPlanPath("/plans/1/tasks/77", 5)).toBe("/plans/5/board");
    expect(switchPlanPath("/deadlines", 5)).toBe("/plans/5/deadlines");
    expect(switchPlanPath("/rounds", 5)).toBe("/plans/5/rounds");
    expect(switchPlanPath("/units", 5)).toBe("/plans/5/board");
  });

  it("an old link means the newest active plan, else the newest archived one", () => {
    expect(defaultPlanOf([{ id: 9, archived: true }, { id: 4, archived: false }, { id: 2, archived: false }])).toBe(4);
    expect(defaultPlanOf([{ id: 9, archived: true }, { id: 3, archived: true }])).toBe(9);
    expect(defaultPlanOf([])).toBeNull();
  });

  it("the switcher shows the plan in the URL, else the last one shown, else the plan / opens", () => {
    const plans = [{ id: 9, archived: true }, { id: 4, archived: false }];
    expect(menuPlanOf("/plans/7/rounds", 2, plans)).toBe(7);
    expect(menuPlanOf("/units", 2, plans)).toBe(2);
    expect(menuPlanOf("/", null, plans)).toBe(4);
    expect(menuPlanOf("/overview", null, [])).toBeNull();
  });
});
