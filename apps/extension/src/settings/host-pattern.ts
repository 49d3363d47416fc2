/**
 * The host permission pattern for an origin: scheme and host, any port. Match patterns carry no
 * port in Firefox ("http://127.0.0.1:8080/*" is refused as undeclared) and a port-less pattern
 * matches every port in Chrome, so one form serves both.
 *
 * @example originPattern('https://jira.example.com:8443') // 'https://jira.example.com/*'
 */
export function originPattern(origin: string): string {
  const u = new URL(origin);
  return `${u.protocol}//${u.hostname}/*`;
}
