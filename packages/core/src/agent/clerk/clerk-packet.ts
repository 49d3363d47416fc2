import * as z from 'zod';
import { PhaseSchema } from '../../model/workflow.ts';
import { ReadinessSchema } from './clerk-readiness.ts';

/**
 * The handoff packet: what the next person needs to pick a case up without asking around.
 * Facts only, each pointing at its evidence (`description`, `comment-3`); the prose `summary` is the
 * one field a language model may reword (`source` says who wrote it). Stored by the Forge app in an
 * issue property, so it must fit a character budget: see `fitPacket`.
 */

export const PACKET_VERSION = 1;

const EvidenceRef = z.string().min(1);

export const PacketStatementSchema = z.object({
  text: z.string(),
  by: z.string().nullable(),
  at: z.number().int().nullable(),
  evidence: EvidenceRef,
});
export type PacketStatement = z.infer<typeof PacketStatementSchema>;

export const PacketQuestionSchema = PacketStatementSchema.extend({
  addressedTo: z.array(z.string()),
});
export type PacketQuestion = z.infer<typeof PacketQuestionSchema>;

export const PacketLinkSchema = z.object({
  kind: z.enum(['url', 'issue', 'attachment']),
  target: z.string(),
  label: z.string().optional(),
  evidence: EvidenceRef,
});
export type PacketLink = z.infer<typeof PacketLinkSchema>;

export const STAKEHOLDER_ROLES = ['reporter', 'owner', 'previous-owner', 'commenter', 'mentioned'] as const;
export const StakeholderSchema = z.object({
  who: z.string(),
  roles: z.array(z.enum(STAKEHOLDER_ROLES)),
  comments: z.number().int().min(0),
  mentions: z.number().int().min(0),
});
export type Stakeholder = z.infer<typeof StakeholderSchema>;

export const RISK_SEVERITIES = ['low', 'medium', 'high'] as const;
export const PacketRiskSchema = z.object({
  code: z.string(),
  severity: z.enum(RISK_SEVERITIES),
  message: z.string(),
  evidence: z.array(EvidenceRef),
});
export type PacketRisk = z.infer<typeof PacketRiskSchema>;

export const NextOwnerSchema = z.object({
  who: z.string().nullable(),
  /** Why this person: the owner works it, the customer must answer, a question waits on someone. */
  basis: z.enum(['owner', 'reporter', 'addressee', 'queue', 'given']),
  reason: z.string(),
});
export type NextOwner = z.infer<typeof NextOwnerSchema>;

export const TrimNoteSchema = z.object({
  section: z.string(),
  dropped: z.number().int().min(0),
  /** `items`: whole entries removed (oldest or least involved first); `text`: entries shortened. */
  how: z.enum(['items', 'text']),
});
export type TrimNote = z.infer<typeof TrimNoteSchema>;

export const HandoffPacketSchema = z.object({
  version: z.literal(PACKET_VERSION),
  caseId: z.string().min(1),
  title: z.string().nullable(),
  /** The moment the packet describes (epoch ms): nothing after it was read. */
  asOf: z.number().int(),
  state: z.string().nullable(),
  phase: PhaseSchema.nullable(),
  owner: z.string().nullable(),
  summary: z.object({ text: z.string(), source: z.enum(['rules', 'model']) }),
  facts: z.object({
    openedAt: z.number().int().nullable(),
    reporter: z.string().nullable(),
    comments: z.number().int().min(0),
    handoffs: z.number().int().min(0),
    statusChases: z.number().int().min(0),
    lastActivityAt: z.number().int().nullable(),
    due: z.number().int().nullable(),
  }),
  decisions: z.array(PacketStatementSchema),
  openQuestions: z.array(PacketQuestionSchema),
  commitments: z.array(PacketStatementSchema),
  links: z.array(PacketLinkSchema),
  stakeholders: z.array(StakeholderSchema),
  risks: z.array(PacketRiskSchema),
  nextOwner: NextOwnerSchema,
  readiness: ReadinessSchema.nullable(),
  /** What `fitPacket` left out to stay within the budget; empty when nothing was. */
  trimmed: z.array(TrimNoteSchema),
});
export type HandoffPacket = z.infer<typeof HandoffPacketSchema>;

/** Jira's limit for an issue property value, in characters of JSON. */
export const ISSUE_PROPERTY_LIMIT = 32_768;
