/**
 * Home Assistant's design tokens, shipped with the panel: the ingress iframe inherits none of HA's CSS
 * variables and HA sends it no theme. Components use only `var(--token, fallback)`.
 */
const light = `
  --primary-color: #009ac7;
  --accent-color: #ff9800;
  --primary-background-color: #fafafa;
  --secondary-background-color: #e5e5e5;
  --card-background-color: #ffffff;
  --primary-text-color: #141414;
  --secondary-text-color: #5e5e5e;
  --disabled-text-color: #bdbdbd;
  --text-primary-color: #ffffff;
  --divider-color: rgba(0, 0, 0, 0.12);
  --error-color: #db4437;
  --warning-color: #ffa600;
  --success-color: #43a047;
  --info-color: #039be5;
  --switch-off-track-color: #f3f3f3;
  --switch-off-border-color: #989898;
  --switch-off-thumb-color: #5e5e5e;
  --switch-on-track-color: #dff3fc;
  --switch-on-color: #009ac7;
  --ha-box-shadow-s: 0 1px 2px rgba(0, 0, 0, 0.2);
`;

const dark = `
  --primary-background-color: #111111;
  --secondary-background-color: #282828;
  --card-background-color: #1c1c1c;
  --primary-text-color: #e1e1e1;
  --secondary-text-color: #9b9b9b;
  --disabled-text-color: #6f6f6f;
  --divider-color: rgba(225, 225, 225, 0.12);
  --switch-off-track-color: #282828;
  --switch-off-border-color: #8a8a8a;
  --switch-off-thumb-color: #9b9b9b;
  --switch-on-track-color: #002e3e;
  --switch-on-color: #37c8fd;
`;

const shared = `
  --ha-font-family-body: Roboto, Noto, sans-serif;
  --ha-font-size-s: 12px;
  --ha-font-size-m: 14px;
  --ha-font-size-l: 16px;
  --ha-font-size-xl: 20px;
  --ha-font-size-2xl: 24px;
  --ha-font-weight-medium: 500;
  --ha-font-weight-bold: 700;
  --ha-space-1: 4px;
  --ha-space-2: 8px;
  --ha-space-3: 12px;
  --ha-space-4: 16px;
  --ha-space-6: 24px;
  --ha-border-radius-sm: 4px;
  --ha-border-radius-md: 8px;
  --ha-border-radius-lg: 12px;
  --ha-border-radius-pill: 9999px;
  --header-height: 56px;
  --ha-animation-duration-fast: 150ms;
`;

export function applyTheme(doc: Document = document): void {
  const style = doc.createElement('style');
  style.textContent = `
    :root { ${shared} ${light} color-scheme: light dark; }
    @media (prefers-color-scheme: dark) { :root { ${dark} } }
    html { font-size: 14px; }
    body {
      margin: 0;
      font-family: var(--ha-font-family-body);
      background: var(--primary-background-color);
      color: var(--primary-text-color);
    }
  `;
  doc.head.append(style);
}
