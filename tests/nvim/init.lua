-- A minimal Neovim init that checks policy-lsp in a real editor. Run by tests/nvim.rs as
--
--   nvim --headless -n -i NONE --noplugin -u tests/nvim/init.lua
--
-- with, in the environment:
--   POLICY_LSP_BIN          the server binary (started as `BIN serve`)
--   POLICY_LSP_DRAFT        the draft to open (absolute path)
--   POLICY_LSP_OUT          where to write what Neovim received, as JSON
--   POLICY_LSP_DIAGNOSTICS  how many diagnostics to wait for
--   POLICY_LSP_HOVER        "line,column" (0-based; the line's prefix is ASCII, so the column
--                           is the same in every position encoding)
--   POLICY_LSP_IGNORE       the rule whose "Ignore RULE here" code action to apply
--   POLICY_LSP_TIMEOUT_MS   how long to wait for each step
--
-- It only records; the Rust test judges. Works on Neovim 0.7 (`vim.lsp.start_client`) and
-- 0.8+ (`vim.lsp.start`).

local function env(name, default)
  local value = os.getenv(name)
  if value == nil or value == '' then
    return default
  end
  return value
end

local bin = env('POLICY_LSP_BIN')
local draft = env('POLICY_LSP_DRAFT')
local out_path = env('POLICY_LSP_OUT', 'nvim-result.json')
local wanted_diagnostics = tonumber(env('POLICY_LSP_DIAGNOSTICS', '1'))
local hover_line, hover_col = env('POLICY_LSP_HOVER', '0,0'):match('(%d+),(%d+)')
local ignore_rule = env('POLICY_LSP_IGNORE', '')
local timeout = tonumber(env('POLICY_LSP_TIMEOUT_MS', '20000'))

local v = vim.version()
local R = {
  nvim = string.format('%d.%d.%d', v.major, v.minor, v.patch),
  api = vim.lsp.start and 'vim.lsp.start' or 'vim.lsp.start_client',
  errors = {},
  diagnostics = {},
  symbols = {},
  actions = {},
}

local function fail(message)
  table.insert(R.errors, message)
end

local function finish()
  local file = io.open(out_path, 'w')
  file:write(vim.fn.json_encode(R))
  file:close()
  vim.cmd('qall!')
end

local function diagnostics_of(bufnr)
  local found = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    local lsp = (d.user_data and d.user_data.lsp) or {}
    table.insert(found, {
      line = d.lnum,
      col = d.col,
      end_line = d.end_lnum,
      end_col = d.end_col,
      code = d.code or lsp.code,
      source = d.source,
      severity = d.severity,
      message = d.message,
    })
  end
  table.sort(found, function(a, b)
    return a.line < b.line or (a.line == b.line and a.col < b.col)
  end)
  return found
end

-- One request, answered by our one client; records the error if there is one.
local function request(bufnr, method, params)
  local answers, err = vim.lsp.buf_request_sync(bufnr, method, params, timeout)
  if answers == nil then
    fail(method .. ': ' .. tostring(err or 'timed out'))
    return nil
  end
  for _, answer in pairs(answers) do
    if answer.err then
      fail(method .. ': ' .. vim.inspect(answer.err))
    elseif answer.result ~= nil and answer.result ~= vim.NIL then
      return answer.result
    end
  end
  return nil
end

local function hover_text(contents)
  if contents == nil or contents == vim.NIL then
    return nil
  end
  if type(contents) == 'string' then
    return contents
  end
  if contents.value ~= nil then
    return contents.value
  end
  local parts = {}
  for _, part in ipairs(contents) do
    table.insert(parts, hover_text(part))
  end
  return table.concat(parts, '\n')
end

-- The LSP position of a byte column, in the client's encoding (for Neovim 0.7, whose
-- `vim.str_utfindex(line, col)` returns the UTF-32 and UTF-16 columns).
local function lsp_position(client, bufnr, line, col)
  if client.offset_encoding == 'utf-8' then
    return { line = line, character = col }
  end
  local text = vim.api.nvim_buf_get_lines(bufnr, line, line + 1, false)[1] or ''
  local utf32, utf16 = vim.str_utfindex(text, col)
  return { line = line, character = client.offset_encoding == 'utf-32' and utf32 or utf16 }
end

local function add_symbols(list, depth)
  for _, s in ipairs(list or {}) do
    table.insert(R.symbols, { name = s.name, detail = s.detail, depth = depth })
    add_symbols(s.children, depth + 1)
  end
