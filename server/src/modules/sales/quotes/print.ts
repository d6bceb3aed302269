/**
 * The printable quote (报价单): one self-contained HTML page (inline CSS, no script, no external
 * resources) laid out for A4 with `@media print`. Every value is escaped.
 */
import { and, eq } from 'drizzle-orm'
import { type Ctx, can } from '../../../platform/access/actor.js'
import { maskValue } from '../../../platform/access/mask.js'
import { PII_PERMISSION } from '../../../platform/access/permissions.js'
import { users } from '../../../platform/org/schema.js'
import { contacts } from '../customers/schema.js'
import { formatQuantity, formatYuan, escapeHtml as h } from './format.js'
import { workspaceToday } from './refs.js'
import { loadQuote, type QuoteDetail } from './service.js'

const STAMPS: Record<string, { text: string; kind: 'ok' | 'wait' | 'void' }> = {
  draft: { text: '草稿', kind: 'wait' },
  pending_approval: { text: '待审批', kind: 'wait' },
  approved: { text: '已审批', kind: 'ok' },
  sent: { text: '已审批', kind: 'ok' },
  accepted: { text: '客户已接受', kind: 'ok' },
  rejected: { text: '已驳回', kind: 'void' },
  declined: { text: '客户已拒绝', kind: 'void' },
  superseded: { text: '已作废（有新版本）', kind: 'void' },
}

const DIGITS = '零壹贰叁肆伍陆柒捌玖'
const UNITS = ['', '拾', '佰', '仟']
const GROUPS = ['', '万', '亿', '万亿']

function group4(n: number): string {
  let s = ''
  let zero = false
  for (let pos = 3; pos >= 0; pos--) {
    const d = Math.floor(n / 10 ** pos) % 10
    if (d === 0) {
      zero = s !== ''
      continue
    }
    if (zero) s += '零'
    zero = false
    s += DIGITS[d] + UNITS[pos]!
  }
  return s
}

/** Amount in Chinese capitals as written on business documents: 123456 分 → 壹仟贰佰叁拾肆元伍角陆分. */
export function capitalYuan(minor: number): string {
  if (minor < 0) return `负${capitalYuan(-minor)}`
  let yuan = Math.floor(minor / 100)
  const jiao = Math.floor(minor / 10) % 10
  const fen = minor % 10
  const groups: number[] = []
  for (; yuan > 0; yuan = Math.floor(yuan / 10000)) groups.push(yuan % 10000)
  let int = ''
  let gap = false
  for (let i = groups.length - 1; i >= 0; i--) {
    const g = groups[i]!
    if (g === 0) {
      gap = int !== ''
      continue
    }
    if (int && (gap || g < 1000)) int += '零'
    gap = false
    int += group4(g) + GROUPS[i]!
  }
  if (!jiao && !fen) return `${int || '零'}元整`
  const head = int ? `${int}元` : ''
  return `${head}${jiao ? `${DIGITS[jiao]}角` : int ? '零' : ''}${fen ? `${DIGITS[fen]}分` : ''}`
}

const CSS = `
*{box-sizing:border-box}
body{font-family:"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif;color:#222;margin:0;background:#f3f3f3}
.page{width:210mm;min-height:297mm;margin:12px auto;padding:16mm 14mm;background:#fff;position:relative}
h1{font-size:24px;text-align:center;letter-spacing:8px;margin:0 0 4px}
.company{text-align:center;font-size:16px;margin-bottom:14px}
.meta{display:grid;grid-template-columns:1fr 1fr;gap:4px 24px;font-size:13px;margin-bottom:12px}
.meta b{display:inline-block;min-width:5em;color:#555;font-weight:normal}
table{width:100%;border-collapse:collapse;font-size:12.5px}
th,td{border:1px solid #999;padding:5px 6px;vertical-align:top}
th{background:#eef2f7;font-weight:600}
td.n{text-align:right;white-space:nowrap}
tfoot td{font-weight:600}
.total{font-size:15px}
.capital{font-size:13px;margin:6px 0 12px}
.section{margin-top:12px;font-size:13px;white-space:pre-wrap}
.section h2{font-size:14px;margin:0 0 4px}
.stamp{position:absolute;right:18mm;top:14mm;border:3px solid;border-radius:50%;width:34mm;height:34mm;display:flex;align-items:center;justify-content:center;flex-direction:column;transform:rotate(-14deg);font-weight:700;text-align:center;font-size:15px;line-height:1.3}
.stamp small{font-size:10px;font-weight:normal}
.stamp.ok{color:#c0392b;border-color:#c0392b}
.stamp.wait{color:#888;border-color:#aaa}
.stamp.void{color:#555;border-color:#555}
.sign{display:grid;grid-template-columns:1fr 1fr;gap:24px;margin-top:28px;font-size:13px}
.sign div{border-top:1px solid #999;padding-top:4px}
@page{size:A4;margin:12mm}
@media print{body{background:#fff}.page{margin:0;width:auto;min-height:0;padding:0;box-shadow:none}thead{display:table-header-group}tr{page-break-inside:avoid}}
`

interface PrintExtras {
  workspace: string
  timezone: string
  printedOn: string
  ownerName: string | null
  contact: { name: string; title: string | null; mobile: string | null; email: string | null } | null
}

