import type { JiraClient } from '@baton/jira';
import type { Clock } from '../ports/clock.ts';
import type { AppModels } from '../ports/models.ts';
import type { BatonStorage } from '../ports/storage.ts';
import type { WorkQueue } from '../ports/work-queue.ts';
import type { ChatAdmin, ChatConnector } from '../ports/chat.ts';

/**
 * What the app's logic needs from the platform, every part a port (`src/ports/`): handlers build it over
 * the platform, tests over the harness.
 */
export interface AppDeps extends Clock {
  /** Jira as the app (`asApp()`). */
  jira: JiraClient;
  storage: BatonStorage;
  queue: WorkQueue;
  /**
   * The admin's model choice. Wording asks for it, and the router's classification where the charter's
   * `routing.modelClassify` lets a model classify (`model-classify.ts`; its proposals are suggestions only).
   */
  models: AppModels;
  /** A connected chat workspace (the Slack edition; `src/chat-edition.ts`), or none: Baton then speaks in Jira only. */
  chat?: ChatConnector;
  /** The admin page's view of that workspace (the Slack edition), or none. */
  chatAdmin?: ChatAdmin;
}
