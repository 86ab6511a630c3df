-- policy-lsp for Neovim: starts `policy-lsp serve` for markdown and text buffers.
--
--   require('policy_lsp').setup({
--     cmd = { 'policy-lsp', 'serve' },          -- or an absolute path to the binary
--     filetypes = { 'markdown', 'text' },
--     root_markers = { 'policy-lsp.toml', '.git' },
--     settings = { policyLsp = { rules = { ['relative-date'] = 'off' } } },
--     on_attach = function(client, bufnr) end,
--     capabilities = nil,                        -- e.g. require('cmp_nvim_lsp').default_capabilities()
--   })
--
-- Neovim 0.11+: `vim.lsp.config` + `vim.lsp.enable`; 0.8-0.10: `vim.lsp.start` from a FileType
-- autocommand; 0.7: `vim.lsp.start_client` + `vim.lsp.buf_attach_client`, one client per root.
-- The settings mirror policy-lsp.toml (see the repository README); they reach the server as
-- `initializationOptions`, `workspace/didChangeConfiguration` and answers to
-- `workspace/configuration`. A `policy-lsp.toml` in the workspace wins over them.
local M = {}

M.name = 'policy_lsp'

local defaults = {
  cmd = { 'policy-lsp', 'serve' },
  filetypes = { 'markdown', 'text' },
  root_markers = { 'policy-lsp.toml', '.git' },
  settings = {},
  on_attach = nil,
  capabilities = nil,
  autostart = true,
  -- Which client API to use: 'auto' (the newest this Neovim has), 'config' (0.11+),
  -- 'start' (0.8+) or 'start_client' (0.7+). For testing and troubleshooting.
  api = 'auto',
}

-- Keys whose values are lists; every other table in the settings is a JSON object, and must
-- stay one when empty (Neovim encodes an empty Lua table as `[]`).
local LIST_KEYS = { currencies = true, units = true, speechVerbs = true, speech_verbs = true, files = true }

local function normalize(value, key)
  if type(value) ~= 'table' or value == vim.NIL then
    return value
  end
  if next(value) == nil then
    return LIST_KEYS[key] and {} or vim.empty_dict()
  end
  local out = {}
  for k, v in pairs(value) do
    out[k] = normalize(v, k)
  end
  return out
end

--- The settings as sent: `{ policyLsp = {...} }` (a bare `{ rules = ... }` is put under it).
function M.settings(settings)
  settings = settings or {}
  if settings.policyLsp == nil and (settings.rules or settings.vocabulary or settings.glossary) then
    settings = { policyLsp = settings }
  end
  if next(settings) == nil then
    return {}
  end
  return normalize(settings)
end

local uv = vim.uv or vim.loop

--- The nearest directory at or above `path` holding one of `markers` (in order of preference:
--- the nearest `policy-lsp.toml` wins over an outer `.git`, and over a nearer one too).
function M.find_root(path, markers)
  local dir = path
  local stat = dir and uv.fs_stat(dir)
  if not stat or stat.type ~= 'directory' then
    dir = dir and vim.fn.fnamemodify(dir, ':h') or nil
  end
  if not dir or dir == '' or dir == '.' then
    dir = uv.cwd()
  end
  for _, marker in ipairs(markers) do
    local d = dir
    while d do
      if uv.fs_stat(d .. '/' .. marker) then
        return d
      end
      local parent = vim.fn.fnamemodify(d, ':h')
      if parent == d then
        break
      end
      d = parent
    end
  end
  return nil
end

local call -- below

local warned = false
local function check_cmd(cmd)
  if type(cmd) ~= 'table' or vim.fn.executable(cmd[1]) == 1 then
    return true
  end
  if not warned then
    warned = true
    vim.notify(
      ('policy-lsp: `%s` was not found. Install it with `cargo install --path .` in a clone of '
        .. 'policy-lsp (or put a release binary on PATH), or pass cmd = { "/path/to/policy-lsp", '
        .. '"serve" } to require("policy_lsp").setup().'):format(cmd[1]),
      vim.log.levels.ERROR
    )
  end
  return false
