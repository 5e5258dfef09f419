#!/usr/bin/env python3
"""The host broker cannot be turned against the user running xmc (issue 20, item 2).

A config's code asks xmc about the machine (stat, read a file, list a directory, the
environment). Each case below builds files in a fresh temporary directory, with a token
drawn for this run in what must stay hidden, and asserts what a config gets:

  walk         `xmc check TREE` where TREE/xen/x.cfg is a symlink to a private file
               outside the tree: skipped with a note, never read (its first line is not
               echoed in a syntax error); an auto/ link into the tree still works;
  private-dir  a world-readable file inside a 0700 directory outside the tree (a dotfile
               in a private home): refused, and exists() is False for it;
  own-tree     a repository under a 0700 home, checked as a tree and as one file: its
               config reads a 0600 sibling and tests for it, getting xm's answers;
  service      the Python module used from '/' on a text: '/' is never the user's own;
  kernel-views /proc/kallsyms, /proc/self/maps and environ, /proc/1/cmdline and /sys
               beyond the allow-list are refused; /proc/cpuinfo is read;
  flip         a symlink in the tree flipped by another process between a public file
               and a private one outside the tree while the config reads it 5,000 times:
               the private file is never returned (and both outcomes were seen, so the
               flipping really raced the reads);
  environ      a secret-looking variable in xmc's environment is not in os.environ, a
               config that asks for it gets an env-withheld note, --pass-env passes it;
  root         under --root, a config's relative paths and os.getcwd() are inside the
               root, from the current directory as seen there ("/" when it is outside).

The configs report what they saw in a ValueError ('R:...'), which xmc quotes. Run as root,
the test runs again as an unprivileged user (nobody) where it can; the cases are the
same, the files then being that user's own.

Usage: broker_test.py [--keep] [--once] (--once: not again as nobody)."""

import argparse
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import threading

import xmtest

TOKEN = secrets.token_hex(8)


def write(path, text, mode=0o644):
    xmtest.write_text(path, text)
    os.chmod(path, mode)


def xmc(args, cwd=None, env=None, timeout=120):
    return xmtest.run_xmc(['--frontend', 'python'] + args, cwd=cwd, env=env, timeout=timeout)


def reported(out):
    """What the config reported ('R:...' in the python-error diagnostic), or None."""
    m = re.search(r"ValueError: R:(.*?) \[python-error\]", out)
    return m.group(1) if m else None


def reader(paths):
    """A config that tries each path and reports 'text-or-errnoN exists' for each."""
    return ("import os\nname = 'reader'\nmemory = 64\nbootloader = '/usr/bin/pygrub'\nr = []\n"
            "for p in %r:\n"
            "    try:\n        r.append(open(p).read().strip()[:60])\n"
            "    except IOError as e:\n        r.append('errno%%d' %% e.errno)\n"
            "    r.append(str(os.path.exists(p)))\n"
            "raise ValueError('R:' + '|'.join(r))\n" % (paths,))


def case_walk(tmp, tally):
    secret = os.path.join(tmp, 'outside', 'shadow')
    write(secret, 'SECRET-WALK-%s: not python\n' % TOKEN, 0o600)
    tree = os.path.join(tmp, 'tree')
    write(os.path.join(tree, 'xen', 'web.cfg'), "name = 'web'\nmemory = 64\nbootloader = '/usr/bin/pygrub'\n")
    os.symlink(secret, os.path.join(tree, 'xen', 'x.cfg'))
    os.makedirs(os.path.join(tree, 'xen', 'auto'))
    os.symlink('../web.cfg', os.path.join(tree, 'xen', 'auto', 'web'))
    rc, out, err = xmc(['check', tree])
    tally.check(TOKEN not in out + err, 'walk: the file outside the tree is not read (%r)' % (out + err)[-400:])
    tally.check(re.search(r"x\.cfg.*a link to a file outside the tree.*\[skipped-file\]", out + err),
                'walk: the link is skipped with a note')
    tally.check('1 file checked' in out + err and 'auto/web' not in out + err,
                'walk: web.cfg checked once, its auto/ link into the tree followed quietly (%r)' % (out + err)[-300:])


