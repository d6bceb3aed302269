/**
 * Tag colours: the API stores `#rrggbb` or an Ant Design preset name (magenta, volcano, geekblue…).
 * antd `Tag` takes either; plain CSS (borders, dots) and the colour picker need the hex.
 */
const PRESETS: Record<string, string> = {
  magenta: '#eb2f96',
  pink: '#eb2f96',
  red: '#f5222d',
  volcano: '#fa541c',
  orange: '#fa8c16',
  gold: '#faad14',
  yellow: '#fadb14',
  lime: '#a0d911',
  green: '#52c41a',
  cyan: '#13c2c2',
  blue: '#1677ff',
  geekblue: '#2f54eb',
  purple: '#722ed1',
}

/** A stored colour as CSS (#rrggbb); undefined for none. */
export const cssColor = (c: string | null | undefined): string | undefined =>
  c ? (PRESETS[c.toLowerCase()] ?? c) : undefined
