/**
 * The longest note a status update takes in one reply: Telegram's own limit for a message, so a
 * liaison's message is never refused for its length. Longer input (a forged update, a console
 * paste) is cut here, and the bot tells the liaison what was kept.
 */
export const NOTE_MAX_LENGTH = 4096;

/** How much of a note a confirmation repeats back (the whole note could push the reply past Telegram's limit). */
export const NOTE_ECHO_LENGTH = 500;

/** The note as it will be stored, and whether anything was cut. */
export function fitNote(note: string | null | undefined): { note: string | null; cut: boolean } {
  const trimmed = note?.trim() ?? "";
  if (trimmed === "") return { note: null, cut: false };
  // Array.from: a cut never splits a surrogate pair (emoji) in half.
  const chars = Array.from(trimmed);
  if (chars.length <= NOTE_MAX_LENGTH && trimmed.length <= NOTE_MAX_LENGTH) return { note: trimmed, cut: false };
  let kept = chars.slice(0, NOTE_MAX_LENGTH).join("");
  while (kept.length > NOTE_MAX_LENGTH) kept = Array.from(kept).slice(0, -1).join("");
  return { note: kept, cut: true };
}
