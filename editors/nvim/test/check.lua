-- Headless test of the policy-lsp Neovim plugin, run by run.sh as
--
--   nvim --headless --clean -n -i NONE -c 'luafile check.lua'
--
-- Environment: PLUGIN_DIR (editors/nvim), POLICY_LSP_BIN, PROJECT (a copy of
-- fixtures/project inside a folder holding .git), OUT (JSON result), MODE:
--   setup   require('policy_lsp').setup({...}) with settings (every Neovim);
--   enable  vim.lsp.enable('policy_lsp') and the runtime lsp/policy_lsp.lua (0.11+).
-- Checks: the client starts for markdown and text buffers with the root that holds
-- policy-lsp.toml (not the outer .git), diagnostics with their rule codes, settings passed
-- through (a rule switched off, then on again with set_settings), a hover with the workspace
-- glossary, document symbols, a code action applied, :PolicyLspRule. Exits 1 on any failure.
local function env(name)
  local v = os.getenv(name)
  assert(v and v ~= '', name .. ' is not set')
  return v
end
local plugin_dir, bin, project, out_path = env('PLUGIN_DIR'), env('POLICY_LSP_BIN'), env('PROJECT'), env('OUT')
local mode = os.getenv('MODE') or 'setup'
local timeout = tonumber(os.getenv('TIMEOUT_MS') or '20000')

local v = vim.version()
local R = { nvim = ('%d.%d.%d'):format(v.major, v.minor, v.patch), mode = mode, failures = {}, passed = {} }
local function fail(msg) table.insert(R.failures, msg) end
local function ok(msg) table.insert(R.passed, msg) end
local function expect(cond, msg) if cond then ok(msg) else fail(msg) end return cond end

local function finish()
  local f = io.open(out_path, 'w')
  f:write(vim.fn.json_encode(R))
  f:close()
  if #R.failures == 0 then vim.cmd('qall!') else vim.cmd('cquit! 1') end
end

local function codes(bufnr)
  local found = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    local lsp = (d.user_data and d.user_data.lsp) or {}
    table.insert(found, ('%s@%d:%d'):format(tostring(d.code or lsp.code), d.lnum + 1, d.col + 1))
  end
  table.sort(found)
  return found
end

local function has_code(bufnr, code)
  for _, c in ipairs(codes(bufnr)) do
    if c:find(code, 1, true) == 1 then return true end
  end
  return false
end

local function request(bufnr, method, params)
  local answers = vim.lsp.buf_request_sync(bufnr, method, params, timeout)
  for _, answer in pairs(answers or {}) do
    if answer.err then fail(method .. ': ' .. vim.inspect(answer.err)) end
    if answer.result ~= nil and answer.result ~= vim.NIL then return answer.result end
  end
  return nil
end

local function hover_text(c)
  if c == nil or c == vim.NIL then return '' end
  if type(c) == 'string' then return c end
  if c.value ~= nil then return c.value end
  local parts = {}
  for _, x in ipairs(c) do table.insert(parts, hover_text(x)) end
  return table.concat(parts, '\n')
end

