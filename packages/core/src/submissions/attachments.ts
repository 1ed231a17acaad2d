import type { Db } from "@duban/db/client";

/** Where the bytes of a Telegram attachment come from (through the bot); other channels' are stored with it. */
export interface AttachmentFiles {
  read(telegramFileId: string): Promise<Uint8Array<ArrayBuffer>>;
}

export interface AttachmentDownload {
  id: number;
  telegramFileId: string;
  fileName: string;
  contentType: string;
  /** Safe to show in the browser (images, PDF); anything else is downloaded, never rendered. */
  inline: boolean;
  /** The bytes, when copied at receipt (channels other than Telegram); else read through `AttachmentFiles`. */
  content: Uint8Array<ArrayBuffer> | null;
}

const INLINE_TYPES = /^(image\/(jpeg|png|gif|webp)|application\/pdf)$/;

/** An attachment of a status update, named and typed for download; null when there is none. */
export async function findAttachmentDownload(db: Db, id: number): Promise<AttachmentDownload | null> {
  const a = await db.attachment.findUnique({ where: { id }, include: { statusUpdate: { select: { task: { select: { number: true } }, unit: { select: { name: true } } } } } });
  if (!a) return null;
  const contentType = a.mimeType ?? (a.kind === "photo" ? "image/jpeg" : "application/octet-stream");
  const fallback = `任务${a.statusUpdate.task.number}-${a.statusUpdate.unit.name}-${a.kind === "photo" ? "照片" : "附件"}${a.id}${a.kind === "photo" ? ".jpg" : ""}`;
  return { id: a.id, telegramFileId: a.telegramFileId, fileName: a.fileName ?? fallback, contentType, inline: INLINE_TYPES.test(contentType), content: a.content ? new Uint8Array(a.content) : null };
}
