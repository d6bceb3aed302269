import { and, eq } from 'drizzle-orm'
import { z } from 'zod'
import { systemActor } from '../../platform/access/actor.js'
import { PUBLIC } from '../../platform/access/permissions.js'
import { AppError, type FieldError, validationFailed } from '../../platform/http/errors.js'
import type { App, AppDeps } from '../../platform/http/module.js'
import { localeOf } from '../../platform/http/problem.js'
import { workspacePhoneRegion } from '../../platform/tenancy/phone-region.js'
import { normalizeLead } from '../quality/normalize/index.js'
import { ingestOne } from './ingest.batcher.js'
import { normalizedWithTypeIssues } from './ingest.service.js'
import { applyMapping } from './mapping.js'
import { type ChannelMapping, channels } from './schema.js'

const tags = ['intake']
const tokenParams = z.object({ token: z.string().max(100) })
const TOKEN = /^([0-9a-f-]{36})\.([\w-]{16,})$/
/** The hidden field bots fill in and people never see. */
export const HONEYPOT = 'website'

/** Fields a web form may show, in order; the channel's `form.fields` picks among them. */
const FORM_FIELDS = ['name', 'mobile', 'email', 'company', 'title', 'notes'] as const

async function formChannel(deps: AppDeps, token: string) {
  const m = token.match(TOKEN)
  if (!m) throw new AppError(404, 'form_not_found')
  const [row] = await deps.database.db
    .select()
    .from(channels)
    .where(and(eq(channels.tenantId, m[1]!), eq(channels.formKey, m[2]!)))
  if (!row?.enabled || row.kind !== 'web_form') throw new AppError(404, 'form_not_found')
  return row
}

/**
 * The embeddable snippet: renders the form into the element it is told to and posts JSON back. A
 * refused submission (400 problem+json) shows each field's message under its input, in the
 * visitor's language (the browser sends Accept-Language), and the summary above the button.
 */
function snippet(origin: string, token: string, fields: string[], title: string) {
  return `(function(){var s=document.currentScript,t=document.querySelector(s.getAttribute('data-target')||'#haina-form');
if(!t)return;var f=document.createElement('form');f.className='haina-form';
var h=document.createElement('h3');h.textContent=${JSON.stringify(title)};f.appendChild(h);
var labels={name:'姓名',mobile:'手机号',email:'邮箱',company:'公司',title:'职务',notes:'留言'};var errs={};
${JSON.stringify(fields)}.forEach(function(k){var l=document.createElement('label');l.textContent=labels[k]||k;
var i=document.createElement(k==='notes'?'textarea':'input');i.name=k;l.appendChild(i);
var e=document.createElement('small');e.className='haina-form-error';e.setAttribute('role','alert');e.style.color='#c00';
l.appendChild(e);errs[k]=e;f.appendChild(l);});
var hp=document.createElement('input');hp.name=${JSON.stringify(HONEYPOT)};hp.tabIndex=-1;hp.autocomplete='off';
hp.style.cssText='position:absolute;left:-9999px';f.appendChild(hp);
var b=document.createElement('button');b.type='submit';b.textContent='提交';f.appendChild(b);
var msg=document.createElement('p');msg.setAttribute('role','status');f.appendChild(msg);
f.addEventListener('submit',function(e){e.preventDefault();var d={};new FormData(f).forEach(function(v,k){d[k]=v;});
var q=new URLSearchParams(location.search);if(q.get('utm_campaign'))d.utm_campaign=q.get('utm_campaign');
Object.keys(errs).forEach(function(k){errs[k].textContent='';});msg.textContent='';
fetch(${JSON.stringify(`${origin}/api/v1/forms/${token}`)},{method:'POST',headers:{'content-type':'application/json'},body:JSON.stringify(d)})
.then(function(r){return r.json().catch(function(){return {};}).then(function(j){
if(r.ok){msg.textContent='提交成功，谢谢！';f.reset();return;}
var other=[];(Array.isArray(j.errors)?j.errors:[]).forEach(function(x){var m=x.message||x.code;
if(errs[x.field])errs[x.field].textContent=m;else other.push(m);});
msg.textContent=[j.detail||j.title||'提交失败'].concat(other).join(' ');});})
.catch(function(){msg.textContent='网络错误，请稍后再试';});});t.appendChild(f);})();`
}

/**
 * Public web forms (官网表单): the form's definition, its embeddable snippet and the submit endpoint,
 * rate limited per IP and guarded by a honeypot field. Submissions go through the data factory as
 * the form's channel, into the channel's unit.
 */
