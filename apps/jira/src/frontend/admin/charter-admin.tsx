import {
  Button,
  Heading,
  Inline,
  Label,
  SectionMessage,
  Select,
  Stack,
  Tab,
  TabList,
  TabPanel,
  Tabs,
  Text,
  TextArea,
} from '@forge/react';
import { formatIssue } from '@baton/core';
import { useEffect, useState } from 'react';
import type { ReactNode } from 'react';
import type { ContractOutput } from '../../contracts/resolver-contracts.ts';
import { callResolver, useResolver } from '../use-resolver.ts';
import type { PathIssue } from '../use-resolver.ts';
import { AuditLogPanel } from './audit-log-panel.tsx';
import { draftFromYaml, getAt, setAt, validateDraft } from './charter-draft.ts';
import type { Draft, Path } from './charter-draft.ts';
import { CharterForm } from './charter-form.tsx';
import { DailyReportPanel } from './daily-report-panel.tsx';
import { RouterModelPanel } from './router-model-panel.tsx';
import { TrustPanel } from './trust-panel.tsx';
import { DashboardPanel } from './dashboard-panel.tsx';
import { DryRunPanel } from './dry-run-panel.tsx';
import { FieldWritesCheck } from './field-writes-check.tsx';
import { ModelSettingsPanel } from './model-settings-panel.tsx';
import { ChatSettingsPanel } from './chat-settings-panel.tsx';
import { WorkflowMap } from './workflow-map.tsx';

type Loaded = ContractOutput<'getCharter'>;
type Notice = { appearance: 'success' | 'error' | 'warning'; title: string; lines: string[] } | null;

export interface CharterAdminProps {
  /** `global` on the admin page, the project's key on its settings page. */
  scope: string;
  /** How often a running dry run is polled (ms). */
  pollMs?: number;
}

/**
 * Every status the charter does not map yet gets the phase the page shows for it, so the map is
 * complete; a charter with no default calendar gets core's (Monday to Friday, 09:00–17:00 UTC), so
 * its fields show what is in force.
 */
function prefillWorkflow(draft: Draft, statuses: Loaded['statuses']): Draft {
  const mapped = statuses.reduce(
    (d, s) =>
      getAt(d, ['workflow', 'states', s.name]) === undefined
        ? setAt(d, ['workflow', 'states', s.name], { phase: s.phase, ready: [] })
        : d,
    draft,
  );
  if (getAt(mapped, ['calendars', 'default']) !== undefined) return mapped;
  const day = [['09:00', '17:00']];
  return setAt(mapped, ['calendars', 'default'], {
    timeZone: 'UTC',
    week: { mon: day, tue: day, wed: day, thu: day, fri: day },
    holidays: [],
  });
}

const inForce = (c: Loaded): string =>
  c.source === 'own' && c.record !== null
    ? `Version ${c.record.version} stays in force.`
    : c.source === 'site'
      ? 'The site charter stays in force.'
      : 'The default charter (assist everywhere) stays in force.';

/**
 * The charter's admin: a form, the workflow map and the YAML (all three edit one charter, saved with
 * the version it was read at), plus the project's dry run, audit log with trust score, and daily report.
 */
