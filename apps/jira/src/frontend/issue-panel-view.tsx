import {
  Button,
  ErrorMessage,
  Heading,
  Inline,
  Label,
  Lozenge,
  SectionMessage,
  Select,
  Stack,
  Text,
  TextArea,
  Textfield,
  useProductContext,
} from '@forge/react';
import { AUDIENCES, formatGateRule } from '@baton/core';
import type { Audience } from '@baton/core';
import { useState } from 'react';
import { OVERRIDE_REASON_LABELS, OVERRIDE_REASONS } from '../contracts/audit.ts';
import type { ContractInput, ContractOutput } from '../contracts/resolver-contracts.ts';
import { callResolver, useResolver } from './use-resolver.ts';
import { SlaBadge } from './sla-badge.tsx';
import { HandoffPacketSection } from './issue-panel-packet.tsx';
import { ChatLinkSection } from './chat-link-section.tsx';

/** The issue panel: SLA clocks, the clerk's handoff packet, pending suggestions with Accept / Override (with a reason), stakeholder drafts, the issue's audit trail. */
export function IssuePanel() {
  const context = useProductContext() as { extension?: { issue?: { key?: string } } } | undefined;
  const issueKey = context?.extension?.issue?.key;
  const [version, setVersion] = useState(0);
  const view = useResolver('getIssueView', issueKey === undefined ? undefined : { issueKey }, version);
  const [message, setMessage] = useState<string | null>(null);
  if (view.status === 'loading') return <Text>Loading Baton…</Text>;
  if (view.status === 'error')
    return (
      <SectionMessage appearance="error">
        <Text>{view.message}</Text>
      </SectionMessage>
    );
  const { state, audit, inScope } = view.data;
  if (!inScope) return <Text>Baton is not switched on for this project.</Text>;
  const answer = async (
    suggestionKey: string,
    verdict: 'accept' | 'override',
    reason?: OverrideReason,
    text?: string,
  ) => {
    const r = await callResolver('answerSuggestion', {
      issueKey: issueKey as string,
      suggestionKey,
      verdict,
      ...(reason === undefined ? {} : { reason }),
      ...(text === undefined ? {} : { text }),
    });
    setMessage(
      r.status === 'ok'
        ? r.data.outcome === 'refused'
          ? `Jira refused: ${r.data.why}`
          : `Suggestion ${r.data.outcome}.`
        : r.status === 'error'
          ? r.message
          : null,
    );
    setVersion((v) => v + 1);
  };
  return (
    <Stack space="space.200">
      {message === null ? null : (
        <SectionMessage appearance="information">
          <Text>{message}</Text>
        </SectionMessage>
      )}
      <Heading size="small">SLA</Heading>
      {(state?.sla ?? []).length === 0 ? (
        <Text>No SLA goal applies.</Text>
      ) : (
        state?.sla.map((c) => <SlaBadge key={c.goal} clock={c} />)
      )}
      <Heading size="small">Handoff packet</Heading>
      <HandoffPacketSection issueKey={issueKey as string} version={version} />
      <Heading size="small">Suggestions</Heading>
      {(state?.suggestions ?? []).length === 0 ? <Text>Nothing pending.</Text> : null}
      {state?.suggestions.map((s) => (
        <Stack key={s.key} space="space.050">
          {s.decision.disposition === 'escalate' ? (
            <EscalatedSuggestion suggestion={s} />
          ) : (
            <Text>{`${s.summary} — ${s.decision.reason}`}</Text>
          )}
          <SuggestionAnswer
            draftKey={s.key}
            draft={draftOf(s)}
            onAccept={(text) => void answer(s.key, 'accept', undefined, text)}
            onOverride={(reason) => void answer(s.key, 'override', reason)}
          />
        </Stack>
      ))}
      <Heading size="small">Stakeholder updates</Heading>
      <DraftUpdates issueKey={issueKey as string} onPosted={(m) => setMessage(m)} />
      <Heading size="small">Audit trail</Heading>
      {audit.length === 0 ? (
        <Text>No decisions yet.</Text>
      ) : (
        audit.map((e) => (
          <Text key={e.id}>{`${new Date(e.at).toISOString().slice(0, 16)} ${e.kind} ${e.outcome}: ${e.reason}`}</Text>
        ))
      )}
      <ChatLinkSection issueKey={issueKey as string} />
    </Stack>
  );
}

