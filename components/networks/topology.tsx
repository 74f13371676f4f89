/**
 * The topology picture: networks on the left, containers on the right, a line for each
 * attachment. Server-rendered SVG (no script): it scales to the width it is given, with a
 * viewBox narrow enough that its text stays readable on a phone, and takes its colours from
 * the palette (static/app.css), so it follows the light and dark themes.
 */
import { containerHref } from "../containers/common.tsx";
import { compareText } from "../../services/text.ts";

export type TopoNetwork = { id: string; name: string; href: string; sub?: string };
export type TopoContainer = { id: string; name: string; state: string; sub?: string };
export type TopoEdge = { network: string; container: string };

const WIDTH = 320;
const NODE_W = 124;
const GAP = WIDTH - 2 * NODE_W - 8;
const PAD = 6;
/** Colours cycle through the palette's tag colours (`--c-*`), one a network. */
const HUES = 6;

/** A name cut to what fits a node; the whole name is in the node's tooltip. */
function fit(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** Containers ordered by the mean position of their networks, so that lines cross less. */
function ordered(networks: TopoNetwork[], containers: TopoContainer[], edges: TopoEdge[]) {
  const index = new Map(networks.map((n, i) => [n.id, i]));
  const weight = (c: TopoContainer) => {
    const at = edges.filter((e) => e.container === c.id).map((e) => index.get(e.network) ?? 0);
    return at.length ? at.reduce((a, b) => a + b, 0) / at.length : networks.length;
  };
  return containers.map((c) => ({ c, w: weight(c) })).sort((a, b) =>
    a.w - b.w || compareText(a.c.name, b.c.name)
  ).map((x) => x.c);
}

/** Even spacing of `count` nodes over `height`. */
const centerOf = (i: number, count: number, height: number) =>
  PAD + ((i + 0.5) * (height - 2 * PAD)) / count;

function NodeText({ x, y, name, sub, max }: {
  x: number;
  y: number;
  name: string;
  sub?: string;
  max: number;
}) {
  return (
    <>
      <text x={x} y={sub ? y - 4 : y + 4} class="topo-name">{fit(name, max)}</text>
      {sub && <text x={x} y={y + 10} class="topo-sub">{fit(sub, max + 4)}</text>}
    </>
  );
}

export function Topology(
  { networks, containers, edges, label }: {
    networks: TopoNetwork[];
    containers: TopoContainer[];
    edges: TopoEdge[];
    /** What the picture shows, for screen readers (the tables beside it hold the same). */
    label: string;
  },
) {
  const right = ordered(networks, containers, edges);
  const withSub = [...networks, ...right].some((n) => n.sub);
  const rowH = withSub ? 42 : 32;
  const nodeH = withSub ? 34 : 24;
  const height = Math.max(networks.length, right.length, 1) * rowH + 2 * PAD;
  const netY = new Map(networks.map((n, i) => [n.id, centerOf(i, networks.length, height)]));
  const ctrY = new Map(right.map((c, i) => [c.id, centerOf(i, right.length, height)]));
  const hue = new Map(networks.map((n, i) => [n.id, i % HUES]));
  const x1 = 4 + NODE_W;
  const x2 = x1 + GAP;
  return (
    <figure class="topology">
      <svg
        viewBox={`0 0 ${WIDTH} ${height}`}
        role="img"
        aria-label={label}
        xmlns="http://www.w3.org/2000/svg"
      >
        <g class="topo-edges">
          {edges.map((e) => {
            const a = netY.get(e.network);
            const b = ctrY.get(e.container);
            if (a === undefined || b === undefined) return null;
            const mid = x1 + GAP / 2;
            return (
              <path
                class={`topo-edge hue-${hue.get(e.network)}`}
                d={`M${x1},${a} C${mid},${a} ${mid},${b} ${x2},${b}`}
              />
            );
          })}
        </g>
        {networks.map((n) => {
          const y = netY.get(n.id)!;
          return (
            <a href={n.href} class={`topo-node topo-net hue-${hue.get(n.id)}`}>
              <title>{n.sub ? `${n.name} (${n.sub})` : n.name}</title>
              <rect x={4} y={y - nodeH / 2} width={NODE_W} height={nodeH} rx={6} />
              <NodeText x={12} y={y} name={n.name} sub={n.sub} max={16} />
            </a>
          );
        })}
        {right.map((c) => {
          const y = ctrY.get(c.id)!;
          return (
            <a href={containerHref(c.name)} class="topo-node topo-ctr">
              <title>{`${c.name} (${c.state})${c.sub ? `: ${c.sub}` : ""}`}</title>
              <rect x={x2} y={y - nodeH / 2} width={NODE_W} height={nodeH} rx={6} />
              <circle
                cx={x2 + 10}
                cy={y}
                r={4}
                class={`topo-state ${c.state === "running" ? "is-running" : "is-stopped"}`}
              />
              <NodeText x={x2 + 20} y={y} name={c.name} sub={c.sub} max={15} />
            </a>
          );
        })}
      </svg>
    </figure>
  );
}
