/**
 * 企业微信's callback XML is flat: `<xml><Tag><![CDATA[text]]></Tag><Tag>123</Tag>…</xml>`
 * (接收消息与事件, 消息格式). This reads the top-level elements' text; a nested element's value is
 * its inner XML, unparsed (Duban reads none). Anything else is refused with null.
 */
const ENTITIES: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };

function text(raw: string): string {
  // One CDATA section, or several in a row (how "]]>" inside a value is written).
  const trimmed = raw.trim();
  if (/^(?:<!\[CDATA\[[\s\S]*?\]\]>)+$/.test(trimmed)) return [...trimmed.matchAll(/<!\[CDATA\[([\s\S]*?)\]\]>/g)].map((m) => m[1]).join("");
  return raw.replace(/&(lt|gt|amp|quot|apos);/g, (_, name: string) => ENTITIES[name]!);
}

export function parseFlatXml(xml: string): Record<string, string> | null {
  const root = /^\s*(?:<\?xml[^>]*\?>\s*)?<xml>([\s\S]*)<\/xml>\s*$/.exec(xml);
  if (!root) return null;
  const fields: Record<string, string> = {};
  const body = root[1]!;
  const element = /\s*<([A-Za-z][A-Za-z0-9_]*)>((?:<!\[CDATA\[[\s\S]*?\]\]>|[\s\S])*?)<\/\1>\s*/y;
  let at = 0;
  while (at < body.length) {
    element.lastIndex = at;
    const match = element.exec(body);
    if (!match) return body.slice(at).trim() === "" ? fields : null;
    fields[match[1]!] = text(match[2]!);
    at = element.lastIndex;
  }
  return fields;
}

const cdata = (value: string) => `<![CDATA[${value.replaceAll("]]>", "]]]]><![CDATA[>")}]]>`;

/** `<xml>` with each field as CDATA (numbers as plain text), as 企业微信 writes its callbacks. */
export function flatXml(fields: Record<string, string | number>): string {
  return `<xml>${Object.entries(fields)
    .map(([name, value]) => `<${name}>${typeof value === "number" ? value : cdata(value)}</${name}>`)
    .join("")}</xml>`;
}
