import type { CaseView } from '../messaging/protocol.ts';
import type { SendRequest } from '../messaging/send-request.ts';

/**
 * The overlay's and side panel's second step when the background marked a view as waiting for the
 * rep's own model: asks the background (`case.word`) for the reworded view. The page never learns
 * which model or key: it only sees the answer. A failure leaves the rules' text and says why.
 */
export async function wordInBackground(view: CaseView, send: SendRequest): Promise<CaseView> {
  const draft = view.drafts[0];
  const pending = view.packet.summaryWording?.by === 'pending' || view.drafts.some((d) => d.wording?.by === 'pending');
  if (!pending || draft === undefined) return view;
  const r = await send({ type: 'case.word', key: view.case.key, audience: draft.audience });
  if (r.ok) return r.data;
  const wording = { by: 'rules' as const, reason: `Worded by the rules: ${r.error.message}` };
  return {
    ...view,
    packet: { ...view.packet, summaryWording: wording },
    drafts: view.drafts.map((d) => ({ ...d, wording })),
  };
}
