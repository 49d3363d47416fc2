import type { ActionsBlock, Button, KnownBlock, PlainTextOption, SectionBlock } from '@slack/types';
import {
  WAITING_REASONS,
  type ChatAnswerKind,
  type ChatCase,
  type ChatMessage,
  type ChatMessageKind,
} from '@baton/core';
import { clip, escapeMrkdwn, mrkdwnLink } from './mrkdwn.ts';

/**
 * Block Kit for each message kind (https://docs.slack.dev/reference/block-kit/blocks). Every button
 * carries the message id as its `value`; every answer kind has one `action_id`, and the inputs a
 * person fills before clicking are read from the payload's `state` by their own `action_id`.
 */
export const ANSWER_ACTIONS = {
  onIt: 'baton.onIt',
  blocked: 'baton.blocked',
  reassign: 'baton.reassign',
  approve: 'baton.approve',
  override: 'baton.override',
  reply: 'baton.reply',
} as const satisfies Record<ChatAnswerKind, string>;

export const INPUT_ACTIONS = {
  waitingReason: 'baton.waitingReason',
  detail: 'baton.detail',
  overrideReason: 'baton.overrideReason',
  overrideText: 'baton.overrideText',
  replyText: 'baton.replyText',
} as const;

const WAITING_LABEL: Record<(typeof WAITING_REASONS)[number], string> = {
  customer: 'the customer',
  vendor: 'a vendor',
  approval: 'an approval',
  internal: 'another team',
};

const plain = (text: string, max = 75) => ({ type: 'plain_text' as const, text: clip(text, max) });
const option = (label: string, value: string): PlainTextOption => ({ text: plain(label), value });
const button = (text: string, kind: ChatAnswerKind, messageId: string, style?: 'primary' | 'danger'): Button => ({
  type: 'button',
  text: plain(text),
  action_id: ANSWER_ACTIONS[kind],
  value: messageId,
  ...(style === undefined ? {} : { style }),
});
const actions = (...elements: Button[]): ActionsBlock => ({ type: 'actions', block_id: 'baton.answer', elements });

function heading(c: ChatCase, text: string): SectionBlock {
  const ref = c.url === null ? `*${escapeMrkdwn(c.caseId)}*` : `*${mrkdwnLink(c.url, c.caseId)}*`;
  const title = c.title === null ? '' : ` ${escapeMrkdwn(c.title)}`;
  return { type: 'section', text: { type: 'mrkdwn', text: clip(`${ref}${title}\n${escapeMrkdwn(text)}`, 3000) } };
}

function facts(evidence: readonly { label: string; value: string | number | boolean | null }[]): KnownBlock[] {
  if (evidence.length === 0) return [];
  const line = evidence
    .slice(0, 10)
    .map((e) => `${escapeMrkdwn(e.label)}: ${escapeMrkdwn(String(e.value))}`)
    .join(' · ');
  return [{ type: 'context', elements: [{ type: 'mrkdwn', text: clip(line, 3000) }] }];
}

type Builders = { [K in ChatMessageKind]: (m: Extract<ChatMessage, { kind: K }>) => KnownBlock[] };

const BUILDERS: Builders = {
  nudge: (m) => [
    heading(m.case, m.text),
    ...facts(m.evidence),
    {
      type: 'input',
      block_id: 'baton.blocked',
      optional: true,
      label: plain('Blocked by', 2000),
      element: {
        type: 'static_select',
        action_id: INPUT_ACTIONS.waitingReason,
        placeholder: plain('Waiting on…', 150),
        options: WAITING_REASONS.map((r) => option(WAITING_LABEL[r], r)),
      },
    },
    {
      type: 'input',
      block_id: 'baton.detail',
      optional: true,
      label: plain('What is it waiting for?', 2000),
      element: { type: 'plain_text_input', action_id: INPUT_ACTIONS.detail, max_length: 500 },
    },
    actions(
      button('On it', 'onIt', m.id, 'primary'),
      button('Blocked by…', 'blocked', m.id),
      button('Reassign', 'reassign', m.id),
    ),
  ],
  question: (m) => [
    heading(m.case, m.text),
    {
      type: 'section',
      text: { type: 'mrkdwn', text: clip(m.items.map((i) => `• ${escapeMrkdwn(i)}`).join('\n'), 3000) },
    },
    {
      type: 'input',
      block_id: 'baton.reply',
      label: plain('Your answer', 2000),
      element: { type: 'plain_text_input', action_id: INPUT_ACTIONS.replyText, multiline: true, max_length: 3000 },
    },
    actions(button('Send answer', 'reply', m.id, 'primary')),
  ],
  approval: (m) => [
    heading(m.case, m.text),
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: clip(
          `${m.actions.map((a) => `• ${escapeMrkdwn(a)}`).join('\n')}\nConfidence ${Math.round(m.confidence * 100)}% · risk ${m.risk}`,
          3000,
        ),
      },
    },
    ...facts(m.evidence),
    {
      type: 'input',
      block_id: 'baton.overrideReason',
      optional: true,
      label: plain('Override reason', 2000),
      element: {
        type: 'static_select',
        action_id: INPUT_ACTIONS.overrideReason,
        placeholder: plain('Why not?', 150),
        options: m.overrideReasons.slice(0, 100).map((r) => option(r.label, r.code)),
      },
    },
    {
      type: 'input',
      block_id: 'baton.overrideText',
      optional: true,
      label: plain('In your words', 2000),
      element: { type: 'plain_text_input', action_id: INPUT_ACTIONS.overrideText, max_length: 500 },
    },
    actions(button('Approve', 'approve', m.id, 'primary'), button('Override', 'override', m.id, 'danger')),
  ],
  report: (m) => [
    { type: 'header', text: plain(`Daily report ${m.day}`, 150) },
    ...chunks(m.text, 3000)
      .slice(0, 45)
      .map((t): KnownBlock => ({ type: 'section', text: { type: 'mrkdwn', text: escapeMrkdwn(t) } })),
  ],
  update: (m) => [
    {
      type: 'section',
      text: { type: 'mrkdwn', text: clip(`*${escapeMrkdwn(m.case.caseId)}* ${escapeMrkdwn(m.text)}`, 3000) },
    },
  ],
};

/** Text cut at line ends into pieces of at most `max` characters (after escaping, which may lengthen it). */
function chunks(text: string, max: number): string[] {
  const out: string[] = [];
  let current = '';
  for (const line of text.split('\n')) {
    const next = current === '' ? line : `${current}\n${line}`;
    if (escapeMrkdwn(next).length <= max) current = next;
    else {
      if (current !== '') out.push(current);
      current = clip(line, Math.floor(max / 5));
    }
  }
  if (current !== '') out.push(current);
  return out;
}

/** The blocks of a message. */
export function blocksFor(message: ChatMessage): KnownBlock[] {
  return (BUILDERS[message.kind] as (m: ChatMessage) => KnownBlock[])(message);
}

/** The notification and fallback text of a message (Slack shows it where blocks cannot be). */
export function fallbackText(message: ChatMessage): string {
  const about = 'case' in message ? `${message.case.caseId}: ` : '';
  return clip(`${about}${message.text}`, 3000);
}

/** A settled message: the buttons give way to what was decided. */
export function settledBlocks(text: string): KnownBlock[] {
  return [{ type: 'section', text: { type: 'mrkdwn', text: clip(escapeMrkdwn(text), 3000) } }];
}
