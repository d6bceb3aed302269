// Sales pages (settings): pipelines, products and price books, competitors, sales options — each a routed page.
import { Tabs, Typography } from 'antd'
import { useTranslation } from 'react-i18next'
import '../opportunities/i18n.js'
import '../opportunities/sales.css'
import { Competitors } from './Competitors.js'
import './i18n.js'
import { Options } from './Options.js'
import { Pipelines } from './Pipelines.js'
import { PriceBooks } from './PriceBooks.js'
import { Products } from './Products.js'

/** The page's title: its menu label. */
function Heading({ menu }: { menu: string }) {
  const { t } = useTranslation()
  return <Typography.Title level={4}>{t(`salesMenu.${menu}`)}</Typography.Title>
}

export const PipelinesPage = () => (
  <>
    <Heading menu="pipelines" />
    <Pipelines />
  </>
)

export function ProductsPage() {
  const { t } = useTranslation()
  return (
    <>
      <Heading menu="products" />
      <Tabs
        items={[
          { key: 'products', label: t('salesSettings.products.tab'), children: <Products /> },
          { key: 'price-books', label: t('salesSettings.priceBooks.tab'), children: <PriceBooks /> },
        ]}
      />
    </>
  )
}

export const CompetitorsPage = () => (
  <>
    <Heading menu="competitors" />
    <Competitors />
  </>
)

export const SalesSettingsPage = () => (
  <>
    <Heading menu="settings" />
    <Options />
  </>
)
