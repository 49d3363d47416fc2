import type { CaseRecord } from '../../model/case.ts';
import { createWorkflowResolver, type WorkflowResolver } from '../../model/workflow.ts';
import { isStatusChase } from '../../text/status-chase.ts';
import { formatTimestamp } from '../../time/timestamp.ts';
import { extractLinks, extractMentions, extractStatements } from './clerk-extract.ts';
import {
  PACKET_VERSION,
  type HandoffPacket,
  type NextOwner,
  type PacketLink,
  type PacketQuestion,
  type PacketRisk,
  type PacketStatement,
  type Stakeholder,
} from './clerk-packet.ts';
import type { ReadinessRequirement } from '../../model/readiness.ts';
import { checkReadiness } from './clerk-readiness.ts';
import { ownerAfter, snapshotCase, stateAfter, type SlaRisk } from '../../model/case-snapshot.ts';

export interface ClerkOptions {
  /** The moment to describe (epoch ms); events after it are not read. */
  readonly at: number;
  readonly resolve?: WorkflowResolver;
  /** The definition of ready of the case's current state (from the charter's workflow map). */
  readonly requirements?: readonly ReadinessRequirement[];
  /** A next owner decided elsewhere (the router's proposal); otherwise the clerk infers one. */
  readonly nextOwner?: string;
  /** The SLA clocks' verdict, when known. */
  readonly sla?: SlaRisk;
  /** Risks found by other patterns (the watchdog's stall, an SLA goal's detail). */
  readonly extraRisks?: readonly PacketRisk[];
  /** Idle time (wall clock ms) after which the packet flags the case as idle. Default 3 days. */
  readonly idleMs?: number;
}

const DAY = 86_400_000;

interface TextItem {
  readonly id: string;
  readonly by: string | null;
  readonly at: number | null;
  readonly text: string;
}

function date(at: number | null): string {
  return at === null ? 'an unknown date' : formatTimestamp(at).slice(0, 10);
}

function days(ms: number): string {
  const d = Math.floor(ms / DAY);
  return d === 1 ? '1 day' : `${d} days`;
}

function reporterOf(record: CaseRecord): string | null {
  const r = record.attributes['reporter'] ?? record.attributes['creator'];
  if (typeof r === 'string' && r !== '') return r;
  const created = record.events.find((e) => e.kind === 'created');
  return created?.actor ?? null;
}

/**
 * Builds the handoff packet of a case as it stood at `options.at`: deterministic, from the case's
 * description, comments and changes. Same input, same packet.
 * @example const packet = buildHandoffPacket(record, { at: Date.parse('2016-12-21T16:20:00Z') });
 */
