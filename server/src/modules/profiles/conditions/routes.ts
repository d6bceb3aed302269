import type { HainaModule } from '../../../platform/http/module.js'

/** The condition catalogue (fields, operators, parameters) the rule and segment builders offer. */
export const profileConditionsModule: HainaModule = {
  name: 'profile-conditions',
  routes() {},
}
