// The choices of a workspace's settings, shared by first-run setup and the workspace settings page.

/** Time zones offered; a workspace set to another (through the API or the CLI) still shows its own. */
const TIMEZONES = [
  'Asia/Shanghai',
  'Asia/Hong_Kong',
  'Asia/Taipei',
  'Asia/Singapore',
  'Asia/Tokyo',
  'UTC',
  'Europe/London',
  'America/New_York',
]

/** The select's time zones, with `current` (the workspace's, or the browser's) when not among them. */
export function timezoneOptions(current?: string) {
  const zones = current && !TIMEZONES.includes(current) ? [current, ...TIMEZONES] : TIMEZONES
  return zones.map((z) => ({ value: z, label: z }))
}

/**
 * A new workspace's time zone: the browser's when it names a place (where the person setting it up
 * is), else by language: Taipei for 繁體中文, Shanghai (the server's default) otherwise.
 */
export function defaultTimezone(language: string): string {
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone
  if (zone?.includes('/') && !zone.startsWith('Etc/')) return zone
  return language === 'zh-TW' ? 'Asia/Taipei' : 'Asia/Shanghai'
}

/** Phone regions offered, with their calling codes (the server accepts any region libphonenumber reads). */
const PHONE_REGIONS: [region: string, callingCode: string][] = [
  ['CN', '86'],
  ['TW', '886'],
  ['HK', '852'],
  ['MO', '853'],
  ['SG', '65'],
  ['MY', '60'],
  ['US', '1'],
]

/** A new workspace's phone region by the language it is set up in: Taiwan for 繁體中文, else mainland. */
export const phoneRegionForLanguage = (language: string) => (language === 'zh-TW' ? 'TW' : 'CN')

/** The select's options; a region set through the API and not offered here is shown by its own name. */
export function phoneRegionOptions(t: (key: string) => string, language: string, current: string) {
  const options = PHONE_REGIONS.map(([region, code]) => ({
    value: region,
    label: `${t(`workspace.phoneRegions.${region}`)} +${code}`,
  }))
  if (!PHONE_REGIONS.some(([region]) => region === current))
    options.push({
      value: current,
      label: new Intl.DisplayNames([language], { type: 'region' }).of(current) ?? current,
    })
  return options
}
