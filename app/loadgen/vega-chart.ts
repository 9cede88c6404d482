/**
 * PNG charts for benchmark reports: a Vega-Lite spec rendered to SVG by vega (pure JS), then to
 * PNG by resvg (prebuilt native). No browser, no canvas build.
 */
import { Resvg } from '@resvg/resvg-js';
import * as vega from 'vega';
import * as vegaLite from 'vega-lite';
import type { TopLevelSpec } from 'vega-lite';

export async function renderPng(spec: TopLevelSpec): Promise<Buffer> {
  const compiled = vegaLite.compile(spec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  return new Resvg(svg, { background: 'white', font: { loadSystemFonts: true } }).render().asPng();
}

/** A line chart of `y` against `x`, one line per `series`, with axis titles. */
export function lineChart(options: {
  title: string;
  data: Record<string, unknown>[];
  x: { field: string; title: string; log?: boolean };
  y: { field: string; title: string };
  series?: string;
}): TopLevelSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: options.title,
    width: 640,
    height: 360,
    data: { values: options.data },
    mark: { type: 'line', point: true },
    encoding: {
      x: { field: options.x.field, type: 'quantitative', title: options.x.title, scale: options.x.log ? { type: 'log' } : {} },
      y: { field: options.y.field, type: 'quantitative', title: options.y.title },
      ...(options.series ? { color: { field: options.series, type: 'nominal' } } : {}),
    },
  } as TopLevelSpec;
}
