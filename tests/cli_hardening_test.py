"""The hardened CLI (issue 9, item 2): what xmc does with inputs and outputs that are not
what a config file and a result file usually are, with signals, with trees that are deep,
unreadable or linked elsewhere, and with text that would disturb a terminal."""

import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time

import xmtest

T = xmtest.Tally()
check = T.check
CONFIG = "name = 'h'\nmemory = 128\nbootloader = '/usr/bin/pygrub'\n"
CODE = "import os\nname = 'c'\nmemory = 64 * 2\nbootloader = '/usr/bin/pygrub'\n"


def xmc(args, **kw):
    kw.setdefault('timeout', 60)
    p = subprocess.run([xmtest.XMC] + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       env=dict(xmtest.REFERENCE_ENV), **kw)
    return p.returncode, p.stdout.decode('utf-8', 'replace'), p.stderr.decode('utf-8', 'replace')


def write(path, text, mode=None):
    xmtest.write_text(path, text)
    if mode is not None:
        os.chmod(path, mode)


def until(predicate, seconds=30):
    """Polls `predicate` until it holds or `seconds` have passed (a bound for a broken run,
    not a timing expectation); returns whether it held."""
    end = time.monotonic() + seconds
    while not predicate():
        if time.monotonic() > end:
            return False
        time.sleep(0.005)
    return True


def handles_int_and_term(pid):
    """Whether process `pid` has its own handlers for SIGINT and SIGTERM (or is gone)."""
    try:
        with open('/proc/%d/status' % pid) as st:
            caught = int(next(l for l in st if l.startswith('SigCgt:')).split()[1], 16)
    except (OSError, StopIteration):
        return True
    return bool(caught & (1 << (signal.SIGINT - 1)) and caught & (1 << (signal.SIGTERM - 1)))


def test_non_regular_inputs(tmp):
    fifo = os.path.join(tmp, 'fifo.cfg')
    os.mkfifo(fifo)
    for target, what in ((fifo, 'a FIFO'), ('/dev/zero', 'a character device'), (tmp, 'a directory')):
        for args in (['compile', target], ['create', '-n', target]):
            rc, out, err = xmc(args, timeout=20)
            check(rc == 2 and ('not a regular file' in err or 'directory' in err.lower()),
                  '%s %s is refused with exit 2: rc %s %s' % (args[0], what, rc, err[-200:]))
    tree = os.path.join(tmp, 'tree')
    os.mkdir(tree)
    write(os.path.join(tree, 'a.cfg'), CONFIG)
    os.mkfifo(os.path.join(tree, 'pipe'))
    rc, out, err = xmc(['check', tree], timeout=20)
    check(rc == 0 and 'pipe' in out and 'not a regular file' in out and '1 file checked' in err,
          'a FIFO in a tree is skipped, the rest checked: rc %s %s %s' % (rc, out, err))
    shutil.rmtree(tree)
    os.unlink(fifo)


def test_size_limit(tmp):
    big = os.path.join(tmp, 'big.cfg')
    write(big, CONFIG + ('# padding padding padding padding padding padding padding\n' * 90000))
    rc, out, err = xmc(['compile', big])
    check(rc == 2 and '--max-input-size' in err, 'a 5 MB config is refused with exit 2 and the flag named: ' + err)
    rc, out, err = xmc(['--max-input-size', '8192', 'compile', big])
    check(rc == 0 and '(name h)' in out, '--max-input-size raises the limit (rc %s)' % rc)
    small = os.path.join(tmp, 'small.cfg')
    write(small, CONFIG)
    rc, out, err = xmc(['check', big, small])
    check(rc == 2 and '--max-input-size' in out and '1 file checked' in err,
          'check reports the big file and checks the rest: ' + out + err)


