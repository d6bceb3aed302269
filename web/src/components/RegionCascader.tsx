import { Cascader } from 'antd'
import { useEffect, useState } from 'react'
import { api, call } from '../api/client.js'

interface Opt {
  value: string
  label: string
  isLeaf?: boolean
  children?: Opt[]
}
export interface RegionValue {
  province?: string
  city?: string
  district?: string
}

async function load(parent?: string): Promise<Opt[]> {
  const res = await call(api.GET('/api/v1/regions', { params: { query: parent ? { parent } : {} } }))
  return res.items.map((r) => ({ value: r.code, label: r.name, isLeaf: !r.hasChildren }))
}

/** Province → city → district, loaded level by level from GET /api/v1/regions; value {province, city, district}. */
export function RegionCascader(props: {
  value?: RegionValue | null
  onChange?: (v: RegionValue | null) => void
}) {
  const [options, setOptions] = useState<Opt[]>([])
  const v = props.value
  const path = [v?.province, v?.city, v?.district].filter((x): x is string => !!x)
  // biome-ignore lint/correctness/useExhaustiveDependencies: loads the initial value's levels once; later changes come from the cascader itself
  useEffect(() => {
    let live = true
    void (async () => {
      const top = await load()
      // Load the levels of an existing value so its names show.
      let level = top
      for (const code of path.slice(0, -1)) {
        const node = level.find((o) => o.value === code)
        if (!node) break
        node.children = await load(code)
        level = node.children
      }
      if (live) setOptions(top)
    })()
    return () => {
      live = false
    }
  }, [])
  return (
    <Cascader
      options={options}
      value={path}
      changeOnSelect
      loadData={async (selected) => {
        const target = selected[selected.length - 1] as Opt
        target.children = await load(target.value)
        setOptions((o) => [...o])
      }}
      onChange={(codes) => {
        const c = (codes ?? []) as string[]
        props.onChange?.(c.length ? { province: c[0], city: c[1], district: c[2] } : null)
      }}
    />
  )
}
