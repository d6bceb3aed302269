import { and, eq } from 'drizzle-orm'
import { z } from 'zod'
import { systemActor } from '../../platform/access/actor.js'
import { PUBLIC } from '../../platform/access/permissions.js'
import { AppError } from '../../platform/http/errors.js'
import type { App, AppDeps } from '../../platform/http/module.js'
import { localeOf } from '../../platform/http/problem.js'
import { ingestOne } from './ingest.batcher.js'
import { channels } from './schema.js'

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

/** The embeddable snippet: renders the form into the element it is told to and posts JSON back. */
function snippet(origin: string, token: string, fields: string[], title: string) {
  return `(function(){var s=document.currentScript,t=document.querySelector(s.getAttribute('data-target')||'#haina-form');
if(!t)return;var f=document.createElement('form');f.className='haina-form';
var h=document.createElement('h3');h.textContent=${JSON.stringify(title)};f.appendChild(h);
var labels={name:'姓名',mobile:'手机号',email:'邮箱',company:'公司',title:'职务',notes:'留言'};
${JSON.stringify(fields)}.forEach(function(k){var l=document.createElement('label');l.textContent=labels[k]||k;
var i=document.createElement(k==='notes'?'textarea':'input');i.name=k;l.appendChild(i);f.appendChild(l);});
var hp=document.createElement('input');hp.name=${JSON.stringify(HONEYPOT)};hp.tabIndex=-1;hp.autocomplete='off';
hp.style.cssText='position:absolute;left:-9999px';f.appendChild(hp);
var b=document.createElement('button');b.type='submit';b.textContent='提交';f.appendChild(b);
var msg=document.createElement('p');f.appendChild(msg);
f.addEventListener('submit',function(e){e.preventDefault();var d={};new FormData(f).forEach(function(v,k){d[k]=v;});
var q=new URLSearchParams(location.search);if(q.get('utm_campaign'))d.utm_campaign=q.get('utm_campaign');
fetch(${JSON.stringify(`${origin}/api/v1/forms/${token}`)},{method:'POST',headers:{'content-type':'application/json'},body:JSON.stringify(d)})
.then(function(r){return r.json().then(function(j){msg.textContent=r.ok?'提交成功，谢谢！':(j.detail||j.title||'提交失败');if(r.ok)f.reset();});})
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
        response: {
          201: z.object({
            status: z.enum(['received', 'invalid']),
            issues: z.array(z.object({ field: z.string(), code: z.string() })),
          }),
        },
      },
    },
    async (req, reply) => {
      const ch = await formChannel(deps, req.params.token)
      reply.headers(corsHeaders(ch.form, req.headers.origin))
      // A filled honeypot is a bot: answer as if accepted, store nothing.
      if (req.body[HONEYPOT]) return reply.status(201).send({ status: 'received', issues: [] })
      const allowed = new Set<string>([...fieldsOf(ch.form), 'utm_campaign'])
      const record = Object.fromEntries(Object.entries(req.body).filter(([k]) => allowed.has(k)))
      const ctx = {
        db: deps.database.db,
        actor: { ...systemActor(ch.tenantId, ['intake.create']), name: `form:${ch.code}` },
        locale: localeOf(req),
        requestId: req.id,
        ip: req.ip,
      }
      const { results } = await ingestOne(ctx, ch, record)
      const r = results[0]!
      return reply.status(201).send({
        status: r.outcome === 'invalid' ? 'invalid' : 'received',
        issues: r.outcome === 'invalid' ? r.issues : [],
      })
    },
  )
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