type Suggestion = NonNullable<ContractOutput<'getIssueView'>['state']>['suggestions'][number];

/** Why the gate stopped the agent, in words, from its rule as data (its text when a stored decision has none). */
function notDoneBecause(d: Suggestion['decision']): string {
  const because = d.because;
  if (because === undefined) return `the charter's rule ${d.dispositionRule}`;
  if (because.code === 'risk.escalateAt')
    return `its risk is ${because.risk}, at or above the charter's line for escalating to a person`;
  if (because.code === 'confidence.belowSuggest')
    return `its confidence (${Math.round(d.confidence * 100)}%) is below the charter's suggest line`;
  return `the charter's rule ${formatGateRule(because)}`;
}

/** An escalated decision: what the agent would do, why it did not, and what it saw. */
function EscalatedSuggestion({ suggestion: s }: { suggestion: Suggestion }) {
  const d = s.decision;
  return (
    <Stack space="space.050">
      <Inline space="space.100">
        <Lozenge appearance="moved">Escalated</Lozenge>
        <Text>{`The agent would: ${s.summary} — not done because ${notDoneBecause(d)}.`}</Text>
      </Inline>
      <Text>{`Why: ${d.reason} (confidence ${Math.round(d.confidence * 100)}%, risk ${d.risk})`}</Text>
      {d.evidence.length === 0 ? (
        <Text>No evidence recorded.</Text>
      ) : (
        d.evidence.map((e, i) => (
          <Text key={`${e.label}:${i}`}>{`• ${e.label}: ${String(e.value)} (${e.source})`}</Text>
        ))
      )}
    </Stack>
  );
}

type OverrideReason = NonNullable<ContractInput<'answerSuggestion'>['reason']>;

/** The words a concierge update would post, for the person to edit before Accept (null: not an editable draft). */
function draftOf(s: Suggestion): string | null {
  const [a, ...rest] = s.decision.actions;
  if (s.decision.pattern !== 'concierge' || a === undefined || rest.length > 0) return null;
  return a.kind === 'comment' ? a.body : a.kind === 'notify' ? a.message : null;
}