end

local function run()
  vim.cmd('edit ' .. vim.fn.fnameescape(draft))
  local bufnr = vim.api.nvim_get_current_buf()
  vim.api.nvim_buf_set_option(bufnr, 'filetype', 'markdown')
  R.fileformat = vim.api.nvim_buf_get_option(bufnr, 'fileformat')

  local exit = nil
  local config = {
    name = 'policy-lsp',
    cmd = { bin, 'serve' },
    root_dir = vim.fn.fnamemodify(draft, ':p:h'),
    on_exit = function(code, signal)
      exit = { code = code, signal = signal }
    end,
  }
  local client_id
  if vim.lsp.start then
    client_id = vim.lsp.start(config, { bufnr = bufnr })
  else
    client_id = vim.lsp.start_client(config)
    if client_id then
      vim.lsp.buf_attach_client(bufnr, client_id)
    end
  end
  if not client_id then
    fail('the client did not start')
    return
  end
  local client
  local ready = vim.wait(timeout, function()
    client = vim.lsp.get_client_by_id(client_id)
    return client ~= nil and client.server_capabilities ~= nil
      and next(client.server_capabilities) ~= nil
  end, 20)
  if not ready then
    fail('the server did not initialize (exit: ' .. vim.inspect(exit) .. ')')
    return
  end
  R.server = client.server_info
  R.offset_encoding = client.offset_encoding
  R.hover_provider = client.server_capabilities.hoverProvider and true or false

  -- Diagnostics, pushed after didOpen.
  if not vim.wait(timeout, function()
    return #vim.diagnostic.get(bufnr) >= wanted_diagnostics
  end, 20) then
    fail('timed out waiting for ' .. wanted_diagnostics .. ' diagnostics')
  end
  R.diagnostics = diagnostics_of(bufnr)

  local uri = vim.uri_from_bufnr(bufnr)
  local document = { uri = uri }

  -- Hover, if the server offers it.
  if R.hover_provider then
    local hover = request(bufnr, 'textDocument/hover', {
      textDocument = document,
      position = { line = tonumber(hover_line), character = tonumber(hover_col) },
    })
    R.hover = hover and hover_text(hover.contents) or nil
  end

  -- The outline.
  add_symbols(request(bufnr, 'textDocument/documentSymbol', { textDocument = document }), 0)

  -- A code action, applied the way Neovim applies it.
  local target = nil
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    local lsp = (d.user_data and d.user_data.lsp) or {}
    if (d.code or lsp.code) == ignore_rule then
      target = {
        -- Neovim 0.7 keeps only part of the LSP diagnostic: rebuild its range.
        range = lsp.range or {
          start = lsp_position(client, bufnr, d.lnum, d.col),
          ['end'] = lsp_position(client, bufnr, d.end_lnum, d.end_col),
        },
        code = ignore_rule,
        message = d.message,
        severity = d.severity,
        source = d.source,
      }
    end
  end
  if target == nil then
    fail('no ' .. ignore_rule .. ' diagnostic')
  else
    local actions = request(bufnr, 'textDocument/codeAction', {
      textDocument = document,
      range = target.range,
      context = { diagnostics = { target } },
    }) or {}
    local chosen = nil
    for _, action in ipairs(actions) do
      table.insert(R.actions, action.title)
      if action.title == 'Ignore ' .. ignore_rule .. ' here' then
        chosen = action
      end
    end
    if chosen == nil then
      fail('no "Ignore ' .. ignore_rule .. ' here" action')
    else
      vim.lsp.util.apply_workspace_edit(chosen.edit, client.offset_encoding)
      R.lines_after = vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)
      -- The edit reaches the server as didChange; the finding goes away.
      vim.wait(timeout, function()
        return #vim.diagnostic.get(bufnr) < #R.diagnostics
      end, 20)
      R.diagnostics_after = diagnostics_of(bufnr)
    end
  end

  vim.lsp.stop_client(client_id)
  if not vim.wait(timeout, function() return exit ~= nil end, 20) then
    fail('the server did not exit after shutdown')
  end
  R.exit = exit
end

vim.api.nvim_create_autocmd('VimEnter', {
  once = true,
  callback = function()
    vim.schedule(function()
      local ok, err = pcall(run)
      if not ok then
        fail('error: ' .. tostring(err))
      end
      finish()
    end)
  end,
})
