// Styles of perpscope's shadow-root UI. Colours meet WCAG AA contrast (≥ 4.5:1) on their
// backgrounds; the level is also written in text, never conveyed by colour alone.
export const BADGE_CSS = `
:host { all: initial; display: inline-block; margin-left: 6px; vertical-align: middle; }
.b { font: 600 11px/1.4 system-ui, sans-serif; padding: 1px 6px; border-radius: 4px; white-space: nowrap;
  color: #fff; background: #455a64; }
.b[data-level="ok"] { background: #1b5e20; }
.b[data-level="warn"] { background: #ffd166; color: #1a1a1a; }
.b[data-level="critical"] { background: #b00020; }
.b[data-level="stale"] { background: #9e9e9e; color: #1a1a1a; font-weight: 400; }
`;

export const PANEL_CSS = `
:host { all: initial; position: fixed; right: 12px; bottom: 12px; z-index: 2147483646; max-width: 420px; }
.p { font: 12px/1.45 system-ui, sans-serif; color: #f5f5f5; background: #1e1e1e; border: 1px solid #616161;
  border-radius: 6px; padding: 8px 10px; }
.p h2 { font-size: 12px; margin: 0; color: #fff; cursor: move; flex: 1; user-select: none; }
.head { display: flex; align-items: center; gap: 8px; margin: 0 0 4px; }
.toggle { font: 600 12px/1.2 system-ui, sans-serif; color: #f5f5f5; background: #333; border: 1px solid #757575;
  border-radius: 4px; padding: 1px 8px; cursor: pointer; }
.pill { padding: 2px; border-radius: 14px; }
.pill .toggle { border-radius: 12px; padding: 3px 10px; }
.p ul { list-style: none; margin: 0; padding: 0; }
.p li { margin: 2px 0; }
/* Severity: distinct hues (colour-blind safe pairs: orange vs red-pink vs yellow), and every line
   also names its state in words. halted/critical = red-pink bold, degraded = orange, warn = amber,
   recovering = light yellow; a pill carries a marker glyph too. */
[data-status="halted"], [data-status="critical"], [data-level="critical"] { color: #ff8a80; font-weight: 700; }
[data-status="degraded"] { color: #ffab40; font-weight: 700; }
[data-status="warn"], [data-level="warn"] { color: #ffd166; }
[data-status="recovering"] { color: #fff59d; }
.toggle[data-status="halted"], .toggle[data-status="critical"] { background: #b00020; color: #fff; border-color: #ff8a80; }
.toggle[data-status="degraded"], .toggle[data-status="warn"] { background: #ffd166; color: #1a1a1a; }
.g { color: #e0e0e0; font-size: 11px; }
[data-status="stale"], [data-level="stale"] { color: #9e9e9e; font-weight: 400; }
`;
