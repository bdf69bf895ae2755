import en from './translations/en.json';

type Tree = { [key: string]: string | Tree };

/** `localize('panel.status.version', { version })`: nested keys, `{name}` placeholders. */
export function localize(key: string, params: Record<string, string | number> = {}): string {
  let node: string | Tree | undefined = en as Tree;
  for (const part of key.split('.')) node = typeof node === 'object' ? node[part] : undefined;
  if (typeof node !== 'string') return key;
  return node.replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? `{${name}}`));
}