export function registerFormRoutes(app: App, deps: AppDeps): void {
  app.get(
    '/api/v1/forms/:token',
    {
      config: { permission: PUBLIC },
      schema: {
        tags,
        summary: 'A public web form’s definition',
        params: tokenParams,
        response: { 200: z.object({ title: z.string(), fields: z.array(z.string()), honeypot: z.string() }) },
      },
    },
    async (req) => {
      const ch = await formChannel(deps, req.params.token)
      return { title: String(ch.form.title ?? ch.name), fields: fieldsOf(ch.form), honeypot: HONEYPOT }
    },
  )
  app.get(
    '/api/v1/forms/:token/embed.js',
    {
      config: { permission: PUBLIC },
      schema: { tags, summary: 'Embeddable form snippet', params: tokenParams },
    },
    async (req, reply) => {
      const ch = await formChannel(deps, req.params.token)
      const origin = `${req.protocol}://${req.host}`
      return reply
        .type('application/javascript; charset=utf-8')
        .header('cross-origin-resource-policy', 'cross-origin')
        .send(snippet(origin, req.params.token, fieldsOf(ch.form), String(ch.form.title ?? ch.name)))
    },
  )
  app.options(
    '/api/v1/forms/:token',
    { config: { permission: PUBLIC }, schema: { hide: true, params: tokenParams } },
    async (req, reply) => {
      const ch = await formChannel(deps, req.params.token)
      return reply
        .headers(corsHeaders(ch.form, req.headers.origin))
        .header('access-control-allow-methods', 'POST')
        .header('access-control-allow-headers', 'content-type')
        .status(204)
        .send()
    },
  )
  app.post(
    '/api/v1/forms/:token',
    {
      config: { permission: PUBLIC, rateLimit: { max: 10, timeWindow: '1 minute' } },
      bodyLimit: 32 * 1024,
      schema: {
        tags,
        summary: 'Submit a public web form (rate limited; honeypot field `website`)',
        params: tokenParams,
        body: z.record(z.string(), z.union([z.string().max(2000), z.number(), z.boolean(), z.null()])),
        description:
          'A submitted field the data factory finds invalid (phone, email, length, type, a required name) is a 400 problem+json naming it, with a message in the Accept-Language, and nothing is stored. Whether the person was already known is never told.',
        response: {
          201: z.object({
            status: z.literal('received'),
            issues: z
              .array(z.object({ field: z.string(), code: z.string() }))
              .describe('Always empty: invalid fields are answered 400'),
          }),
        },
      },
    },
    async (req, reply) => {
      const ch = await formChannel(deps, req.params.token)
      reply.headers(corsHeaders(ch.form, req.headers.origin))
      // A filled honeypot is a bot: answer as if accepted, store nothing.
      if (req.body[HONEYPOT]) return reply.status(201).send({ status: 'received', issues: [] })
      const shown = fieldsOf(ch.form)
      const allowed = new Set<string>([...shown, 'utm_campaign'])
      const record = Object.fromEntries(Object.entries(req.body).filter(([k]) => allowed.has(k)))
      // A visitor can correct what they typed: tell them before anything is stored.
      const phoneRegion = await workspacePhoneRegion(deps.database.db, ch.tenantId)
      const wrong = formFieldErrors(record, ch.mapping, shown, phoneRegion)
      if (wrong.length) throw validationFailed(wrong)
      const ctx = {
        db: deps.database.db,
        actor: { ...systemActor(ch.tenantId, ['intake.create']), name: `form:${ch.code}` },
        locale: localeOf(req),
        requestId: req.id,
        ip: req.ip,
      }
      const { results } = await ingestOne(ctx, ch, record, { phoneRegion })
      const r = results[0]!
      // Refused by a workspace policy (e.g. disposable email set to reject): the visitor is told why.
      // Any other outcome (created, merged, duplicate…) is the same answer, so nothing leaks.
      if (r.outcome === 'invalid')
        throw validationFailed(
          r.issues
            .filter((i) => i.code !== 'unknown_campaign')
            .map((i) => ({ field: i.field, code: i.code, params: paramsOf(i) })),
        )
      return reply.status(201).send({ status: 'received' as const, issues: [] })
    },
  )
}

/** Length limits of the lead fields (as the factory applies them), for the too_long message. */
const MAX_LENGTH: Record<string, number> = { name: 100, notes: 2000 }
const paramsOf = (i: { field: string; code: string }) =>
  i.code === 'too_long' ? { max: MAX_LENGTH[i.field] ?? 200 } : undefined

/**
 * What the data factory would find wrong with the fields the form shows: a value of the wrong
 * type, a phone or email it cannot read, a value too long, no name. A disposable email is left to
 * the workspace's policy (the factory decides; see the submit handler). Phones are read in the
 * workspace's phone region.
 */
function formFieldErrors(
  record: Record<string, unknown>,
  mapping: ChannelMapping,
  shown: string[],
  phoneRegion: string,
): FieldError[] {
  const mapped = applyMapping(record, mapping)
  const n = normalizedWithTypeIssues(mapped, phoneRegion) ?? normalizeLead(mapped.lead, phoneRegion)
  return n.issues
    .filter((i) => shown.includes(i.field) && i.code !== 'disposable_email')
    .map((i) => ({ field: i.field, code: i.code, params: paramsOf(i) }))
}

function fieldsOf(form: Record<string, unknown>): string[] {
  const chosen = Array.isArray(form.fields)
    ? (form.fields as string[])
    : ['name', 'mobile', 'company', 'notes']
  return FORM_FIELDS.filter((f) => chosen.includes(f))
}

/** CORS for embedded forms: the channel's allowed origins, or any origin when none are listed. */
function corsHeaders(form: Record<string, unknown>, origin: string | undefined): Record<string, string> {
  const allowed = Array.isArray(form.allowedOrigins) ? (form.allowedOrigins as string[]) : []
  if (!origin) return {}
  if (allowed.length && !allowed.includes(origin)) return {}
  return { 'access-control-allow-origin': allowed.length ? origin : '*', vary: 'origin' }
}
