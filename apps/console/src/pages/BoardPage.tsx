import { ReloadOutlined } from "@ant-design/icons";
import { useQuery } from "@tanstack/react-query";
import { Alert, Button, Empty, Segmented, Skeleton, Space, Tooltip } from "antd";
import { lazy, Suspense, useState } from "react";
import { Link, useSearchParams } from "react-router";
import { LIGHT_COLOR, type LightValue, useLightLabel } from "../components/Light.tsx";
import { fmtDateTime, statusText } from "../format.ts";
import { useLang, useT } from "../i18n.tsx";
import { errorMessage, type Outputs, useTRPC } from "../trpc.ts";
import "./board.css";

// The history drawer (timeline, tables) loads on the first click, not with the board.
const CellDrawer = lazy(() => import("../components/CellDrawer.tsx"));

type Board = Outputs["board"]["get"];
type Row = Board["rows"][number];
type Cell = Row["cells"][number];

/** Filters live in the URL so a filtered board can be bookmarked or shared. */
function useBoardFilters() {
  const [params, setParams] = useSearchParams();
  const num = (key: string) => {
    const v = Number(params.get(key));
    return Number.isInteger(v) && v > 0 ? v : null;
  };
  const light = params.get("light");
  const filters = { groupId: num("group"), unitId: num("unit"), light: light === "red" || light === "yellow" || light === "green" ? (light as LightValue) : null };
  const set = (key: string, value: string | number | null) => {
    const next = new URLSearchParams(params);
    if (value === null || value === "") next.delete(key);
    else next.set(key, String(value));
    setParams(next, { replace: true });
  };
  return { filters, set };
}

function CellButton({ row, unit, cell, onOpen }: { row: Row; unit: Board["units"][number]; cell: Cell; onOpen: () => void }) {
  const t = useT();
  const { lang } = useLang();
  const lightLabel = useLightLabel();
  const tip = [
    `${unit.name}（${cell.role === "lead" ? t("牵头", "lead") : t("配合", "support")}）`,
    lightLabel(cell.light),
    `${t("最新状态", "Latest status")}：${statusText(cell.status, lang)}${cell.progress !== null ? ` ${cell.progress}%` : ""}`,
    cell.dueAt ? `${t("截止", "Due")}：${fmtDateTime(cell.dueAt)}${cell.submitted ? ` · ${t("已报送", "submitted")}` : ""}` : t("暂无报送任务", "Nothing due yet"),
    cell.lastUpdateAt ? `${t("更新", "Updated")}：${fmtDateTime(cell.lastUpdateAt)}` : "",
  ].filter(Boolean);
  return (
    <Tooltip title={tip.map((line) => <div key={line}>{line}</div>)}>
      <button
        type="button"
        className={`board-cell${cell.role === "lead" ? " board-cell-lead" : ""}`}
        style={{ background: LIGHT_COLOR[cell.light] }}
        data-testid={`cell-${row.taskId}-${unit.id}`}
        data-light={cell.light}
        data-status={cell.status ?? ""}
        aria-label={`${row.number} ${unit.name} ${lightLabel(cell.light)}`}
        onClick={onOpen}
      >
        {cell.progress !== null ? Math.min(99, cell.progress) : ""}
      </button>
    </Tooltip>
  );
}

