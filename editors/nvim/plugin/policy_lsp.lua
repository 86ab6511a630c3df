-- Commands, available as soon as the plugin is on 'runtimepath' (with or without setup()):
--   :PolicyLspRule [NAME]   a rule's documentation (default: the diagnostic under the cursor)
--   :PolicyLspRestart       restart the policy-lsp clients
if vim.g.loaded_policy_lsp then
  return
end
vim.g.loaded_policy_lsp = true
require('policy_lsp').create_commands()