export function buildHandoffPacket(record: CaseRecord, options: ClerkOptions): HandoffPacket {
  const resolve = options.resolve ?? createWorkflowResolver();
  const snap = snapshotCase(record, options.at, resolve, options.sla);
  const reporter = reporterOf(record);

  const texts: TextItem[] = [];
  if (record.description !== undefined && record.description.trim() !== '') {
    texts.push({ id: 'description', by: reporter, at: record.events[0]?.at ?? null, text: record.description });
  }
  const owners: string[] = [];
  let previousOwner: string | null = null;
  let handoffs = 0;
  let reopened = 0;
  let previousDone = false;
  let chases = 0;
  const chaseRefs: string[] = [];
  let comment = 0;
  for (const e of record.events) {
    if (e.at > options.at) break;
    const o = ownerAfter(e);
    if (o !== undefined && o !== null && o !== previousOwner) {
      if (previousOwner !== null) handoffs++;
      owners.push(o);
      previousOwner = o;
    }
    const s = stateAfter(e);
    if (s !== undefined && s !== null) {
      const done = resolve(s).phase === 'done';
      if (previousDone && !done) reopened++;
      previousDone = done;
    }
    if (e.kind === 'comment' && e.text !== undefined) {
      const id = `comment-${++comment}`;
      texts.push({ id, by: e.actor ?? null, at: e.at, text: e.text });
      if (isStatusChase(e.text)) {
        chases++;
        chaseRefs.push(id);
      }
    }
  }

  const decisions: PacketStatement[] = [];
  const commitments: PacketStatement[] = [];
  const questions: PacketQuestion[] = [];
  const links: PacketLink[] = [];
  const linkSeen = new Set<string>();
  const people = new Map<string, { roles: Set<Stakeholder['roles'][number]>; comments: number; mentions: number }>();
  const person = (who: string) => {
    let p = people.get(who);
    if (p === undefined) {
      p = { roles: new Set(), comments: 0, mentions: 0 };
      people.set(who, p);
    }
    return p;
  };
  if (reporter !== null) person(reporter).roles.add('reporter');
  for (const o of owners) person(o).roles.add(o === snap.owner ? 'owner' : 'previous-owner');
  if (snap.owner !== null) person(snap.owner).roles.add('owner');

  for (const [index, t] of texts.entries()) {
    if (t.by !== null && t.id !== 'description') {
      const p = person(t.by);
      p.roles.add('commenter');
      p.comments++;
    }
    for (const who of extractMentions(t.text)) {
      const p = person(who);
      p.roles.add('mentioned');
      p.mentions++;
    }
    for (const link of extractLinks(t.text, record.id)) {
      const key = `${link.kind}:${link.target}`;
      if (linkSeen.has(key)) continue;
      linkSeen.add(key);
      links.push({ ...link, evidence: t.id });
    }
    const later = texts.slice(index + 1);
    for (const st of extractStatements(t.text)) {
      const base = { text: st.text, by: t.by, at: t.at, evidence: t.id };
      if (st.kind === 'decision') decisions.push(base);
      else if (st.kind === 'commitment') commitments.push(base);
      else {
        // Answered when an addressee speaks later; with no addressee, when anyone else does.
        const answered = later.some((l) =>
          st.addressedTo.length > 0 ? l.by !== null && st.addressedTo.includes(l.by) : l.by !== null && l.by !== t.by,
        );
        if (!answered) questions.push({ ...base, addressedTo: [...st.addressedTo] });
      }
    }
  }

  const stakeholders: Stakeholder[] = [...people.entries()]
    .map(([who, p]) => ({ who, roles: [...p.roles].sort(), comments: p.comments, mentions: p.mentions }))
    .sort(
      (a, b) => rank(b) - rank(a) || b.comments + b.mentions - (a.comments + a.mentions) || a.who.localeCompare(b.who),
    );

  const risks = risksOf({
    snap,
    at: options.at,
    questions,
    chases,
    chaseRefs,
    handoffs,
    reopened,
    owners,
    idleMs: options.idleMs ?? 3 * DAY,
  });
  risks.push(...(options.extraRisks ?? []));

  const nextOwner = nextOwnerOf(snap.phase, snap.waitingReason, snap.owner, reporter, questions, options.nextOwner);
  const readiness =
    options.requirements === undefined
      ? null
      : checkReadiness(record, snap.state, options.requirements, options.at, snap.owner);

  const packet: HandoffPacket = {
    version: PACKET_VERSION,
    caseId: record.id,
    title: record.title ?? null,
    asOf: options.at,
    state: snap.state,
    phase: snap.phase,
    owner: snap.owner,
    summary: { text: '', source: 'rules' },
    facts: {
      openedAt: record.events[0]?.at ?? null,
      reporter,
      comments: comment,
      handoffs,
      statusChases: chases,
      lastActivityAt: snap.lastActivityAt,
      due: snap.due,
    },
    decisions,
    openQuestions: questions,
    commitments,
    links,
    stakeholders,
    risks,
    nextOwner,
    readiness,
    trimmed: [],
  };
  return { ...packet, summary: { text: renderPacketSummary(packet), source: 'rules' } };
}

function rank(s: Stakeholder): number {
  if (s.roles.includes('owner')) return 3;
  if (s.roles.includes('reporter')) return 2;
  if (s.roles.includes('previous-owner')) return 1;
  return 0;
}

function nextOwnerOf(
  phase: HandoffPacket['phase'],
  waitingReason: string | null,
  owner: string | null,
  reporter: string | null,
  questions: readonly PacketQuestion[],
  given: string | undefined,
): NextOwner {
  if (given !== undefined) return { who: given, basis: 'given', reason: 'proposed by the router' };
  if (phase === 'done') return { who: owner, basis: 'owner', reason: 'the case is done; the last owner keeps it' };
  if (phase === 'waiting' && waitingReason === 'customer' && reporter !== null) {
    return { who: reporter, basis: 'reporter', reason: 'the case waits on the customer' };
  }
  const last = questions.at(-1);
  if (last !== undefined && last.addressedTo.length > 0) {
    return {
      who: last.addressedTo[0]!,
      basis: 'addressee',
      reason: `an open question (${last.evidence}) waits on them`,
    };
  }
  if (owner === null) return { who: null, basis: 'queue', reason: 'nobody owns the case: the queue must pick it up' };
  return { who: owner, basis: 'owner', reason: 'the current owner' };
}

interface RiskInput {
  readonly snap: ReturnType<typeof snapshotCase>;
  readonly at: number;
  readonly questions: readonly PacketQuestion[];
  readonly chases: number;
  readonly chaseRefs: readonly string[];
  readonly handoffs: number;
  readonly reopened: number;
  readonly owners: readonly string[];
  readonly idleMs: number;
}

