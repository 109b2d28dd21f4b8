/** Chart colours from VS Code's theme variables, so light, dark and high-contrast themes all read well. */

export interface Theme {
  foreground: string;
  muted: string;
  grid: string;
  fontFamily: string;
  /** One colour per loss setting, in order. */
  palette: string[];
  highContrast: boolean;
}

/** Theme variables for series colours, then fallbacks for themes that leave some unset. */
const PALETTE_VARS = [
  '--vscode-charts-blue',
  '--vscode-charts-red',
  '--vscode-charts-green',
  '--vscode-charts-orange',
  '--vscode-charts-purple',
  '--vscode-charts-yellow',
  '--vscode-terminal-ansiCyan',
  '--vscode-terminal-ansiMagenta',
];
const FALLBACK_PALETTE = ['#3794ff', '#f14c4c', '#89d185', '#d18616', '#b180d7', '#cca700', '#29b8db', '#d670d6'];

export function readTheme(root: HTMLElement = document.body): Theme {
  const css = getComputedStyle(root);
  const value = (name: string, fallback: string) => css.getPropertyValue(name).trim() || fallback;
  return {
    foreground: value('--vscode-editor-foreground', value('--vscode-foreground', '#cccccc')),
    muted: value('--vscode-descriptionForeground', '#999999'),
    grid: value('--vscode-charts-lines', value('--vscode-editorWidget-border', 'rgba(128,128,128,0.35)')),
    fontFamily: value('--vscode-font-family', 'sans-serif'),
    palette: PALETTE_VARS.map((name, i) => value(name, FALLBACK_PALETTE[i])),
    highContrast: document.body.classList.contains('vscode-high-contrast') || document.body.classList.contains('vscode-high-contrast-light'),
  };
}

/** The colour behind the charts: the first opaque background from `el` up (a page's default white above all). */
export function pageBackground(el: HTMLElement | null = document.body): string {
  for (let node = el; node; node = node.parentElement) {
    const colour = getComputedStyle(node).backgroundColor;
    if (colour && colour !== 'transparent' && !/^rgba\(.*,\s*0\)$/.test(colour)) return colour;
  }
  return '#ffffff';
}

/** `color` with opacity `alpha`, for the ± std bands; handles #rgb, #rrggbb(aa) and rgb()/rgba(). */
export function withAlpha(color: string, alpha: number): string {
  const c = color.trim();
  const hex = /^#([0-9a-f]{3,8})$/i.exec(c)?.[1];
  if (hex && (hex.length === 3 || hex.length === 6 || hex.length === 8)) {
    const full = hex.length === 3 ? [...hex].map((h) => h + h).join('') : hex.slice(0, 6);
    const [r, g, b] = [0, 2, 4].map((i) => parseInt(full.slice(i, i + 2), 16));
    return `rgba(${r}, ${g}, ${b}, ${alpha})`;
  }
  const rgb = /^rgba?\(\s*([\d.]+)[\s,]+([\d.]+)[\s,]+([\d.]+)/i.exec(c);
  if (rgb) return `rgba(${rgb[1]}, ${rgb[2]}, ${rgb[3]}, ${alpha})`;
  return c;
}

/** Calls `onChange` when VS Code switches theme (it changes the body class and the root's variables). */
export function onThemeChange(onChange: () => void): void {
  const observer = new MutationObserver(() => onChange());
  observer.observe(document.body, { attributes: true, attributeFilter: ['class'] });
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['style'] });
}
