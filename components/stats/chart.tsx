/**
 * Server-rendered SVG line charts (no chart script: the strict CSP forbids the style attributes
 * chart libraries write, and an SVG re-sent over SSE is live enough). Colours come from CSS
 * classes, so they follow the light and dark themes; labels are HTML beside the SVG, so they
 * keep their size when the SVG stretches to the width of a phone.
 */
import { formatBytes } from "../format.ts";

/** One line: its label, CSS class (its colour) and points (null: no figure, a gap). */
export type Series = { label: string; cls: string; points: { t: number; v: number | null }[] };

export type ChartProps = {
  id: string;
  title: string;
  series: Series[];
  from: number;
  to: number;
  /** The top of the scale (100 for CPU %, a memory total); data above it raise it. */
  minMax?: number;
  format: (v: number) => string;
};

const W = 600;
const H = 120;

/** The path of one series: a new stroke after a gap (a null, or a pause of 3 steps or more). */
export function linePath(
  points: Series["points"],
  x: (t: number) => number,
  y: (v: number) => number,
): string {
  const known = points.filter((p) => p.v !== null);
  const steps = known.slice(1).map((p, i) => p.t - known[i].t).sort((a, b) => a - b);
  const step = steps[Math.floor(steps.length / 2)] ?? 0;
  let d = "";
  let prev: number | null = null;
  for (const p of points) {
    if (p.v === null) {
      prev = null;
      continue;
    }
    const gap = prev === null || (step > 0 && p.t - prev > 3 * step);
    d += `${gap ? "M" : "L"}${x(p.t).toFixed(1)},${y(p.v).toFixed(1)}`;
    prev = p.t;
  }
  return d;
}

/** A round top for the scale: 1, 2 or 5 times a power of ten (or of 1024 for bytes). */
export function niceMax(max: number): number {
  if (max <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(max));
  for (const m of [1, 2, 5, 10]) if (m * p >= max) return m * p;
  return 10 * p;
}

const latest = (s: Series) => [...s.points].reverse().find((p) => p.v !== null)?.v ?? null;

export function Chart({ id, title, series, from, to, minMax = 0, format }: ChartProps) {
  const values = series.flatMap((s) => s.points.map((p) => p.v ?? 0));
  const dataMax = Math.max(0, ...values);
  // A given top (100 %, the memory total) stands as it is while the data stay under it.
  const top = minMax > 0 && dataMax <= minMax ? minMax : niceMax(Math.max(minMax, dataMax));
  const span = Math.max(1, to - from);
  const x = (t: number) => ((t - from) / span) * W;
  const y = (v: number) => H - (v / top) * H;
  const empty = series.every((s) => s.points.every((p) => p.v === null));
  const summary = series.map((s) => {
    const v = latest(s);
    return `${s.label} ${v === null ? "n/a" : format(v)}`;
  }).join(", ");
  return (
    <figure class="chart" id={id}>
      <figcaption>
        <span class="chart-title">{title}</span>
        {series.map((s) => {
          const v = latest(s);
          return (
            <span class={`chart-key ${s.cls}`}>
              {s.label} <b>{v === null ? "n/a" : format(v)}</b>
            </span>
          );
        })}
      </figcaption>
      <div class="chart-plot">
        {!empty && <span class="chart-top">{format(top)}</span>}
        <svg
          viewBox={`0 0 ${W} ${H}`}
          preserveAspectRatio="none"
          role="img"
          aria-label={`${title}: ${empty ? "no figures yet" : `latest ${summary}`}`}
        >
          {[0.25, 0.5, 0.75].map((f) => (
            <line class="chart-grid" x1="0" x2={W} y1={H * f} y2={H * f} />
          ))}
          {series.map((s) => (
            <path
              class={`chart-line ${s.cls}`}
              d={linePath(s.points, x, y)}
              vector-effect="non-scaling-stroke"
            />
          ))}
        </svg>
        {empty && <span class="chart-empty muted">No figures yet</span>}
      </div>
    </figure>
  );
}

export const formatPercent = (v: number) => `${v >= 10 ? Math.round(v) : v.toFixed(1)} %`;
export const formatRate = (v: number) => `${formatBytes(v)}/s`;
export const formatLoad = (v: number) => v.toFixed(2);
/** A figure, or "n/a" when the kernel gave none. */
export const orNa = (v: number | null, format: (v: number) => string) =>
  v === null ? "n/a" : format(v);