/** The HTML of a quote, as a pure function of its data (tested on its own). */
export function renderQuoteHtml(q: QuoteDetail, x: PrintExtras): string {
  const stamp = STAMPS[q.status] ?? STAMPS.draft!
  const approvedBy = stamp.kind === 'ok' ? (q.decidedByName ?? '自动审批') : ''
  // sv-SE writes dates as YYYY-MM-DD.
  const day = (d: Date | string) => new Date(d).toLocaleDateString('sv-SE', { timeZone: x.timezone })
  const approvedOn = stamp.kind === 'ok' && q.decidedAt ? day(q.decidedAt) : ''
  const afterLines = q.lines.reduce((s, l) => s + l.amount, 0)
  const rows = q.lines
    .map(
      (l, i) =>
        `<tr><td class="n">${i + 1}</td><td>${h(l.name)}${
          l.description ? `<br><small>${h(l.description)}</small>` : ''
        }</td><td class="n">${h(formatQuantity(l.quantity))}</td><td class="n">¥${formatYuan(l.unitPrice)}</td><td class="n">${
          l.discountPct ? `${h(l.discountPct)}%` : '—'
        }</td><td class="n">¥${formatYuan(l.amount)}</td></tr>`,
    )
    .join('\n')
  const contact = x.contact
    ? [x.contact.name, x.contact.title, x.contact.mobile, x.contact.email].filter(Boolean).map(h).join(' · ')
    : '—'
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${h(`报价单 ${q.number}${q.revision > 1 ? ` v${q.revision}` : ''} ${q.title}`)}</title>
<style>${CSS}</style>
</head>
<body>
<div class="page">
<div class="stamp ${stamp.kind}">${h(stamp.text)}${approvedBy ? `<small>${h(approvedBy)}</small>` : ''}${
    approvedOn ? `<small>${h(approvedOn)}</small>` : ''
  }</div>
<div class="company">${h(x.workspace)}</div>
<h1>报价单</h1>
<div class="meta">
<div><b>报价单号</b>${h(q.number)}${q.revision > 1 ? ` (第 ${q.revision} 版)` : ''}</div>
<div><b>报价日期</b>${h(day(q.createdAt))}</div>
<div><b>客户</b>${h(q.customerName ?? '')}</div>
<div><b>有效期至</b>${h(q.validUntil ?? '—')}</div>
<div><b>联系人</b>${contact}</div>
<div><b>销售代表</b>${h(x.ownerName ?? '—')}</div>
<div><b>项目</b>${h(q.title)}</div>
<div><b>币种</b>${h(q.currency)}</div>
</div>
<table>
<thead><tr><th>#</th><th>产品 / 服务</th><th>数量</th><th>单价</th><th>折扣</th><th>金额</th></tr></thead>
<tbody>
${rows || '<tr><td colspan="6">（无明细）</td></tr>'}
</tbody>
<tfoot>
<tr><td colspan="5" class="n">小计（折前）</td><td class="n">¥${formatYuan(q.subtotal)}</td></tr>
<tr><td colspan="5" class="n">明细折扣</td><td class="n">-¥${formatYuan(q.subtotal - afterLines)}</td></tr>
<tr><td colspan="5" class="n">整单折扣${q.headerDiscountPct ? ` ${h(q.headerDiscountPct)}%` : ''}</td><td class="n">-¥${formatYuan(afterLines - q.total)}</td></tr>
<tr class="total"><td colspan="5" class="n">合计</td><td class="n">¥${formatYuan(q.total)}</td></tr>
</tfoot>
</table>
<div class="capital">合计人民币（大写）：${h(capitalYuan(q.total))}</div>
${q.terms ? `<div class="section"><h2>条款</h2>${h(q.terms)}</div>` : ''}
${q.notes ? `<div class="section"><h2>备注</h2>${h(q.notes)}</div>` : ''}
<div class="sign"><div>报价方：${h(x.workspace)}</div><div>客户确认（签字 / 盖章）：</div></div>
<div class="section" style="color:#888;font-size:11px">打印日期 ${h(x.printedOn)}</div>
</div>
</body>
</html>
`
}

/** The printable page of a quote the caller can see; contact details masked without pii.view. */
export async function printQuote(ctx: Ctx, id: string): Promise<string> {
  const q = await loadQuote(ctx, id)
  const t = ctx.actor.tenantId
  const { name, timezone, today } = await workspaceToday(ctx)
  const [owner] = q.ownerId
    ? await ctx.db
        .select({ name: users.name })
        .from(users)
        .where(and(eq(users.tenantId, t), eq(users.id, q.ownerId)))
    : []
  const [contact] = q.contactId
    ? await ctx.db
        .select({
          name: contacts.name,
          title: contacts.title,
          mobile: contacts.mobile,
          email: contacts.email,
        })
        .from(contacts)
        .where(and(eq(contacts.tenantId, t), eq(contacts.id, q.contactId)))
    : []
  const pii = can(ctx.actor, PII_PERMISSION)
  return renderQuoteHtml(q, {
    workspace: name,
    timezone,
    printedOn: today,
    ownerName: owner?.name ?? null,
    contact: contact
      ? {
          ...contact,
          mobile: pii ? contact.mobile : (maskValue('phone', contact.mobile) as string | null),
          email: pii ? contact.email : (maskValue('email', contact.email) as string | null),
        }
      : null,
  })
}
