-- policy-lsp for Neovim 0.11+'s runtime `lsp/` convention: with editors/nvim on 'runtimepath'
-- (any plugin manager does that), `vim.lsp.enable('policy_lsp')` is enough; override fields
-- with `vim.lsp.config('policy_lsp', { ... })` or require('policy_lsp').setup({ ... }).
return {
  cmd = { 'policy-lsp', 'serve' },
  filetypes = { 'markdown', 'text' },
  root_markers = { 'policy-lsp.toml', '.git' },
  -- Mirrors policy-lsp.toml, e.g. { policyLsp = { rules = { ['relative-date'] = 'off' } } }.
  settings = {},
}
