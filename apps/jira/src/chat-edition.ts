// The default edition speaks in Jira only: no chat workspace, no Slack client in the bundle. The Slack
// edition's build (scripts/slack-edition.ts) replaces this file with a re-export of ./editions/slack.ts.
import type { ChatAdmin, ChatConnector } from './ports/chat.ts';

export const chat: ChatConnector = async () => undefined;
export const chatAdmin: ChatAdmin | undefined = undefined;
