import { interactiveElements } from './block-kit.ts';
import type { SlackSimStore } from './methods.ts';
import type { SimMessage } from './workspace.ts';

/**
 * Payloads as Slack builds them when a person uses an app's message, and events as the Events API
 * delivers them. Interactivity arrives as `application/x-www-form-urlencoded` with one field, `payload`,
 * holding JSON (https://docs.slack.dev/interactivity/handling-user-interaction#payloads);
 * `block_actions` (https://docs.slack.dev/reference/interaction-payloads/block_actions-payload) and
 * `view_submission` (https://docs.slack.dev/reference/interaction-payloads/view-interactions-payload);
 * events arrive as JSON `event_callback` envelopes (https://docs.slack.dev/apis/events-api/#callback-field).
 */

/** What a person does to a posted message: click a button or pick an option, with whatever they typed in its inputs. */
export interface InteractSpec {
  readonly user: string;
  readonly channel: string;
  readonly ts: string;
  readonly actionId: string;
  /** For a select: the option's value (must be one of the element's options). */
  readonly selected?: string;
  /** Values typed or picked in the message's input and select elements, by `action_id`. */
  readonly inputs?: Readonly<Record<string, string>>;
}

/** A person tried something Slack's client would not let them do: no such button, not their channel. */
export class SimInteractionError extends Error {
  override readonly name = 'SimInteractionError';
}

let counter = 0;
const triggerId = (now: number): string => `${Math.floor(now / 1000)}.${++counter}.sim${counter.toString(16)}`;

function messageJson(m: SimMessage, teamId: string): Record<string, unknown> {
  return {
    type: 'message',
    subtype: 'bot_message',
    text: m.text,
    user: m.user,
    bot_id: m.botId,
    ts: m.ts,
    team: teamId,
    blocks: m.blocks ?? [],
  };
}

type Option = { text: { type: 'plain_text'; text: string }; value: string };

function stateValue(element: Record<string, unknown>, value: string | undefined): Record<string, unknown> {
  if (element.type === 'static_select') {
    const option = (element.options as Option[]).find((o) => o.value === value);
    if (value !== undefined && option === undefined)
      throw new SimInteractionError(`no option '${value}' in ${String(element.action_id)}`);
    return { type: 'static_select', selected_option: option ?? null };
  }
  return { type: element.type, value: value ?? null };
}

/** The `block_actions` payload Slack sends when `spec.user` uses an element of a posted message. */
export function blockActionsPayload(store: SlackSimStore, spec: InteractSpec, now: number): Record<string, unknown> {
  const ws = store.workspace;
  const message = store.messages.get(`${spec.channel}:${spec.ts}`);
  if (message === undefined) throw new SimInteractionError(`no message ${spec.ts} in ${spec.channel}`);
  const channel = store.channels.get(spec.channel);
  if (channel === undefined || !channel.members.includes(spec.user))
    throw new SimInteractionError(`${spec.user} cannot see ${spec.channel}`);
  const user = store.users.get(spec.user);
  if (user === undefined) throw new SimInteractionError(`no user ${spec.user}`);
  const elements = interactiveElements(message.blocks ?? []);
  const hit = elements.find((e) => e.element.action_id === spec.actionId);
  if (hit === undefined) throw new SimInteractionError(`no element with action_id ${spec.actionId} in the message`);
  const values: Record<string, Record<string, unknown>> = {};
  for (const { blockId, element } of elements) {
    if (element.type === 'button') continue;
    const id = String(element.action_id);
    const value = id === spec.actionId ? spec.selected : spec.inputs?.[id];
    (values[blockId] ??= {})[id] = stateValue(element, value);
  }
  const actionTs = `${Math.floor(now / 1000)}.${String(now % 1000).padStart(6, '0')}`;
  const e = hit.element;
  const action =
    e.type === 'static_select'
      ? {
          type: 'static_select',
          action_id: spec.actionId,
          block_id: hit.blockId,
          selected_option: stateValue(e, spec.selected).selected_option,
          action_ts: actionTs,
        }
      : {
          type: 'button',
          action_id: spec.actionId,
          block_id: hit.blockId,
          text: e.text,
          ...(e.value === undefined ? {} : { value: e.value }),
          ...(e.style === undefined ? {} : { style: e.style }),
          action_ts: actionTs,
        };
  return {
    type: 'block_actions',
    user: { id: user.id, username: user.name, name: user.name, team_id: ws.teamId },
    api_app_id: ws.apiAppId,
    token: 'deprecated-verification-token',
    container: { type: 'message', message_ts: message.ts, channel_id: message.channel, is_ephemeral: false },
    trigger_id: triggerId(now),
    team: { id: ws.teamId, domain: ws.domain },
    enterprise: null,
    is_enterprise_install: false,
    channel: { id: channel.id, name: channel.im === undefined ? channel.name : 'directmessage' },
    message: messageJson(message, ws.teamId),
    state: { values },
    response_url: `https://hooks.slack.com/actions/${ws.teamId}/${counter}/sim`,
    actions: [action],
  };
}

