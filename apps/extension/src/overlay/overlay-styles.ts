/**
 * The overlay's styles, inside its shadow root only (nothing is added to the page's stylesheets).
 * `:host` is reset by WXT (`all: initial`), so the page's fonts and colours do not leak in either.
 */
export const OVERLAY_CSS = `
.baton { position: fixed; right: 16px; bottom: 16px; z-index: 2147483646; font: 13px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #172b4d; }
.baton.dock-left { right: auto; left: 16px; }
.dock-left .launcher { margin-left: 0; margin-right: auto; }
.launcher { all: unset; box-sizing: border-box; min-width: 44px; height: 44px; border-radius: 22px; background: #0c66e4; color: #fff; font-weight: 700; font-size: 18px; line-height: 44px; cursor: pointer; box-shadow: 0 2px 8px rgba(9,30,66,.35); display: flex; align-items: center; justify-content: center; gap: 8px; padding: 0 15px; margin-left: auto; width: fit-content; }
.badge { font-size: 12px; font-weight: 600; line-height: 1; border-radius: 10px; padding: 4px 8px; }
.badge[hidden] { display: none; }
.sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
.launcher:focus-visible { outline: 3px solid #85b8ff; outline-offset: 2px; }
.panel { box-sizing: border-box; width: 380px; max-height: calc(100vh - 96px); overflow: auto; margin-bottom: 10px; background: #fff; border: 1px solid #dfe1e6; border-radius: 8px; box-shadow: 0 8px 24px rgba(9,30,66,.25); padding: 12px 14px; }
.panel[hidden] { display: none; }
header { display: flex; align-items: center; gap: 8px; margin-bottom: 8px; }
header h2 { margin-right: auto; }
h2 { font-size: 15px; margin: 0; }
h3 { font-size: 12px; text-transform: uppercase; letter-spacing: .04em; color: #44546f; margin: 12px 0 4px; }
p { margin: 4px 0; }
ul { margin: 2px 0; padding-left: 18px; }
li { margin: 2px 0; }
a { color: #0c66e4; }
button { font: inherit; border: 1px solid #c1c7d0; background: #f4f5f7; color: #172b4d; border-radius: 4px; padding: 4px 10px; cursor: pointer; }
button.primary { background: #0c66e4; border-color: #0c66e4; color: #fff; }
button:disabled { opacity: .6; cursor: default; }
.close { border: none; background: none; font-size: 18px; line-height: 1; padding: 2px 6px; }
.muted { color: #626f86; }
.notice { background: #e9f2ff; border-radius: 4px; padding: 6px 8px; margin: 8px 0; }
.error { background: #ffeceb; color: #ae2e24; border-radius: 4px; padding: 6px 8px; margin: 8px 0; }
.candidates { list-style: none; padding: 0; }
.candidates li { display: flex; gap: 6px; align-items: baseline; }
.candidate { all: unset; cursor: pointer; color: #0c66e4; white-space: nowrap; }
.candidate[aria-current="true"] { font-weight: 700; }
.sla { display: inline-block; border-radius: 3px; padding: 1px 6px; font-size: 12px; font-weight: 600; }
.sla-on-track, .sla-met { background: #dcfff1; color: #216e4e; }
.sla-at-risk { background: #fff7d6; color: #7f5f01; }
.sla-breached { background: #ffeceb; color: #ae2e24; }
.sla-paused, .sla-not-started, .sla-none { background: #f1f2f4; color: #44546f; }
.dor-missing { color: #ae2e24; }
textarea { box-sizing: border-box; width: 100%; resize: vertical; border: 1px solid #c1c7d0; border-radius: 4px; padding: 8px; margin: 4px 0; background: #f7f8f9; color: inherit; font: 12px/1.45 ui-monospace, SFMono-Regular, Menlo, monospace; }
button[aria-pressed="true"] { background: #e9f2ff; border-color: #0c66e4; font-weight: 600; }
pre { white-space: pre-wrap; word-break: break-word; background: #f7f8f9; border: 1px solid #dfe1e6; border-radius: 4px; padding: 8px; margin: 4px 0; font: 12px/1.45 ui-monospace, SFMono-Regular, Menlo, monospace; max-height: 220px; overflow: auto; }
.row { display: flex; gap: 6px; flex-wrap: wrap; margin: 6px 0; }
form { display: flex; gap: 6px; margin: 6px 0; }
form.stack { display: block; }
.stack .choice { display: flex; gap: 6px; align-items: baseline; }
select { font: inherit; border: 1px solid #c1c7d0; border-radius: 4px; padding: 3px 6px; flex: 1; min-width: 0; background: inherit; color: inherit; }
fieldset { border: 1px solid #dfe1e6; border-radius: 4px; margin: 6px 0; padding: 4px 8px; }
legend { font-size: 12px; color: #44546f; padding: 0 4px; }
.choice { display: block; margin: 2px 0; }
.choice input { flex: none; }
input { font: inherit; border: 1px solid #c1c7d0; border-radius: 4px; padding: 3px 6px; flex: 1; min-width: 0; }
details > summary { cursor: pointer; font-size: 12px; text-transform: uppercase; letter-spacing: .04em; color: #44546f; margin: 12px 0 4px; font-weight: 700; }
h2:focus { outline: none; }
h2:focus-visible { outline: 2px solid #85b8ff; }
@media (prefers-color-scheme: dark) {
  .baton { color: #dee4ea; }
  .panel { background: #1d2125; border-color: #38414a; box-shadow: 0 8px 24px rgba(0,0,0,.6); }
  h3, details > summary, legend { color: #9fadbc; }
  a, .candidate { color: #579dff; }
  button { background: #2c333a; border-color: #454f59; color: #dee4ea; }
  button.primary { background: #579dff; border-color: #579dff; color: #1d2125; }
  .muted { color: #9fadbc; }
  .notice { background: #1c2b41; }
  .error { background: #42221f; color: #fd9891; }
  .sla-on-track, .sla-met { background: #1c3329; color: #7ee2b8; }
  .sla-at-risk { background: #332e1b; color: #f5cd47; }
  .sla-breached { background: #42221f; color: #fd9891; }
  .sla-paused, .sla-not-started, .sla-none { background: #2c333a; color: #9fadbc; }
  .dor-missing { color: #fd9891; }
  pre { background: #22272b; border-color: #38414a; color: #dee4ea; }
  input, textarea { background: #22272b; border-color: #454f59; color: #dee4ea; }
  button[aria-pressed="true"] { background: #1c2b41; border-color: #579dff; }
  fieldset { border-color: #38414a; }
}
`;
