import type { LiaisonMessage } from "@duban/core/channels/liaison-conversation";

/**
 * What every channel adapter does with a file a liaison sent (企业微信 media/get, 钉钉 the
 * robot's download link, 飞书 the message's resource): read it whole, within a size limit, and
 * hand it to the shared conversation as a file, or say why not. The platforms' own calls stay in
 * each adapter.
 */

export type FetchedFile =
  | { ok: true; bytes: Uint8Array<ArrayBuffer>; contentType: string | null; fileName: string | null }
  | { ok: false; problem: "too-large" | "unavailable"; error: string };

/**
 * Reads a body up to `maxBytes`: refused from its declared length before reading, or cut off
 * while reading when the length was absent or wrong, so a large file never sits in memory whole.
 */
export async function readCapped(body: AsyncIterable<Uint8Array> | ReadableStream<Uint8Array> | null, declaredLength: number, maxBytes: number, stop: () => Promise<void> | void): Promise<Exclude<FetchedFile, { ok: true }> | Uint8Array<ArrayBuffer>> {
  if (declaredLength > maxBytes) {
    await stop();
    return { ok: false, problem: "too-large", error: `${declaredLength} bytes` };
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  // A fetch body is a web ReadableStream, async-iterable in Node (not in the DOM lib's typing).
  for await (const chunk of (body ?? []) as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength;
    if (size > maxBytes) {
      await stop();
      return { ok: false, problem: "too-large", error: `over ${maxBytes} bytes` };
    }
    chunks.push(chunk);
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  return bytes;
}

/** `filename="…"` or RFC 5987 `filename*=UTF-8''…` from a Content-Disposition header. */
export function fileNameOf(disposition: string | null | undefined): string | null {
  if (!disposition) return null;
  const extended = /filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/.exec(disposition);
  if (extended) {
    try {
      return decodeURIComponent(extended[1]!.trim());
    } catch {
      return null;
    }
  }
  const plain = /filename\s*=\s*"?([^";]+)"?/.exec(disposition);
  return plain ? plain[1]!.trim() : null;
}

/**
 * The message the conversation reads: the file (a photo or a document, named by the platform's
 * message or its download), or the problem that kept it, which the liaison is told.
 */
export function fileMessage(fetched: FetchedFile, file: { photo: boolean; ref: string; fileName: string | null; caption?: string }): LiaisonMessage {
  if (!fetched.ok) return { text: "", fileProblem: fetched.problem };
  return {
    text: file.caption ?? "",
    file: {
      kind: file.photo ? "photo" : "document",
      ref: file.ref,
      fileName: (file.fileName || fetched.fileName)?.slice(0, 255) ?? null,
      mimeType: fetched.contentType?.slice(0, 120) ?? (file.photo ? "image/jpeg" : null),
      content: fetched.bytes,
    },
  };
}
