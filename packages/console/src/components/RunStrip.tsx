import { useEffect, useMemo, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { RunView } from '../api/types';
import { CR_ZONE, crDateOf, formatCRDateTime } from '../format/cr-time';

const HEIGHT = 72;

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
        height: HEIGHT,
        // The day ticks are CR days, whatever the browser's zone.
        tzDate: (seconds) => uPlot.tzDate(new Date(seconds * 1000), CR_ZONE),
        legend: { show: false },
        cursor: { show: false },
        select: { show: false, left: 0, top: 0, width: 0, height: 0 },
        axes: [
          { stroke: '#57606a', size: 22, font: '11px system-ui, sans-serif', space: 48, values: '{D} {MMM}', grid: { stroke: '#eaeef2', width: 1 }, ticks: { show: false } },
          { show: false },
        ],
        // A little room past now, so today's runs are not cut at the edge.
        scales: { x: { time: true, range: () => [from / 1000, now.getTime() / 1000 + (days * 86_400) / 40] }, y: { distr: 3 } },
        series: [{}, ...SERIES.map(({ color }) => ({ stroke: color, fill: color, width: 0, points: { show: true, size: 7, fill: color, stroke: color } }))],
      },
      [xs, ...ys] as uPlot.AlignedData,
      element,
    );
    const resize = new ResizeObserver(() => plot.setSize({ width: Math.max(element.clientWidth, 160), height: HEIGHT }));
    resize.observe(element);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [shown, from, now, days]);

  const counts = SERIES.map(({ status, label }) => `${shown.filter((run) => run.status === status).length} ${label}`).join(', ');
  const tally = `${shown.length} ${shown.length === 1 ? 'run' : 'runs'}: ${counts}`;
  const summary = `Last ${days} days, since ${crDateOf(new Date(from))}: ${tally}`;
  const latest = shown[0];
  if (shown.length === 0) return <p className="muted small">No runs in the last {days} days.</p>;
  return (
    <figure className="run-strip">
      <div ref={box} className="run-strip-plot" role="img" aria-label={summary} title={latest ? `latest ${formatCRDateTime(latest.startedAt)}` : summary} />
      <figcaption className="muted small">{tally}</figcaption>
    </figure>
  );
}