/** A modal as the app opened it, and what the person entered before submitting. */
export interface ViewSubmitSpec {
  readonly user: string;
  readonly callbackId: string;
  readonly privateMetadata?: string;
  readonly blocks: readonly unknown[];
  /** Values by `action_id`. */
  readonly inputs: Readonly<Record<string, string>>;
}

/** The `view_submission` payload Slack sends when a person submits a modal. */
export function viewSubmissionPayload(
  store: SlackSimStore,
  spec: ViewSubmitSpec,
  now: number,
): Record<string, unknown> {
  const ws = store.workspace;
  const user = store.users.get(spec.user);
  if (user === undefined) throw new SimInteractionError(`no user ${spec.user}`);
  const values: Record<string, Record<string, unknown>> = {};
  for (const { blockId, element } of interactiveElements(spec.blocks)) {
    if (element.type === 'button') continue;
    const id = String(element.action_id);
    (values[blockId] ??= {})[id] = stateValue(element, spec.inputs[id]);
  }
  return {
    type: 'view_submission',
    team: { id: ws.teamId, domain: ws.domain },
    user: { id: user.id, username: user.name, name: user.name, team_id: ws.teamId },
    api_app_id: ws.apiAppId,
    token: 'deprecated-verification-token',
    trigger_id: triggerId(now),
    view: {
      id: `V0SIM${counter}`,
      team_id: ws.teamId,
      type: 'modal',
      blocks: spec.blocks,
      private_metadata: spec.privateMetadata ?? '',
      callback_id: spec.callbackId,
      state: { values },
      hash: `${Math.floor(now / 1000)}.sim`,
      app_id: ws.apiAppId,
      bot_id: ws.botId,
    },
    response_urls: [],
    is_enterprise_install: false,
    enterprise: null,
  };
}

/** The Events API envelope around `event` (a DM to the bot: `{ type: 'message', channel_type: 'im', … }`). */
export function eventCallback(
  store: SlackSimStore,
  event: Record<string, unknown>,
  eventId: string,
  now: number,
): Record<string, unknown> {
  const ws = store.workspace;
  return {
    token: 'deprecated-verification-token',
    team_id: ws.teamId,
    api_app_id: ws.apiAppId,
    event: { ...event, event_ts: event.ts ?? `${Math.floor(now / 1000)}.000100` },
    type: 'event_callback',
    event_id: eventId,
    event_time: Math.floor(now / 1000),
    authorizations: [
      { enterprise_id: null, team_id: ws.teamId, user_id: ws.botUserId, is_bot: true, is_enterprise_install: false },
    ],
    is_ext_shared_channel: false,
  };
}

/** Form-encodes an interaction payload as Slack does: `payload=<url-encoded JSON>`. */
export function formPayload(payload: Record<string, unknown>): string {
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}
