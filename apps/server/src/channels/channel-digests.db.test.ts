import { randomBytes } from "node:crypto";
import { serve } from "@hono/node-server";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { routeByChannel } from "@duban/core/channels/messenger";
import { runSchedulerPass } from "@duban/core/reminders/run-scheduler-pass";
import { FIXTURE_NOW, liaisonFixture, type LiaisonFixture } from "@duban/core/testing/liaison-fixture";
import { createServerApp } from "../app.ts";
import { DingtalkApi } from "./dingtalk/api.ts";
import { DingtalkMessenger } from "./dingtalk/messenger.ts";
import { startDingtalkStream, type DingtalkStream } from "./dingtalk/stream.ts";
import { DingtalkEmulator } from "./dingtalk/testing/dingtalk-emulator.ts";
import { FeishuApi } from "./feishu/api.ts";
import { connectFeishu, type FeishuConnection } from "./feishu/feishu-channel.ts";
import { FeishuMessenger } from "./feishu/messenger.ts";
import { FeishuEmulator } from "./feishu/testing/feishu-emulator.ts";
import { WecomApi } from "./wecom/api.ts";
import { WecomMessenger } from "./wecom/messenger.ts";
import { WecomEmulator } from "./wecom/testing/wecom-emulator.ts";

const WECOM = { corpId: "wwdigest00000001", agentId: 1000006, secret: "digest-secret", token: "DigestToken", aesKey: randomBytes(32).toString("base64").slice(0, 43) };
const DINGTALK = { clientId: "dingdigestclient01", clientSecret: "digest-client-secret", robotCode: "dingdigestclient01", corpId: "ding0corp0digest" };
const FEISHU = { appId: "cli_d1e2a3b4c5000001", appSecret: "digest-app-secret" };
const OPEN_ID = "ou_digest0000000000000000000000001";

/**
 * A liaison with several reminders due at once gets them as one digest (the dispatcher's
 * sendDigest), on 企业微信, 钉钉 and 飞书 alike: a card with a button per task. A tap on one opens
 * that reminder's own card with the status buttons; 已完成 there records the status for that task
 * only, as in Telegram (pick-round, then the status). One scheduler pass over the three channels,
 * each against its emulator (temporary SQLite).
 */
