/**
 * Builds .docx and .xlsx plan files with the same libraries an office's tools write them with, for tests
 * of reading plans (core, CLI, server, console). Not used in production code.
 */
import { Document, Packer, Paragraph, Table, TableCell, TableRow } from "docx";
import ExcelJS from "exceljs";

/**
 * A paragraph (string) or a table (rows of cells; a cell's "\n" becomes separate paragraphs). A row with
 * fewer cells than the first row has its last cell merged across the rest (a group heading row).
 */
export type DocxBlock = string | string[][];

export async function planDocx(blocks: DocxBlock[]): Promise<Uint8Array> {
  const children = blocks.map((block) =>
    typeof block === "string"
      ? new Paragraph(block)
      : new Table({
          rows: block.map(
            (row) =>
              new TableRow({
                children: row.map(
                  (cell, i) =>
                    new TableCell({
                      children: cell.split("\n").map((p) => new Paragraph(p)),
                      ...(i === row.length - 1 && row.length < block[0]!.length ? { columnSpan: block[0]!.length - i } : {}),
                    }),
                ),
              }),
          ),
        }),
  );
  return new Uint8Array(await Packer.toBuffer(new Document({ sections: [{ children }] })));
}

export type XlsxCell = string | number | Date | null;

/** One worksheet per entry, rows as given; `merges` are ranges like "A1:F1", `numFmts` cell formats like { E3: "0%" }. */
export async function planXlsx(sheets: Array<{ name: string; rows: XlsxCell[][]; merges?: string[]; numFmts?: Record<string, string> }>): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook();
  for (const { name, rows, merges, numFmts } of sheets) {
    const sheet = workbook.addWorksheet(name);
    for (const row of rows) sheet.addRow(row);
    for (const range of merges ?? []) sheet.mergeCells(range);
    for (const [address, numFmt] of Object.entries(numFmts ?? {})) sheet.getCell(address).numFmt = numFmt;
  }
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}
