import { BarChart, LineChart, PieChart } from 'echarts/charts'
import { GridComponent, LegendComponent, TitleComponent, TooltipComponent } from 'echarts/components'
import * as echarts from 'echarts/core'
import { SVGRenderer } from 'echarts/renderers'
import { useEffect, useRef } from 'react'

echarts.use([
  BarChart,
  LineChart,
  PieChart,
  GridComponent,
  LegendComponent,
  TitleComponent,
  TooltipComponent,
  SVGRenderer,
])

// Browser tests set this: no animation, so screenshots are stable.
const NO_MOTION = (window as { __HAINA_NO_MOTION__?: boolean }).__HAINA_NO_MOTION__ === true

/** An ECharts chart that follows its container's size (SVG: crisp, and text renders with page fonts). */
export function Chart({ option, height = 300 }: { option: echarts.EChartsCoreOption; height?: number }) {
  const ref = useRef<HTMLDivElement>(null)
  const chart = useRef<echarts.ECharts | null>(null)
  useEffect(() => {
    if (!ref.current) return
    const c = echarts.init(ref.current, undefined, { renderer: 'svg' })
    chart.current = c
    const ro = new ResizeObserver(() => c.resize())
    ro.observe(ref.current)
    return () => {
      ro.disconnect()
      c.dispose()
    }
  }, [])
  useEffect(() => {
    chart.current?.setOption({ animation: !NO_MOTION, ...option }, true)
  }, [option])
  return <div ref={ref} style={{ width: '100%', height }} data-testid="chart" />
}
