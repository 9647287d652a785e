// The playback timeline: one row per source with recorded ranges (gaps between), events and bookmarks; click or drag to seek; wheel or buttons zoom a week down to a minute.
import { useRef, useState } from 'preact/hooks';
import type { Timeline } from '../../common/investigation';
import { formatDateTime, formatTime } from '../format';

export interface TimelineProps {
  /** `device`: the ranges a GB/T 28181 channel keeps on its device (drawn as a band under Argus's own). */
  rows: Array<{ cameraId: number; name: string; data: Timeline | null; device?: ReadonlyArray<{ startMs: number; endMs: number }> }>;
  /** Tooltip of a device range. */
  deviceLabel?: string;
  viewStartMs: number;
  spanMs: number;
  cursorMs: number;
  markIn: number | null;
  markOut: number | null;
  onSeek(ms: number): void;
  onZoom(factor: number, aroundMs: number): void;
  onPan(deltaMs: number): void;
}

const pct = (v: number) => `${(v * 100).toFixed(4)}%`;

/** Tick step (ms) for a span: about 6-12 labels. */
function tickStep(spanMs: number): number {
  const steps = [1000, 5000, 10_000, 30_000, 60_000, 300_000, 600_000, 1_800_000, 3_600_000, 3 * 3_600_000, 6 * 3_600_000, 12 * 3_600_000, 86_400_000];
  return steps.find((s) => 12 * s >= spanMs) ?? 86_400_000;
}

export function TimelineView(p: TimelineProps) {
  const ref = useRef<HTMLDivElement>(null);
  const [drag, setDragState] = useState<number | null>(null);
  // The pointer handlers read the drag from a ref: down and up may come before Preact re-renders.
  const dragRef = useRef<number | null>(null);
  const setDrag = (v: number | null) => {
    dragRef.current = v;
    setDragState(v);
  };
  const x2ms = (clientX: number) => {
    const r = ref.current!.getBoundingClientRect();
    return Math.round(p.viewStartMs + ((clientX - r.left) / r.width) * p.spanMs);
  };
  const rel = (ms: number) => (ms - p.viewStartMs) / p.spanMs;
  const step = tickStep(p.spanMs);
  const ticks: number[] = [];
  for (let t = Math.ceil(p.viewStartMs / step) * step; t <= p.viewStartMs + p.spanMs; t += step) ticks.push(t);
  const shown = drag ?? p.cursorMs;
  const clip = (a: number, b: number) => ({ left: Math.max(0, rel(a)), right: Math.min(1, rel(b)) });
  return (
    <div
      class="pb-timeline"
      ref={ref}
      data-view-start={p.viewStartMs}
      data-view-span={p.spanMs}
      data-cursor-ms={Math.round(p.cursorMs)}
      onPointerDown={(e) => {
        if (e.button !== 0) return;
        (e.currentTarget as HTMLElement).setPointerCapture(e.pointerId);
        setDrag(x2ms(e.clientX));
      }}
      onPointerMove={(e) => {
        if (dragRef.current !== null) setDrag(x2ms(e.clientX));
      }}
      onPointerUp={(e) => {
        if (dragRef.current === null) return;
        setDrag(null);
        p.onSeek(x2ms(e.clientX));
      }}
      onWheel={(e) => {
        e.preventDefault();
        if (e.shiftKey) p.onPan((e.deltaY / 500) * p.spanMs);
        else p.onZoom(e.deltaY > 0 ? 2 : 0.5, x2ms(e.clientX));
      }}
    >
      <div class="pb-ticks">
        {ticks.map((t) => (
          // A label near either end is anchored inside the timeline instead of centred on its tick (it would stick out).
          <span key={t} class="pb-tick" style={{ left: pct(rel(t)), transform: rel(t) > 0.95 ? 'translateX(-100%)' : rel(t) < 0.05 ? 'none' : undefined }}>
            {step >= 86_400_000 ? formatDateTime(t).slice(0, 10) : formatTime(t)}
          </span>
        ))}
      </div>
      {p.rows.map((row) => (
        <div class="pb-row" key={row.cameraId} data-camera-id={row.cameraId}>
          <span class="pb-row-name">{row.name}</span>
          {row.data?.ranges.map((r) => {
            const c = clip(r.startMs, r.endMs);
            return c.right > c.left ? <span key={r.startMs} class="pb-range" style={{ left: pct(c.left), width: pct(c.right - c.left) }} /> : null;
          })}
          {row.device?.map((r) => {
            const c = clip(r.startMs, r.endMs);
            return c.right > c.left ? (
              <span
                key={`d${r.startMs}`}
                class="pb-range-device"
                data-device-range={`${r.startMs}-${r.endMs}`}
                title={p.deviceLabel}
                style={{ left: pct(c.left), width: pct(c.right - c.left) }}
              />
            ) : null;
          })}
          {row.data?.bookmarks.map((b) => {
            const c = clip(b.startMs, Math.max(b.endMs, b.startMs + p.spanMs / 500));
            return c.right > c.left ? (
              <span key={`b${b.id}`} class="pb-bookmark" title={b.note} style={{ left: pct(c.left), width: pct(c.right - c.left) }} />
            ) : null;
          })}
          {row.data?.events.map((ev) => {
            const x = rel(ev.startMs);
            return x >= 0 && x <= 1 ? (
              <span
                key={`e${ev.id}`}
                class={`pb-event pb-event-${ev.type.replace(/[^a-z0-9-]/gi, '')}`}
                title={`${ev.type} ${formatDateTime(ev.startMs)}`}
                style={{ left: pct(x) }}
              />
            ) : null;
          })}
        </div>
      ))}
      {p.markIn !== null && p.markOut !== null ? (
        <span
          class="pb-selection"
          style={{ left: pct(clip(p.markIn, p.markOut).left), width: pct(Math.max(0, clip(p.markIn, p.markOut).right - clip(p.markIn, p.markOut).left)) }}
        />
      ) : null}
      {rel(shown) >= 0 && rel(shown) <= 1 ? <span class="pb-cursor" style={{ left: pct(rel(shown)) }} /> : null}
    </div>
  );
}
