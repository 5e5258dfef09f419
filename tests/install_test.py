"""`cmake --install` into a DESTDIR gives a working xmc on its own: the binary, the man
pages generated from the schema and the diagnostic catalogue, the bash completion, the
pre-commit hook file and the Python package. The installed xmc runs both examples in a
mount namespace where an empty tmpfs covers the build tree (nothing of it is in reach, and
the tests running beside this one still see it); the installed Python package compiles a
config (a declarative one: with code, the module uses the worker at the configured
prefix)."""

import os
import shutil
import subprocess
import sys
import tempfile

import xmtest

EXPECTED = ['usr/bin/xmc', 'usr/share/man/man5/xmc-config.5', 'usr/share/bash-completion/completions/xmc',
            'usr/share/xmc/.pre-commit-hooks.yaml', 'usr/share/man/man1/xmc.1', 'usr/libexec/xmc/xmc-eval',
            'usr/lib/systemd/system/xmc-xendomains.service']
PACKAGE = 'usr/lib/python3/dist-packages/xmc'


def main():
    build = os.path.abspath(sys.argv[1])
    hide, why = xmtest.unshare('--mount')
    if hide is None:
        print('SKIP: no mount namespace here to hide the build tree in (%s)' % why)
        return xmtest.SKIP
    # sh -c SCRIPT BUILD XMC ARGS...: the build tree covered, then the installed xmc, with
    # the user's own rights (not the capabilities a user namespace kept for the mount).
    hide += ['sh', '-c', 'mount -t tmpfs xmc-build-hidden "$0" && exec setpriv --ambient-caps=-all "$@"', build]
    tally = xmtest.Tally()
    dest = tempfile.mkdtemp(prefix='xmc-install-')
    try:
        env = dict(os.environ, DESTDIR=dest)
        p = subprocess.run(['cmake', '--install', build, '--prefix', '/usr'], env=env, capture_output=True)
        tally.check(p.returncode == 0, 'cmake --install: ' + p.stderr.decode())
        for f in EXPECTED:
            tally.check(os.path.isfile(os.path.join(dest, f)), 'installed ' + f)
        xmc = os.path.join(dest, 'usr/bin/xmc')
        seen = subprocess.run(hide + ['ls', '-A', build], capture_output=True)
        tally.check(seen.returncode == 0 and seen.stdout == b'',
                    'the build tree is out of reach of the installed xmc: %r %r' % (seen.stdout[:100], seen.stderr))
        examples = os.path.join(xmtest.SOURCE_DIR, 'examples')
        for args, cwd in ((['--root', '../root', 'create', '-n', 'hvm.cfg'], os.path.join(examples, 'hvm')),
                          (['--root', 'examples/root', 'create', '-n', '-q', '--path', 'examples/pv', 'pv.cfg',
                            'vmid=3'], xmtest.SOURCE_DIR)):
            r = subprocess.run(hide + [xmc] + args, cwd=cwd, env=xmtest.REFERENCE_ENV, capture_output=True)
            tally.check(r.returncode == 0 and b'(vm' in r.stdout, 'installed xmc %s: %s' % (' '.join(args), r.stderr))
        v = subprocess.run([xmc, '--version'], capture_output=True)
        tally.check(v.stdout.startswith(b'xmc ') and v.returncode == 0, 'xmc --version')
        man = os.path.join(dest, EXPECTED[1])
        tally.check(open(man, encoding='utf-8').read().startswith('.TH XMC-CONFIG 5'), 'the man page is a man page')
        if shutil.which('man'):
            m = subprocess.run(['man', '-l', man], capture_output=True, env=dict(os.environ, MANPAGER='cat', COLUMNS='80'))
            tally.check(m.returncode == 0 and b'memory' in m.stdout, 'man -l renders xmc-config(5)')
        if os.path.isdir(os.path.join(build, 'python', 'xmc')):
            for f in ('__init__.py', '_xmc.pyi', 'py.typed'):
                tally.check(os.path.isfile(os.path.join(dest, PACKAGE, f)), 'installed %s/%s' % (PACKAGE, f))
            code = ('import xmc; r = xmc.compile(text="name = \'a\'\\nkernel = \'/k\'\\n", host="no"); '
                    'assert r.ok and "name = \\"a\\"" in r.emit("xl"), r.render(); print(xmc.__file__)')
            py = subprocess.run([sys.executable, '-c', code], capture_output=True, cwd=dest,
                                env=dict(os.environ, PYTHONPATH=os.path.join(dest, os.path.dirname(PACKAGE))))
            tally.check(py.returncode == 0 and py.stdout.decode().startswith(os.path.join(dest, PACKAGE)),
                        'the installed Python package imports and compiles: %s' % py.stderr.decode())
        m1 = os.path.join(dest, 'usr/share/man/man1/xmc.1')
        tally.check(open(m1, encoding='utf-8').read().startswith('.\\" xmc(1)'), 'xmc(1) is there')
        bash = subprocess.run(['bash', '-c', 'source "$1" && complete -p xmc', 'x', os.path.join(dest, EXPECTED[2])],
                              capture_output=True)
        tally.check(bash.returncode == 0 and b'_xmc' in bash.stdout, 'the completion loads in bash')
    finally:
        shutil.rmtree(dest, ignore_errors=True)
    return tally.finish('install')


if __name__ == '__main__':
    sys.exit(main())
