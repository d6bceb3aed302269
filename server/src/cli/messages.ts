import { type Locale, pickLocale, registerMessages, translate } from '../platform/i18n/messages.js'

/**
 * The operator's language, from the locale environment (LC_ALL, LC_MESSAGES, LANG as the C library
 * reads them): zh_CN.UTF-8 → zh-CN, zh_TW / zh_HK → zh-TW; C, POSIX and anything else → en.
 */
export function cliLocale(env: NodeJS.ProcessEnv = process.env): Locale {
  const tag = env.LC_ALL || env.LC_MESSAGES || env.LANG || ''
  return pickLocale(tag.split('.')[0]!.replace('_', '-'), 'en')
}

export const locale = cliLocale()
export const t = (code: string, params?: Record<string, unknown>) => translate(code, locale, params)

registerMessages({
  // help
  cli_help_title: {
    'zh-CN': '海纳 CRM 运维命令',
    'zh-TW': '海納 CRM 維運指令',
    en: 'Haina CRM — operator commands',
  },
  cli_help_usage: { 'zh-CN': '用法：', 'zh-TW': '用法：', en: 'Usage: ' },
  cli_help_more: {
    'zh-CN': '运行 haina <命令> --help 查看该命令的说明。',
    'zh-TW': '執行 haina <指令> --help 查看該指令的說明。',
    en: 'Run haina <command> --help for one command.',
  },
  cli_help_env: {
    'zh-CN':
      '环境变量：DATABASE_URL（PostgreSQL；未设置时使用 HAINA_DATA_DIR=./data 中的内嵌数据库）、PORT、HOST、LOG_LEVEL；语言取自 LANG（zh_CN.UTF-8、zh_TW.UTF-8，其余为英文）。',
    'zh-TW':
      '環境變數：DATABASE_URL（PostgreSQL；未設定時使用 HAINA_DATA_DIR=./data 中的內嵌資料庫）、PORT、HOST、LOG_LEVEL；語言取自 LANG（zh_CN.UTF-8、zh_TW.UTF-8，其餘為英文）。',
    en: 'Environment: DATABASE_URL (PostgreSQL; default: the embedded database in HAINA_DATA_DIR=./data), PORT, HOST, LOG_LEVEL; language from LANG (zh_CN.UTF-8, zh_TW.UTF-8, otherwise English).',
  },
  cli_help_exit: {
    'zh-CN': '退出码：0 成功，1 失败，2 命令用法有误。',
    'zh-TW': '結束碼：0 成功，1 失敗，2 指令用法有誤。',
    en: 'Exit status: 0 done, 1 failed, 2 wrong usage.',
  },
  cli_help_password: {
    'zh-CN':
      '密码：在终端中运行时会提示输入（不回显）；脚本中用 --password-stdin 从标准输入读取第一行。--password P 会出现在进程列表和命令历史中。',
    'zh-TW':
      '密碼：在終端機中執行時會提示輸入（不回顯）；指令碼中用 --password-stdin 從標準輸入讀取第一行。--password P 會出現在行程列表和指令歷史中。',
    en: 'Password: asked for (not echoed) when run in a terminal; scripts pipe it with --password-stdin (first line of standard input). --password P shows in the process list and shell history.',
  },
  cli_help_serve: {
    'zh-CN': '启动海纳（API 与网页），端口 PORT（默认 3000）',
    'zh-TW': '啟動海納（API 與網頁），連接埠 PORT（預設 3000）',
    en: 'Start Haina (API + web) on PORT (default 3000)',
  },
  cli_help_migrate: {
    'zh-CN': '执行数据库迁移后退出（服务启动时也会执行）',
    'zh-TW': '執行資料庫遷移後結束（服務啟動時也會執行）',
    en: 'Apply database migrations and exit (the server also applies them at start)',
  },
  cli_help_demo: {
    'zh-CN': '创建演示工作区（标识 demo）及逼真的演示数据；--serve 随后启动服务',
    'zh-TW': '建立示範工作區（代碼 demo）及逼真的示範資料；--serve 隨後啟動服務',
    en: 'Create the demo workspace (slug "demo") with realistic data; --serve then starts Haina',
  },
  cli_help_workspace_add: {
    'zh-CN':
      '新建工作区及其第一位管理员；--phone-region：不带国家码的号码按此地区识别（CN、TW、HK、SG…，默认 CN）；--timezone：如 Asia/Taipei（默认 Asia/Shanghai）',
    'zh-TW':
      '新增工作區及其第一位管理員；--phone-region：不帶國碼的號碼依此地區辨識（CN、TW、HK、SG…，預設 CN）；--timezone：如 Asia/Taipei（預設 Asia/Shanghai）',
    en: 'Create a workspace and its first administrator; --phone-region: where numbers without a country code are read (CN, TW, HK, SG…; default CN); --timezone: e.g. Asia/Taipei (default Asia/Shanghai)',
  },
  cli_help_user_add: {
    'zh-CN': '添加用户（默认角色 salesperson，默认放在根组织单位）',
    'zh-TW': '新增使用者（預設角色 salesperson，預設放在根組織單位）',
    en: 'Add a user (role salesperson and the root unit unless given)',
  },
  cli_help_user_reset_password: {
    'zh-CN': '重置密码，结束其所有会话并解除锁定',
    'zh-TW': '重設密碼，結束其所有工作階段並解除鎖定',
    en: 'Reset a password, end their sessions and clear the lockout',
  },
  cli_help_import: {
    'zh-CN': '通过数据工厂从 CSV/XLSX 文件导入线索（自动识别编码与列），显示进度',
    'zh-TW': '透過資料工廠從 CSV/XLSX 檔案匯入線索（自動辨識編碼與欄位），顯示進度',
    en: 'Import leads from a CSV/XLSX file through the data factory (encoding and columns detected), with progress',
  },
  cli_help_backup: {
    'zh-CN': '内嵌数据库：将已停止的数据库写成 .tar 备份（--force 覆盖已有文件）',
    'zh-TW': '內嵌資料庫：將已停止的資料庫寫成 .tar 備份（--force 覆寫既有檔案）',
    en: 'Embedded database: write a .tar backup of the stopped database (--force replaces an existing file)',
  },
  cli_help_restore: {
    'zh-CN': '内嵌数据库：将备份恢复到空的数据目录',
    'zh-TW': '內嵌資料庫：將備份還原到空的資料目錄',
    en: 'Embedded database: restore a backup into an empty data directory',
  },
  cli_error: { 'zh-CN': '错误：{message}', 'zh-TW': '錯誤：{message}', en: 'Error: {message}' },
  // usage errors (exit status 2)
  cli_unknown_command: {
    'zh-CN': '未知命令“{command}”。运行 haina --help 查看用法。',
    'zh-TW': '未知指令「{command}」。執行 haina --help 查看用法。',
    en: 'Unknown command "{command}". Run haina --help.',
  },
  cli_unknown_subcommand: {
    'zh-CN': '未知命令“{command}”，可用：{choices}',
    'zh-TW': '未知指令「{command}」，可用：{choices}',
    en: 'Unknown command "{command}"; use one of: {choices}',
  },
  cli_unknown_option: {
    'zh-CN': '未知选项 {option}。运行 haina {command} --help 查看用法。',
    'zh-TW': '未知選項 {option}。執行 haina {command} --help 查看用法。',
    en: 'Unknown option {option}. Run haina {command} --help.',
  },
  cli_missing_value: {
    'zh-CN': '{option} 需要一个值',
    'zh-TW': '{option} 需要一個值',
    en: '{option} needs a value',
  },
  cli_unexpected_argument: {
    'zh-CN': '多余的参数“{argument}”。运行 haina {command} --help 查看用法。',
    'zh-TW': '多餘的參數「{argument}」。執行 haina {command} --help 查看用法。',
    en: 'Unexpected argument "{argument}". Run haina {command} --help.',
  },
  cli_required: { 'zh-CN': '缺少 {option}', 'zh-TW': '缺少 {option}', en: '{option} is required' },
  cli_not_integer: {
    'zh-CN': '{option} 须为不小于 {min} 的整数',
    'zh-TW': '{option} 須為不小於 {min} 的整數',
    en: '{option} must be a whole number of at least {min}',
  },
  cli_invalid_phone_region: {
    'zh-CN': '{option} 无效：“{value}”不是可识别电话号码的地区代码（两个字母，如 CN、TW、HK、MO、SG、US）',
    'zh-TW': '{option} 無效：「{value}」不是可辨識電話號碼的地區代碼（兩個字母，如 CN、TW、HK、MO、SG、US）',
    en: '{option}: "{value}" is not a region whose phone numbers can be read (two letters, such as CN, TW, HK, MO, SG, US)',
  },
  cli_invalid_timezone: {
    'zh-CN': '{option} 无效：“{value}”不是时区名称（如 Asia/Shanghai、Asia/Taipei、UTC）',
    'zh-TW': '{option} 無效：「{value}」不是時區名稱（如 Asia/Shanghai、Asia/Taipei、UTC）',
    en: '{option}: "{value}" is not a time zone name (such as Asia/Shanghai, Asia/Taipei, UTC)',
  },
  cli_password_needed: {
    'zh-CN': '缺少 {option}：请在终端中运行以输入密码，或用 {option}-stdin 从标准输入传入',
    'zh-TW': '缺少 {option}：請在終端機中執行以輸入密碼，或用 {option}-stdin 從標準輸入傳入',
    en: '{option} is required: run in a terminal to be asked for it, or pipe it with {option}-stdin',
  },
  // failures (exit status 1)
  cli_no_workspace: {
    'zh-CN': '没有标识为“{slug}”的工作区',
    'zh-TW': '沒有代碼為「{slug}」的工作區',
    en: 'No workspace with slug "{slug}"',
  },
  cli_no_role: {
    'zh-CN': '该工作区没有角色“{role}”；可用角色：{roles}',
    'zh-TW': '該工作區沒有角色「{role}」；可用角色：{roles}',
    en: 'No role "{role}" in this workspace; its roles: {roles}',
  },
  cli_no_unit: {
    'zh-CN': '该工作区没有编码为“{unit}”的组织单位',
    'zh-TW': '該工作區沒有編碼為「{unit}」的組織單位',
    en: 'No org unit with code "{unit}" in this workspace',
  },
  cli_no_user: {
    'zh-CN': '该工作区没有邮箱为“{email}”的用户',
    'zh-TW': '該工作區沒有電子郵件為「{email}」的使用者',
    en: 'No user with email "{email}" in this workspace',
  },
  cli_no_mapping: {
    'zh-CN': '没有名为“{mapping}”的已保存列映射',
    'zh-TW': '沒有名為「{mapping}」的已儲存欄位對應',
    en: 'No saved mapping "{mapping}"',
  },
  cli_no_file: { 'zh-CN': '文件不存在：{file}', 'zh-TW': '檔案不存在：{file}', en: 'No such file: {file}' },
  cli_not_a_file: {
    'zh-CN': '{file} 是目录，不是文件',
    'zh-TW': '{file} 是目錄，不是檔案',
    en: '{file} is a directory, not a file',
  },
  cli_password_empty: {
    'zh-CN': '从标准输入读到的密码为空',
    'zh-TW': '從標準輸入讀到的密碼為空',
    en: 'The password read from standard input is empty',
  },
  cli_password_prompt: { 'zh-CN': '密码：', 'zh-TW': '密碼：', en: 'Password: ' },
  cli_password_again: { 'zh-CN': '再次输入密码：', 'zh-TW': '再次輸入密碼：', en: 'Password (again): ' },
  cli_password_mismatch: {
    'zh-CN': '两次输入的密码不一致',
    'zh-TW': '兩次輸入的密碼不一致',
    en: 'The two passwords differ',
  },
  cli_cancelled: { 'zh-CN': '已取消', 'zh-TW': '已取消', en: 'Cancelled' },
  cli_db_unreachable: {
    'zh-CN': '无法连接数据库 {url}：{reason}',
    'zh-TW': '無法連線資料庫 {url}：{reason}',
    en: 'Cannot use the database {url}: {reason}',
  },
  cli_data_dir_locked: {
    'zh-CN':
      '数据目录 {dir} 正被另一个海纳进程（pid {pid}）使用（锁文件 {dir}/haina.lock）。请先停止该进程，或将 HAINA_DATA_DIR 设为其他目录：两个进程同时使用一个内嵌数据库会损坏数据。',
    'zh-TW':
      '資料目錄 {dir} 正被另一個海納行程（pid {pid}）使用（鎖定檔 {dir}/haina.lock）。請先停止該行程，或將 HAINA_DATA_DIR 設為其他目錄：兩個行程同時使用一個內嵌資料庫會損壞資料。',
    en: 'The data directory {dir} is in use by another Haina process (pid {pid}; lock file {dir}/haina.lock). Stop that process first, or set HAINA_DATA_DIR to another directory: two processes on one embedded database would corrupt it.',
  },
  cli_embedded_failed: {
    'zh-CN': '无法打开 {dir} 中的内嵌数据库：{reason}。可将备份恢复到一个空的 HAINA_DATA_DIR。',
    'zh-TW': '無法開啟 {dir} 中的內嵌資料庫：{reason}。可將備份還原到一個空的 HAINA_DATA_DIR。',
    en: 'The embedded database in {dir} could not be opened: {reason}. A backup can be restored into an empty HAINA_DATA_DIR.',
  },
  cli_port_in_use: {
    'zh-CN': '端口 {port} 已被其他程序占用：请停止该程序，或用 PORT 指定其他端口',
    'zh-TW': '連接埠 {port} 已被其他程式占用：請停止該程式，或用 PORT 指定其他連接埠',
    en: 'Port {port} is in use by another program: stop it, or set PORT to another port',
  },
  cli_port_denied: {
    'zh-CN': '无权监听端口 {port}：1024 以下的端口需要特权，请用 PORT 指定其他端口',
    'zh-TW': '無權監聽連接埠 {port}：1024 以下的連接埠需要特權，請用 PORT 指定其他連接埠',
    en: 'Not allowed to listen on port {port} (ports below 1024 need privileges): set PORT to another port',
  },
  cli_no_access: {
    'zh-CN': '无权访问 {path}：请以拥有它的用户（运行海纳的用户）执行此命令',
    'zh-TW': '無權存取 {path}：請以擁有它的使用者（執行海納的使用者）執行此指令',
    en: 'Permission denied: {path}. Run the command as the user that owns it (the one that runs Haina)',
  },
  cli_disk_full: {
    'zh-CN': '磁盘空间不足，无法写入 {path}',
    'zh-TW': '磁碟空間不足，無法寫入 {path}',
    en: 'No space left on the device to write {path}',
  },
  cli_backup_postgres: {
    'zh-CN':
      '使用 PostgreSQL 时请用 pg_dump 备份：pg_dump -Fc "$DATABASE_URL" > haina.dump（见 README“在 PostgreSQL 上部署”）',
    'zh-TW':
      '使用 PostgreSQL 時請用 pg_dump 備份：pg_dump -Fc "$DATABASE_URL" > haina.dump（見 README「在 PostgreSQL 上部署」）',
    en: 'With PostgreSQL, back up with pg_dump -Fc "$DATABASE_URL" > haina.dump (see README, "Deploying on PostgreSQL")',
  },
  cli_restore_postgres: {
    'zh-CN': '使用 PostgreSQL 时请用 pg_restore 恢复（见 README“在 PostgreSQL 上部署”）',
    'zh-TW': '使用 PostgreSQL 時請用 pg_restore 還原（見 README「在 PostgreSQL 上部署」）',
    en: 'With PostgreSQL, restore with pg_restore (see README, "Deploying on PostgreSQL")',
  },
  cli_out_exists: {
    'zh-CN': '{file} 已存在：请换一个 --out，或加 --force 覆盖',
    'zh-TW': '{file} 已存在：請換一個 --out，或加 --force 覆寫',
    en: '{file} exists already: choose another --out, or add --force to replace it',
  },
  cli_no_directory: {
    'zh-CN': '目录 {dir} 不存在',
    'zh-TW': '目錄 {dir} 不存在',
    en: 'The directory {dir} does not exist',
  },
  cli_not_writable: {
    'zh-CN': '无权写入目录 {dir}',
    'zh-TW': '無權寫入目錄 {dir}',
    en: 'Not allowed to write in {dir}',
  },
  cli_restore_not_empty: {
    'zh-CN': '{dir} 中已有数据库：请恢复到一个空的 HAINA_DATA_DIR',
    'zh-TW': '{dir} 中已有資料庫：請還原到一個空的 HAINA_DATA_DIR',
    en: '{dir} already holds a database; restore into an empty HAINA_DATA_DIR',
  },
  cli_restore_failed: {
    'zh-CN': '{file} 无法恢复（不是海纳备份或已损坏）：{reason}。数据目录保持原样。',
    'zh-TW': '{file} 無法還原（不是海納備份或已損壞）：{reason}。資料目錄保持原樣。',
    en: '{file} could not be restored (not a Haina backup, or damaged): {reason}. The data directory was left as it was.',
  },
  // results
  cli_migrated: {
    'zh-CN': '数据库迁移已完成（{kind}）。',
    'zh-TW': '資料庫遷移已完成（{kind}）。',
    en: 'Migrations applied ({kind} database).',
  },
  cli_workspace_created: {
    'zh-CN': '工作区“{slug}”已创建，管理员 {email}。',
    'zh-TW': '工作區「{slug}」已建立，管理員 {email}。',
    en: 'Workspace "{slug}" created with administrator {email}.',
  },
  cli_admin_name: { 'zh-CN': '系统管理员', 'zh-TW': '系統管理員', en: 'Administrator' },
  cli_user_added: {
    'zh-CN': '已添加用户 {email}，角色 {role}，组织单位 {unit}。',
    'zh-TW': '已新增使用者 {email}，角色 {role}，組織單位 {unit}。',
    en: 'User {email} added with role {role} in {unit}.',
  },
  cli_password_reset: {
    'zh-CN': '{email} 的密码已重置；其会话已结束，锁定已解除。',
    'zh-TW': '{email} 的密碼已重設；其工作階段已結束，鎖定已解除。',
    en: 'Password of {email} reset; their sessions were ended and the lockout cleared.',
  },
  cli_backup_written: {
    'zh-CN': '备份已写入 {file}',
    'zh-TW': '備份已寫入 {file}',
    en: 'Backup written to {file}',
  },
  cli_restored: {
    'zh-CN': '已将 {file} 恢复到 {dir}',
    'zh-TW': '已將 {file} 還原到 {dir}',
    en: 'Restored {file} into {dir}',
  },
  cli_demo_exists: {
    'zh-CN': '演示工作区已存在。',
    'zh-TW': '示範工作區已存在。',
    en: 'The demo workspace exists already.',
  },
  cli_demo_created: {
    'zh-CN':
      '演示工作区已创建，用时 {seconds} 秒：{units} 个组织单位、{users} 位用户、{leads} 条线索、{customers} 个客户、{opportunities} 个商机、{orders} 个订单、{tags} 个标签、{segments} 个人群。',
    'zh-TW':
      '示範工作區已建立，用時 {seconds} 秒：{units} 個組織單位、{users} 位使用者、{leads} 筆線索、{customers} 個客戶、{opportunities} 個商機、{orders} 筆訂單、{tags} 個標籤、{segments} 個人群。',
    en: 'Demo workspace created in {seconds} s: {units} units, {users} users, {leads} leads, {customers} customers, {opportunities} opportunities, {orders} orders, {tags} tags, {segments} segments.',
  },
  cli_demo_sign_in: {
    'zh-CN':
      '登录 {url} —— 工作区“{workspace}”，{email} / {password}（所有演示用户的密码相同，见设置中的“用户”）',
    'zh-TW':
      '登入 {url} —— 工作區「{workspace}」，{email} / {password}（所有示範使用者的密碼相同，見設定中的「使用者」）',
    en: 'Sign in at {url} — workspace "{workspace}", {email} / {password} (every demo user has that password; see "Users" in settings)',
  },
  cli_demo_incomplete: {
    'zh-CN': '演示数据未创建完整：请用空的 HAINA_DATA_DIR（或新的数据库）重新运行 demo。',
    'zh-TW': '示範資料未建立完整：請用空的 HAINA_DATA_DIR（或新的資料庫）重新執行 demo。',
    en: 'The demo data is incomplete: run demo again on an empty HAINA_DATA_DIR (or a new database).',
  },
  cli_import_unmapped: {
    'zh-CN':
      '文件的列（{headers}）都无法对应到姓名、手机、电话、邮箱、公司等字段：请在网页“导入”中设置列对应并保存，再用 --mapping 名称 导入',
    'zh-TW':
      '檔案的欄位（{headers}）都無法對應到姓名、手機、電話、電子郵件、公司等欄位：請在網頁「匯入」中設定欄位對應並儲存，再用 --mapping 名稱 匯入',
    en: 'None of the columns ({headers}) was recognised as a name, mobile, phone, email, company…: map them under "Import" in the web app, save the mapping and pass --mapping NAME',
  },
  cli_import_report: {
    'zh-CN':
      '导入 {id} 已完成：{rows} 行 —— 新建 {created}，合并 {merged}，重复 {duplicate}，待审核 {review}，无效 {invalid}。',
    'zh-TW':
      '匯入 {id} 已完成：{rows} 列 —— 新建 {created}，合併 {merged}，重複 {duplicate}，待審核 {review}，無效 {invalid}。',
    en: 'Import {id} completed: {rows} rows — created {created}, merged {merged}, duplicate {duplicate}, review {review}, invalid {invalid}.',
  },
  cli_import_errors: {
    'zh-CN': '未导入的行：网页“导入”中下载错误文件，或 GET /api/v1/imports/{id}/errors.csv',
    'zh-TW': '未匯入的列：在網頁「匯入」中下載錯誤檔案，或 GET /api/v1/imports/{id}/errors.csv',
    en: 'Rows that did not go in: download the error file under "Import" in the web app, or GET /api/v1/imports/{id}/errors.csv',
  },
  cli_import_failed: {
    'zh-CN': '导入 {id} 失败（{status}）：{error}。可在网页“导入”中查看并重试。',
    'zh-TW': '匯入 {id} 失敗（{status}）：{error}。可在網頁「匯入」中查看並重試。',
    en: 'Import {id} did not complete ({status}): {error}. See and retry it under "Import" in the web app.',
  },
})
