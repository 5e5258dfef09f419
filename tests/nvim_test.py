"""xmc lsp in a real editor: a headless Neovim (Debian 12's 0.7) opens a config with
mistakes, receives xmc's diagnostics at the right lines, applies the quick fixes the
server offers, and the buffer afterwards reads as intended (tests/nvim/lsp_client.lua).
Skips when nvim is not installed."""

import json
import os
import shutil
import subprocess
import sys
import tempfile

import xmtest

TALLY = xmtest.Tally()
check = TALLY.check
LUA = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'nvim', 'lsp_client.lua')


def main():
    nvim = shutil.which('nvim')
    if nvim is None:
        print('SKIP nvim: neovim is not installed (Debian package neovim)')
        return 77
    tmp = tempfile.mkdtemp(prefix='xmc-nvim-')
    try:
        cfg = os.path.join(tmp, 'web1.cfg')
        with open(cfg, 'w') as f:
            f.write("name = 'web1'\nbootloader = '/usr/bin/pygrub'\nmemroy = 512\n"
                    "vif = ['mac=00:16:3e:00:00:01, brige=xenbr0']\non_crash = 'restrat'\n")
        result_path = os.path.join(tmp, 'result.json')
        env = dict(os.environ, XMC=xmtest.XMC, XMC_RESULT=result_path, HOME=tmp, XDG_STATE_HOME=tmp,
                   XDG_DATA_HOME=tmp, XDG_CONFIG_HOME=tmp, XDG_CACHE_HOME=tmp, TMPDIR=tmp)
        p = subprocess.run([nvim, '--headless', '--clean', '-n', cfg, '-c', 'luafile ' + LUA], cwd=tmp, env=env,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=90)
        check(p.returncode == 0, 'nvim ran (status %d): %s' % (p.returncode, p.stderr.decode(errors='replace')[:300]))
        result = json.load(open(result_path)) if os.path.exists(result_path) else {}
        check(not result.get('errors'), 'no errors in the client: %s' % result.get('errors'))
        seen = {(d['line'], d['code']) for d in result.get('diagnostics', [])}
        check((2, 'unknown-variable') in seen, 'memroy reported at line 3: %s' % sorted(seen))
        check(any(line == 3 and code != 'unknown-variable' for line, code in seen), 'brige reported at line 4: %s'
              % sorted(seen))
        check((4, 'bad-value') in seen, 'restrat reported at line 5: %s' % sorted(seen))
        check(sorted(result.get('actions', [])) == ["Replace with 'bridge'", "Replace with 'memory'",
                                                     "Replace with 'restart'"],
              'the quick fixes offered: %s' % result.get('actions'))
        check(result.get('lines') == ["name = 'web1'", "bootloader = '/usr/bin/pygrub'", 'memory = 512',
                                      "vif = ['mac=00:16:3e:00:00:01, bridge=xenbr0']", "on_crash = 'restart'"],
              'the buffer after the fixes: %s' % result.get('lines'))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return TALLY.finish('nvim')


if __name__ == '__main__':
    sys.exit(main())
