import type { BlockSummary } from './summary';

/**
 * The summary as one self-contained HTML file: inline CSS and inline SVG, no script, no font, no
 * image and no link to anything, and a Content-Security-Policy that forbids every fetch, so that
 * opening it never touches the network.
 */
export interface HtmlReportOptions {
  title?: string;
  /** The inputs summarised, shown under the title. */
  inputs?: readonly string[];
  generatedAt?: Date;
}

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const n = (x: number) => x.toLocaleString('en-US');

function changes(summary: BlockSummary): string {
  const { total, shown } = summary.changes;
  if (total === 0) return '';
  const rows = shown
    .map(
      (c) =>
        `<tr><td>${escape(c.time)}</td><td>${c.eventId}</td><td>${escape(c.change)}</td><td class="value">${escape(c.subject ?? '')}</td><td>${escape(c.by ?? '')}</td></tr>`,
    )
    .join('');
  const heading = shown.length < total ? `the last ${shown.length} of ${n(total)}` : n(total);
  return `<h2 id="changes">Rule changes <small>${heading}</small></h2><table class="changes"><tr><th>Time</th><th>Event</th><th>Change</th><th>Rule or filter</th><th>By</th></tr>${rows}</table>`;
}

function timeline(summary: BlockSummary): string {
  const { points, step } = summary.timeline;
  if (points.length === 0) return '<p class="empty">No events.</p>';
  const width = 960;
  const height = 220;
  const top = 10;
  const bottom = 30;
  const max = Math.max(1, ...points.map((p) => p.blocked + p.allowed));
  const bar = width / points.length;
  const scale = (v: number) => ((height - top - bottom) * v) / max;
  const rects = points
    .map((p, i) => {
      const x = (i * bar).toFixed(2);
      const w = Math.max(1, bar - (bar > 4 ? 1 : 0)).toFixed(2);
      const hb = scale(p.blocked);
      const ha = scale(p.allowed);
      const base = height - bottom;
      const title = `${p.start}: ${n(p.blocked)} blocked, ${n(p.allowed)} allowed${p.changes ? `, ${n(p.changes)} rule changes` : ''}`;
      // A change is a mark above the axis' top: when a rule changed, beside what it blocked.
      const mark = p.changes ? `<rect class="change" x="${x}" y="${top}" width="${w}" height="4"/>` : '';
      return (
        `<g class="bucket" data-start="${p.start}" data-blocked="${p.blocked}" data-allowed="${p.allowed}" data-changes="${p.changes}"><title>${escape(title)}</title>` +
        `<rect class="blocked" x="${x}" y="${(base - hb).toFixed(2)}" width="${w}" height="${hb.toFixed(2)}"/>` +
        `<rect class="allowed" x="${x}" y="${(base - hb - ha).toFixed(2)}" width="${w}" height="${ha.toFixed(2)}"/>${mark}</g>`
      );
    })
    .join('');
  const label = (iso: string) =>
    escape(
      iso
        .replace('T', ' ')
        .replace(/:00\.000Z$|\.000Z$/, step === 'day' ? '' : ' UTC')
        .replace(/ 00:00 UTC$/, ''),
    );
  return (
    `<svg class="timeline" viewBox="0 0 ${width} ${height}" role="img" aria-label="events per ${step}">` +
    `<line x1="0" y1="${height - bottom}" x2="${width}" y2="${height - bottom}" class="axis"/>${rects}` +
    `<text x="0" y="${height - 8}" class="tick">${label(points[0].start)}</text>` +
    `<text x="${width}" y="${height - 8}" class="tick" text-anchor="end">${label(points[points.length - 1].start)}</text>` +
    `<text x="${width}" y="${top + 2}" class="tick" text-anchor="end">max ${n(max)} per ${step}</text></svg>`
  );
}

function topTable(key: string, title: string, values: BlockSummary['top'][string]['values'], distinct: number, total: number): string {
  if (values.length === 0) return '';
  const max = values[0].count;
  const rows = values
    .map(
      (v) =>
        `<tr><td class="value" title="${escape(v.value)}">${escape(v.value)}</td><td class="count">${n(v.count)}</td>` +
        `<td class="share">${((100 * v.count) / total).toFixed(1)}%</td>` +
        `<td class="bar"><span style="width:${((100 * v.count) / max).toFixed(1)}%"></span></td></tr>`,
    )
    .join('');
  return (
    `<section class="top" id="top-${escape(key)}"><h2>${escape(title)} <small>top ${values.length} of ${n(distinct)}</small></h2>` +
    `<table><thead><tr><th>value</th><th>events</th><th>share</th><th></th></tr></thead><tbody>${rows}</tbody></table></section>`
  );
}

export function summaryToHtml(summary: BlockSummary, options: HtmlReportOptions = {}): string {
  const title = options.title ?? 'WFP blocks';
  const span = summary.first ? `${summary.first} to ${summary.last}` : 'no events';
  const tops = Object.entries(summary.top)
    .map(([key, t]) => topTable(key, t.title, t.values, t.distinct, summary.events))
    .join('');
  const ids = summary.byEventId.map((c) => `<li><b>${escape(c.value)}</b> ${n(c.count)}</li>`).join('');
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(title)}</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:24px auto;max-width:1000px;color:#222;padding:0 12px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:16px;margin:24px 0 8px}h2 small{color:#777;font-weight:normal}
.meta{color:#666;margin:0 0 16px}.totals{display:flex;gap:24px;margin:12px 0}.totals div{background:#f5f5f5;padding:8px 14px;border-radius:6px}
.totals b{display:block;font-size:20px}.ids{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:6px 16px;margin:0}
.timeline{width:100%;height:auto;background:#fafafa}.timeline .blocked{fill:#c62828}.timeline .allowed{fill:#2e7d32}.timeline .change{fill:#1565c0}
.axis{stroke:#999}.tick{font-size:11px;fill:#555}.legend span{display:inline-block;width:10px;height:10px;margin:0 4px 0 12px}
table{border-collapse:collapse;width:100%}td,th{padding:3px 8px;text-align:left;border-bottom:1px solid #eee}
td.count,td.share{text-align:right;white-space:nowrap}td.value{width:55%;word-break:break-all;font-family:ui-monospace,monospace;font-size:13px}table{table-layout:fixed}th:nth-child(2),th:nth-child(3){width:9%}
td.bar{width:27%}td.bar span{display:block;height:10px;background:#c62828;border-radius:2px}
</style></head><body>
<h1>${escape(title)}</h1>
<p class="meta">${escape(span)}${options.inputs?.length ? ` &middot; ${escape(options.inputs.join(', '))}` : ''}${options.generatedAt ? ` &middot; generated ${escape(options.generatedAt.toISOString())}` : ''}</p>
<div class="totals"><div id="total-events"><b>${n(summary.events)}</b>events</div><div id="total-blocked"><b>${n(summary.blocked)}</b>blocked</div><div id="total-allowed"><b>${n(summary.allowed)}</b>allowed</div></div>
<ul class="ids">${ids}</ul>
<h2>Timeline <small>per ${summary.timeline.step}</small><span class="legend"><span style="background:#c62828"></span>blocked<span style="background:#2e7d32"></span>allowed<span style="background:#1565c0"></span>rule change</span></h2>
${timeline(summary)}
${changes(summary)}
${tops}
</body></html>
`;
}
