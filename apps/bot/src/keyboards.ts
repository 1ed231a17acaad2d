import { InlineKeyboard } from "grammy";
import type { ReportStatus } from "@duban/domain/parse-reply";
import { encodeCallbackData, type CallbackAction, type StatusRef } from "./callback-data.ts";
import type { Translate } from "./i18n.ts";

type Data = CallbackAction extends infer A ? (A extends CallbackAction ? Omit<A, "contactId"> : never) : never;

/** Builds buttons whose payloads are signed for one contact. */
export class Buttons {
  constructor(
    private readonly t: Translate,
    private readonly contactId: number,
    private readonly secret: string,
  ) {}

  data(data: Data): string {
    return encodeCallbackData({ ...data, contactId: this.contactId } as CallbackAction, this.secret);
  }

  /**
   * 已完成 · 推进中 / 有困难 · 稍后提醒 / 申请延期 under a reminder (snooze only where the liaison
   * track can be snoozed; 申请延期 on its own row, as wide as the card, when the reminder is
   * about a round); /report and questions add 未开始 instead of the snooze.
   */
  status(ref: StatusRef, options: { snoozeReminderId?: number | null; notStarted?: boolean; extensionRoundId?: number | null } = {}): InlineKeyboard {
    const s = (status: ReportStatus) => InlineKeyboard.text(this.t(`button-${status}`), this.data({ action: "status", status, ref }));
    const keyboard = new InlineKeyboard().add(s("done"), s("in_progress")).row().add(s("blocked"));
    if (options.snoozeReminderId) keyboard.add(InlineKeyboard.text(this.t("button-snooze"), this.data({ action: "snooze", reminderId: options.snoozeReminderId })));
    else if (options.notStarted) keyboard.add(s("not_started"));
    if (options.extensionRoundId) keyboard.row().add(InlineKeyboard.text(this.t("button-extension"), this.data({ action: "extension", roundId: options.extensionRoundId })));
    return keyboard;
  }

  skip(): InlineKeyboard {
    return new InlineKeyboard().text(this.t("button-skip"), this.data({ action: "skip" }));
  }

  details(extensionRoundId: number | null): InlineKeyboard {
    const keyboard = new InlineKeyboard();
    if (extensionRoundId !== null) keyboard.text(this.t("button-extension"), this.data({ action: "extension", roundId: extensionRoundId }));
    return keyboard.text(this.t("button-finish"), this.data({ action: "finish" }));
  }

  /** 收到 under a 通知; once signed, the same button reads 已签收 (a tap again only says so). */
  noticeReceipt(noticeId: number, signed: boolean): InlineKeyboard {
    return new InlineKeyboard().text(this.t(signed ? "button-notice-signed" : "button-notice-receipt"), this.data({ action: "notice-receipt", noticeId }));
  }

  list(items: ReadonlyArray<{ label: string; data: Data }>): InlineKeyboard {
    const keyboard = new InlineKeyboard();
    for (const item of items) keyboard.text(item.label, this.data(item.data)).row();
    return keyboard;
  }
}