def test_output_file(tmp):
    cfg = os.path.join(tmp, 'o.cfg')
    write(cfg, CONFIG)
    rc, out, err = xmc(['compile', cfg, '-o', '/dev/null'])
    check(rc == 0 and stat.S_ISCHR(os.stat('/dev/null').st_mode), '-o /dev/null works and stays a device')
    rc, out, err = xmc(['compile', cfg, '-o', tmp])
    check(rc == 2 and 'directory' in err, '-o to a directory is refused: ' + err)
    rc, out, err = xmc(['compile', cfg, '-o', cfg])
    check(rc == 2 and 'input file' in err and open(cfg).read() == CONFIG, '-o to the input file is refused: ' + err)
    link = os.path.join(tmp, 'o-link.cfg')
    os.symlink(cfg, link)
    rc, out, err = xmc(['compile', link, '-o', cfg])
    check(rc == 2 and open(cfg).read() == CONFIG, '... also when the input is named through a link')
    target = os.path.join(tmp, 'kept.sxp')
    write(target, 'old\n', 0o600)
    rc, out, err = xmc(['compile', cfg, '-o', target])
    check(rc == 0 and stat.S_IMODE(os.stat(target).st_mode) == 0o600 and '(name h)' in open(target).read(),
          'an existing target keeps its mode (0600)')
    new = os.path.join(tmp, 'new.sxp')
    p = subprocess.run([xmtest.XMC, 'compile', cfg, '-o', new], preexec_fn=lambda: os.umask(0o027),
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    check(p.returncode == 0 and stat.S_IMODE(os.stat(new).st_mode) == 0o640, 'a new file honours the umask (0640)')
    rc, out, err = xmc(['compile', cfg, '-o', '/dev/full'])
    check(rc == 2 and 'No space' in err, 'a write error on -o exits 2: ' + err)
    # Stopped at any moment, -o leaves the old or the new file, never a part or a temporary.
    code = os.path.join(tmp, 'code.cfg')
    write(code, CODE)
    out_file = os.path.join(tmp, 'stopped.sxp')
    write(out_file, 'old\n')
    codes = set()
    for i in range(24):
        p = subprocess.Popen([xmtest.XMC, 'compile', code, '-o', out_file], stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
        # Once xmc handles the signals (before main no program does), at a varying moment.
        check(until(lambda: handles_int_and_term(p.pid)), 'xmc handles SIGINT and SIGTERM (run %d)' % i)
        time.sleep(0.004 * i)
        p.send_signal(signal.SIGTERM if i % 2 else signal.SIGINT)
        codes.add(p.wait(timeout=30))
        text = open(out_file).read()
        check(text == 'old\n' or text.startswith('(vm'), 'after a signal the output is whole (run %d)' % i)
    leftovers = [n for n in os.listdir(tmp) if '.xmc-' in n]
    check(not leftovers, 'no temporary file is left behind: %s' % leftovers)
    check(codes <= {0, 130, 143}, 'a stopped run exits 130 (SIGINT) or 143 (SIGTERM): %s' % codes)


def test_stdout_errors(tmp):
    cfg = os.path.join(tmp, 's.cfg')
    write(cfg, CONFIG)
    with open('/dev/full', 'w') as full:
        p = subprocess.run([xmtest.XMC, 'compile', cfg], stdout=full, stderr=subprocess.PIPE)
    check(p.returncode == 2 and b'standard output' in p.stderr, 'stdout on /dev/full exits 2')
    p = subprocess.run([xmtest.XMC, 'compile', cfg], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       preexec_fn=lambda: os.close(1))
    check(p.returncode == 2 and b'standard output' in p.stderr, 'a closed stdout exits 2: %r' % p.stderr)


def test_sigint(tmp):
    cfg = os.path.join(tmp, 'endless.cfg')
    write(cfg, "name = 'e'\nwhile True:\n    pass\n")
    # Processes of this test's own tree (it reaps its orphans: main()), whatever their
    # names: not the workers of tests running beside it.
    before = set(xmtest.descendants())
    p = subprocess.Popen([xmtest.XMC, '--eval-timeout', '0', 'compile', cfg], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE)
    # In the middle of the evaluation: xmc handles the signal, and its worker and the
    # worker's sandboxed child (the one looping) are there.
    check(until(lambda: handles_int_and_term(p.pid) and len(set(xmtest.descendants()) - before) >= 3),
          'xmc, its worker and the evaluating child run: %s' % xmtest.descendants())
    p.send_signal(signal.SIGINT)
    rc = p.wait(timeout=30)
    check(rc == 130, 'SIGINT stops a run with exit 130 (rc %s)' % rc)
    # The worker ends when its pipe from xmc closes, the child by PR_SET_PDEATHSIG: soon
    # after xmc, not at once.
    check(until(lambda: not set(xmtest.descendants()) - before, seconds=10),
          'the worker and its child end with xmc: %s' % (set(xmtest.descendants()) - before))


def test_tree_walk(tmp):
    # 10,000 nested directories: deeper than any path xmc can open; the walk must end
    # with I/O diagnostics, not a crash.
    deep = os.path.join(tmp, 'deep')
    os.mkdir(deep)
    fd = os.open(deep, os.O_RDONLY)
    for i in range(10000):
        os.mkdir('d', dir_fd=fd)
        nfd = os.open('d', os.O_RDONLY, dir_fd=fd)
        os.close(fd)
        fd = nfd
        if i == 99:
            with open(os.open('c.cfg', os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=fd), 'w') as f:
                f.write(CONFIG)
    os.close(fd)
    rc, out, err = xmc(['check', deep], timeout=120)
    check(rc in (1, 2) and '1 file checked' in err and '/c.cfg' not in out,
          '10,000 nested directories: walked without a crash, the config at depth 100 checked (rc %s) %s'
          % (rc, err[-300:]))
    subprocess.run(['rm', '-rf', deep])

    tree = os.path.join(tmp, 'walk')
    outside = os.path.join(tmp, 'outside')
    os.makedirs(os.path.join(tree, 'auto'))
    os.makedirs(outside)
    write(os.path.join(tree, 'good.cfg'), CONFIG)
    write(os.path.join(tree, 'secret.cfg'), CONFIG, 0o600)
    # where an evaluated helper.py would write, whoever runs it (as /tmp is, but this test's)
    os.mkdir(os.path.join(tmp, 'marker'))
    os.chmod(os.path.join(tmp, 'marker'), 0o1777)
    evaluated = os.path.join(tmp, 'marker', 'evaluated')
    write(os.path.join(tree, 'helper.py'), "open(%r, 'w')\n" % evaluated)
    write(os.path.join(outside, 'far.cfg'), CONFIG)
    os.symlink('/nonexistent/target.cfg', os.path.join(tree, 'dangling.cfg'))
    os.symlink(outside, os.path.join(tree, 'elsewhere'))
    os.symlink(os.path.join(tree, 'good.cfg'), os.path.join(tree, 'auto', 'good'))
    os.chmod(tmp, 0o755)
    cmd = ['check', tree]
    if os.geteuid() == 0 and shutil.which('setpriv'):
        # Root reads everything: look as a user who may not read secret.cfg.
        cmd = ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', xmtest.XMC] + cmd
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=dict(xmtest.REFERENCE_ENV),
                           timeout=60)
        rc, out, err = p.returncode, p.stdout.decode(), p.stderr.decode()
    else:
        rc, out, err = xmc(cmd)
    check(rc == 2, 'I/O errors exit 2 after the rest is checked (rc %s)' % rc)
    check('secret.cfg' in out and 'Permission denied' in out, 'an unreadable file is an I/O diagnostic: ' + out)
    check('dangling.cfg' in out and 'symbolic link to nothing' in out, 'a dangling link is an I/O diagnostic')
    check('1 file checked' in err, 'the count is truthful (good.cfg, once through auto/): ' + err)
    check('far.cfg' not in out and 'outside the tree' in out, 'a directory link out of the tree is not followed')
    check('helper.py' in out and 'Python module' in out and not os.path.exists(evaluated),
          'a *.py file in a walk is skipped, not evaluated')


def test_root_is_a_chroot(tmp):
    root = os.path.join(tmp, 'root')
    os.makedirs(os.path.join(root, 'boot'))
    os.makedirs(os.path.join(root, 'etc/xen'))
    write(os.path.join(root, 'boot/vmlinuz-inside'), 'kernel')
    os.symlink('/boot/vmlinuz-inside', os.path.join(root, 'etc/xen/kernel'))
    os.symlink('../../../../../../../../etc/hostname', os.path.join(root, 'etc/xen/ramdisk'))
    write(os.path.join(root, 'etc/xen/r.cfg'),
          "name = 'r'\nkernel = '/etc/xen/kernel'\nramdisk = '/etc/xen/ramdisk'\n")
    rc, out, err = xmc(['--root', root, 'compile', '/etc/xen/r.cfg'])
    check('kernel-missing' not in err, 'an absolute symlink resolves inside the root: ' + err)
    check('ramdisk-missing' in err, '.. stops at the root (the real /etc/hostname is not seen): ' + err)


def test_terminal_safety(tmp):
    cfg = os.path.join(tmp, 'wide.cfg')
    write(cfg, CONFIG + 'x' * 5000 + " = 1; memroy = '\x1b[2J\x1b[31m\x07'\n")
    rc, out, err = xmc(['compile', cfg])
    check('\x1b' not in err and '\x07' not in err and '\\x1b' in err, 'control characters are escaped: ' + err[-300:])
    echoed = [l for l in err.splitlines() if not l.startswith(cfg) and not l.startswith('note:')]
    check(echoed and max(len(l) for l in echoed) <= 200, 'echoed source lines are cut to a width: %s'
          % [len(l) for l in echoed])


def test_numbers(tmp):
    cfg = os.path.join(tmp, 'n.cfg')
    write(cfg, CONFIG + "maxmem = 1e309\nshadow_memory = float('nan')\nvcpus = 2**200\n")
    rc, out, err = xmc(['compile', cfg])
    check("'maxmem' should be an integer, found float inf; xend cannot make an integer of it" in err,
          'inf is named as such: ' + err)
    check("found float nan" in err, 'nan is named as such')
    check("'vcpus' is ignored" in err and '2**63' in err and 'L suffix' not in err,
          '2**200 is a long, not a literal with an L: ' + err)
    check('-9223372036854775808' not in err, 'no clamped number appears')


def test_usage_errors(tmp):
    for args, reason in ((['compile'], 'required'), (['--eval-timeout', '-1', 'compile', 'x.cfg'], 'eval-timeout'),
                         (['frobnicate'], 'frobnicate'), (['compile', '--emit', 'nope', 'x.cfg'], 'nope'),
                         (['--max-input-size', '0', 'check', '.'], 'max-input-size')):
        rc, out, err = xmc(args)
        check(rc == 2 and reason in err, 'usage error %s exits 2 naming %r: rc %s %s' % (args, reason, rc, err))


def test_sarif(tmp):
    cfg = os.path.join(tmp, 'with space%.cfg')
    write(cfg, "name = 'é'\nmemroy = 1\nbootloader = '/usr/bin/pygrub'\n".replace("'é'", "'\\xe9'"))
    rc, out, err = xmc(['check', '--format', 'sarif', cfg])
    run = json.loads(out)['runs'][0]
    check(run.get('columnKind') == 'unicodeCodePoints', 'SARIF declares its columnKind')
    uris = {r['locations'][0]['physicalLocation']['artifactLocation']['uri'] for r in run['results']}
    check(uris == {cfg.replace(' ', '%20').replace('%.cfg', '%25.cfg')}, 'SARIF URIs are percent-encoded: %s' % uris)


def test_diagnostic_flood(tmp):
    """A config that makes a finding per item of a long list: at most --max-diagnostics
    per file (200 by default) and one note with how many more, while the exit status and
    the summary still count every one."""
    cfg = os.path.join(tmp, 'flood.cfg')
    write(cfg, "name = 'flood'\nbootloader = '/usr/bin/pygrub'\nvif = ['brige=x'] * 100000\n")
    rc, out, err = xmc(['check', cfg])
    findings = [l for l in out.splitlines() if l.startswith(cfg + ':')]
    check(rc == 1 and len(findings) == 201 and len(out) < 100000 and
          findings[-1].endswith('99800 more findings on this file are not shown (99800 errors, 0 warnings among them); '
                                '--max-diagnostics 200 is the limit per file [diagnostics-cut]'),
          'a flood of findings is cut at 200 with a note: rc %s, %d findings, %d bytes, last %r'
          % (rc, len(findings), len(out), findings[-1:]))
    check('1 file checked, 100000 errors' in err, 'the summary counts them all: ' + err)
    rc, out, err = xmc(['--max-diagnostics', '5', 'compile', cfg])
    check(rc == 1 and err.count('[vif-option]') == 5 and '99995 more findings' in err,
          '--max-diagnostics 5: five and the note (rc %s) %s' % (rc, err[-300:]))
    rc, out, err = xmc(['--max-diagnostics', '0', 'check', '--format', 'json', cfg])
    check(rc == 1 and len(json.loads(out)) == 100000, '--max-diagnostics 0: all of them')


def test_bytes_round_trip(tmp):
    """Bytes that are not UTF-8 in a file name, the environment (passed with --pass-env) and script variables reach
    the config and come back as the same bytes, never an abort."""
    name = os.path.join(tmp.encode(), b'caf\xe9.cfg')
    with open(name, 'wb') as f:
        f.write(b"import os\nname = 'n' + os.environ['XMC_BYTES'] + tag\nbootloader = '/usr/bin/pygrub'\n")
    env = dict(xmtest.REFERENCE_ENV)
    env = {k.encode(): v.encode() for k, v in env.items()}
    env[b'XMC_BYTES'] = b'\xff\xfe'
    p = subprocess.run([xmtest.XMC.encode(), b'--pass-env', b'XMC_BYTES', b'compile', name, b'tag=\xe9x'], stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, env=env, timeout=60)
    # The SXP quotes a name with such bytes as Python 2's repr did: one escape per byte.
    check(p.returncode == 0 and b"(name 'n\\xff\\xfe\\xe9x')" in p.stdout,
          'bytes round-trip through file name, environment and script variables: rc %d %r %r'
          % (p.returncode, p.stdout[:200], p.stderr[-300:]))


def main():
    if not os.path.exists(xmtest.XMC):
        print('SKIP: no xmc binary at %s' % xmtest.XMC)
        return xmtest.SKIP
    xmtest.become_subreaper()
    for test in (test_non_regular_inputs, test_size_limit, test_output_file, test_stdout_errors, test_sigint,
                 test_tree_walk, test_root_is_a_chroot, test_terminal_safety, test_numbers, test_usage_errors,
                 test_sarif, test_diagnostic_flood, test_bytes_round_trip):
        tmp = tempfile.mkdtemp(prefix='xmc-hardening-')
        try:
            test(tmp)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    return T.finish('cli hardening')


if __name__ == '__main__':
    sys.exit(main())