def case_private_dir(tmp, tally):
    private = os.path.join(tmp, 'home')
    dotfile = os.path.join(private, '.netrc')
    write(dotfile, 'PRIVATE-DIR-%s\n' % TOKEN, 0o644)
    os.chmod(private, 0o700)
    cfg = os.path.join(tmp, 'tree', 'xen', 'p.cfg')
    write(cfg, reader([dotfile, os.path.join(private, 'missing')]))
    rc, out, err = xmc(['check', os.path.join(tmp, 'tree')])
    got = reported(out + err)
    tally.check(TOKEN not in out + err, 'private-dir: a file in a 0700 directory outside the tree is not read')
    tally.check(got == 'errno13|False|errno13|False',
                'private-dir: refused, and neither it nor a missing neighbour is said to exist (%r)' % got)


def case_own_tree(tmp, tally):
    home = os.path.join(tmp, 'home')
    repo = os.path.join(home, 'repo')
    sibling = os.path.join(repo, 'xen', 'disk.img')
    other = os.path.join(repo, 'images', 'base.img')
    write(sibling, 'SIBLING\n', 0o600)
    write(other, 'OTHER\n', 0o600)
    write(os.path.join(home, '.bashrc'), 'HOME-DOTFILE-%s\n' % TOKEN, 0o644)
    cfg = os.path.join(repo, 'xen', 's.cfg')
    write(cfg, reader([sibling, other, os.path.join(home, '.bashrc')]))
    os.chmod(home, 0o700)
    rc, out, err = xmc(['check', repo])
    got = reported(out + err)
    tally.check(got == 'SIBLING|True|OTHER|True|errno13|False',
                'own-tree: checked as a tree, its files are the user\'s; the home around it is not (%r)' % got)
    rc, out, err = xmc(['check', cfg])
    got = reported(out + err)
    tally.check(got == 'SIBLING|True|errno13|True|errno13|False',
                'own-tree: checked as one file, its own directory is the user\'s (%r)' % got)
    tally.check(TOKEN not in out + err, 'own-tree: the home\'s dotfile is not read')


def case_service(tmp, tally):
    """A program using the Python module from '/' (a service's current directory) on a
    text with a relative name: its own directory would be '/', which is never the user's."""
    if not xmtest.module_path():
        print('service: skipped: the Python module xmc is not built')
        return
    private = os.path.join(tmp, 'home')
    dotfile = os.path.join(private, '.netrc')
    write(dotfile, 'SERVICE-%s\n' % TOKEN, 0o644)
    os.chmod(private, 0o700)
    program = ("import sys, xmc\n"
               "r = xmc.compile('web.cfg', text=sys.argv[1], frontend='python', host='no')\n"
               "print('\\n'.join(d.message for d in r.diagnostics))\n")
    env = dict(xmtest.REFERENCE_ENV, PYTHONPATH=xmtest.module_path())
    p = subprocess.run([sys.executable, '-c', program, reader([dotfile])], cwd='/', env=env,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120)
    out = p.stdout.decode(errors='replace') + p.stderr.decode(errors='replace')
    if 'ImportError' in out or 'ModuleNotFoundError' in out:
        print('service: skipped: this Python cannot import the module xmc: %s' % out.strip().splitlines()[-1])
        return
    got = re.search(r'R:(\S*)', out)
    tally.check(TOKEN not in out and got and got.group(1) == 'errno13|False',
                'service: from /, a private file outside is refused (%r)' % out[-300:])


