import type { Evaluation } from '@baton/core/classify';

export interface RouteEvalReport {
  readonly field: string;
  readonly train: { readonly file: string; readonly examples: number; readonly span: string };
  readonly test: { readonly file: string; readonly examples: number; readonly span: string };
  readonly splitDate: string | null;
  readonly threshold: number;
  readonly model: {
    readonly kind: string;
    readonly modelId: string;
    readonly classes: number;
    readonly rowsKept: number;
    readonly bytes: number;
    readonly temperature: number;
    readonly thresholds: { readonly act: number | null; readonly suggest: number | null };
    readonly calibrationEce: number;
    readonly calibrationCount: number;
    readonly trainSeconds: number;
    readonly savedTo: string | null;
  };
  readonly unknownLabels: readonly { readonly label: string; readonly count: number }[];
  readonly skippedEmpty: number;
  readonly evaluations: readonly Evaluation[];
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const num = (x: number) => x.toLocaleString('en-US');

/** The human-readable report: the comparison table first, then calibration and per-class detail. */
export function formatRouteEval(r: RouteEvalReport): string {
  const out: string[] = [];
  const m = r.model;
  out.push(`route-eval · field ${r.field}`);
  out.push(`  train ${num(r.train.examples)} issues ${r.train.span}`);
  out.push(`  test  ${num(r.test.examples)} issues ${r.test.span}`);
  out.push(
    `  model ${m.kind}, ${m.classes} classes, ${num(m.rowsKept)} hashed rows kept, ${(m.bytes / 1e6).toFixed(2)} MB JSON, trained in ${m.trainSeconds.toFixed(1)} s`,
  );
  const th = (x: number | null) => (x === null ? 'none' : x.toFixed(2));
  out.push(
    `  calibration (${num(m.calibrationCount)} held-out predictions: the newest 10% of train, or 5 interleaved folds cross-fitted when that is under 1,000): temperature ${m.temperature.toFixed(2)}, ECE ${m.calibrationEce.toFixed(3)}; act ≥ ${th(m.thresholds.act)} (90% precision), suggest ≥ ${th(m.thresholds.suggest)} (60%)`,
  );
  if (r.skippedEmpty > 0) out.push(`  skipped ${num(r.skippedEmpty)} issues with neither summary nor description`);
  if (r.unknownLabels.length > 0) {
    const total = r.unknownLabels.reduce((s, u) => s + u.count, 0);
    const list = r.unknownLabels
      .slice(0, 5)
      .map((u) => `${u.label} (${u.count})`)
      .join(', ');
    out.push(
      `  note: ${num(total)} test issues (${pct(total / r.test.examples)}) carry labels the model never learned: ${list}${r.unknownLabels.length > 5 ? ', …' : ''}; they count as misses`,
    );
  }
  out.push('');
  const hasAuc = r.evaluations.some((e) => e.auc !== undefined);
  const head = [
    '',
    'top-1',
    'top-3',
    'macro-F1',
    `cover@${r.threshold}`,
    `prec@${r.threshold}`,
    'ECE',
    ...(hasAuc ? ['AUC'] : []),
  ];
  const rows = r.evaluations.map((e) => [
    e.ranker,
    pct(e.metrics.top1),
    pct(e.metrics.top3),
    e.metrics.macroF1.toFixed(3),
    pct(e.metrics.coverage),
    e.metrics.coverage === 0 ? '—' : pct(e.metrics.precisionAtThreshold),
    e.reliability.ece.toFixed(3),
    ...(hasAuc ? [e.auc === undefined || Number.isNaN(e.auc) ? '—' : e.auc.toFixed(3)] : []),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  out.push(line(head), ...rows.map(line));
  const model = r.evaluations[0];
  if (model !== undefined) {
    out.push('', 'reliability of the model on the test period (top-1 confidence):');
    out.push('  confidence   count  mean conf  accuracy');
    for (const b of model.reliability.bins) {
      if (b.count === 0) continue;
      out.push(
        `  ${b.from.toFixed(1)}–${b.to.toFixed(1)}  ${String(b.count).padStart(8)}  ${pct(b.meanConfidence).padStart(9)}  ${pct(b.accuracy).padStart(8)}`,
      );
    }
    out.push('', 'per class (model; 15 largest by test support):');
    out.push('  label                          support  precision  recall     F1');
    for (const c of model.metrics.perClass.slice(0, 15)) {
      out.push(
        `  ${c.label.slice(0, 30).padEnd(30)} ${String(c.support).padStart(8)}  ${pct(c.precision).padStart(9)}  ${pct(c.recall).padStart(6)}  ${c.f1.toFixed(3)}`,
      );
    }
  }
  if (m.savedTo !== null) out.push('', `model saved to ${m.savedTo} (${m.modelId})`);
  return `${out.join('\n')}\n`;
}
