import { Cascader } from 'antd'
import { useEffect, useState } from 'react'
import { api, call } from '../../api/client.js'

interface Opt {
  value: string
  label: string
  isLeaf?: boolean
  children?: Opt[]
}

async function load(parent?: string): Promise<Opt[]> {
  const res = await call(api.GET('/api/v1/regions', { params: { query: parent ? { parent } : {} } }))
  return res.items.map((r) => ({ value: r.code, label: r.name, isLeaf: !r.hasChildren }))
}

/** Region codes nest by length (province 2 digits, city 4, district 6): the path to a code. */
const pathOf = (code: string) => {
  const path = [code.slice(0, 2), code.slice(0, 4), code].filter((c, i) => c.length === [2, 4, 6][i])
  return path.length ? path : [code]
}

/**
 * A region code for a condition: one province, city or district (a province stands for everything
 * in it under "starts with"), or several with `multiple`. The value is the code itself.
 */
export function RegionCodePicker({
  value,
  onChange,
  multiple,
  id,
  'aria-label': ariaLabel,
}: {
  value?: unknown
  onChange?: (v: unknown) => void
  multiple?: boolean
  id?: string
  'aria-label'?: string
}) {
  const [options, setOptions] = useState<Opt[]>([])
  const codes = (Array.isArray(value) ? value : value ? [value] : []).map(String)
  const key = codes.join(',')
  // biome-ignore lint/correctness/useExhaustiveDependencies: reload the levels when the codes change, not on every render
  useEffect(() => {
    let live = true
    void (async () => {
      const top = await load()
      // Load the levels above each chosen code so its names show.
      for (const code of codes) {
        let level = top
        for (const step of pathOf(code).slice(0, -1)) {
          const node = level.find((o) => o.value === step)
          if (!node) break
          node.children ??= await load(step)
          level = node.children
        }
      }
      if (live) setOptions(top)
    })()
    return () => {
      live = false
    }
  }, [key])

  const loadData = async (selected: Opt[]) => {
    const target = selected[selected.length - 1]
    if (!target || target.children) return
    target.children = await load(target.value)
    setOptions((o) => [...o])
  }
  const last = (path: (string | number)[]) => String(path[path.length - 1])

  if (multiple)
    return (
      <Cascader
        id={id}
        aria-label={ariaLabel}
        multiple
        style={{ minWidth: 240 }}
        maxTagCount="responsive"
        options={options}
        loadData={loadData as never}
        value={codes.map(pathOf)}
        onChange={(paths) => onChange?.(((paths ?? []) as (string | number)[][]).map(last))}
      />
    )
  return (
    <Cascader
      id={id}
      aria-label={ariaLabel}
      changeOnSelect
      style={{ minWidth: 240 }}
      options={options}
      loadData={loadData as never}
      value={codes[0] ? pathOf(codes[0]) : undefined}
      onChange={(path) => onChange?.(path?.length ? last(path as (string | number)[]) : undefined)}
    />
  )
}