def case_kernel_views(tmp, tally):
    denied = ['/proc/kallsyms', '/proc/self/maps', '/proc/self/environ', '/proc/1/cmdline', '/proc/self/root/etc/hostname',
              '/sys/kernel/notes']
    cfg = os.path.join(tmp, 'tree', 'xen', 'k.cfg')
    write(cfg, reader(denied + ['/proc/cpuinfo']))
    rc, out, err = xmc(['check', cfg])
    got = (reported(out + err) or '').split('|')
    tally.check(got[:2 * len(denied)] == ['errno13', 'False'] * len(denied),
                'kernel-views: what is not on the allow-list is refused and hidden (%r)' % got)
    tally.check(len(got) == 2 * len(denied) + 2 and got[-1] == 'True' and len(got[-2]) > 0 and 'errno' not in got[-2],
                'kernel-views: /proc/cpuinfo is read (%r)' % got[-2:])


def case_flip(tmp, tally):
    outside = os.path.join(tmp, 'outside')
    public, private = os.path.join(outside, 'public.txt'), os.path.join(outside, 'private.txt')
    write(public, 'PUBLIC', 0o644)
    write(private, 'FLIP-%s' % TOKEN, 0o600)
    link = os.path.join(tmp, 'tree', 'xen', 'flip')
    os.makedirs(os.path.dirname(link), exist_ok=True)
    os.symlink(public, link)
    reads = 5000
    cfg = os.path.join(tmp, 'tree', 'xen', 'f.cfg')
    write(cfg, ("name = 'flip'\nmemory = 64\nbootloader = '/usr/bin/pygrub'\n"
                "seen = {'PUBLIC': 0, 'error': 0, 'other': 0}\nleak = ''\n"
                "for i in range(%d):\n"
                "    try:\n        d = open(%r).read()\n"
                "    except IOError:\n        seen['error'] += 1\n        continue\n"
                "    if d == 'PUBLIC':\n        seen['PUBLIC'] += 1\n"
                "    else:\n        seen['other'] += 1\n        leak = d\n"
                "raise ValueError('R:%%d %%d %%d %%s' %% (seen['PUBLIC'], seen['error'], seen['other'], leak))\n")
          % (reads, link))
    stop = threading.Event()

    def flip():
        # Atomic replacement of the link, back and forth, as fast as it goes.
        tmp_link = link + '.new'
        while not stop.is_set():
            for target in (private, public):
                try:
                    os.unlink(tmp_link)
                except FileNotFoundError:
                    pass
                os.symlink(target, tmp_link)
                os.replace(tmp_link, link)

    flipper = threading.Thread(target=flip)
    flipper.start()
    try:
        rc, out, err = xmc(['--eval-timeout', '120', 'check', cfg], timeout=300)
    finally:
        stop.set()
        flipper.join()
    got = reported(out + err)
    counts = got.split(' ') if got else []
    tally.check(TOKEN not in out + err and len(counts) >= 3 and counts[2] == '0',
                'flip: the private file is never returned (%r)' % (got or (out + err)[-300:]))
    tally.check(len(counts) >= 3 and int(counts[0]) + int(counts[1]) == reads,
                'flip: every one of %d reads gave the public file or an error (%r)' % (reads, got))
    tally.check(len(counts) >= 3 and int(counts[0]) > 0 and int(counts[1]) > 0,
                'flip: the flipping raced the reads, both outcomes seen (%r)' % got)


