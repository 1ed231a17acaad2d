import { LineChart } from "echarts/charts";
import { GridComponent, LegendComponent, MarkLineComponent, TooltipComponent } from "echarts/components";
import * as echarts from "echarts/core";
import { CanvasRenderer } from "echarts/renderers";
import { useEffect, useRef } from "react";
import { trendAxis } from "../trend-axis.ts";

echarts.use([LineChart, GridComponent, TooltipComponent, LegendComponent, MarkLineComponent, CanvasRenderer]);

export interface TrendSeries {
  name: string;
  target: number;
  measureUnit: string | null;
  /** One value per period (the latest reported in it), oldest first. */
  points: { periodKey: string; value: number }[];
}

/** Indicator values per period against the target line. Loaded lazily with ECharts. */
export default function TrendChart({ series, targetLabel }: { series: TrendSeries; targetLabel: string }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!ref.current) return;
    const chart = echarts.init(ref.current);
    const unit = series.measureUnit ?? "";
    const percent = unit.trim() === "%" || unit.trim() === "％";
    const axis = trendAxis(series.points.map((p) => p.value), series.target, percent);
    chart.setOption({
      grid: { left: 48, right: 24, top: 24, bottom: 32 },
      tooltip: { trigger: "axis" },
      xAxis: { type: "category", data: series.points.map((p) => p.periodKey) },
      yAxis: { type: "value", min: axis.min, max: axis.max, axisLabel: { formatter: `{value}${unit}` } },
      series: [
        {
          name: series.name,
          type: "line",
          data: series.points.map((p) => p.value),
          symbolSize: 8,
          markLine: { symbol: "none", lineStyle: { type: "dashed", color: "#cf1322" }, label: { formatter: `${targetLabel} ${series.target}${unit}` }, data: [{ yAxis: series.target }] },
        },
      ],
    });
    const resize = () => chart.resize();
    window.addEventListener("resize", resize);
    return () => {
      window.removeEventListener("resize", resize);
      chart.dispose();
    };
  }, [series, targetLabel]);
  return <div ref={ref} style={{ width: "100%", height: 220 }} role="img" aria-label={`${series.name} trend`} />;
}
