import { useEffect, useRef } from 'react';
import uPlot from 'uplot';

export interface Series {
  label: string;
  color: string;
  values: (number | null)[];
  /** Draw as bars (counts) rather than a line: -1 left of the tick, 1 right of it, so two series sit side by side. */
  bars?: -1 | 1;
}

/**
 * A uPlot chart sized to its container (redrawn on resize). The canvas is described for screen
 * readers by `summary`, since its pixels say nothing to them.
 */
export function Chart(props: { title: string; summary: string; times: number[]; series: Series[]; unit: string }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const step = props.times.length > 1 ? props.times[1] - props.times[0] : 60;
    const plot = new uPlot(
      {
        width: Math.max(280, el.clientWidth),
        height: 220,
        // One bucket of margin each side, so the bars of the first and the current bucket are not cut off.
        scales: { x: { time: true, range: (_u, min, max) => [min - step, max + step] } },
        axes: [{}, { label: props.unit, size: 60 }],
        series: [
          {},
          ...props.series.map((s) => ({
            label: s.label,
            stroke: s.color,
            fill: s.bars ? `${s.color}cc` : undefined,
            width: s.bars ? 0 : 2,
            paths: s.bars ? uPlot.paths.bars?.({ size: [0.45, 12], align: s.bars }) : undefined,
            points: { show: !s.bars },
            spanGaps: !s.bars,
          })),
        ],
      },
      [props.times, ...props.series.map((s) => s.values)] as uPlot.AlignedData,
      el,
    );
    const resize = new ResizeObserver(() => plot.setSize({ width: Math.max(280, el.clientWidth), height: 220 }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [props.times, props.series, props.unit]);
  return (
    <figure className="chart">
      <figcaption>{props.title}</figcaption>
      <div ref={box} role="img" aria-label={`${props.title}. ${props.summary}`} />
    </figure>
  );
}
