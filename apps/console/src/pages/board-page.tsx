import { ReloadOutlined } from "@ant-design/icons";
import { useQuery } from "@tanstack/react-query";
import { Alert, Button, Empty, Segmented, Skeleton, Space, Tooltip } from "antd";
import { Fragment, lazy, Suspense, useState } from "react";
import { Link, useSearchParams } from "react-router";
import { LIGHT_COLOR, type LightValue, useLightLabel } from "../components/light.tsx";
import { AddTaskButton } from "../components/task-editing.tsx";
import { fmtDateTime, periodText, statusText } from "../format.ts";
import { useLang, useT } from "../i18n.tsx";
import { useRefetchWhenBoardChanges } from "../board-version.ts";
import { usePlanId } from "../plan-route.ts";
import { useErrorMessage, type Outputs, useTRPC } from "../trpc.ts";
import "./board.css";

// The history drawer (timeline, tables) loads on the first click, not with the board.
const CellDrawer = lazy(() => import("../components/cell-drawer.tsx"));

type Board = Outputs["board"]["get"];

const TASK_COL = 300;
const UNIT_COL = 44;
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
  return { filters, set, setParams };
}

/** ✓ done, ! an open difficulty, else the reported progress (capped at 99 so 100 never reads as done). */
function cellGlyph(cell: Cell): string {
  if (cell.status === "done") return "✓";
  if (cell.status === "blocked" && !cell.coordinated) return "!";
  return cell.progress !== null ? String(Math.min(99, cell.progress)) : "";
}

function CellButton({ row, unit, cell, onOpen }: { row: Row; unit: Board["units"][number]; cell: Cell; onOpen: () => void }) {
  const t = useT();
  const { lang } = useLang();
  const lightLabel = useLightLabel();
  const tip = [
    `${unit.name}（${cell.role === "lead" ? t("牵头", "lead") : t("配合", "support")}）`,
    lightLabel(cell.light),
    `${t("最新状态", "Latest status")}：${statusText(cell.status, lang)}${cell.coordinated ? t("（已协调）", " (coordinated)") : ""}${cell.progress !== null ? ` ${cell.progress}%` : ""}`,
    cell.dueAt
      ? `${cell.submitted ? t("已报送", "Submitted") : t("待报送", "Due")}：${periodText(cell.periodKey, lang)} · ${t("截止", "due")} ${fmtDateTime(cell.dueAt)}`
      : t("暂无报送任务", "Nothing due yet"),
    cell.lastUpdateAt ? `${t("最近填报", "Last report")}：${fmtDateTime(cell.lastUpdateAt)}` : t("尚未填报", "No report yet"),
  ];
  return (
    <Tooltip title={tip.map((line) => <div key={line}>{line}</div>)} mouseEnterDelay={0.2}>
      <button
        type="button"
        className={`board-cell board-cell-${cell.light}${cell.role === "lead" ? " board-cell-lead" : ""}`}
        data-testid={`cell-${row.taskId}-${unit.id}`}
        data-light={cell.light}
        data-status={cell.status ?? ""}
        aria-label={`${row.number} ${unit.name} ${lightLabel(cell.light)} ${statusText(cell.status, lang)}`}
        onClick={onOpen}
      >
        {cellGlyph(cell)}
      </button>
    </Tooltip>
  );
}

function Legend() {
  const t = useT();
  const lightLabel = useLightLabel();
  return (
    <div className="board-legend" aria-label={t("图例", "Legend")}>
      {(["red", "yellow", "green"] as const).map((light) => (
        <span key={light}>
          <span className={`board-cell board-cell-${light} board-legend-cell`} />
          {lightLabel(light)}
        </span>
      ))}
      <span>
        <span className="board-cell board-cell-lead board-legend-cell board-legend-plain" />
        {t("粗框：牵头单位", "Ring: lead unit")}
      </span>
      <span>
        <b>✓</b> {t("已完成", "done")}
      </span>
      <span>
        <b>!</b> {t("有困难待协调", "difficulty to coordinate")}
      </span>
      <span>
        <b>60</b> {t("填报进度%", "progress %")}
      </span>
    </div>
  );
}

