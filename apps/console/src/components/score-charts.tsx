import { BarChart, LineChart } from "echarts/charts";
import { GridComponent, LegendComponent, TooltipComponent } from "echarts/components";
import * as echarts from "echarts/core";
import { CanvasRenderer } from "echarts/renderers";
import { useEffect, useRef } from "react";

echarts.use([BarChart, LineChart, GridComponent, TooltipComponent, LegendComponent, CanvasRenderer]);

export interface ScoreChartUnit {
  unit: string;
  onTimeRate: number | null;
  quarters: { quarter: number; onTimeRate: number | null }[];
}

const percent = (rate: number | null) => (rate === null ? null : Math.round(rate * 1000) / 10);

function useChart(build: () => echarts.EChartsCoreOption, deps: unknown[]) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!ref.current) return;
    const chart = echarts.init(ref.current);
    chart.setOption(build());
    const resize = () => chart.resize();
    window.addEventListener("resize", resize);
    return () => {
      window.removeEventListener("resize", resize);
      chart.dispose();
    };
  }, deps);
  return ref;
}

/** 按时办结率 per unit (bars, ranking order) and per quarter (lines: all units, and the unit picked). Loaded lazily with ECharts. */
export default function ScoreCharts({ units, picked, labels }: { units: ScoreChartUnit[]; picked: string | null; labels: { rate: string; all: string; quarter: (q: number) => string } }) {
  const bars = useChart(
    () => ({
      grid: { left: 48, right: 16, top: 16, bottom: 80 },
      tooltip: { trigger: "axis", valueFormatter: (v: unknown) => (v === null || v === undefined ? "—" : `${v}%`) },
      xAxis: { type: "category", data: units.map((u) => u.unit), axisLabel: { rotate: 40, interval: 0 } },
      yAxis: { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" } },
      series: [{ name: labels.rate, type: "bar", data: units.map((u) => percent(u.onTimeRate)), itemStyle: { color: "#b71c1c" } }],
    }),
    [units, labels.rate],
  );
  const quarters = [1, 2, 3, 4];
  const average = (q: number) => {
    const rates = units.map((u) => u.quarters.find((x) => x.quarter === q)?.onTimeRate).filter((r): r is number => typeof r === "number");
    return rates.length ? rates.reduce((a, b) => a + b, 0) / rates.length : null;
  };
  const pickedUnit = units.find((u) => u.unit === picked) ?? null;
  const lines = useChart(
    () => ({
      grid: { left: 48, right: 16, top: 32, bottom: 32 },
      tooltip: { trigger: "axis", valueFormatter: (v: unknown) => (v === null || v === undefined ? "—" : `${v}%`) },
      legend: { top: 0 },
      xAxis: { type: "category", data: quarters.map(labels.quarter) },
      yAxis: { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" } },
      series: [
        { name: labels.all, type: "line", connectNulls: true, data: quarters.map((q) => percent(average(q))) },
        ...(pickedUnit ? [{ name: pickedUnit.unit, type: "line", connectNulls: true, data: quarters.map((q) => percent(pickedUnit.quarters.find((x) => x.quarter === q)?.onTimeRate ?? null)) }] : []),
      ],
    }),
    [units, picked, labels.all],
  );
  return (
    <div style={{ display: "flex", flexWrap: "wrap", gap: 16 }}>
      <div ref={bars} style={{ flex: "2 1 420px", minWidth: 0, height: 280 }} role="img" aria-label={labels.rate} data-testid="score-rate-chart" />
      <div ref={lines} style={{ flex: "1 1 300px", minWidth: 0, height: 280 }} role="img" aria-label={labels.all} data-testid="score-trend-chart" />
    </div>
  );
}
