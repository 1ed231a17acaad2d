import { readFile } from "node:fs/promises";
import path from "node:path";
import { Api, type RawApi } from "grammy";
import { hydrateFiles, type FileApiFlavor } from "@grammyjs/files";
import type { AttachmentFiles } from "@duban/core/submissions/attachments";
import { TELEGRAM_CALL_TIMEOUT_SECONDS } from "./create-bot.ts";

/** Telegram's limit for files a bot may download through the Bot API. */
export const MAX_DOWNLOAD_BYTES = 20 * 1024 * 1024;

/** A download of up to 20 MB from Telegram; past this the console gets 502, not a hung request. */
const DOWNLOAD_TIMEOUT_MS = 60_000;

/**
 * Reads the files liaisons sent (photos, documents) back from Telegram by their file id, for
 * the console: getFile, then the file URL built by grammY's files plugin (also right for a
 * local Bot API server). Files are not copied at receipt; Telegram keeps them for the bot.
 */
export function createTelegramFiles(token: string, options: { apiRoot?: string } = {}): AttachmentFiles {
  const api = new Api(token, { timeoutSeconds: TELEGRAM_CALL_TIMEOUT_SECONDS, ...(options.apiRoot ? { apiRoot: options.apiRoot } : {}) }) as FileApiFlavor<Api<RawApi>>;
  api.config.use(hydrateFiles(token, options.apiRoot ? { apiRoot: options.apiRoot } : {}));
  return {
    async read(fileId: string): Promise<Uint8Array<ArrayBuffer>> {
      const file = await api.getFile(fileId);
      if (file.file_size !== undefined && file.file_size > MAX_DOWNLOAD_BYTES) throw new Error(`the file is larger than ${MAX_DOWNLOAD_BYTES / 1024 / 1024} MB`);
      const url = file.getUrl();
      // A local Bot API server (--local) answers with a path on its disk instead of a URL.
      if (path.isAbsolute(url)) return new Uint8Array(await readFile(url));
      // fetch, not the plugin's own downloader: that one speaks https only, and a local Bot API
      // server (or the test emulator) may be plain http on 127.0.0.1.
      const response = await fetch(url, { signal: AbortSignal.timeout(DOWNLOAD_TIMEOUT_MS) });
      if (!response.ok) throw new Error(`Telegram answered ${response.status} for the file`);
      return new Uint8Array(await response.arrayBuffer());
    },
  };
}
