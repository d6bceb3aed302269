import { useQuery } from '@tanstack/react-query'
import { Select } from 'antd'
import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { salesApi } from './api.js'

/** A customer chosen by typing part of its name (GET /customers?filter={q}); `label` names the current one. */
export function CustomerPicker(props: {
  id?: string
  value?: string
  onChange?: (id: string | undefined, name?: string) => void
  label?: string | null
  disabled?: boolean
}) {
  const { t } = useTranslation()
  const [typed, setTyped] = useState('')
  const [q, setQ] = useState('')
  useEffect(() => {
    const h = setTimeout(() => setQ(typed.trim()), 250)
    return () => clearTimeout(h)
  }, [typed])
  const found = useQuery({ queryKey: ['customer-pick', q], queryFn: () => salesApi.customers(q) })
  const options = (found.data?.items ?? []).map((c) => ({ value: c.id, label: c.name }))
  if (props.value && props.label && !options.some((o) => o.value === props.value))
    options.unshift({ value: props.value, label: props.label })
  return (
    <Select
      id={props.id}
      showSearch
      allowClear
      filterOption={false}
      disabled={props.disabled}
      value={props.value}
      onSearch={setTyped}
      onChange={(v: string | undefined) => props.onChange?.(v, options.find((o) => o.value === v)?.label)}
      loading={found.isFetching}
      placeholder={t('opps.field.customerPh')}
      notFoundContent={t('opps.noCustomers')}
      options={options}
      data-testid="customer-picker"
    />
  )
}