end

--- The client configuration for a root directory (or none, for 0.11's root_markers).
function M.client_config(opts, root_dir)
  local settings = M.settings(opts.settings)
  local config = {
    name = 'policy-lsp',
    cmd = opts.cmd,
    root_dir = root_dir,
    settings = settings,
    init_options = settings,
    on_attach = opts.on_attach,
    capabilities = opts.capabilities,
  }
  if root_dir then
    config.workspace_folders = { { uri = vim.uri_from_fname(root_dir), name = root_dir } }
  end
  return config
end

local function buffer_root(bufnr, opts)
  local name = vim.api.nvim_buf_get_name(bufnr)
  if name == '' then
    return uv.cwd()
  end
  local path = vim.fn.fnamemodify(name, ':p')
  return M.find_root(path, opts.root_markers) or vim.fn.fnamemodify(path, ':h')
end

-- 0.7: one client per root, attached to each buffer under it.
local clients_by_root = {}

local function start_legacy(bufnr, opts)
  if not check_cmd(opts.cmd) then
    return
  end
  local root = buffer_root(bufnr, opts)
  local id = clients_by_root[root]
  if id == nil or vim.lsp.get_client_by_id(id) == nil or vim.lsp.client_is_stopped(id) then
    id = vim.lsp.start_client(M.client_config(opts, root))
    if not id then
      return
    end
    clients_by_root[root] = id
  end
  vim.lsp.buf_attach_client(bufnr, id)
  return id
end

local function start(bufnr, opts)
  if not check_cmd(opts.cmd) then
    return
  end
  return vim.lsp.start(M.client_config(opts, buffer_root(bufnr, opts)), { bufnr = bufnr })
end

--- Starts (or reuses) the client for a buffer, whatever the Neovim version. Returns its id.
function M.start(bufnr, opts)
  opts = vim.tbl_deep_extend('force', defaults, M.options or {}, opts or {})
  bufnr = (bufnr == nil or bufnr == 0) and vim.api.nvim_get_current_buf() or bufnr
  if vim.lsp.start and opts.api ~= 'start_client' then
    return start(bufnr, opts)
  end
  return start_legacy(bufnr, opts)
end

function M.setup(opts)
  opts = vim.tbl_deep_extend('force', defaults, opts or {})
  M.options = opts
  local has_config = vim.lsp.config ~= nil and vim.lsp.enable ~= nil and type(vim.lsp.config) == 'table'
  if opts.api == 'config' and not has_config then
    error('policy_lsp: api = "config" needs Neovim 0.11+')
  end
  if has_config and (opts.api == 'auto' or opts.api == 'config') then
    -- 0.11+: merged over lsp/policy_lsp.lua from the runtime path.
    vim.lsp.config(M.name, {
      cmd = opts.cmd,
      filetypes = opts.filetypes,
      root_markers = opts.root_markers,
      settings = M.settings(opts.settings),
      init_options = M.settings(opts.settings),
      on_attach = opts.on_attach,
      capabilities = opts.capabilities,
    })
    if opts.autostart and check_cmd(opts.cmd) then
      vim.lsp.enable(M.name)
    end
  elseif opts.autostart then
    local group = vim.api.nvim_create_augroup('policy_lsp', { clear = true })
    vim.api.nvim_create_autocmd('FileType', {
      group = group,
      pattern = opts.filetypes,
      callback = function(args)
        M.start(args.buf)
      end,
    })
    -- Buffers already open when setup() runs.
    for _, buf in ipairs(vim.api.nvim_list_bufs()) do
      if vim.api.nvim_buf_is_loaded(buf) and vim.tbl_contains(opts.filetypes, vim.bo[buf].filetype) then
        M.start(buf)
      end
    end
  end
  M.create_commands()
end

--- Sends new settings to every running policy-lsp client (`workspace/didChangeConfiguration`).
function M.set_settings(settings)
  M.options = M.options or vim.deepcopy(defaults)
  M.options.settings = settings
  local sent = M.settings(settings)
  for _, client in ipairs(M.clients()) do
    client.config.settings = sent
    call(client, 'notify', 'workspace/didChangeConfiguration', { settings = sent })
    -- A client that pulls diagnostics (0.12+) but cannot be told to pull again
    -- (no workspace/diagnostic/refresh support) would keep the old findings until the
    -- next edit: pull for its buffers now.
    if client.server_capabilities and client.server_capabilities.diagnosticProvider
      and vim.lsp.get_buffers_by_client_id then
      for _, bufnr in ipairs(vim.lsp.get_buffers_by_client_id(client.id)) do
        call(client, 'request', 'textDocument/diagnostic',
          { textDocument = { uri = vim.uri_from_bufnr(bufnr) } }, nil, bufnr)
      end
    end
  end
end

-- Client methods: `client:method()` from 0.11 on, `client.method()` before.
call = function(client, method, ...)
  if vim.fn.has('nvim-0.11') == 1 then
    return client[method](client, ...)
  end
  return client[method](...)
end

function M.clients(bufnr)
  local get = vim.lsp.get_clients or vim.lsp.get_active_clients
  local found = {}
  for _, client in ipairs(get(bufnr and { bufnr = bufnr } or nil) or {}) do
    if client.name == 'policy-lsp' or client.name == M.name then
      table.insert(found, client)
    end
  end
  return found
end

--- The rule of the policy-lsp diagnostic under the cursor, if any.
function M.rule_under_cursor()
  local line, col = unpack(vim.api.nvim_win_get_cursor(0))
  line = line - 1
  local best
  for _, d in ipairs(vim.diagnostic.get(0, { lnum = line })) do
    local lsp = (d.user_data and d.user_data.lsp) or {}
    local code = d.code or lsp.code
    if code and (d.source == 'policy-lsp' or d.source == nil) then
      local inside = d.col <= col and (d.end_lnum > line or col < math.max(d.end_col, d.col + 1))
      if inside or best == nil then
        best = code
      end
    end
  end
  return best
end

--- `policy-lsp rule NAME` in a read-only scratch buffer (NAME: the diagnostic under the cursor).
function M.show_rule(name)
  name = (name ~= nil and name ~= '') and name or M.rule_under_cursor()
  -- The binary of a running client (vim.lsp.config users never call setup()), else setup()'s.
  local client = M.clients(0)[1] or M.clients()[1]
  local cmd = client and client.config.cmd or (M.options or defaults).cmd
  local bin = type(cmd) == 'table' and cmd[1] or 'policy-lsp'
  if vim.fn.executable(bin) ~= 1 then
    vim.notify(('policy-lsp: `%s` is not executable'):format(bin), vim.log.levels.ERROR)
    return
  end
  local args = { bin, 'rule' }
  if name then
    table.insert(args, name)
  end
  local output = vim.fn.systemlist(args)
  local buf = vim.api.nvim_create_buf(false, true)
  vim.api.nvim_buf_set_lines(buf, 0, -1, false, output)
  vim.bo[buf].filetype = 'markdown'
  vim.bo[buf].modifiable = false
  vim.bo[buf].bufhidden = 'wipe'
  vim.cmd('split')
  vim.api.nvim_win_set_buf(0, buf)
  pcall(vim.api.nvim_buf_set_name, buf, 'policy-lsp://rule/' .. (name or 'rules'))
  return buf
end

function M.create_commands()
  vim.api.nvim_create_user_command('PolicyLspRule', function(args)
    M.show_rule(args.args)
  end, { nargs = '?', desc = 'policy-lsp: show a rule\'s documentation (default: the diagnostic under the cursor)' })
  vim.api.nvim_create_user_command('PolicyLspRestart', function()
    for _, client in ipairs(M.clients()) do
      local bufs = vim.lsp.get_buffers_by_client_id and vim.lsp.get_buffers_by_client_id(client.id) or {}
      call(client, 'stop')
      vim.defer_fn(function()
        for _, b in ipairs(bufs) do
          if vim.api.nvim_buf_is_valid(b) then
            M.start(b)
          end
        end
      end, 500)
    end
  end, { desc = 'policy-lsp: restart the server' })
end

return M