def case_environ(tmp, tally):
    cfg = os.path.join(tmp, 'tree', 'xen', 'e.cfg')
    write(cfg, ("import os\nname = 'env'\nmemory = 64\nbootloader = '/usr/bin/pygrub'\n"
                "t = os.environ.get('CI_DEPLOY_TOKEN', 'none')\n"
                "raise ValueError('R:' + t + ' ' + ','.join(sorted(os.environ.keys())))\n"))
    env = {'CI_DEPLOY_TOKEN': 'ENV-%s' % TOKEN, 'HOME': '/nonexistent', 'LC_TIME': 'C'}
    rc, out, err = xmc(['check', cfg], env=env)
    got = reported(out + err) or ''
    tally.check(TOKEN not in out + err and got.startswith('none '),
                'environ: a secret-looking variable is not passed (%r)' % got)
    tally.check('HOME' in got.split(' ')[-1].split(',') and 'LC_TIME' in got,
                'environ: the harmless ones are (%r)' % got)
    tally.check(re.search(r"e\.cfg:5:1: note: the environment variable 'CI_DEPLOY_TOKEN' is set for xmc but not passed"
                          r".*--pass-env CI_DEPLOY_TOKEN.*\[env-withheld\]", out + err),
                'environ: a config that asks for it is told, at its line (%r)' % (out + err)[-400:])
    rc, out, err = xmc(['--pass-env', 'CI_DEPLOY_TOKEN', 'check', cfg], env=env)
    tally.check('R:ENV-%s ' % TOKEN in out + err and 'env-withheld' not in out + err,
                'environ: --pass-env passes it (%r)' % (reported(out + err),))


def case_root(tmp, tally):
    root = os.path.join(tmp, 'root')
    write(os.path.join(root, 'decoy.img'), 'INSIDE-ROOT\n')
    write(os.path.join(root, 'etc', 'xen', 'rel.img'), 'INSIDE-ETC-XEN\n')
    write(os.path.join(root, 'etc', 'xen', 'r.cfg'),
          ("import os\nname = 'r'\nmemory = 64\nbootloader = '/usr/bin/pygrub'\n"
           "r = [os.getcwd(), os.path.abspath('x')]\n"
           "for p in ('decoy.img', 'rel.img'):\n"
           "    try:\n        r.append(open(p).read().strip())\n"
           "    except IOError as e:\n        r.append('errno%d' % e.errno)\n"
           "raise ValueError('R:' + '|'.join(r))\n"))
    outside = os.path.join(tmp, 'cwd')
    write(os.path.join(outside, 'decoy.img'), 'OUTSIDE-%s\n' % TOKEN)
    write(os.path.join(outside, 'rel.img'), 'OUTSIDE-%s\n' % TOKEN)
    rc, out, err = xmc(['--root', root, 'check', '/etc/xen/r.cfg'], cwd=outside)
    got = reported(out + err)
    tally.check(got == '/|/x|INSIDE-ROOT|errno2',
                'root: from a directory outside the root, relative paths start at its / (%r)' % got)
    rc, out, err = xmc(['--root', root, 'check', '/etc/xen/r.cfg'], cwd=os.path.join(root, 'etc', 'xen'))
    got = reported(out + err)
    tally.check(got == '/etc/xen|/etc/xen/x|errno2|INSIDE-ETC-XEN',
                'root: from inside the root, relative paths start where the current directory is (%r)' % got)


CASES = [case_walk, case_private_dir, case_own_tree, case_service, case_kernel_views, case_flip, case_environ, case_root]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--keep', action='store_true')
    parser.add_argument('--once', action='store_true')
    args = parser.parse_args()
    if not os.path.exists(xmtest.XMC):
        print('SKIP: no xmc binary at %s' % xmtest.XMC)
        return xmtest.SKIP
    who = 'root' if os.geteuid() == 0 else 'uid %d' % os.geteuid()
    tally = xmtest.Tally()
    for case in CASES:
        tmp = tempfile.mkdtemp(prefix='xmc-broker-')
        os.chmod(tmp, 0o755)  # as /tmp and /srv are: what is below it is public unless made private
        try:
            case(tmp, tally)
        finally:
            if args.keep:
                print('kept %s' % tmp)
            else:
                shutil.rmtree(tmp, ignore_errors=True)
    status = tally.finish('broker (as %s)' % who)
    if os.geteuid() == 0 and not args.once:
        status = xmtest.again_as_nobody(__file__, ['--once'] + (['--keep'] if args.keep else []), 'broker') or status
    return status


if __name__ == '__main__':
    sys.exit(main())
