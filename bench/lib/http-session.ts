/** A signed-in caller of a running Haina server: GET requests with the session cookie. */
export interface HttpSession {
  label: string
  userId: string
  /** Parsed JSON of a GET (cached: id look-ups ask the same lists many times); null unless 200. */
  json(path: string): Promise<unknown>
  /** One timed GET, body read to the end. */
  timed(path: string): Promise<{ ms: number; status: number; bytes: number }>
}

export async function signIn(
  base: string,
  label: string,
  login: { workspace: string; email: string; password: string },
): Promise<HttpSession> {
  const res = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(login),
  })
  if (res.status !== 200)
    throw new Error(`sign-in of ${login.email} failed: ${res.status} ${await res.text()}`)
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ')
  const body = (await res.json()) as { user: { id: string } }
  const headers = { cookie, 'accept-language': 'zh-CN' }
  const cache = new Map<string, Promise<unknown>>()
  return {
    label,
    userId: body.user.id,
    json(path) {
      let hit = cache.get(path)
      if (!hit) {
        hit = fetch(`${base}${path}`, { headers }).then((r) => (r.status === 200 ? r.json() : null))
        cache.set(path, hit)
      }
      return hit
    },
    async timed(path) {
      const t0 = performance.now()
      const r = await fetch(`${base}${path}`, { headers })
      const bytes = (await r.arrayBuffer()).byteLength
      return { ms: performance.now() - t0, status: r.status, bytes }
    },
  }
}
