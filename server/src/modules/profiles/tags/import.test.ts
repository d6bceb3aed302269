/**
 * The tag import over HTTP: a GBK CSV and an XLSX, persons found by mobile, email and lead id
 * among those the caller sees, tags by name or "group:name", unknown tags as row errors or created,
 * exclusive groups across rows, the row limit, the size limit and the template.
 */
import ExcelJS from 'exceljs'
import iconv from 'iconv-lite'
import { describe, expect, it } from 'vitest'
import type { TestSession } from '../../../../test/kit.js'
import { multipart } from '../../../../test/multipart.js'
import { createRole } from '../../../platform/org/roles.service.js'
import { createUsers } from '../../../platform/org/users.service.js'
import { salesSuite } from '../../sales/opportunities/fixture.js'
import { leadOf, mobile } from './fixture.js'

const t = salesSuite()
const db = () => t.kit.haina.database.pool
let seq = 0

function upload(name: string, data: Buffer, fields: Record<string, string> = {}) {
  const body = multipart(name, data, fields)
  return { ...body, headers: { ...body.headers, 'accept-language': 'zh-CN' } }
}
const importFile = (as: TestSession, name: string, data: Buffer, fields: Record<string, string> = {}) =>
  t.kit.req(as, { method: 'POST', url: '/api/v1/tag-imports', ...upload(name, data, fields) })

const post = async (url: string, body: Record<string, unknown>) => {
  const res = await t.call(t.kit.a.admin, 'POST', url, body)
  expect(res.statusCode, res.body).toBe(201)
  return res.json()
}
const tagNames = async (personId: string) =>
  (
    await db().query(
      `select t.name from person_tags pt join tags t on t.tenant_id = pt.tenant_id and t.id = pt.tag_id
       where pt.tenant_id = $1 and pt.person_id = $2 order by t.name`,
      [t.kit.a.tenantId, personId],
    )
  ).rows.map((r) => r.name)

/** A signed-in user of workspace A who may import tags and sees only their own records. */
async function importer(permissions: string[]) {
  const role = await createRole(t.kit.a.sys, {
    name: `导入员${seq++}`,
    permissions: ['profiles.view', 'profiles.import', 'leads.view', ...permissions],
    dataScope: 'self',
  })
  const [u] = await createUsers(t.kit.a.sys, [
    {
      email: `importer${seq++}-${Date.now()}@tags.test`,
      name: '导入员',
      unitId: t.kit.a.rootUnitId,
      roleIds: [String(role.id)],
      password: 'Passw0rd!2026',
    },
  ])
  return { id: u!.id, session: await t.kit.login(t.kit.a.tenantId, u!.id) }
}

