import { useQuery } from '@tanstack/react-query'
import { Button, Card, Collapse, Empty } from 'antd'
import { useTranslation } from 'react-i18next'
import { api, call } from '../../api/client.js'
import './pools.css'

/** Sales scripts suggested for this lead (by its status and tags), shown beside the follow-up form. */
export function SuggestedScripts(props: { leadId: string; status?: string; onUse?: (body: string) => void }) {
  const { t } = useTranslation()
  const scripts = useQuery({
    queryKey: ['sales-scripts', 'suggest', props.leadId, props.status],
    queryFn: async () =>
      (await call(api.GET('/api/v1/sales-scripts/suggest', { params: { query: { leadId: props.leadId } } })))
        .items,
  })
  const list = scripts.data ?? []
  return (
    <Card title={t('pools.scripts.title')} size="small" loading={scripts.isLoading} data-testid="scripts">
      {list.length ? (
        <Collapse
          size="small"
          ghost
          defaultActiveKey={list[0] ? [list[0].id] : []}
          items={list.map((s) => ({
            key: s.id,
            label: s.title,
            children: (
              <>
                <div className="haina-script">{s.body}</div>
                {props.onUse && (
                  <Button
                    type="link"
                    size="small"
                    style={{ paddingInline: 0 }}
                    onClick={() => props.onUse?.(s.body)}
                  >
                    {t('pools.scripts.use')}
                  </Button>
                )}
              </>
            ),
          }))}
        />
      ) : (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('pools.scripts.empty')} />
      )}
    </Card>
  )
}
