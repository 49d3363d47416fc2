/**
 * Status chasing: a comment or message whose point is to ask where the work stands
 * ("any update?", "is there an ETA?", "what is the status of this?"). Used by the analysis's
 * status-chase figure and by the watchdog's context. A rule-based detector: precise phrases that ask
 * about progress, only in questions or requests, ignoring quoted text.
 */

// Phrases that, asked, chase status. Kept narrow: "update" alone is too common in bug reports
// ("after the update the app crashes"), so it counts only in asking forms.
const CHASE_PATTERNS: readonly RegExp[] = [
  /\bany (news|updates?|progress|eta|feedback|word)\b/i,
  /\b(is|are) there (any|an) (updates?|eta|news|progress|timeline|time ?frame)\b/i,
  /\b(what|how)('s| is) the (current )?(status|progress|eta)\b/i,
  /\bwhat('s| is) the (latest|state of)\b/i,
  /\bwhen (will|can|could|would) (this|it|we|you|the fix)\b.*\b(fixed|ready|done|released|resolved|merged|available|land|ship)/i,
  /\b(do|does|did) (you|we|anyone|someone) have (an? )?(eta|update|timeline|time ?frame)\b/i,
  /\b(an?y?) eta\b.*\?/i,
  /\b(status|progress) (update|check)\b.*(\?|please|pls)/i,
  /\b(following|follow) up (on|regarding)\b/i,
  /\b(checking|check) in on\b/i,
  /\bjust (a )?(ping|bump|checking|reminder)\b/i,
  /^\s*(ping|bump|\+1 for an update)\W*$/i,
  /\bplease (provide|give|share) (us )?(an? )?(update|status|eta)\b/i,
  /\bcan (you|we|someone) (please )?(give|provide|share) (us |me )?(an? )?(update|status|eta)\b/i,
  /\bhas there been any (progress|movement|update)\b/i,
  /\bis (this|anyone|someone) (still )?(being )?(worked on|working on|looking at|looking into)\b/i,
  /\bwhere are we (on|with)\b/i,
];

/** Drops quoted lines (`> ...`, Jira `{quote}` blocks) so that a quoted chase does not count twice. */
function withoutQuotes(text: string): string {
  return text
    .replace(/\{quote\}[\s\S]*?\{quote\}/gi, ' ')
    .split(/\r?\n/)
    .filter((line) => !/^\s*>/.test(line))
    .join('\n');
}

/** True when the text chases status. */
export function isStatusChase(text: string): boolean {
  const body = withoutQuotes(text);
  if (body.trim() === '') return false;
  return CHASE_PATTERNS.some((p) => p.test(body));
}