function risksOf(r: RiskInput): PacketRisk[] {
  const out: PacketRisk[] = [];
  const { snap } = r;
  const open = snap.phase !== 'done';
  if (snap.sla === 'breached')
    out.push({ code: 'sla.breached', severity: 'high', message: 'the SLA is breached', evidence: [] });
  else if (snap.sla === 'at-risk')
    out.push({ code: 'sla.at-risk', severity: 'medium', message: 'the SLA is at risk', evidence: [] });
  if (open && snap.due !== null) {
    if (snap.due < r.at)
      out.push({ code: 'due.overdue', severity: 'high', message: `overdue since ${date(snap.due)}`, evidence: [] });
    else if (snap.due - r.at < 2 * DAY)
      out.push({ code: 'due.soon', severity: 'medium', message: `due ${date(snap.due)}`, evidence: [] });
  }
  if (open && snap.blocker !== null) {
    out.push({
      code: 'blocked',
      severity: 'medium',
      message: `blocked (${snap.blocker}) in state ${snap.state ?? 'unknown'}`,
      evidence: [],
    });
  }
  if (open && snap.owner === null && snap.eventCount > 0) {
    out.push({ code: 'owner.none', severity: 'medium', message: 'nobody owns the case', evidence: [] });
  }
  if (open && r.questions.length > 0) {
    const oldest = r.questions[0]!;
    const age = oldest.at === null ? 0 : r.at - oldest.at;
    out.push({
      code: 'questions.open',
      severity: age > 5 * DAY ? 'high' : 'medium',
      message: `${r.questions.length} unanswered question${r.questions.length === 1 ? '' : 's'}, the oldest ${days(age)} old`,
      evidence: r.questions.map((q) => q.evidence).filter((v, i, a) => a.indexOf(v) === i),
    });
  }
  if (r.chases > 0) {
    out.push({
      code: 'status.chased',
      severity: r.chases >= 3 ? 'high' : 'low',
      message: `status chased ${r.chases} time${r.chases === 1 ? '' : 's'}`,
      evidence: [...r.chaseRefs],
    });
  }
  if (r.owners.some((o, i) => i >= 2 && r.owners[i - 2] === o && r.owners[i - 1] !== o)) {
    out.push({
      code: 'handoff.ping-pong',
      severity: 'medium',
      message: 'ownership went back and forth (A → B → A)',
      evidence: [],
    });
  } else if (r.handoffs >= 3) {
    out.push({ code: 'handoff.many', severity: 'low', message: `${r.handoffs} handoffs so far`, evidence: [] });
  }
  if (r.reopened > 0)
    out.push({
      code: 'reopened',
      severity: 'medium',
      message: `reopened ${r.reopened} time${r.reopened === 1 ? '' : 's'}`,
      evidence: [],
    });
  if (open && snap.lastActivityAt !== null && r.at - snap.lastActivityAt > r.idleMs) {
    out.push({
      code: 'idle',
      severity: 'medium',
      message: `no activity for ${days(r.at - snap.lastActivityAt)}`,
      evidence: [],
    });
  }
  return out;
}

function quote(text: string, max = 160): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/**
 * The deterministic prose summary of a packet. Wording only: every clause restates a field of the
 * packet, so a model that rewrites it (`summary.source: 'model'`) has nothing new to add.
 */
export function renderPacketSummary(p: HandoffPacket): string {
  const parts: string[] = [];
  parts.push(
    p.title === null ? `${p.caseId}.` : `${p.caseId}: ${quote(p.title, 200)}${/[.!?]$/.test(p.title) ? '' : '.'}`,
  );
  const where = p.state === null ? 'State unknown' : `In ${p.state}${p.phase === null ? '' : ` (${p.phase})`}`;
  parts.push(`${where}, ${p.owner === null ? 'unassigned' : `owned by ${p.owner}`}.`);
  const opened = `Opened ${date(p.facts.openedAt)}${p.facts.reporter === null ? '' : ` by ${p.facts.reporter}`}`;
  parts.push(
    `${opened}; ${p.facts.comments} comment${p.facts.comments === 1 ? '' : 's'}, ${p.facts.handoffs} handoff${p.facts.handoffs === 1 ? '' : 's'}.`,
  );
  const lastDecision = p.decisions.at(-1);
  if (lastDecision !== undefined)
    parts.push(`Latest decision (${date(lastDecision.at)}): "${quote(lastDecision.text)}"`);
  if (p.openQuestions.length > 0) {
    parts.push(`${p.openQuestions.length} open question${p.openQuestions.length === 1 ? '' : 's'}.`);
  }
  const high = p.risks.filter((r) => r.severity === 'high');
  if (high.length > 0) parts.push(`Risks: ${high.map((r) => r.message).join('; ')}.`);
  if (p.readiness !== null) {
    const missing = p.readiness.items.filter((i) => i.status === 'missing').map((i) => i.requirement);
    parts.push(missing.length === 0 ? 'Ready to move on.' : `Missing before it can move on: ${missing.join(', ')}.`);
  }
  parts.push(`Next: ${p.nextOwner.who ?? 'the queue'} (${p.nextOwner.reason}).`);
  return parts.join(' ');
}
