import { useEffect, useRef } from 'preact/hooks';
import { AreaSeries, createChart, type IChartApi, type ISeriesApi } from 'lightweight-charts';
import { chartPoints, type EquityPoint } from './chart-points.ts';

/** The equity curve (lightweight-charts), resized with its box. */
export function EquityChart({ points }: { readonly points: readonly EquityPoint[] }) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<IChartApi | undefined>(undefined);
  const series = useRef<ISeriesApi<'Area'> | undefined>(undefined);
  useEffect(() => {
    if (!box.current) return;
    const c = createChart(box.current, {
      autoSize: true,
      layout: { background: { color: 'transparent' }, textColor: '#9aa7b4' },
      grid: { vertLines: { color: '#1f2a36' }, horzLines: { color: '#1f2a36' } },
      timeScale: { timeVisible: true, secondsVisible: false },
    });
    series.current = c.addSeries(AreaSeries, { lineColor: '#3fb68b', topColor: 'rgba(63,182,139,0.35)', bottomColor: 'rgba(63,182,139,0.02)', lineWidth: 2 });
    chart.current = c;
    return () => {
      c.remove();
      chart.current = undefined;
    };
  }, []);
  useEffect(() => {
    series.current?.setData(chartPoints(points));
    chart.current?.timeScale().fitContent();
  }, [points]);
  return <div class="chart" ref={box} data-testid="equity-chart" />;
}
