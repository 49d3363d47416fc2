import { Button, Heading, Inline, Stack, Text } from '@forge/react';
import { CLASSIFY_FIELDS } from '../../contracts/charter.ts';
import type { PathIssue } from '../use-resolver.ts';
import { getAt } from './charter-draft.ts';
import type { Draft, Path } from './charter-draft.ts';
import { CharterChoice, CharterField, CharterSelect, Problems } from './fields.tsx';
import type { PickerOptions } from './fields.tsx';

export interface ClassifyFormProps {
  draft: Draft;
  issues: readonly PathIssue[];
  onEdit: (path: Path, value: unknown) => void;
  /** The site's priorities and the project's components to choose from; undefined until read (then values are typed). */
  options?: PickerOptions | undefined;
}

const NEW_RULE = { field: 'labels', value: 'new-label', keywords: [] as string[] };

/**
 * The router's classify rules as a form: per rule the field it fills (priority, labels, components),
 * the value, and the keywords that vote for it; rules are added and removed here. Validated with the
 * charter's zod schema, each problem under its field (`routing.classify.0.value`).
 */
export function ClassifyForm({ draft, issues, onEdit, options }: ClassifyFormProps) {
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
            <RuleValue {...f} path={[...at(i), 'value']} field={getAt(draft, [...at(i), 'field'])} options={options} />
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

/**
 * A rule's value: a priority chosen among the site's, a component among the project's (on the site admin page
 * there is no project, so a component is typed), a label typed. Stored by name, as the router writes them.
 */
function RuleValue({ field, options, ...f }: Omit<ClassifyFormProps, 'options'> & { path: Path; field: unknown; options: PickerOptions | undefined }) {
  const named = (list: readonly { name: string }[]) => list.map((x) => ({ label: x.name, value: x.name }));
  if (field === 'priority' && options !== undefined && options.priorities.length > 0) return <CharterChoice {...f} label="Value (a priority of this site)" options={named(options.priorities)} />;
  if (field === 'components' && options !== undefined && options.components.length > 0) return <CharterChoice {...f} label="Value (a component of this project)" options={named(options.components)} />;
  return <CharterField {...f} label={field === 'components' ? 'Value (component name)' : field === 'priority' ? 'Value (priority name or id)' : 'Value (label)'} />;
}
