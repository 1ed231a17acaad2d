/** A document the parser cannot turn into a plan. The message is Chinese and names the line. */
export class PlanParseError extends Error {
  override readonly name = "PlanParseError";
  /** The refusal code every layer understands (the api maps kebab-case codes to user errors). */
  readonly code = "unreadable-plan";
  /** 1-based line in the original text. */
  readonly line: number;

  constructor(message: string, line: number) {
    super(message);
    this.line = line;
  }
}

/** Throws with the conventional "第 N 行：…" prefix. */
export function failAt(line: number, message: string): never {
  throw new PlanParseError(`第 ${line} 行：${message}`, line);
}
