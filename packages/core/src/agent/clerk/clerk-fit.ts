import { fail, ok, type Issue, type Result } from '../../result.ts';
import { ISSUE_PROPERTY_LIMIT, type HandoffPacket, type TrimNote } from './clerk-packet.ts';

export interface FittedPacket {
  readonly packet: HandoffPacket;
  /** Characters of `JSON.stringify(packet)`: what the issue property will hold. */
  readonly chars: number;
  readonly trimmed: readonly TrimNote[];
}

type ListSection = 'stakeholders' | 'links' | 'commitments' | 'decisions' | 'openQuestions' | 'risks';

// What goes first when a packet is too big: least useful to the next owner first. Lists lose their
// oldest or least involved entries (`from`), keeping what is current.
const DROP_ORDER: readonly { section: ListSection; from: 'start' | 'end' }[] = [
  { section: 'stakeholders', from: 'end' },
  { section: 'links', from: 'end' },
  { section: 'commitments', from: 'start' },
  { section: 'risks', from: 'end' },
  { section: 'decisions', from: 'start' },
  { section: 'openQuestions', from: 'start' },
];

const TEXT_LIMITS = [400, 160, 60] as const;
const LIST_CAPS = [200, 100, 50, 25, 12, 6, 3, 1, 0] as const;

function shorten(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function measure(p: HandoffPacket): number {
  return JSON.stringify(p).length;
}

/**
 * Trims a packet until its JSON fits `budget` characters (default: Jira's issue property limit),
 * deterministically, and says what it trimmed both in the result and in `packet.trimmed`.
 * First long texts are shortened, then every list is capped at a shrinking length (200, 100, … 0),
 * least useful section first: stakeholders and links lose their tail (they are sorted by
 * involvement and first mention), commitments, risks, decisions and questions their oldest entries. Fails only when even the empty skeleton does not fit.
 * @example const fitted = fitPacket(packet, ISSUE_PROPERTY_LIMIT);
 */
export function fitPacket(packet: HandoffPacket, budget: number = ISSUE_PROPERTY_LIMIT): Result<FittedPacket> {
  const notes = new Map<string, TrimNote>();
  const note = (section: string, how: TrimNote['how'], n: number) => {
    const key = `${section}:${how}`;
    const prev = notes.get(key);
    notes.set(key, { section, how, dropped: (prev?.dropped ?? 0) + n });
  };
  let work: HandoffPacket = { ...packet, trimmed: [...packet.trimmed] };
  const current = (): HandoffPacket => ({ ...work, trimmed: [...packet.trimmed, ...notes.values()] });
  let size = measure(current());
  if (size <= budget) return ok({ packet: current(), chars: size, trimmed: [] });

  // 1. Shorten texts, in rounds, before dropping anything whole.
  for (const max of TEXT_LIMITS) {
    if (size <= budget) break;
    const cut = <T extends { text: string }>(list: readonly T[], section: string): T[] => {
      let n = 0;
      const out = list.map((s) => {
        if (s.text.length <= max) return s;
        n++;
        return { ...s, text: shorten(s.text, max) };
      });
      if (n > 0) note(section, 'text', n);
      return out;
    };
    work = {
      ...work,
      decisions: cut(work.decisions, 'decisions'),
      openQuestions: cut(work.openQuestions, 'openQuestions'),
      commitments: cut(work.commitments, 'commitments'),
    };
    if (work.summary.text.length > max * 3) {
      work = { ...work, summary: { ...work.summary, text: shorten(work.summary.text, max * 3) } };
      note('summary', 'text', 1);
    }
    size = measure(current());
  }

  // 2. Drop whole entries. Every list is capped at a shrinking length in turn, so that a packet
  // keeps the newest few of everything rather than all of one section and none of another.
  for (const cap of LIST_CAPS) {
    for (const { section, from } of DROP_ORDER) {
      if (size <= budget) break;
      const list = work[section] as readonly unknown[];
      if (list.length <= cap) continue;
      const kept = from === 'start' ? list.slice(list.length - cap) : list.slice(0, cap);
      work = { ...work, [section]: kept };
      note(section, 'items', list.length - cap);
      size = measure(current());
    }
    if (size <= budget) break;
  }
  if (size > budget && work.title !== null && work.title.length > 80) {
    work = { ...work, title: shorten(work.title, 80) };
    note('title', 'text', 1);
    size = measure(current());
  }
  if (size > budget) {
    const issue: Issue = {
      code: 'packet.budget_too_small',
      path: [],
      message: `the packet needs at least ${size} characters even with every list emptied; the budget is ${budget}`,
    };
    return fail(issue);
  }
  const fitted = current();
  return ok({ packet: fitted, chars: size, trimmed: fitted.trimmed.slice(packet.trimmed.length) });
}