describe('tag import', () => {
  it('tags from a GBK CSV by mobile among the persons the caller sees; bad rows are listed, localized', async () => {
    const interest = await post('/api/v1/tag-groups', { name: `兴趣${seq++}` })
    const stage = await post('/api/v1/tag-groups', { name: '人生阶段', exclusive: true })
    const mom = await post('/api/v1/tags', { groupId: interest.id, name: '母婴' })
    await post('/api/v1/tags', { groupId: interest.id, name: '高消费' })
    await post('/api/v1/tags', { groupId: stage.id, name: '单身' })
    await post('/api/v1/tags', { groupId: stage.id, name: '已婚' })
    // A second "母婴" in another group makes the bare name ambiguous: "组名:标签名" chooses.
    const other = await post('/api/v1/tag-groups', { name: `渠道${seq++}` })
    await post('/api/v1/tags', { groupId: other.id, name: '高消费' })

    const me = await importer([])
    const [p1, p2, p3, hidden] = [
      await leadOf(t.kit.a, {}, me.id),
      await leadOf(t.kit.a, {}, me.id),
      await leadOf(t.kit.a, {}, me.id),
      await leadOf(t.kit.a, {}, t.w.user.seller),
    ]
    const csv = [
      '手机号,标签',
      `+86 ${p1.mobile.slice(0, 3)} ${p1.mobile.slice(3, 7)} ${p1.mobile.slice(7)},母婴，${interest.name}:高消费`,
      `${p2.mobile},不存在的标签`,
      '12345,母婴',
      `${hidden.mobile},母婴`,
      `${mobile()},母婴`,
      ',母婴',
      `${p3.mobile},`,
      `${p3.mobile},某组:母婴`,
      `${p2.mobile},高消费`,
      `${p3.mobile},人生阶段:单身|母婴`,
      `${p3.mobile},已婚`,
    ].join('\r\n')
    const res = await importFile(me.session, '会员标签.csv', iconv.encode(csv, 'gbk'))
    expect(res.statusCode, res.body).toBe(200)
    const out = res.json()
    expect(out).toMatchObject({ rows: 11, tagged: 2, created: 0, errorCount: 9 })
    expect(out.errors.map((e: { row: number; code: string }) => [e.row, e.code])).toEqual([
      [3, 'tag_import_unknown_tag'],
      [4, 'tag_import_invalid_value'],
      [5, 'tag_import_person_not_found'],
      [6, 'tag_import_person_not_found'],
      [7, 'tag_import_missing_identity'],
      [8, 'tag_import_missing_tags'],
      [9, 'tag_import_unknown_group'],
      [10, 'tag_import_ambiguous_tag'],
      [12, 'tag_exclusive_row_conflict'],
    ])
    expect(out.errors[0]).toMatchObject({ field: '标签', message: '标签不存在：不存在的标签' })
    expect(out.errors[1]).toMatchObject({ field: '手机号', message: '「12345」不是有效的手机号' })
    expect(out.errors.at(-1).message).toContain('人生阶段')
    expect(await tagNames(p1.personId)).toEqual(['母婴', '高消费'])
    expect(await tagNames(p3.personId)).toEqual(['单身', '母婴'])
    expect(await tagNames(hidden.personId)).toEqual([])
    const { rows } = await db().query(
      `select source, action, actor_id, detail from tag_events where tenant_id = $1 and person_id = $2 and tag_id = $3`,
      [t.kit.a.tenantId, p1.personId, mom.id],
    )
    expect(rows).toEqual([
      { source: 'import', action: 'added', actor_id: me.id, detail: { fileName: '会员标签.csv' } },
    ])
    const audit = await db().query(
      `select summary, after from audit_log where tenant_id = $1 and object_type = 'tagging' and action = 'import' and actor_id = $2`,
      [t.kit.a.tenantId, me.id],
    )
    expect(audit.rows[0].after).toMatchObject({ fileName: '会员标签.csv', rows: 11, tagged: 2, created: 0 })
    // Creating missing tags needs profiles.configure.
    const refused = await importFile(me.session, 'x.csv', Buffer.from(`手机号,标签\n${p1.mobile},新标签\n`), {
      createMissing: 'true',
      groupId: interest.id,
    })
    expect(refused.statusCode).toBe(403)
  })

  it('reads an XLSX by email and lead id and creates unknown tags in the chosen group', async () => {
    const g = await post('/api/v1/tag-groups', { name: `导入新建${seq++}` })
    const email = `li.na${seq++}@example.com`
    const byEmail = await leadOf(t.kit.a, { email })
    const byLead = await leadOf(t.kit.a)
    const wb = new ExcelJS.Workbook()
    const ws = wb.addWorksheet('标签')
    ws.addRow(['Email', '线索ID', 'Tags'])
    ws.addRow([email.toUpperCase(), '', '新客; 活跃'])
    ws.addRow(['', byLead.leadId, '活跃'])
    ws.addRow(['', 'not-a-uuid', '活跃'])
    const data = Buffer.from(await wb.xlsx.writeBuffer())
    const missingGroup = await importFile(t.kit.a.admin, 'tags.xlsx', data, { createMissing: 'true' })
    expect(missingGroup.statusCode).toBe(400)
    expect(missingGroup.json().errors[0]).toMatchObject({ field: 'groupId', code: 'required' })
    const res = await importFile(t.kit.a.admin, 'tags.xlsx', data, { createMissing: 'true', groupId: g.id })
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json()).toMatchObject({
      rows: 3,
      tagged: 2,
      created: 2,
      errors: [{ row: 4, field: '线索ID', code: 'tag_import_invalid_value' }],
    })
    expect(await tagNames(byEmail.personId)).toEqual(['新客', '活跃'].sort())
    expect(await tagNames(byLead.personId)).toEqual(['活跃'])
    const list = (await t.call(t.kit.a.admin, 'GET', '/api/v1/tag-groups')).json().items
    expect(
      list
        .find((x: { id: string }) => x.id === g.id)
        .tags.map((x: { name: string; personCount: number }) => [x.name, x.personCount])
        .sort(),
    ).toEqual([
      ['新客', 1],
      ['活跃', 2],
    ])
  })

  it('refuses files without the needed columns, over 100,000 rows or over the size limit', async () => {
    const noTags = await importFile(t.kit.a.admin, 'a.csv', Buffer.from('手机号,姓名\n13800138000,张三\n'))
    expect(noTags.statusCode).toBe(400)
    expect(noTags.json().code).toBe('tag_import_no_tags_column')
    const noId = await importFile(t.kit.a.admin, 'a.csv', Buffer.from('姓名,标签\n张三,VIP\n'))
    expect(noId.json().code).toBe('tag_import_no_identity_column')
    const empty = await importFile(t.kit.a.admin, 'a.csv', Buffer.alloc(0))
    expect(empty.statusCode).toBe(400)
    const lines = ['手机号,标签']
    for (let i = 0; i < 100_001; i++) lines.push(`1380013${String(i % 10000).padStart(4, '0')},VIP`)
    const big = await importFile(t.kit.a.admin, 'big.csv', Buffer.from(lines.join('\n')))
    expect(big.statusCode).toBe(400)
    expect(big.json()).toMatchObject({
      code: 'tag_import_too_many_rows',
      detail: '文件超过 100000 行，请拆分后导入',
    })
    const huge = await importFile(t.kit.a.admin, 'huge.csv', Buffer.alloc(20 * 1024 * 1024 + 10, 0x31))
    expect(huge.statusCode).toBe(413)
    expect(huge.json().code).toBe('import_file_too_large')
    // Nothing was written by the refused files.
    const { rows } = await db().query(
      `select count(*)::int as n from audit_log where tenant_id = $1 and object_type = 'tagging' and summary like '%big.csv%'`,
      [t.kit.a.tenantId],
    )
    expect(rows[0].n).toBe(0)
    expect((await t.call(t.w.as.seller, 'POST', '/api/v1/tag-imports')).statusCode).toBe(403)
  })

  it('offers a template in CSV and XLSX', async () => {
    const csv = await t.kit.req(t.kit.a.admin, {
      method: 'GET',
      url: '/api/v1/tag-imports/template?format=csv',
    })
    expect(csv.statusCode).toBe(200)
    expect(csv.headers['content-type']).toContain('text/csv')
    expect(csv.body).toContain('手机号')
    expect(csv.body).toContain('标签')
    const xlsx = await t.kit.req(t.kit.a.admin, {
      method: 'GET',
      url: '/api/v1/tag-imports/template?format=xlsx&locale=en',
    })
    expect(xlsx.statusCode).toBe(200)
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer)
    expect(wb.worksheets[0]!.getRow(1).values).toEqual([undefined, 'Mobile', 'Email', 'Tags'])
  })
})
