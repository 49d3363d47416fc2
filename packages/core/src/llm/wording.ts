import type { HandoffPacket } from '../agent/clerk/clerk-packet.ts';
import type { AudienceDraft } from '../agent/concierge/concierge.ts';
import { DraftUpdateAnswerSchema, PacketSummaryAnswerSchema } from './answer-schemas.ts';
import { assist, type Assisted } from './assist.ts';
import type { Evidence, LanguageModel } from './language-model.ts';

/**
 * Where the model meets the clerk and the concierge: it rewords text that rules already wrote, and
 * nothing else. The packet's facts, a draft's audience, its recipients and the decisions around
 * them are computed before these functions run and pass through untouched.
 */

const URL_IN_TEXT = /\bhttps?:\/\/[^\s<>"'`)\]]+/gi;

/** The packet's facts as evidence: each statement keeps the id of the comment it came from. */
function packetEvidence(packet: HandoffPacket): Evidence[] {
  const items: Evidence[] = [{ id: 'packet-summary', source: 'rules', text: packet.summary.text }];
  const add = (kind: string, list: readonly { text: string; evidence: string; by: string | null }[]) => {
    list.forEach((s, i) =>
      items.push({
        id: `${kind}-${i + 1}:${s.evidence}`,
        source: kind,
        text: s.by === null ? s.text : `${s.by}: ${s.text}`,
      }),
    );
  };
  add('decision', packet.decisions);
  add('question', packet.openQuestions);
  add('commitment', packet.commitments);
  packet.risks.forEach((r, i) => items.push({ id: `risk-${i + 1}`, source: 'risk', text: r.message }));
  return items;
}

/**
 * Asks the model for a more readable packet summary. Only `summary` can change (its `source` says
 * who wrote it); with no model or an unusable answer the rules' summary stays.
 */
export async function rewordPacketSummary(
  model: LanguageModel | undefined,
  packet: HandoffPacket,
): Promise<{ readonly packet: HandoffPacket; readonly wording: Assisted<string> }> {
  const wording = await assist(
    model,
    {
      purpose: 'summarise-packet',
      instructions: [
        `Summarise case ${packet.caseId}${packet.title === null ? '' : ` ("${packet.title}")`} for the person taking it over,`,
        'in at most five sentences: where it stands, what was decided, what is still open, what is at risk.',
        'Use only the facts given; cite the ids of the items you used in evidenceIds.',
      ].join('\n'),
      evidence: packetEvidence(packet),
      schema: PacketSummaryAnswerSchema,
      maxOutputTokens: 400,
      allowedLinks: packet.links.filter((l) => l.kind === 'url').map((l) => l.target),
      knownNames: packet.stakeholders.map((s) => s.who),
    },
    () => ({ summary: packet.summary.text, evidenceIds: [] }),
  );
  const text = wording.value.summary;
  return {
    packet: wording.source === 'model' ? { ...packet, summary: { text, source: 'model' } } : packet,
    wording: { ...wording, value: text },
  };
}

const AUDIENCE_GUIDE: Record<AudienceDraft['audience'], string> = {
  customer: 'The reader is the customer: plain, courteous, no internal names, no internal process or SLA talk.',
  internal: 'The reader is the internal team: direct, names owners and blockers, says who acts next.',
  executive: 'The reader is an executive: one short paragraph on risk and impact.',
};

/**
 * Rewords one audience draft. The model sees only the template's own text, so it cannot pull
 * internal names or comments into a customer draft; audience, `customerFacing` and `changes`
 * are kept as the rules set them.
 */
export async function rewordAudienceDraft(
  model: LanguageModel | undefined,
  draft: AudienceDraft,
): Promise<Assisted<AudienceDraft>> {
  const template = { subject: draft.subject, body: draft.body };
  const result = await assist(
    model,
    {
      purpose: 'draft-update',
      instructions: [
        'Rewrite this update so it reads naturally. Keep every fact, date and reference exactly; add none.',
        AUDIENCE_GUIDE[draft.audience],
      ].join('\n'),
      evidence: [{ id: 'template', source: `draft:${draft.audience}`, text: `${draft.subject}\n\n${draft.body}` }],
      schema: DraftUpdateAnswerSchema,
      maxOutputTokens: 500,
      allowedLinks: [...`${draft.subject} ${draft.body}`.matchAll(URL_IN_TEXT)].map((m) => m[0]),
      allowedAddresses: [],
    },
    () => template,
  );
  return { ...result, value: { ...draft, subject: result.value.subject, body: result.value.body } };
}
