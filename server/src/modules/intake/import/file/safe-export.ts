/** Formula-safe cells for the import's own downloads (templates, error files): the platform's. */
export { neutralizeFormula, writeCsv } from '../../../../platform/http/spreadsheet.js'