export default function BoardPage() {
  const errorMessage = useErrorMessage();
  const t = useT();
  const trpc = useTRPC();
  const lightLabel = useLightLabel();
  const { filters, set, setParams } = useBoardFilters();
  const [cell, setCell] = useState<{ taskId: number; unitId: number } | null>(null);
  // Polling the version keeps the board within seconds of a liaison's reply in chat, with no
  // manual reload; the board itself is fetched again only when the version moved.
  const planId = usePlanId();
  const board = useQuery(trpc.board.get.queryOptions({ ...filters, planId }, { placeholderData: (prev) => prev }));
  useRefetchWhenBoardChanges(planId, board.refetch);

  if (board.isError && !board.data) return <Alert type="error" showIcon title={errorMessage(board.error)} />;
  const data = board.data;
  const showGroups = !filters.groupId && (data?.groups.length ?? 0) > 1;
  const groupOf = (id: number | null) => data?.groups.find((g) => g.id === id) ?? null;

  return (
    <Space orientation="vertical" size={12} style={{ width: "100%" }}>
      <div style={{ display: "flex", justifyContent: "space-between", alignItems: "center", gap: 16 }}>
        <div style={{ minWidth: 0 }}>
          <h3 className="board-title">{t("总览", "Board")}</h3>
          <span className="board-muted">
            {data ? `${data.planTitle ?? t("尚未导入方案", "No plan yet")} · ${t("数据截至", "as of")} ${fmtDateTime(data.now)} · ${t("每 5 秒检查更新", "checks for changes every 5 s")}` : t("加载中…", "Loading…")}
          </span>
        </div>
        <Space>
          {data?.planTitle && <AddTaskButton groups={data.groups} />}
          <Button icon={<ReloadOutlined spin={board.isFetching} />} onClick={() => board.refetch()}>
            {t("刷新", "Refresh")}
          </Button>
        </Space>
      </div>
      {board.isError && <Alert type="warning" showIcon title={`${t("刷新失败，显示的是上次的数据：", "Refresh failed; showing the last data: ")}${errorMessage(board.error)}`} />}

      <div className="board-counts">
        {(["red", "yellow", "green"] as const).map((light) => (
          <button
            type="button"
            key={light}
            className="board-count board-count-button"
            aria-pressed={filters.light === light}
            title={filters.light === light ? t("再次点击取消筛选", "Click again to show all") : t("点击只看该颜色", "Click to show only this light")}
            onClick={() => set("light", filters.light === light ? null : light)}
            style={filters.light === light ? { borderColor: LIGHT_COLOR[light], boxShadow: `0 0 0 1px ${LIGHT_COLOR[light]}` } : undefined}
          >
            <span className="board-count-title">
              <span className={`board-cell board-cell-${light} board-legend-cell`} />
              {lightLabel(light)}
            </span>
            <span className="board-count-value" style={{ color: light === "yellow" ? "#d48806" : LIGHT_COLOR[light] }} data-testid={`count-${light}`}>
              {data?.counts[light] ?? 0}
            </span>
          </button>
        ))}
        <div className="board-count">
          <span className="board-count-title" title={t("任务×责任单位", "task × responsible unit")}>{t("责任事项", "Task × unit cells")}</span>
          <span className="board-count-value">
            {data?.counts.total ?? 0}
            <span className="board-count-suffix">
              {" "}
              {t("项", "")} · {data?.rows.length ?? 0} {t("项任务", "tasks")}
            </span>
          </span>
        </div>
      </div>

      <div className="board-toolbar">
        {/* Native selects: antd's Select would bring its form machinery into the first route. */}
        <select
          className="board-filter"
          value={filters.groupId ?? ""}
          onChange={(e) => set("group", e.target.value || null)}
          aria-label={t("按任务分组筛选", "Filter by group")}
          data-testid="filter-group"
        >
          <option value="">{t("全部任务分组", "All groups")}</option>
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
          <option value="">{t("全部责任单位", "All units")}</option>
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
        {(filters.groupId || filters.unitId || filters.light) && (
          <Button type="link" onClick={() => setParams(new URLSearchParams(), { replace: true })}>
            {t("清除筛选", "Clear filters")}
          </Button>
        )}
      </div>

      {!data ? (
        <Skeleton active paragraph={{ rows: 10 }} />
      ) : data.planTitle === null ? (
        <Empty description={t("尚未导入工作方案，导入后这里显示各任务、各单位的红黄绿灯", "No plan imported yet; once imported, every task and unit shows here with its light")}>
          <Link to="/import">{t("去导入方案", "Import a plan")}</Link>
        </Empty>
      ) : data.rows.length === 0 ? (
        <Empty description={t("没有符合筛选条件的任务", "No task matches the filters")}>
          <Button onClick={() => setParams(new URLSearchParams(), { replace: true })}>{t("清除筛选", "Clear filters")}</Button>
        </Empty>
      ) : (
        <>
          <Legend />
          {/* A plain table: the matrix needs no sorting or paging, and the board stays light to load. */}
          <div className="board-scroll">
            {/* Fixed layout: every unit column the same narrow width, so ~20 units fit beside the task titles. */}
            <table className="board-table" data-testid="board-table" style={{ width: `calc(var(--board-task-col, ${TASK_COL}px) + ${data.units.length * UNIT_COL}px)` }}>
              <thead>
                <tr>
                  <th className="board-task-col">
                    {t("任务", "Task")}
                    <span className="board-muted board-head-hint">{t("（点击任务看详情，点击圆点看单位报送）", "(click a task for details, a dot for the unit's reports)")}</span>
                  </th>
                  {data.units.map((unit) => (
                    <th key={unit.id} className="board-unit-col" title={unit.name} scope="col">
                      <span className="board-unit-name">{unit.name}</span>
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {data.rows.map((row, index) => {
                  const group = groupOf(row.groupId);
                  const newGroup = showGroups && group && (index === 0 || data.rows[index - 1]!.groupId !== row.groupId);
                  return (
                    <Fragment key={row.taskId}>
                      {newGroup && (
                        <tr className="board-group-row" data-testid={`board-group-${group.id}`}>
                          <th className="board-task-col" scope="rowgroup">
                            {group.number} {group.heading}
                          </th>
                          <td colSpan={data.units.length} />
                        </tr>
                      )}
                      <tr data-testid={`board-row-${row.number}`}>
                        <th scope="row" className="board-task-col">
                          <span className="board-row-light" style={{ background: LIGHT_COLOR[row.light] }} title={lightLabel(row.light)} />
                          <Link to={data.planId ? `/plans/${data.planId}/tasks/${row.taskId}` : `/tasks/${row.taskId}`} data-testid={`task-link-${row.number}`} title={`${row.number}. ${row.title}`}>
                            {row.number}. {row.title}
                          </Link>
                        </th>
                        {data.units.map((unit) => {
                          const c = row.cells.find((x) => x.unitId === unit.id);
                          return <td key={unit.id}>{c ? <CellButton row={row} unit={unit} cell={c} onOpen={() => setCell({ taskId: row.taskId, unitId: unit.id })} /> : null}</td>;
                        })}
                      </tr>
                    </Fragment>
                  );
                })}
              </tbody>
            </table>
          </div>
        </>
      )}
      {cell && (
        <Suspense fallback={null}>
          <CellDrawer cell={cell} now={data?.now ?? null} onClose={() => setCell(null)} />
        </Suspense>
      )}
    </Space>
  );
}
