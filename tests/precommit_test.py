"""The pre-commit hook of .pre-commit-hooks.yaml, run by the real pre-commit framework
against a scratch git repository: a good config commits, a bad one is refused with xmc's
diagnostic. Uses this source tree's HEAD as the hook repository (so the hook file must be
committed) and the built xmc on PATH."""

import os
import shutil
import subprocess
import sys
import tempfile

import xmtest


def run(cmd, cwd, env):
    p = subprocess.run(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=300)
    return p.returncode, p.stdout.decode('utf-8', 'replace')


def main():
    if shutil.which('pre-commit') is None:
        print('SKIP: pre-commit not installed (Debian package pre-commit; make test installs it)')
        return xmtest.SKIP
    src = xmtest.SOURCE_DIR
    rc, head = run(['git', 'rev-parse', 'HEAD'], src, os.environ)
    rc2, tracked = run(['git', 'ls-files', '.pre-commit-hooks.yaml'], src, os.environ)
    if rc != 0 or not tracked.strip():
        print('SKIP: the source tree is not a git checkout with .pre-commit-hooks.yaml committed')
        return xmtest.SKIP
    tmp = tempfile.mkdtemp(prefix='xmc-precommit-')
    failures = []
    try:
        repo = os.path.join(tmp, 'configs')
        os.makedirs(os.path.join(repo, 'xen'))
        env = dict(os.environ)
        env.update({'PATH': os.path.dirname(xmtest.XMC) + ':' + env.get('PATH', '/usr/bin:/bin'),
                    'PRE_COMMIT_HOME': os.path.join(tmp, 'cache'), 'HOME': tmp,
                    'GIT_AUTHOR_NAME': 'xmc test', 'GIT_AUTHOR_EMAIL': 'xmc@test.invalid',
                    'GIT_COMMITTER_NAME': 'xmc test', 'GIT_COMMITTER_EMAIL': 'xmc@test.invalid'})
        for cmd in (['git', 'init', '-q'], ['git', 'config', 'user.name', 'xmc test'],
                    ['git', 'config', 'user.email', 'xmc@test.invalid']):
            run(cmd, repo, env)
        with open(os.path.join(repo, '.pre-commit-config.yaml'), 'w') as f:
            f.write('repos:\n  - repo: %s\n    rev: %s\n    hooks:\n      - id: xmc-check\n' % (src, head.strip()))
        with open(os.path.join(repo, 'xen', 'good.cfg'), 'w') as f:
            f.write("name = 'good'\nbootloader = '/usr/bin/pygrub'\nmemory = 512\n")
        rc, out = run(['pre-commit', 'install'], repo, env)
        if rc != 0:
            failures.append('pre-commit install failed: ' + out)
        run(['git', 'add', '.'], repo, env)
        rc, out = run(['git', 'commit', '-q', '-m', 'good config'], repo, env)
        if rc != 0:
            failures.append('the good config was refused:\n' + out)
        with open(os.path.join(repo, 'xen', 'bad.cfg'), 'w') as f:
            f.write("name = 'bad'\nbootloader = '/usr/bin/pygrub'\nmemory = 'lots'\n")
        run(['git', 'add', '.'], repo, env)
        rc, out = run(['git', 'commit', '-q', '-m', 'bad config'], repo, env)
        if rc == 0:
            failures.append('the bad config was committed')
        if "xen/bad.cfg:3:10: error: 'memory' should be an integer, found string 'lots'" not in out:
            failures.append("the refusal does not show xmc's diagnostic:\n" + out)
        rc, log = run(['git', 'log', '--oneline'], repo, env)
        if len(log.strip().splitlines()) != 1:
            failures.append('expected exactly the good commit, found:\n' + log)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    for f in failures:
        print('FAIL: ' + f)
    print('pre-commit: %d passed, %d failed' % (4 - len(failures), len(failures)))
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
