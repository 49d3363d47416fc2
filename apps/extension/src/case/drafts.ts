import type { Audience, CaseSummary, Draft, Packet, Sla } from '../messaging/protocol.ts';
import type { AudiencePreset } from '../settings/settings.ts';

// Template drafts (no model): one context, worded for the audience at hand. The customer's draft
// carries no internal names, SLA figures or decisions; the account team's carries all of them.
// Ticket text is quoted as data, never followed.

export function draftFor(
  audience: Audience,
  c: CaseSummary,
  packet: Packet,
  sla: Sla | null,
  preset: AudiencePreset,
): Draft {
  return audience === 'customer' ? customerDraft(c, packet, preset) : accountTeamDraft(c, packet, sla, preset);
}

function customerDraft(c: CaseSummary, packet: Packet, preset: AudiencePreset): Draft {
  const lines = [preset.greeting, ''];
  lines.push(`Thank you for your patience regarding "${c.summary}" (our reference ${c.key}).`);
  if (c.statusCategory === 'done')
    lines.push(
      'Our team has resolved this. If anything still does not work as expected, reply to this email and we will pick it up again.',
    );
  else if (/waiting|customer|info/i.test(c.status) && packet.openQuestions.length > 0) {
    lines.push('To move forward we need one thing from you:');
    lines.push(`- ${stripAuthor(packet.openQuestions[packet.openQuestions.length - 1] as string)}`);
  } else if (c.statusCategory === 'new') lines.push('Your request is with our team and will be picked up shortly.');
  else lines.push('Our team is working on it, and we will update you as soon as there is progress.');
  lines.push('', preset.signOff);
  return { audience: 'customer', subject: `Re: ${c.summary}`, text: lines.join('\n') };
}

function accountTeamDraft(c: CaseSummary, packet: Packet, sla: Sla | null, preset: AudiencePreset): Draft {
  const lines = [preset.greeting, ''];
  lines.push(
    `${c.key} "${c.summary}" is ${c.status}${c.assignee === null ? ' and unassigned' : `, owned by ${c.assignee}`}.`,
  );
  if (sla !== null) lines.push(`SLA: ${sla.label}.`);
  if (packet.decisions.length > 0) lines.push(`Decided: ${packet.decisions.join('; ')}.`);
  if (packet.openQuestions.length > 0) lines.push(`Open: ${packet.openQuestions.join('; ')}`);
  const missing = packet.definitionOfReady.filter((d) => !d.present).map((d) => d.item.toLowerCase());
  if (missing.length > 0) lines.push(`Still missing: ${missing.join(', ')}.`);
  lines.push(`Next: ${packet.nextOwner ?? 'nobody owns the next step yet'}.`, `Link: ${c.url}`, '', preset.signOff);
  return { audience: 'account-team', subject: `${c.key} status`, text: lines.join('\n') };
}

const stripAuthor = (s: string): string => s.replace(/\s\([^()]*\)$/, '');
