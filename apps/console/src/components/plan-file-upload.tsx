import { InboxOutlined } from "@ant-design/icons";
import { Alert, App, Spin, Upload } from "antd";
import { useState } from "react";
import { useT } from "../i18n.tsx";

/** Kept in step with the server's limit (apps/server/src/plan-documents.ts), so a large file is refused before it is sent. */
const MAX_BYTES = 10 * 1024 * 1024;

export interface PlanFileText {
  fileName: string;
  format: "txt" | "docx" | "xlsx";
  text: string;
}

/**
 * Drag-and-drop (or click) of a plan file. The server reads it (Word paragraphs and tables, Excel sheets,
 * GBK or UTF-8 text) and answers its text, which the import page then previews as if it had been pasted.
 */
export default function PlanFileUpload({ onLoaded }: { onLoaded: (file: PlanFileText) => void }) {
  const t = useT();
  const { message } = App.useApp();
  const [reading, setReading] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function read(file: File): Promise<void> {
    setError(null);
    if (file.size > MAX_BYTES) {
      setError(t(`文件超过 10 MB，无法导入。请删去图片后另存，或粘贴方案全文。`, "The file is over 10 MB. Remove pictures and save again, or paste the text."));
      return;
    }
    setReading(true);
    try {
      const response = await fetch("/files/plan-document", {
        method: "POST",
        credentials: "same-origin",
        headers: { "content-type": "application/octet-stream", "x-file-name": encodeURIComponent(file.name) },
        body: file,
      });
      const body = (await response.json().catch(() => null)) as (PlanFileText & { error?: { message: string } }) | null;
      if (!response.ok || !body || body.error) {
        setError(body?.error?.message ?? t(`读取失败（HTTP ${response.status}）`, `Could not read the file (HTTP ${response.status})`));
        return;
      }
      onLoaded(body);
      message.success(`${t("已读取", "Loaded")} ${body.fileName}`);
    } catch {
      setError(t("无法连接服务器，请稍后重试。", "Cannot reach the server; try again later."));
    } finally {
      setReading(false);
    }
  }

  return (
    <>
      <Spin spinning={reading}>
        <Upload.Dragger
          accept=".txt,.docx,.xlsx,text/plain,application/vnd.openxmlformats-officedocument.wordprocessingml.document,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
          showUploadList={false}
          multiple={false}
          disabled={reading}
          beforeUpload={(file) => {
            void read(file);
            return false;
          }}
          data-testid="plan-file-upload"
        >
          <p className="ant-upload-drag-icon">
            <InboxOutlined />
          </p>
          <p>{t("点击或拖入方案文件：Word（.docx）、Excel 任务分解表（.xlsx）或文本（.txt）", "Click or drop the plan: Word (.docx), an Excel task sheet (.xlsx) or text (.txt)")}</p>
          <p className="ant-upload-hint">{t("旧版 .doc、.wps、.xls 和 PDF 请先另存为 .docx 或 .xlsx", "Save .doc, .wps, .xls and PDF files as .docx or .xlsx first")}</p>
        </Upload.Dragger>
      </Spin>
      {error && <Alert type="error" showIcon style={{ marginTop: 12 }} title={t("无法读取文件", "Could not read the file")} description={error} data-testid="plan-file-error" />}
    </>
  );
}