export default function BoardPage() {
  const t = useT();
  const trpc = useTRPC();
  const lightLabel = useLightLabel();
  const { filters, set } = useBoardFilters();
  const [cell, setCell] = useState<{ taskId: number; unitId: number } | null>(null);
  // Polling keeps the board within seconds of a liaison's reply in chat, with no manual reload.
  const board = useQuery(trpc.board.get.queryOptions(filters, { refetchInterval: 5000, placeholderData: (prev) => prev }));

  if (board.isError) return <Alert type="error" showIcon title={errorMessage(board.error)} />;
  const data = board.data;

  return (
    <Space orientation="vertical" size="middle" style={{ width: "100%" }}>
      <div style={{ display: "flex", justifyContent: "space-between", alignItems: "center" }}>
        <div>
          <h3 className="board-title">{t("总览", "Board")}</h3>
          <span className="board-muted">
            {data?.planTitle ?? ""} {data ? `· ${t("当前期次", "Current period")} ${data.period} · ${t("更新于", "as of")} ${fmtDateTime(data.now)}` : ""}
          </span>
        </div>
        <Button icon={<ReloadOutlined spin={board.isFetching} />} onClick={() => board.refetch()}>
          {t("刷新", "Refresh")}
        </Button>
      </div>

      <div className="board-counts">
        {(["red", "yellow", "green"] as const).map((light) => (
          <button
            type="button"
            key={light}
            className="board-count board-count-button"
            aria-pressed={filters.light === light}
            onClick={() => set("light", filters.light === light ? null : light)}
            style={{ borderColor: filters.light === light ? LIGHT_COLOR[light] : undefined }}
          >
            <div className="board-count-title">{lightLabel(light)}</div>
            <div className="board-count-value" style={{ color: LIGHT_COLOR[light] }} data-testid={`count-${light}`}>
              {data?.counts[light] ?? 0}
            </div>
          </button>
        ))}
        <div className="board-count">
          <div className="board-count-title">{t("任务×单位", "Task × unit cells")}</div>
          <div className="board-count-value">
            {data?.counts.total ?? 0}
            <span className="board-count-suffix">
              {" "}
              / {data?.rows.length ?? 0} {t("项任务", "tasks")}
            </span>
          </div>
        </div>
      </div>

      <Space wrap>
        {/* Native selects: antd's Select would bring its form machinery into the first route. */}
        <select
          className="board-filter"
          value={filters.groupId ?? ""}
          onChange={(e) => set("group", e.target.value || null)}
          aria-label={t("按任务分组筛选", "Filter by group")}
          data-testid="filter-group"
        >
          <option value="">{t("全部分组", "All groups")}</option>
          {(data?.groups ?? []).map((g) => (
            <option key={g.id} value={g.id}>
              {g.number} {g.heading}
            </option>
          ))}
        </select>
        <select
          className="board-filter"
          value={filters.unitId ?? ""}
          onChange={(e) => set("unit", e.target.value || null)}
          aria-label={t("按单位筛选", "Filter by unit")}
          data-testid="filter-unit"
        >
          <option value="">{t("全部单位", "All units")}</option>
          {(data?.unitOptions ?? []).map((u) => (
            <option key={u.id} value={u.id}>
              {u.name}
            </option>
          ))}
        </select>
        <Segmented
          value={filters.light ?? "all"}
          onChange={(v) => set("light", v === "all" ? null : String(v))}
          options={[
            { value: "all", label: t("全部", "All") },
            { value: "red", label: t("红灯", "Red") },
            { value: "yellow", label: t("黄灯", "Yellow") },
            { value: "green", label: t("绿灯", "Green") },
          ]}
        />
      </Space>

      {!data ? (
        <Skeleton active />
      ) : data.planTitle === null ? (
        <Empty description={t("尚未导入工作方案", "No plan imported yet")}>
          <Link to="/import">{t("去导入方案", "Import a plan")}</Link>
        </Empty>
      ) : data.rows.length === 0 ? (
        <Empty description={t("没有符合筛选条件的任务", "No task matches the filters")} />
      ) : (
        // A plain table: the matrix needs no sorting or paging, and the board stays light to load.
        <div className="board-scroll">
          <table className="board-table" data-testid="board-table">
            <thead>
              <tr>
                <th className="board-task-col">{t("任务", "Task")}</th>
                {data.units.map((unit) => (
                  <th key={unit.id} className="board-unit-col" title={unit.name}>
                    <span className="board-unit-name">{unit.name}</span>
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {data.rows.map((row) => (
                <tr key={row.taskId} data-testid={`board-row-${row.number}`}>
                  <th scope="row" className="board-task-col">
                    <span className="board-row-light" style={{ background: LIGHT_COLOR[row.light] }} />
                    <Link to={`/tasks/${row.taskId}`} data-testid={`task-link-${row.number}`}>
                      {row.number}. {row.title}
                    </Link>
                  </th>
                  {data.units.map((unit) => {
                    const c = row.cells.find((x) => x.unitId === unit.id);
                    return <td key={unit.id}>{c ? <CellButton row={row} unit={unit} cell={c} onOpen={() => setCell({ taskId: row.taskId, unitId: unit.id })} /> : null}</td>;
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <span className="board-muted">
        {t("圆点颜色为红黄绿灯，粗边框为牵头单位，数字为填报进度%；点击查看该单位的报送历史。", "Dot colour is the light; a thick ring marks the lead unit; the number is reported progress %. Click for the unit's history.")}
      </span>
      {cell && (
        <Suspense fallback={null}>
          <CellDrawer cell={cell} onClose={() => setCell(null)} />
        </Suspense>
      )}
    </Space>
  );
}
