/**
 * Status chasing: a comment or message whose point is to ask where the work stands
 * ("any update?", "is there an ETA?", "what is the status of this?"). Used by the analysis's
 * status-chase figure and by the watchdog's context. A rule-based detector: precise phrases that ask
 * about progress, only in questions or requests, ignoring quoted text.
 */

// Phrases that, asked, chase status. Kept narrow: "update" alone is too common in bug reports
// ("after the update the app crashes"), so it counts only in asking forms.
const CHASE_PATTERNS: readonly RegExp[] = [
  /\bany (news|updates?|progress|eta|feedback|word|status)\b/i,
  /\bno (news|updates?|progress)\b[^.!\n]{0,40}\?/i,
  /\b(is|are) there (any|an?) (updates?|eta|news|progress|timeline|time ?frame|response|reply)\b/i,
  /\b(is|are) there (any )?plans? (to|for)\b/i,
  /\b(what|how)('s| is) the (current )?(status|progress|eta)\b/i,
  /\bwhat('s| is) the (latest|state of)\b/i,
  /\bwhen (will|can|could|would) (this|it|we|you|the fix)\b.*\b(fixed|ready|done|released|resolved|merged|available|land|ship)/i,
  /\bwhen is (this|it|the fix) (expected|going|planned|scheduled|likely)\b/i,
  /\bany (idea|word|news)\b[^.!?\n]{0,20}\bwhen\b/i,
  /\bany (way|chance)\b[^.!?\n]{0,60}\b(prioriti[sz]ed|fixed|looked at|addressed|resolved|implemented|next release|part of the)\b/i,
  /\b(do|does|did) (you|we|anyone|someone) have (an? )?(eta|update|timeline|time ?frame)\b/i,
  /\beta\b[^.!\n]{0,30}\?/i,
  /\b(status|progress) (update|check)\b.*(\?|please|pls)/i,
  /\b(following|follow) up (on|regarding|here|with)\b|\b(wanted|want|like) to follow up\b/i,
  /\b(checking|check) in on\b/i,
  /\bjust (a )?(ping|bump|checking|reminder)\b/i,
  /^\W*(ping|bump|\+1 for an update)\b/i,
  /^\s*updates?\s*\?/i,
  /\bplease (provide|give|share) (us )?(some sort of |an? )?(update|status|eta|timeline|time ?frame)\b/i,
  /\bcan (you|we|someone) (please )?(give|provide|share) (us |me )?(an? )?(update|status|eta)\b/i,
  /\b(let|keep) (me|us) (know|posted)( on| about)? (your|the) (status|updates?|progress)\b/i,
  /\bhas there been any (progress|movement|update)\b/i,
  /\bhas (a|the) (fix|correction|change) been (made|merged|released)\b/i,
  /\bis (this|anyone|someone) (still )?(being )?(worked on|working on|looking at|looking into)\b/i,
  /\b(you are|you're|anyone is|someone is) (still )?(looking into|working on)\b[^.!\n]{0,40}\?|\bsomething you are looking into\b/i,
  /\bdid you (manage|get a chance|have a chance|have time) to\b/i,
  /\bany (new )?(comments?|response|reply)\b[^.!\n]{0,40}\?/i,
  /\bupdate on (your|the|this)\b[^.!\n]{0,40}\?/i,
  /\bnothing has (been done|happened)\b|\bno movement (since|for|in)\b/i,
  /\bwhere are we (on|with)\b/i,
];

/**
 * Drops quoted lines (`> ...`, Jira `{quote}` blocks) so that a quoted chase does not count twice,
 * unwraps `{html}` bodies (older Jira imports) and drops leading @-mentions (`[~name]`), so that
 * "[~ann] Update?" reads as "Update?".
 */
function withoutQuotes(text: string): string {
  return text
    .replace(/\{quote\}[\s\S]*?\{quote\}/gi, ' ')
    .replace(/\{html\}|<[^>]*>/gi, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/^(\s*\[~[^\]]*\][\s,:]*)+/, '')
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
