import { Button, Heading, Inline, Label, Select, Stack, Text, Toggle } from '@forge/react';
import { CLASSIFY_FIELDS } from '../../contracts/charter.ts';
import type { PathIssue } from '../use-resolver.ts';
import { getAt, messagesAt, pathKey } from './charter-draft.ts';
import type { Draft, Path } from './charter-draft.ts';
import { CharterChoice, CharterField, CharterSelect, Problems, choicesByName } from './fields.tsx';
import type { PickerOptions } from './fields.tsx';

export interface ClassifyFormProps {
  draft: Draft;
  issues: readonly PathIssue[];
  onEdit: (path: Path, value: unknown) => void;
  /** The site's priorities and the project's components to choose from; undefined until read (then values are typed). */
  options?: PickerOptions | undefined;
  /**
   * The model the site chose on the Model tab: its name, `null` for none, undefined when this page cannot
   * tell (a project's settings page: the model settings are the site admin's) or while they load.
   */
  model?: string | null | undefined;
}

const NEW_RULE = { field: 'labels', label: 'new-label', keywords: [] as string[] };

/**
 * The router's classify rules as a form: per rule the field it fills (priority, labels, components),
 * the value (core's `label`), and the keywords that vote for it; rules are added and removed here.
 * Validated with core's `parseCharter` and the app's checks, each problem under its field (`routing.classify.0.label`).
 */
export function ClassifyForm({ draft, issues, onEdit, options, model }: ClassifyFormProps) {
  const f = { draft, issues, onEdit };
  const rules = (getAt(draft, ['routing', 'classify']) as unknown[] | undefined) ?? [];
  const at = (i: number): Path => ['routing', 'classify', i];
  return (
    <Stack space="space.200">
      <Heading size="small">Classify rules</Heading>
      <Text>
        A keyword in the summary or description (whole word, any case) votes for the value; it is proposed for an empty
        field only (priority: while it is still the site&apos;s default), under the Set fields dial.
      </Text>
      {rules.length === 0 ? <Text>No classify rule.</Text> : null}
      {rules.map((_, i) => (
        <Stack key={i} space="space.050">
          <Inline space="space.200" alignBlock="end" shouldWrap>
            <CharterSelect {...f} label={`Rule ${i + 1}: field`} path={[...at(i), 'field']} options={CLASSIFY_FIELDS} />
            <RuleValue {...f} path={[...at(i), 'label']} field={getAt(draft, [...at(i), 'field'])} options={options} />
            <CharterField {...f} label="Keywords (comma-separated)" path={[...at(i), 'keywords']} kind="list" />
            <Button
              onClick={() =>
                onEdit(
                  ['routing', 'classify'],
                  rules.filter((__, j) => j !== i),
                )
              }
            >{`Remove rule ${i + 1}`}</Button>
          </Inline>
          <Problems issues={issues} path={at(i)} />
        </Stack>
      ))}
      <Button onClick={() => onEdit(['routing', 'classify'], [...rules, NEW_RULE])}>Add classify rule</Button>
      <ModelClassify {...f} rules={rules} model={model} />
    </Stack>
  );
}

/**
 * A rule's value: a priority chosen among the site's, a component among the project's (on the site admin page
 * there is no project, so a component is typed), a label typed. Stored by name, as the router writes them.
 */
function RuleValue({
  field,
  options,
  ...f
}: Omit<ClassifyFormProps, 'options'> & { path: Path; field: unknown; options: PickerOptions | undefined }) {
  if (field === 'priority' && options !== undefined && options.priorities.length > 0)
    return <CharterChoice {...f} label="Value (a priority of this site)" options={choicesByName(options.priorities)} />;
  if (field === 'components' && options !== undefined && options.components.length > 0)
    return (
      <CharterChoice {...f} label="Value (a component of this project)" options={choicesByName(options.components)} />
    );
  return (
    <CharterField
      {...f}
      label={
        field === 'components'
          ? 'Value (component name)'
          : field === 'priority'
            ? 'Value (priority name or id)'
            : 'Value (label)'
      }
    />
  );
}

const MC: Path = ['routing', 'modelClassify'];

/**
 * `routing.modelClassify`: whether the site's model suggests some fields of a new issue (one of the values the
 * classify rules name for the field) before the keyword rules do, and which fields. Only a field with a classify
 * rule can be chosen; a listed field that has lost its last rule is shown, marked, with the charter's problem
 * (`routing.modelClassify.fields.N`) under the choice.
 */
function ModelClassify({
  draft,
  issues,
  onEdit,
  rules,
  model,
}: Omit<ClassifyFormProps, 'options'> & { rules: readonly unknown[] }) {
  const enabled = getAt(draft, [...MC, 'enabled']) === true;
  const listedRaw = getAt(draft, [...MC, 'fields']);
  const listed = Array.isArray(listedRaw) ? listedRaw.map(String) : [];
  const ruled = CLASSIFY_FIELDS.filter((field) => rules.some((r) => getAt(r, ['field']) === field));
  const choice = (field: string) => ({
    label: ruled.includes(field as (typeof ruled)[number]) ? field : `${field} (no classify rule)`,
    value: field,
  });
  const fieldsPath: Path = [...MC, 'fields'];
  const id = pathKey(fieldsPath);
  const invalid = issues.some((i) => pathKey(i.path.slice(0, fieldsPath.length)) === id);
  const note =
    model === null
      ? 'No model is chosen on the Model tab: nothing will be asked, the keyword rules classify every field.'
      : model === undefined
        ? "The model is chosen by a site admin on the Baton admin page's Model tab; while none is chosen, nothing is asked and the keyword rules classify."
        : `${model} is asked about a new issue's empty fields among these; its answers are suggestions a person decides on (below the act line). When it fails, the keyword rules classify.`;
  return (
    <Stack space="space.050">
      <Toggle
        id={pathKey([...MC, 'enabled'])}
        label="Let the model suggest these fields"
        isChecked={enabled}
        onChange={() => onEdit([...MC, 'enabled'], !enabled)}
      />
      <Text>{enabled ? 'The model suggests the fields chosen below.' : 'Off: the keyword rules alone classify.'}</Text>
      <Problems issues={issues} path={[...MC, 'enabled']} />
      <Stack space="space.050">
        <Label labelFor={id}>Fields the model suggests (those with classify rules)</Label>
        <Select
          inputId={id}
          name={id}
          isMulti
          value={listed.map(choice)}
          options={[
            ...ruled.map(choice),
            ...listed.filter((x) => !ruled.includes(x as (typeof ruled)[number])).map(choice),
          ]}
          isInvalid={invalid || messagesAt(issues, MC).length > 0}
          onChange={(list: readonly { value: string }[] | null) =>
            onEdit(
              fieldsPath,
              (list ?? []).map((c) => c.value),
            )
          }
        />
        <Problems issues={issues} path={fieldsPath} />
        <Problems issues={issues} path={MC} />
      </Stack>
      {enabled ? <Text>{note}</Text> : null}
    </Stack>
  );
}
