/** Header synonyms per target field, simplified and traditional Chinese and English. */
const SYNONYMS: Record<string, string[]> = {
  name: [
    '姓名',
    '名字',
    '客户姓名',
    '客户名称',
    '联系人',
    '联系人姓名',
    '聯絡人',
    '客戶姓名',
    '客戶名稱',
    'name',
    'fullname',
    'contact',
    'contactname',
    'customername',
  ],
  mobile: [
    '手机',
    '手机号',
    '手机号码',
    '移动电话',
    '联系电话',
    '电话',
    '联系方式',
    '手機',
    '手機號',
    '手機號碼',
    '行動電話',
    '聯絡電話',
    '電話',
    'mobile',
    'mobilephone',
    'phone',
    'cell',
    'cellphone',
    'tel',
    'telephone',
  ],
  phone: [
    '座机',
    '固话',
    '固定电话',
    '办公电话',
    '公司电话',
    '座機',
    '固定電話',
    '辦公電話',
    'landline',
    'officephone',
    'workphone',
  ],
  email: ['邮箱', '电子邮箱', '电子邮件', '邮件', 'email', 'e-mail', 'mail', '郵箱', '電子郵件', '電郵'],
  company: [
    '公司',
    '公司名称',
    '单位',
    '单位名称',
    '企业',
    '企业名称',
    '工作单位',
    '公司名稱',
    '單位',
    '企業名稱',
    'company',
    'companyname',
    'organization',
    'organisation',
    'org',
    'account',
  ],
  title: ['职务', '职位', '岗位', '头衔', '職務', '職位', 'title', 'jobtitle', 'position', 'role'],
  creditCode: [
    '统一社会信用代码',
    '信用代码',
    '社会信用代码',
    '统一信用代码',
    '統一社會信用代碼',
    'creditcode',
    'uscc',
    'unifiedsocialcreditcode',
  ],
  openid: ['openid', '微信openid', '公众号openid'],
  unionid: ['unionid', '微信unionid'],
  wechatAppId: ['appid', '公众号appid', '小程序appid', 'wechatappid'],
  deviceId: ['设备号', '设备id', '設備號', 'deviceid', 'device', 'idfa', 'oaid'],
  externalId: [
    '外部编号',
    '外部id',
    '编号',
    '客户编号',
    '会员号',
    '外部編號',
    '客戶編號',
    'externalid',
    'id',
    'customerid',
    'memberid',
  ],
  address: ['地址', '联系地址', '详细地址', '通讯地址', '聯絡地址', '地址詳情', 'address', 'street'],
  regionCode: ['地区编码', '行政区划代码', '区域代码', 'regioncode', 'areacode'],
  notes: [
    '备注',
    '说明',
    '描述',
    '留言',
    '需求',
    '備註',
    '說明',
    'notes',
    'note',
    'remark',
    'remarks',
    'comment',
    'comments',
    'description',
  ],
  campaignCode: [
    '活动编码',
    '活动代码',
    '推广活动',
    '活动',
    'utm_campaign',
    'utmcampaign',
    'campaign',
    'campaigncode',
    '活動編碼',
    '活動',
  ],
  source: ['来源', '线索来源', '渠道', '來源', '渠道來源', 'source', 'leadsource', 'channel'],
  ownerEmail: ['负责人邮箱', '所有人邮箱', '負責人郵箱', 'owneremail', 'owner'],
}

const norm = (s: string) =>
  s
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s\p{P}\p{S}]/gu, '')

export interface MappingTarget {
  key: string
  /** Labels of custom fields (any language) and their key. */
  labels?: string[]
}
export interface Suggestion {
  header: string
  column: number
  target: string | null
  confidence: number
}

function score(header: string, target: MappingTarget): number {
  const h = norm(header)
  if (!h) return 0
  const names = [
    ...(SYNONYMS[target.key] ?? []),
    ...(target.labels ?? []),
    target.key.replace(/^custom\./, ''),
  ].map(norm)
  let best = 0
  for (const n of names) {
    if (!n) continue
    if (n === h) return 1
    // 客户手机号 contains 手机号; a contained synonym is a strong hint, weighted by how much it covers.
    if (h.includes(n) && n.length >= 2) best = Math.max(best, 0.6 + 0.35 * (n.length / h.length))
    else if (n.includes(h) && h.length >= 2) best = Math.max(best, 0.5 + 0.3 * (h.length / n.length))
  }
  return best
}

/**
 * Suggests a target for each column from header synonyms: each column gets at most one target and
 * each target at most one column, best matches first. Below 0.5 confidence a column stays unmapped.
 */
export function suggestMapping(headers: string[], targets: MappingTarget[]): Suggestion[] {
  const pairs: { column: number; target: string; s: number }[] = []
  headers.forEach((h, column) => {
    for (const t of targets) {
      const s = score(h, t)
      if (s >= 0.5) pairs.push({ column, target: t.key, s })
    }
  })
  pairs.sort((a, b) => b.s - a.s || a.column - b.column)
  const byColumn = new Map<number, { target: string; s: number }>()
  const taken = new Set<string>()
  for (const p of pairs) {
    if (byColumn.has(p.column) || taken.has(p.target)) continue
    byColumn.set(p.column, { target: p.target, s: p.s })
    taken.add(p.target)
  }
  return headers.map((header, column) => {
    const m = byColumn.get(column)
    return { header, column, target: m?.target ?? null, confidence: Number((m?.s ?? 0).toFixed(2)) }
  })
}
