/** Minor units (分) as yuan with two decimals and thousands separators: 123456 → "1,234.56". */
export function formatYuan(minor: number): string {
  const sign = minor < 0 ? '-' : ''
  const abs = Math.abs(Math.round(minor))
  const yuan = Math.floor(abs / 100).toLocaleString('en-US')
  return `${sign}${yuan}.${String(abs % 100).padStart(2, '0')}`
}

/** A quantity without trailing zeros: 2.000 → "2", 1.500 → "1.5". */
export const formatQuantity = (q: number) => String(Number(q.toFixed(3)))

/** Text made safe for HTML element content and attribute values. */
export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(
    /[&<>"'`]/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;' })[c]!,
  )
}