local function run()
  vim.opt.runtimepath:prepend(plugin_dir)
  -- What a plugin manager does after adding the plugin to 'runtimepath'.
  vim.cmd('runtime! plugin/policy_lsp.lua')
  local plugin = require('policy_lsp')
  if mode == 'enable' then
    if not (vim.lsp.config and vim.lsp.enable) then
      fail('MODE=enable needs Neovim 0.11+')
      return
    end
    -- lsp/policy_lsp.lua supplies everything but the binary's path.
    vim.lsp.config('policy_lsp', { cmd = { bin, 'serve' } })
    vim.lsp.enable('policy_lsp')
  else
    plugin.setup({
      api = os.getenv('API') or 'auto',
      cmd = { bin, 'serve' },
      settings = { policyLsp = { rules = { ['relative-date'] = 'off' }, vocabulary = {}, glossary = { terms = {} } } },
    })
  end
  local api = plugin.options and plugin.options.api or 'auto'
  if api == 'auto' then
    api = (vim.lsp.config and vim.lsp.enable) and 'config' or vim.lsp.start and 'start' or 'start_client'
  end
  R.api = mode == 'enable' and 'vim.lsp.enable + lsp/policy_lsp.lua' or ('vim.lsp.' .. api)

  local draft = project .. '/drafts/draft.md'
  vim.cmd('edit ' .. vim.fn.fnameescape(draft))
  local buf = vim.api.nvim_get_current_buf()
  expect(vim.bo[buf].filetype == 'markdown', 'draft.md has filetype markdown')
  local client
  if not vim.wait(timeout, function()
    client = plugin.clients(buf)[1]
    return client ~= nil and client.initialized ~= false and client.server_capabilities ~= nil
      and next(client.server_capabilities) ~= nil
  end, 20) then
    fail('no policy-lsp client attached to draft.md')
    return
  end
  ok('client ' .. client.name .. ' attached to draft.md')
  R.root_dir = client.config.root_dir
  expect(R.root_dir == project, 'root_dir is the folder with policy-lsp.toml: ' .. tostring(R.root_dir))

  -- Diagnostics, with rule codes; relative-date is off in the settings (setup mode).
  local want = { 'broken-cross-reference@17:23', 'encoding-artifact@11:16', 'figure-without-unit@10:24', 'undefined-acronym@12:5' }
  local got = vim.wait(timeout, function()
    for _, w in ipairs(want) do
      if not vim.tbl_contains(codes(buf), w) then return false end
    end
    return true
  end, 20)
  R.diagnostics = codes(buf)
  expect(got, 'diagnostics ' .. table.concat(want, ' '))
  if mode == 'setup' then
    vim.wait(300)
    expect(not has_code(buf, 'relative-date'), 'settings: relative-date is off')
    plugin.set_settings({ policyLsp = { rules = { ['relative-date'] = 'warning' } } })
    expect(vim.wait(timeout, function() return has_code(buf, 'relative-date@13:29') end, 20),
      'set_settings: relative-date comes back (didChangeConfiguration)')
  else
    expect(vim.wait(timeout, function() return has_code(buf, 'relative-date@13:29') end, 20),
      'relative-date at its default severity')
  end
  R.diagnostics_after_settings = codes(buf)

  -- Hover: the draft's own definition, and the workspace glossary from policy-lsp.toml.
  local doc = { uri = vim.uri_from_bufnr(buf) }
  local hover = request(buf, 'textDocument/hover', { textDocument = doc, position = { line = 5, character = 32 } })
  R.hover = hover and hover_text(hover.contents) or ''
  expect(R.hover:find('shared logistics yard', 1, true) ~= nil, 'hover on "harbour hub" shows its definition')
  hover = request(buf, 'textDocument/hover', { textDocument = doc, position = { line = 5, character = 11 } })
  R.hover_glossary = hover and hover_text(hover.contents) or ''
  expect(R.hover_glossary:find('where a ship is moored', 1, true) ~= nil, 'hover on "berth" shows the policy-lsp.toml glossary')

  -- Document symbols.
  local names = {}
  local function walk(list, depth)
    for _, s in ipairs(list or {}) do
      table.insert(names, ('%s%s'):format(('  '):rep(depth), s.name))
      walk(s.children, depth + 1)
    end
  end
  walk(request(buf, 'textDocument/documentSymbol', { textDocument = doc }), 0)
  R.symbols = names
  expect(vim.deep_equal(names, { 'Harbour Renewal Strategy', '  1. Purpose', '  2. Findings', '    2.1 Funding' }),
    'document symbols: the sections')

  -- A code action: the encoding-artifact fix, applied.
  local target
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    local lsp = (d.user_data and d.user_data.lsp) or {}
    if (d.code or lsp.code) == 'encoding-artifact' then
      target = lsp.range and lsp or {
        range = { start = { line = d.lnum, character = d.col }, ['end'] = { line = d.end_lnum, character = d.end_col } },
        code = 'encoding-artifact', message = d.message, severity = d.severity, source = d.source,
      }
    end
  end
  local actions = target and request(buf, 'textDocument/codeAction', {
    textDocument = doc, range = target.range, context = { diagnostics = { target } },
  }) or {}
  R.actions = {}
  local chosen
  for _, a in ipairs(actions) do
    table.insert(R.actions, a.title)
    if a.title == 'Replace `?` with `—`' then chosen = a end
  end
  if expect(chosen ~= nil, 'code action "Replace `?` with `—`" offered') then
    vim.lsp.util.apply_workspace_edit(chosen.edit, client.offset_encoding or 'utf-16')
    local line = vim.api.nvim_buf_get_lines(buf, 10, 11, false)[1]
    expect(line == 'Growth clusters—concentrated around the old ferry terminal.', 'code action applied: ' .. line)
    expect(vim.wait(timeout, function() return not has_code(buf, 'encoding-artifact') end, 20),
      'the encoding-artifact finding goes away')
  end

  -- :PolicyLspRule on the diagnostic under the cursor.
  vim.api.nvim_win_set_cursor(0, { 10, 24 })
  vim.cmd('PolicyLspRule')
  local doc_lines = vim.api.nvim_buf_get_lines(0, 0, 3, false)
  R.rule_doc = doc_lines[1]
  expect((doc_lines[1] or ''):find('figure-without-unit (default severity', 1, true) == 1, ':PolicyLspRule shows the rule under the cursor')
  expect(vim.bo.modifiable == false, ':PolicyLspRule buffer is read-only')
  vim.cmd('close')

  -- A plain-text draft in the same root joins the same client.
  vim.cmd('edit ' .. vim.fn.fnameescape(project .. '/drafts/notes.txt'))
  local txt = vim.api.nvim_get_current_buf()
  expect(vim.bo[txt].filetype == 'text', 'notes.txt has filetype text')
  expect(vim.wait(timeout, function() return has_code(txt, 'figure-without-unit@3:19') end, 20),
    'diagnostics in the text buffer')
  local txt_client = plugin.clients(txt)[1]
  expect(txt_client ~= nil and txt_client.id == client.id, 'the text buffer shares the client')
  R.text_diagnostics = codes(txt)

  local stop = (vim.fn.has('nvim-0.11') == 1) and function() client:stop() end or function() client.stop() end
  stop()
  expect(vim.wait(timeout, function()
    return #plugin.clients() == 0 or (client.is_stopped and client.is_stopped())
  end, 20), 'the client stops')
  R.clients_after_stop = #plugin.clients()
end

vim.schedule(function()
  local okrun, err = pcall(run)
  if not okrun then fail('error: ' .. tostring(err)) end
  finish()
end)
