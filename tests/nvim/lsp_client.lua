-- Driven by tests/nvim_test.py: a headless Neovim (0.7, Debian 12's) opens a config with
-- xmc's language server as its client, waits for the diagnostics, applies every quick fix
-- the server offers, and writes what it saw and the buffer afterwards to XMC_RESULT.
local xmc = os.getenv('XMC')
local result_path = os.getenv('XMC_RESULT')
local result = {diagnostics = {}, actions = {}, errors = {}}

local function finish()
  local f = io.open(result_path, 'w')
  f:write(vim.fn.json_encode(result))
  f:close()
  vim.cmd('qa!')
end

local ok, err = pcall(function()
  local buf = vim.api.nvim_get_current_buf()
  local client = vim.lsp.start_client({name = 'xmc', cmd = {xmc, 'lsp'}, root_dir = vim.fn.getcwd()})
  if not client then error('the client did not start') end
  vim.lsp.buf_attach_client(buf, client)
  local got = vim.wait(30000, function() return #vim.diagnostic.get(buf) > 0 end, 50)
  if not got then error('no diagnostics within 30 s') end
  local lsp_diagnostics = {}
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    table.insert(result.diagnostics, {line = d.lnum, col = d.col, code = d.code, severity = d.severity,
                                      message = d.message})
    table.insert(lsp_diagnostics, d.user_data.lsp)
  end
  local params = {
    textDocument = {uri = vim.uri_from_bufnr(buf)},
    range = {start = {line = 0, character = 0}, ['end'] = {line = vim.api.nvim_buf_line_count(buf), character = 0}},
    context = {diagnostics = lsp_diagnostics},
  }
  local replies = vim.lsp.buf_request_sync(buf, 'textDocument/codeAction', params, 10000)
  if not replies then error('no reply to codeAction') end
  for _, reply in pairs(replies) do
    if reply.error then table.insert(result.errors, reply.error.message) end
    for _, action in ipairs(reply.result or {}) do
      table.insert(result.actions, action.title)
      -- one at a time, last first, as a user picks them (each edit leaves the others' ranges)
    end
    for i = #(reply.result or {}), 1, -1 do
      vim.lsp.util.apply_workspace_edit(reply.result[i].edit, 'utf-16')
    end
  end
  result.lines = vim.api.nvim_buf_get_lines(buf, 0, -1, false)
end)
if not ok then table.insert(result.errors, tostring(err)) end
finish()
