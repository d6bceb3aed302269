import { useMemo } from 'react'
import { useMe } from '../../session.js'

/**
 * Money and dates as the workspace shows them, the one formatter of the sales pages: ¥ with two
 * decimals in the workspace's locale, dates in its locale and time zone.
 */
export interface Format {
  /** 分 → ¥1,234.50 (— for none). */
  money: (fen: number | null | undefined) => string
  /** 分 → compact money for chart axes and tight cells: ¥1.2万, ¥3.4亿 (¥1.2M in English). */
  moneyShort: (fen: number | null | undefined) => string
  /** A date (YYYY-MM-DD) or an instant → the workspace's calendar date. */
  date: (v: string | null | undefined) => string
  /** An instant → date and time in the workspace's time zone. */
  dateTime: (v: string | null | undefined) => string
  /** An instant → HH:mm in the workspace's time zone. */
  time: (v: string) => string
  /** An instant → its calendar day in the workspace's time zone, as YYYY-MM-DD (a key for day grids). */
  dayKey: (v: string) => string
  /** A month's name with its year (2026年11月). */
  month: (d: Date) => string
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/

function formatter(locale: string, options: Intl.DateTimeFormatOptions) {
  // An unknown locale or time zone in the workspace settings: fall back to the browser's.
  for (const [l, o] of [
    [locale, options],
    [locale, { ...options, timeZone: undefined }],
    [undefined, { ...options, timeZone: undefined }],
  ] as const)
    try {
      return new Intl.DateTimeFormat(l, o)
    } catch {
      // next
    }
  return new Intl.DateTimeFormat()
}

function number(locale: string, options: Intl.NumberFormatOptions) {
  try {
    return new Intl.NumberFormat(locale, options)
  } catch {
    return new Intl.NumberFormat(undefined, options)
  }
}

export function makeFormat(locale = 'zh-CN', timeZone?: string): Format {
  const amount = number(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 })
  const compact = number(locale, { notation: 'compact', maximumFractionDigits: 1 })
  const sign = (fen: number) => (fen < 0 ? '-' : '')
  const day = { year: 'numeric', month: '2-digit', day: '2-digit' } as const
  const date = formatter(locale, { ...day, timeZone })
  // A calendar date has no time zone: format it as the same day everywhere.
  const plainDate = formatter(locale, { ...day, timeZone: 'UTC' })
  const clock = { hour: '2-digit', minute: '2-digit', hour12: false } as const
  const dateTime = formatter(locale, { ...day, ...clock, timeZone })
  const time = formatter(locale, { ...clock, timeZone })
  // en-CA writes dates as YYYY-MM-DD.
  const key = formatter('en-CA', { ...day, timeZone })
  const month = formatter(locale, { year: 'numeric', month: 'long' })
  return {
    money: (fen) =>
      fen == null || Number.isNaN(fen) ? '—' : `${sign(fen)}¥${amount.format(Math.abs(fen) / 100)}`,
    moneyShort: (fen) => {
      if (fen == null || Number.isNaN(fen)) return '—'
      const yuan = Math.abs(fen) / 100
      return `${sign(fen)}¥${compact.format(yuan >= 1e4 ? yuan : Math.round(yuan))}`
    },
    date: (v) =>
      !v ? '—' : DATE_ONLY.test(v) ? plainDate.format(new Date(`${v}T00:00:00Z`)) : date.format(new Date(v)),
    dateTime: (v) => (v ? dateTime.format(new Date(v)) : '—'),
    time: (v) => time.format(new Date(v)),
    dayKey: (v) => key.format(new Date(v)),
    month: (d) => month.format(d),
  }
}

/** The signed-in workspace's formats. */
export function useFormat(): Format {
  const tenant = useMe().data?.tenant
  return useMemo(() => makeFormat(tenant?.locale, tenant?.timezone), [tenant?.locale, tenant?.timezone])
}

/** 元 typed in a form → 分 for the API (and back). */
export const toFen = (yuan: number | null | undefined) =>
  yuan == null || Number.isNaN(yuan) ? null : Math.round(Number(yuan) * 100)
export const toYuan = (fen: number | null | undefined) => (fen == null ? null : fen / 100)
