import { Button, Heading, Inline, Stack, Text } from '@forge/react';
import { CLASSIFY_FIELDS } from '../../contracts/charter.ts';
import type { PathIssue } from '../use-resolver.ts';
import { getAt } from './charter-draft.ts';
import type { Draft, Path } from './charter-draft.ts';
import { CharterField, CharterSelect, Problems } from './fields.tsx';

export interface ClassifyFormProps {
  draft: Draft;
  issues: readonly PathIssue[];
  onEdit: (path: Path, value: unknown) => void;
}

const NEW_RULE = { field: 'labels', value: 'new-label', keywords: [] as string[] };

/**
 * The router's classify rules as a form: per rule the field it fills (priority, labels, components),
 * the value, and the keywords that vote for it; rules are added and removed here. Validated with the
 * charter's zod schema, each problem under its field (`routing.classify.0.value`).
 */
export function ClassifyForm({ draft, issues, onEdit }: ClassifyFormProps) {
  const f = { draft, issues, onEdit };
  const rules = (getAt(draft, ['routing', 'classify']) as unknown[] | undefined) ?? [];
  const at = (i: number): Path => ['routing', 'classify', i];
  return (
    <Stack space="space.200">
      <Heading size="small">Classify rules</Heading>
      <Text>A keyword in the summary or description (whole word, any case) votes for the value; it is proposed for an empty field only (priority: while it is still the site&apos;s default), under the Set fields dial.</Text>
      {rules.length === 0 ? <Text>No classify rule.</Text> : null}
      {rules.map((_, i) => (
        <Stack key={i} space="space.050">
          <Inline space="space.200" alignBlock="end" shouldWrap>
            <CharterSelect {...f} label={`Rule ${i + 1}: field`} path={[...at(i), 'field']} options={CLASSIFY_FIELDS} />
            <CharterField {...f} label="Value (priority name or id, label, component)" path={[...at(i), 'value']} />
            <CharterField {...f} label="Keywords (comma-separated)" path={[...at(i), 'keywords']} kind="list" />
            <Button onClick={() => onEdit(['routing', 'classify'], rules.filter((__, j) => j !== i))}>{`Remove rule ${i + 1}`}</Button>
          </Inline>
          <Problems issues={issues} path={at(i)} />
        </Stack>
      ))}
      <Button onClick={() => onEdit(['routing', 'classify'], [...rules, NEW_RULE])}>Add classify rule</Button>
    </Stack>
  );
}