/** Accept, or Override with a reason from the short list plus free text (required for "Other"). */
function SuggestionAnswer({
  draftKey,
  draft,
  onAccept,
  onOverride,
}: {
  draftKey: string;
  draft: string | null;
  /** `text`: the person's edit of the draft, when they changed it. */
  onAccept: (text?: string) => void;
  onOverride: (reason: OverrideReason) => void;
}) {
  const [open, setOpen] = useState(false);
  const [code, setCode] = useState<OverrideReason['code']>('wrong-owner');
  const [text, setText] = useState('');
  const [words, setWords] = useState(draft ?? '');
  const [problem, setProblem] = useState<string | null>(null);
  if (!open) {
    const accept = () => {
      if (draft === null || words === draft) return onAccept();
      if (words.trim() === '') return setProblem('The update needs some words: write them, or Override.');
      onAccept(words);
    };
    return (
      <Stack space="space.050">
        {draft === null ? null : (
          <>
            <Label labelFor={`draft.${draftKey}`}>The update (edit it before posting)</Label>
            <TextArea
              id={`draft.${draftKey}`}
              name={`draft.${draftKey}`}
              minimumRows={4}
              value={words}
              onChange={(e) => setWords(String(e.target.value ?? ''))}
            />
          </>
        )}
        {problem === null ? null : <ErrorMessage>{problem}</ErrorMessage>}
        <Inline space="space.100">
          <Button appearance="primary" onClick={accept}>
            {draft === null ? 'Accept' : 'Post'}
          </Button>
          <Button onClick={() => setOpen(true)}>Override</Button>
        </Inline>
      </Stack>
    );
  }
  const confirm = () => {
    if (code === 'other' && text.trim() === '') return setProblem('Say why: "Other" needs a few words.');
    if (text.length > 500) return setProblem('At most 500 characters.');
    onOverride({ code, text: text.trim() });
  };
  return (
    <Stack space="space.100">
      <Label labelFor="override.code">Why override?</Label>
      <Select
        inputId="override.code"
        name="override.code"
        value={{ label: OVERRIDE_REASON_LABELS[code], value: code }}
        options={OVERRIDE_REASONS.map((r) => ({ label: OVERRIDE_REASON_LABELS[r], value: r }))}
        onChange={(o: { value: OverrideReason['code'] } | null) => o && setCode(o.value)}
      />
      <Label labelFor="override.text">Details (optional, except for Other)</Label>
      <Textfield
        id="override.text"
        name="override.text"
        value={text}
        onChange={(e) => setText(String(e.target.value ?? ''))}
      />
      {problem === null ? null : <ErrorMessage>{problem}</ErrorMessage>}
      <Inline space="space.100">
        <Button appearance="primary" onClick={confirm}>
          Confirm override
        </Button>
        <Button onClick={() => setOpen(false)}>Cancel</Button>
      </Inline>
    </Stack>
  );
}

type Draft = ContractOutput<'draftUpdate'>;

/** Who worded a draft: the model (named), or the rules, saying so when a model's answer was not used. */
export function wordingLabel(w: Draft['wording']): string {
  if (w.source === 'model') return `Worded by ${w.model}: check it before posting`;
  return w.fallback === undefined
    ? "The rules' template"
    : `The rules' template: the model's answer was not used (${w.fallback.join(', ')})`;
}

/** The concierge's draft per audience: shown with who worded it, posted as a comment only after confirmation. */
function DraftUpdates({ issueKey, onPosted }: { issueKey: string; onPosted: (message: string) => void }) {
  const [draft, setDraft] = useState<Draft | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const load = async (audience: Audience) => {
    setConfirming(false);
    const r = await callResolver('draftUpdate', { issueKey, audience });
    if (r.status === 'ok') {
      setDraft(r.data);
      setError(null);
    } else if (r.status === 'error') setError(r.message);
  };
  const post = async () => {
    if (draft === null) return;
    const r = await callResolver('postDraft', {
      issueKey,
      text: draft.text,
      confirmed: true,
      audience: draft.audience,
    });
    setConfirming(false);
    if (r.status === 'ok') onPosted('Update posted as a comment.');
    else if (r.status === 'error') setError(r.message);
  };
  return (
    <Stack space="space.100">
      <Inline space="space.100">
        {AUDIENCES.map((a) => (
          <Button key={a} onClick={() => void load(a)}>{`Draft for ${a}`}</Button>
        ))}
      </Inline>
      {error === null ? null : (
        <SectionMessage appearance="error">
          <Text>{error}</Text>
        </SectionMessage>
      )}
      {draft === null ? null : (
        <Stack space="space.100">
          <Lozenge appearance={draft.wording.source === 'model' ? 'new' : 'default'}>
            {wordingLabel(draft.wording)}
          </Lozenge>
          <Text>{draft.text}</Text>
          {confirming ? (
            <Inline space="space.100">
              <Button appearance="primary" onClick={() => void post()}>
                Confirm: post as comment
              </Button>
              <Button onClick={() => setConfirming(false)}>Cancel</Button>
            </Inline>
          ) : (
            <Button onClick={() => setConfirming(true)}>Post as comment</Button>
          )}
        </Stack>
      )}
    </Stack>
  );
}
