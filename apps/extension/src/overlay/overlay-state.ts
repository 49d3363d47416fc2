import type { Audience, BatonError, CaseView, CommentVisibility, FindResult } from '../messaging/protocol.ts';
import type { PageContext } from '../sites/site-adapter.ts';

/** Everything the panel can show; the controller moves between these, the renderer draws one. */
export type OverlayState =
  | { readonly view: 'loading'; readonly message: string }
  | { readonly view: 'elsewhere'; readonly message: string }
  | { readonly view: 'unrecognised'; readonly message: string; readonly siteUrl: string | null }
  | { readonly view: 'error'; readonly error: BatonError }
  | {
      readonly view: 'case';
      /** null when the rep linked an issue by hand on a page Baton could not read. */
      readonly page: PageContext | null;
      readonly find: FindResult | null;
      readonly selected: string | null;
      readonly caseView: CaseView | null;
      readonly caseError: BatonError | null;
      readonly notice: string | null;
      readonly noticeLink: string | null;
      /** "Log to Jira" being prepared: which messages and who may read the comment; null when closed. */
      readonly log: LogChoice | null;
      readonly busy: boolean;
      /** Who the draft is for (core's audiences); the site's default until the rep picks another. */
      readonly audience: Audience;
      /** The draft as the rep edited it; null while it is the drafted text. */
      readonly draftText: string | null;
      /** What the rep may do to the linked issue (asked when the rep opens "Status and assignee"). */
      readonly acts: JiraOptions | null;
      /** "Create a Jira issue" is open. */
      readonly creating: boolean;
    };

export interface JiraOptions {
  readonly transitions: readonly { readonly id: string; readonly name: string }[];
  readonly assignees: readonly { readonly accountId: string; readonly name: string }[];
}

/** The new issue as the rep left the form. */
export interface NewIssue {
  readonly project: string;
  readonly issueType: string;
  readonly summary: string;
  readonly description: string;
}

export type CaseState = Extract<OverlayState, { view: 'case' }>;

export interface LogChoice {
  /** Indexes of the thread's messages to log (oldest first); the latest one unless the rep changes it. */
  readonly chosen: readonly number[];
  /** Internal unless the rep makes it public: a Service Management comment is otherwise customer-visible. */
  readonly visibility: CommentVisibility;
}

export interface OverlayActions {
  close(): void;
  pick(key: string): void;
  manual(key: string): void;
  unlink(): void;
  insert(text: string): void;
  copy(text: string): void;
  logStart(): void;
  logToggle(index: number): void;
  logVisibility(visibility: CommentVisibility): void;
  logConfirm(): void;
  logCancel(): void;
  openOptions(): void;
  retry(): void;
  /** The rep picked another audience: the draft is drafted again for it. */
  pickAudience(audience: Audience): void;
  /** The rep edited the draft (kept without redrawing, so the caret stays). */
  editDraft(text: string): void;
  /** Docks the panel to the other side of the window. */
  dock(): void;
  /** Words or JQL: the results become the candidates to pick from. */
  search(query: string): void;
  createStart(): void;
  createCancel(): void;
  create(issue: NewIssue): void;
  actsStart(): void;
  transition(id: string): void;
  /** null: unassign. */
  assign(accountId: string | null): void;
}
