// Draws the status-chase evaluation sample from a Jira export's comments (run once; the labelled
// result is committed as packages/core/test/fixtures/status-chase-sample.csv).
//   pnpm exec tsx apps/cli/bench/sample-status-chase.ts <export.jsonl.gz> <out.csv> [keyword=200] [random=200] [seed] [exclude.csv]
// The tuning sample used seed 20261123; the held-out sample (drawn after the detector was tuned,
// excluding the tuning sample's comments) used seed 7 with 100 + 100 rows.
// Stratified so that chases are present: half the rows are comments that match a broad keyword net
// (far wider than the detector's phrases, so the detector's misses are in it too), half are drawn
// uniformly from all comments. Deterministic: a seeded shuffle.
import { readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

const [path, out, keywordCount = '200', randomCount = '200', seedText = '20261123', exclude] = process.argv.slice(2);
if (path === undefined || out === undefined) {
  console.error('usage: sample-status-chase.ts <export.jsonl.gz> <out.csv> [keyword] [random]');
  process.exit(2);
}
const NET =
  /\b(update|eta|status|progress|news|ping|bump|any word|when (will|can|could|is)|timeline|time ?frame|follow(ing)? up|fixed yet|release date|any (idea|plan)|looking into|still (an issue|open|working|waiting)|waiting (for|on)|any chance)\b/i;

let seed = Number(seedText);
const excluded = new Set(
  exclude === undefined
    ? []
    : readFileSync(exclude, 'utf8')
        .split('\n')
        .map((l) => /^(\d+),/.exec(l)?.[1])
        .filter((x) => x !== undefined),
);
const random = () => {
  seed = (seed + 0x6d2b79f5) >>> 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const shuffle = <T>(xs: T[]): T[] => {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [xs[i], xs[j]] = [xs[j]!, xs[i]!];
  }
  return xs;
};

interface Row {
  id: string;
  key: string;
  text: string;
}
const all: Row[] = [];
for (const line of gunzipSync(readFileSync(path)).toString('utf8').split('\n')) {
  if (line.trim() === '') continue;
  const issue = JSON.parse(line) as {
    key: string;
    fields: { comment?: { comments?: { id: string; body?: string }[] } };
  };
  for (const c of issue.fields.comment?.comments ?? []) {
    const text = (c.body ?? '').trim();
    if (text !== '' && !excluded.has(c.id))
      all.push({ id: c.id, key: issue.key, text: text.length > 1200 ? `${text.slice(0, 1200)}…` : text });
  }
}
all.sort((a, b) => Number(a.id) - Number(b.id));
const keyword = shuffle(all.filter((r) => NET.test(r.text))).slice(0, Number(keywordCount));
const taken = new Set(keyword.map((r) => r.id));
const uniform = shuffle(all.filter((r) => !taken.has(r.id))).slice(0, Number(randomCount));
const csv = (s: string) => `"${s.replace(/"/g, '""')}"`;
const rows = [
  ...keyword.map((r) => ({ ...r, stratum: 'keyword' })),
  ...uniform.map((r) => ({ ...r, stratum: 'random' })),
].sort((a, b) => Number(a.id) - Number(b.id));
writeFileSync(
  out,
  [
    'comment_id,issue_key,stratum,label,text',
    ...rows.map((r) => [r.id, r.key, r.stratum, '', csv(r.text)].join(',')),
  ].join('\n') + '\n',
);
console.log(
  `${all.length} comments, ${all.filter((r) => NET.test(r.text)).length} match the keyword net; wrote ${rows.length} rows to ${out}`,
);
