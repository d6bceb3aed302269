/**
 * The columns of an order import (e-commerce history: one row per order line, rows sharing an
 * order number form one order): mapping targets with their header synonyms, and the template.
 */
import type { MappingTarget } from '../../../intake/import/file/index.js'

type Locale = 'zh-CN' | 'zh-TW' | 'en'

export interface OrderColumn {
  key: string
  label: Record<Locale, string>
  synonyms: string[]
  example: [string, string]
  note: Record<Locale, string>
}

/** key, label and format note (zh-CN | zh-TW | en), header synonyms (space-separated), two example rows. */
const COLUMNS: [string, string, string, [string, string], string][] = [
  [
    'orderNo',
    '订单号 | 訂單號 | Order number',
    '订单编号 订单号 外部订单号 平台订单号 主订单编号 訂單編號 orderid orderno ordernumber tid',
    ['TB20241111001', 'TB20241111001'],
    '必填；同一订单号的多行合并为一个订单 | 必填；同一訂單號的多行合併為一個訂單 | Required; rows with the same number form one order',
  ],
  [
    'orderedAt',
    '下单时间 | 下單時間 | Ordered at',
    '下单时间 订单创建时间 创建时间 付款时间 成交时间 下單時間 orderdate orderedat createdat created',
    ['2024-11-11 10:05:00', '2024-11-11 10:05:00'],
    '按工作区时区 | 按工作區時區 | In the workspace time zone',
  ],
  [
    'status',
    '订单状态 | 訂單狀態 | Status',
    '订单状态 交易状态 状态 訂單狀態 交易狀態 status orderstatus',
    ['交易成功', '交易成功'],
    '交易成功/已发货/已付款/交易关闭/已退款，空为交易成功 | 交易成功/已發貨/已付款/交易關閉/已退款，空為交易成功 | completed / shipped / paid / cancelled / refunded; empty = completed',
  ],
  [
    'customerName',
    '客户名称 | 客戶名稱 | Customer',
    '客户名称 客户 买家 买家会员名 买家昵称 公司名称 客戶名稱 買家 customer customername buyer company',
    ['上海海纳科技有限公司', '上海海纳科技有限公司'],
    '客户名称、手机号、信用代码至少一项，用于匹配客户 | 客戶名稱、手機號、信用代碼至少一項，用於匹配客戶 | Customer name, mobile or credit code: at least one, to find the customer',
  ],
  [
    'creditCode',
    '统一社会信用代码 | 統一社會信用代碼 | Credit code',
    '统一社会信用代码 信用代码 社会信用代码 統一社會信用代碼 creditcode uscc',
    ['', ''],
    '18 位 | 18 位 | 18 characters',
  ],
  [
    'contactName',
    '收货人 | 收貨人 | Consignee',
    '收货人 收货人姓名 联系人 收件人 收貨人 聯絡人 consignee receiver contact contactname',
    ['张伟', '张伟'],
    '新建客户时作为联系人 | 新建客戶時作為聯絡人 | The contact of a customer created by the import',
  ],
  [
    'mobile',
    '手机号 | 手機號 | Mobile',
    '手机号 手机 联系手机 收货人手机 联系电话 手機號 手機 mobile phone tel',
    ['13800138000', '13800138000'],
    '按联系人手机匹配客户 | 按聯絡人手機匹配客戶 | Finds the customer by a contact’s mobile',
  ],
  [
    'sku',
    '商品编码 | 商品編碼 | SKU',
    '商品编码 商家编码 商品编号 货号 sku skucode 商品編碼 productcode itemcode',
    ['P-001', 'P-002'],
    '与产品编码相同时关联产品 | 與產品編碼相同時關聯產品 | Links the product with this code',
  ],
  [
    'productName',
    '商品名称 | 商品名稱 | Product',
    '商品名称 宝贝标题 商品标题 产品名称 商品 商品名稱 產品名稱 product productname item itemname title',
    ['海纳 CRM 标准版', '实施服务'],
    '必填（或填写已有产品的商品编码） | 必填（或填寫已有產品的商品編碼） | Required (or the SKU of a known product)',
  ],
  [
    'quantity',
    '数量 | 數量 | Quantity',
    '数量 购买数量 商品数量 數量 quantity qty count',
    ['2', '1'],
    '空为 1 | 空為 1 | Empty = 1',
  ],
  [
    'unitPrice',
    '单价 | 單價 | Unit price',
    '单价 商品单价 价格 单价元 單價 price unitprice',
    ['1999.00', '500.00'],
    '元，两位小数 | 元，兩位小數 | Yuan, two decimals',
  ],
  [
    'lineDiscount',
    '优惠金额 | 優惠金額 | Line discount',
    '优惠金额 商品优惠 折扣金额 優惠金額 discount linediscount',
    ['100.00', ''],
    '元 | 元 | Yuan',
  ],
  [
    'lineAmount',
    '金额 | 金額 | Amount',
    '金额 商品金额 小计 应付金额 金額 小計 amount lineamount subtotal',
    ['3898.00', '500.00'],
    '元；填写时须等于 数量×单价−优惠 | 元；填寫時須等於 數量×單價−優惠 | Yuan; if given, must equal quantity × price − discount',
  ],
  [
    'shippingFee',
    '运费 | 運費 | Shipping',
    '运费 邮费 運費 郵費 shipping shippingfee freight postfee',
    ['10.00', ''],
    '元，整单一次（取该订单第一个非空值） | 元，整單一次（取該訂單第一個非空值） | Yuan, once per order (the first value given)',
  ],
  [
    'orderDiscount',
    '整单优惠 | 整單優惠 | Order discount',
    '整单优惠 订单优惠 店铺优惠 整單優惠 orderdiscount',
    ['', ''],
    '元，整单一次 | 元，整單一次 | Yuan, once per order',
  ],
  [
    'paidAmount',
    '实付金额 | 實付金額 | Paid',
    '实付金额 实收金额 买家实付 實付金額 paid paidamount payment',
    ['', ''],
    '元，整单一次；空为订单合计（已付款的状态） | 元，整單一次；空為訂單合計（已付款的狀態） | Yuan, once per order; empty = the total for paid states',
  ],
  [
    'shippingAddress',
    '收货地址 | 收貨地址 | Address',
    '收货地址 地址 详细地址 收貨地址 address shippingaddress',
    ['上海市浦东新区世纪大道 100 号', '上海市浦东新区世纪大道 100 号'],
    '',
  ],
  ['notes', '备注 | 備註 | Notes', '备注 订单备注 买家留言 備註 notes note remark memo', ['双十一', ''], ''],
]

const byLocale = (text: string): Record<Locale, string> => {
  const [cn, tw, en] = text.split(' | ')
  return { 'zh-CN': cn ?? '', 'zh-TW': tw ?? '', en: en ?? '' }
}

export const ORDER_COLUMNS: OrderColumn[] = COLUMNS.map(([key, label, synonyms, example, note]) => ({
  key,
  label: byLocale(label),
  synonyms: synonyms.split(' '),
  example,
  note: byLocale(note),
}))

export const ORDER_TARGETS: MappingTarget[] = ORDER_COLUMNS.map((c) => ({
  key: c.key,
  labels: [...Object.values(c.label), ...c.synonyms],
}))
