import { Form } from 'antd'
import { FieldInput, FieldValue } from '../../../components/FieldInput.js'
import { type FieldDef, type User, useUsers } from '../../../data.js'
import { useCan } from '../../../session.js'

/** The custom fields of an object as form items under `custom.<key>` (the shared FieldInput control). */
export function CustomFieldItems({ defs }: { defs: FieldDef[] }) {
  const can = useCan()
  const users = useUsers(can('users.view')).data?.items ?? []
  return (
    <>
      {defs.map((d) => (
        <Form.Item
          key={d.id}
          name={['custom', d.key]}
          label={d.label}
          tooltip={d.description || undefined}
          rules={d.required ? [{ required: true }] : undefined}
          data-testid={`cf-${d.key}`}
        >
          {/* Form.Item passes value and onChange, booleans included (FieldInput's Switch reads value). */}
          <FieldInput def={d} users={users} />
        </Form.Item>
      ))}
    </>
  )
}

/** Custom columns of a list: one per definition, showing the stored value. */
export function customColumns<R extends { custom?: Record<string, unknown> }>(
  defs: FieldDef[],
  users: User[],
) {
  return defs.map((d) => ({
    key: `custom.${d.key}`,
    title: d.label,
    render: (_: unknown, r: R) => <FieldValue def={d} value={r.custom?.[d.key]} users={users} />,
  }))
}