describe("digests on 企业微信, 钉钉 and 飞书: a button per task, a tap records that task's status", () => {
  let f: LiaisonFixture;
  let wecom: WecomEmulator;
  let dingtalk: DingtalkEmulator;
  let feishu: FeishuEmulator;
  let server: ReturnType<typeof serve>;
  let callbackUrl = "";
  let stream: DingtalkStream;
  let connection: FeishuConnection;
  const contacts: Record<"wecom" | "dingtalk" | "feishu", number> = { wecom: 0, dingtalk: 0, feishu: 0 };

  beforeAll(async () => {
    f = await liaisonFixture();
    const log = pino({ level: "silent" });
    wecom = new WecomEmulator({ ...WECOM, members: ["wangfang"] });
    dingtalk = new DingtalkEmulator({ ...DINGTALK, members: ["lisi"], ackTimeoutMs: 3000 });
    feishu = new FeishuEmulator({ ...FEISHU, members: [OPEN_ID] });
    await Promise.all([wecom.start(), dingtalk.start(), feishu.start()]);
    const wecomMessenger = new WecomMessenger(new WecomApi({ corpId: WECOM.corpId, agentId: WECOM.agentId, secret: WECOM.secret, apiRoot: wecom.url }));
    const dingtalkMessenger = new DingtalkMessenger(new DingtalkApi({ ...DINGTALK, apiRoot: dingtalk.url }));
    const feishuMessenger = new FeishuMessenger(new FeishuApi({ ...FEISHU, apiRoot: feishu.url }));

    const app = createServerApp({ db: f.db, now: () => FIXTURE_NOW, log, consoleDist: "/nonexistent", wecom: { config: { corpId: WECOM.corpId, token: WECOM.token, aesKey: WECOM.aesKey }, messenger: wecomMessenger } });
    const port = await new Promise<number>((resolve) => {
      server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, (info) => resolve(info.port));
    });
    callbackUrl = `http://127.0.0.1:${port}/wecom/callback`;
    await new Promise<void>((resolve, reject) => {
      connection = connectFeishu({ ...FEISHU, apiRoot: feishu.url }, { db: f.db, now: () => FIXTURE_NOW, log, messenger: feishuMessenger }, { onReady: resolve, onError: reject });
    });

    stream = startDingtalkStream({ ...DINGTALK, apiRoot: dingtalk.url }, { db: f.db, now: () => FIXTURE_NOW, log, robotCode: DINGTALK.robotCode, messenger: dingtalkMessenger });
    await stream.connected;
    await dingtalk.connected();
    // Three units with several tasks each, one liaison per channel.
    for (const [channel, unit, externalId] of [
      ["wecom", "市场监督管理局", "wangfang"],
      ["dingtalk", "环保局", "lisi"],
      ["feishu", "住建局", OPEN_ID],
    ] as const) {
      contacts[channel] = await f.addContact({ unit, name: channel });
      await f.db.contactChannel.create({ data: { contactId: contacts[channel], channel, externalId, createdAt: FIXTURE_NOW } });
    }
    const pass = await runSchedulerPass({ db: f.db, messenger: routeByChannel({ wecom: wecomMessenger, dingtalk: dingtalkMessenger, feishu: feishuMessenger }), now: FIXTURE_NOW });
    expect(pass.dispatch).toMatchObject({ failed: 0, retrying: 0 });
  }, 60_000);

  afterAll(async () => {
    connection?.stop();
    stream?.stop();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    await Promise.all([wecom?.stop(), dingtalk?.stop(), feishu?.stop()]);
    await f?.cleanup();
  });

  /** The reminders one contact got in the pass, in the outbox. */
  const remindersOf = (contactId: number) => f.db.reminder.findMany({ where: { contactId, state: "sent" }, include: { round: { include: { deadline: true } } }, orderBy: { id: "asc" } });
  const doneFor = (contactId: number) => f.db.statusUpdate.findMany({ where: { contactId }, select: { taskId: true, status: true, source: true, roundId: true } });

  it("企业微信: one card, a button per task within its 6 (5 and 其余任务 beyond); a task's button sends its card, whose 已完成 records that task", async () => {
    const sent = await remindersOf(contacts.wecom);
    // 市场监督管理局 owes more than a card's 6 buttons.
    expect(sent.length).toBeGreaterThan(6);
    expect(wecom.sent).toHaveLength(1);
    const digest = wecom.sent[0]!;
    expect(digest.template_card?.main_title.title).toBe(`督办提醒：${sent.length} 项待报送`);
    const buttons = digest.template_card!.button_list;
    expect(buttons).toHaveLength(6);
    expect(buttons.at(-1)).toMatchObject({ text: "其余任务", key: "tk" });
    for (const b of buttons) expect(b.text.length).toBeLessThanOrEqual(10);

    const target = sent.find((r) => buttons.some((b) => b.key === `op-${r.id}`))!;
    const button = buttons.find((b) => b.key === `op-${target.id}`)!;
    await wecom.tap(callbackUrl, digest, button.text);
    const card = wecom.sent.at(-1)!;
    expect(card.template_card?.sub_title_text).toContain(target.text.split("\n")[1]!.replace(/^《.+?》/, "").slice(0, 8));
    expect(card.template_card?.button_list.map((b) => b.text)).toEqual(["已完成", "推进中", "有困难", "申请延期", "稍后提醒"]);
    // The digest keeps its buttons for the other tasks: nothing was spent on it.
    expect(wecom.updates).toHaveLength(0);

    await wecom.tap(callbackUrl, card, "已完成");
    expect(await doneFor(contacts.wecom)).toEqual([{ taskId: target.round!.deadline.taskId, roundId: target.roundId, status: "done", source: "wecom-button" }]);
    expect(wecom.updates.at(-1)?.button?.replace_name).toBe("已记录：已完成");

    // Opening it again once reported: a clear answer, no card.
    const cards = wecom.sent.filter((m) => m.msgtype === "template_card").length;
    await wecom.tap(callbackUrl, digest, button.text);
    expect(wecom.sent.filter((m) => m.msgtype === "template_card")).toHaveLength(cards);
    expect(wecom.sent.at(-1)?.text?.content).toContain("已报送");

    // 其余任务: the unit's task list, to answer the rest by text.
    await wecom.tap(callbackUrl, digest, "其余任务");
    expect(wecom.sent.at(-1)?.text?.content).toMatch(/^“市场监督管理局”的任务（共 \d+ 项）：/);
  });

  it("钉钉: one StandardCard with a button per task; a tap sends that task's card, whose 已完成 records it", async () => {
    const sent = await remindersOf(contacts.dingtalk);
    expect(sent.length).toBeGreaterThanOrEqual(3);
    expect(dingtalk.cards).toHaveLength(1);
    const digest = dingtalk.cards[0]!;
    expect(digest.card.header.title.text).toBe(`督办提醒：${sent.length} 项待报送`);
    const actions = digest.card.contents.flatMap((c) => c.actions ?? []);
    expect(actions.map((a) => a.id).sort()).toEqual(sent.slice(0, 20).map((r) => `op-${r.id}`).sort());

    const target = sent[1]!;
    await dingtalk.tap(digest, actions.find((a) => a.id === `op-${target.id}`)!.label.text).acked;
    const card = dingtalk.cards.at(-1)!;
    expect(dingtalk.cards).toHaveLength(2);
    expect(card.card.contents[0]?.text).toBe(target.text);
    expect(dingtalk.updates).toHaveLength(0);

    await dingtalk.tap(card, "已完成").acked;
    expect(await doneFor(contacts.dingtalk)).toEqual([{ taskId: target.round!.deadline.taskId, roundId: target.roundId, status: "done", source: "dingtalk-button" }]);
    expect(dingtalk.updates.at(-1)?.cardBizId).toBe(card.cardBizId);
  });

  it("飞书: one card with a button per task; a tap answers in time and sends that task's card, whose 已完成 records it", async () => {
    const sent = await remindersOf(contacts.feishu);
    expect(sent.length).toBeGreaterThanOrEqual(3);
    const digests = feishu.sent.filter((m) => m.msg_type === "interactive");
    expect(digests).toHaveLength(1);
    const digest = digests[0]!;
    expect(digest.card?.header?.title?.content).toBe(`督办提醒：${sent.length} 项待报送`);
    const buttons = digest.card!.elements.flatMap((e) => e.actions ?? []);
    expect(buttons.map((b) => b.value?.key).sort()).toEqual(sent.slice(0, 20).map((r) => `op-${r.id}`).sort());

    const target = sent.at(-1)!;
    const tap = await feishu.tap(digest, buttons.find((b) => b.value?.key === `op-${target.id}`)!.text!.content!);
    expect(tap.code).toBe(200);
    expect(tap.ms).toBeLessThan(3000);
    expect(tap.data?.toast?.content).toContain("请在下方卡片中报送");
    // The digest is not replaced: its other buttons still work.
    expect(digest.card!.elements.flatMap((e) => e.actions ?? [])).toHaveLength(buttons.length);
    await feishu.until(() => feishu.sent.filter((m) => m.msg_type === "interactive").length === 2);
    const card = feishu.sent.filter((m) => m.msg_type === "interactive").at(-1)!;
    expect(card.card?.elements[0]?.text?.content).toBe(target.text);

    await feishu.tap(card, "已完成");
    expect(await doneFor(contacts.feishu)).toEqual([{ taskId: target.round!.deadline.taskId, roundId: target.roundId, status: "done", source: "feishu-button" }]);
  });
});
