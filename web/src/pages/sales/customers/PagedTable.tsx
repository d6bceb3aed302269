import { type InfiniteData, type UseInfiniteQueryResult, useInfiniteQuery } from '@tanstack/react-query'
import { Button, Empty, Table, type TableProps } from 'antd'
import type { ColumnsType } from 'antd/es/table'
import { useTranslation } from 'react-i18next'
import type { Page } from './api.js'

/** A cursor-paged list (`{items, nextCursor}`) as one infinite query. */
export function usePaged<T, P extends Page<T> = Page<T>>(
  queryKey: unknown[],
  fetch: (cursor: string | null) => Promise<P>,
  enabled = true,
) {
  return useInfiniteQuery({
    queryKey,
    enabled,
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) => fetch(pageParam),
    getNextPageParam: (p) => p.nextCursor,
  })
}

/** The loaded rows of a paged query. */
export const rowsOf = <T,>(q: { data?: InfiniteData<Page<T>> }) => q.data?.pages.flatMap((p) => p.items) ?? []

/** The list pages' table: all loaded pages, "load more" while the server has more. */
export function PagedTable<T extends { id: string }>(props: {
  query: UseInfiniteQueryResult<InfiniteData<Page<T>>>
  columns: ColumnsType<T>
  rows?: T[]
  empty?: string
  rowSelection?: TableProps<T>['rowSelection']
  testId: string
}) {
  const { t } = useTranslation()
  const q = props.query
  return (
    <>
      <Table<T>
        rowKey="id"
        size="middle"
        loading={q.isLoading}
        dataSource={props.rows ?? rowsOf(q)}
        columns={props.columns}
        pagination={false}
        scroll={{ x: 'max-content' }}
        rowSelection={props.rowSelection}
        locale={props.empty ? { emptyText: <Empty description={props.empty} /> } : undefined}
        data-testid={props.testId}
      />
      {q.hasNextPage && (
        <Button style={{ marginTop: 12 }} onClick={() => q.fetchNextPage()} loading={q.isFetchingNextPage}>
          {t('common.loadMore')}
        </Button>
      )}
    </>
  )
}