export function CharterAdmin({ scope, pollMs = 2000 }: CharterAdminProps) {
  const [reload, setReload] = useState(0);
  const loaded = useResolver('getCharter', { scope }, reload);
  // What the pickers offer; while it loads (or if Jira refuses) the form's fields stay typed.
  const picked = useResolver('getPickerOptions', { scope });
  const options = picked.status === 'ok' ? picked.data : undefined;
  // Whether a model is chosen (the classify section says so); the model settings are the site admin's, read on the admin page only.
  const [modelReload, setModelReload] = useState(0);
  const models = useResolver('getModelSettings', scope === 'global' ? {} : undefined, modelReload);
  const model = models.status !== 'ok' ? undefined : modelName(models.data.settings);
  const [draft, setDraft] = useState<Draft>({});
  const [yamlText, setYamlText] = useState('');
  const [issues, setIssues] = useState<PathIssue[]>([]);
  const [notice, setNotice] = useState<Notice>(null);
  const [chosenProject, setChosenProject] = useState<string | null>(null);

  useEffect(() => {
    if (loaded.status !== 'ok') return;
    setDraft(prefillWorkflow(draftFromYaml(loaded.data.yaml), loaded.data.statuses));
    setYamlText(loaded.data.yaml);
  }, [loaded]);

  if (loaded.status === 'loading') return <Text>Loading the charter…</Text>;
  if (loaded.status === 'error')
    return (
      <SectionMessage appearance="error">
        <Text>{loaded.message}</Text>
      </SectionMessage>
    );
  const c = loaded.data;

  const save = async (yaml: string) => {
    const r = await callResolver('saveCharter', { scope, yaml, expectedVersion: c.record?.version ?? 0 });
    if (r.status === 'ok') {
      setIssues([]);
      setNotice({ appearance: 'success', title: `Saved: version ${r.data.record.version} is in force.`, lines: [] });
      setReload((n) => n + 1);
    } else if (r.status === 'error') {
      const found = r.issues ?? [];
      setIssues(found);
      setNotice(
        found.length > 0
          ? {
              appearance: 'error',
              title: `Not saved: the charter was rejected whole (${found.length} problem${found.length === 1 ? '' : 's'}). ${inForce(c)}`,
              lines: found.map(formatIssue),
            }
          : {
              appearance: r.code === 'conflict' ? 'warning' : 'error',
              title: `Not saved. ${inForce(c)}`,
              lines: [r.message],
            },
      );
    }
  };
  const saveForm = () => {
    const v = validateDraft(draft);
    if (v.ok) return void save(v.yaml);
    setIssues(v.issues);
    setNotice({
      appearance: 'error',
      title: `Not saved: ${v.issues.length} problem${v.issues.length === 1 ? '' : 's'} to fix. ${inForce(c)}`,
      lines: v.issues.map(formatIssue),
    });
  };
  const edit = (path: Path, value: unknown) => setDraft((d) => setAt(d, path, value));
  const takeFormValues = () => {
    const v = validateDraft(draft);
    if (v.ok) setYamlText(v.yaml);
    else setIssues(v.issues);
  };

  const projects = scope === 'global' ? (c.record?.charter.scope.projects ?? []) : [scope];
  const projectKey = chosenProject !== null && projects.includes(chosenProject) ? chosenProject : (projects[0] ?? null);
  // The tabs about one project: its panel under the project picker (site page), or a word that none is in scope.
  const forProject = (panel: (key: string) => ReactNode) =>
    projectKey === null ? (
      <NoProject />
    ) : (
      <ProjectPicker {...{ scope, projects, projectKey, setChosenProject }}>{panel(projectKey)}</ProjectPicker>
    );
  const source =
    c.source === 'own'
      ? `Version ${c.record?.version ?? 0}`
      : c.source === 'site'
        ? 'No own charter yet: the site charter applies'
        : 'No charter saved yet: the default applies (assist everywhere)';

  return (
    <Stack space="space.200">
      <Heading size="medium">
        {scope === 'global' ? 'Baton: the agent charter for this site' : `Baton: the agent charter for ${scope}`}
      </Heading>
      <Text>{source}</Text>
      {c.source === 'own' && c.record?.notice !== undefined ? (
        <SectionMessage appearance="warning" title="Baton changed this charter">
          <Text>{c.record.notice}</Text>
        </SectionMessage>
      ) : null}
      {notice === null ? null : (
        <SectionMessage appearance={notice.appearance} title={notice.title}>
          {notice.lines.map((l) => (
            <Text key={l}>{l}</Text>
          ))}
        </SectionMessage>
      )}
      <Tabs id="baton-admin">
        <TabList>
          <Tab>Charter</Tab>
          <Tab>Workflow map</Tab>
          <Tab>YAML</Tab>
          <Tab>Dry run</Tab>
          <Tab>Audit log</Tab>
          <Tab>Daily report</Tab>
          <Tab>Trust</Tab>
          <Tab>Router model</Tab>
          <Tab>Dashboard</Tab>
          {scope === 'global' ? <Tab>Model</Tab> : null}
          {scope === 'global' ? <Tab>Slack</Tab> : null}
        </TabList>
        <TabPanel>
          <Stack space="space.200">
            <CharterForm
              draft={draft}
              issues={issues}
              onEdit={edit}
              showProjects={scope === 'global'}
              options={options}
              model={model}
            />
            <Button appearance="primary" onClick={saveForm}>
              Save charter
            </Button>
            <FieldWritesCheck scope={scope} refresh={reload} />
          </Stack>
        </TabPanel>
        <TabPanel>
          <Stack space="space.200">
            <WorkflowMap draft={draft} statuses={c.statuses} issues={issues} onEdit={edit} fields={options?.fields} />
            <Button appearance="primary" onClick={saveForm}>
              Save workflow map
            </Button>
          </Stack>
        </TabPanel>
        <TabPanel>
          <Stack space="space.100">
            <Label labelFor="charter.yaml">
              The charter as YAML (saved whole: an invalid charter is rejected with every problem listed)
            </Label>
            <TextArea
              id="charter.yaml"
              name="charter.yaml"
              isMonospaced
              minimumRows={20}
              value={yamlText}
              onChange={(e) => setYamlText(String(e.target.value ?? ''))}
            />
            <Inline space="space.100">
              <Button appearance="primary" onClick={() => void save(yamlText)}>
                Save YAML
              </Button>
              <Button onClick={takeFormValues}>Take the form's values</Button>
            </Inline>
          </Stack>
        </TabPanel>
        <TabPanel>
          {forProject((k) => (
            <DryRunPanel projectKey={k} pollMs={pollMs} />
          ))}
        </TabPanel>
        <TabPanel>
          {forProject((k) => (
            <AuditLogPanel key={k} projectKey={k} />
          ))}
        </TabPanel>
        <TabPanel>
          {forProject((k) => (
            <DailyReportPanel projectKey={k} />
          ))}
        </TabPanel>
        <TabPanel>
          {forProject((k) => (
            <TrustPanel key={k} projectKey={k} />
          ))}
        </TabPanel>
        <TabPanel>
          {forProject((k) => (
            <RouterModelPanel key={k} projectKey={k} />
          ))}
        </TabPanel>
        <TabPanel>
          {forProject((k) => (
            <DashboardPanel key={k} projectKey={k} pollMs={pollMs} />
          ))}
        </TabPanel>
        {scope === 'global' ? (
          <TabPanel>
            <ModelSettingsPanel onSaved={() => setModelReload((n) => n + 1)} />
          </TabPanel>
        ) : null}
        {scope === 'global' ? (
          <TabPanel>
            <ChatSettingsPanel />
          </TabPanel>
        ) : null}
      </Tabs>
    </Stack>
  );
}

/** The chosen model's name, or null when drafts and classification use the rules only. */
const modelName = (s: ContractOutput<'getModelSettings'>['settings']): string | null =>
  s.provider === 'none'
    ? null
    : s.provider === 'openai-compatible'
      ? (s.openai?.model ?? 'The OpenAI-compatible model')
      : s.model;

const NoProject = () => (
  <Text>
    List a project in the charter (Projects in scope) and save: its dry run, audit log, report and dashboard show here.
  </Text>
);

function ProjectPicker({
  scope,
  projects,
  projectKey,
  setChosenProject,
  children,
}: {
  scope: string;
  projects: string[];
  projectKey: string;
  setChosenProject: (p: string) => void;
  children: ReactNode;
}) {
  if (scope !== 'global') return <>{children}</>;
  return (
    <Stack space="space.200">
      <Stack space="space.050">
        <Label labelFor="project">Project</Label>
        <Select
          inputId="project"
          name="project"
          value={{ label: projectKey, value: projectKey }}
          options={projects.map((p) => ({ label: p, value: p }))}
          onChange={(o: { value: string } | null) => o && setChosenProject(o.value)}
        />
      </Stack>
      {children}
    </Stack>
  );
}
