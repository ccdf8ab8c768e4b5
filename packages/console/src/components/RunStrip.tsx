import { useEffect, useMemo, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { RunView } from '../api/types';
import { crDateOf, formatCRDateTime } from '../format/cr-time';

const SERIES = [
  { status: 'SUCCESS', label: 'succeeded', color: '#1a7f37' },
  { status: 'FAILED', label: 'failed', color: '#c62828' },
  { status: 'SKIPPED', label: 'skipped', color: '#6b6b6b' },
] as const;

/** Runs of the last `days` days as points (time across, duration up), with a text summary for screen readers. */
export function RunStrip({ runs, days, now }: { runs: RunView[]; days: number; now: Date }) {
  const box = useRef<HTMLDivElement>(null);
  const from = now.getTime() - days * 86_400_000;
  const shown = useMemo(() => runs.filter((run) => Date.parse(run.startedAt) >= from), [runs, from]);

  useEffect(() => {
    const element = box.current;
    if (!element) return;
    const sorted = [...shown].sort((a, b) => Date.parse(a.startedAt) - Date.parse(b.startedAt));
    const xs = sorted.map((run) => Date.parse(run.startedAt) / 1000);
    const ys = SERIES.map(({ status }) => sorted.map((run) => (run.status === status ? Math.max(run.durationMs ?? 0, 1) / 1000 : null)));
    const plot = new uPlot(
      {
        width: Math.max(element.clientWidth, 160),
        height: 56,
        legend: { show: false },
        cursor: { show: false },
        select: { show: false, left: 0, top: 0, width: 0, height: 0 },
        axes: [{ show: false }, { show: false }],
        scales: { x: { time: true, range: () => [from / 1000, now.getTime() / 1000] }, y: { distr: 3 } },
        series: [{}, ...SERIES.map(({ color }) => ({ stroke: color, fill: color, width: 0, points: { show: true, size: 7, fill: color, stroke: color } }))],
      },
      [xs, ...ys] as uPlot.AlignedData,
      element,
    );
    const resize = new ResizeObserver(() => plot.setSize({ width: Math.max(element.clientWidth, 160), height: 56 }));
    resize.observe(element);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [shown, from, now]);

  const counts = SERIES.map(({ status, label }) => `${shown.filter((run) => run.status === status).length} ${label}`).join(', ');
  const summary = `Last ${days} days, since ${crDateOf(new Date(from))}: ${shown.length} runs (${counts})`;
  const latest = shown[0];
  return (
    <figure className="run-strip">
      <div ref={box} className="run-strip-plot" role="img" aria-label={summary} title={latest ? `latest ${formatCRDateTime(latest.startedAt)}` : summary} />
      <figcaption className="muted small">{summary}</figcaption>
    </figure>
  );
}
