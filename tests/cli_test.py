"""End-to-end checks of the xmc command line: the native path never starts Python, the seed
config's invalid line is diagnosed, exit statuses, atomic -o, and bad input never crashes."""

import os
import shutil
import subprocess
import sys
import tempfile

import xmtest

TALLY = xmtest.Tally()
check = TALLY.check
write = xmtest.write_text


def xmc(args, cwd=None, env=None, stdin=None):
    return xmtest.run_xmc(args, cwd=cwd, env=env, stdin=stdin, timeout=30)


def test_native_path_never_starts_python(tmp):
    """xmc itself does not load libpython (issue 9): declarative files never pay for it,
    and configs with code run in the evaluator worker, whose interpreter is isolated from
    the PYTHON* variables of whoever runs xmc."""
    xmc_bin = xmtest.XMC
    needed = subprocess.run(['readelf', '-d', xmc_bin], capture_output=True, text=True).stdout
    check('NEEDED' in needed and 'libpython' not in needed, 'xmc does not link libpython')
    worker = os.path.join(os.path.dirname(xmc_bin), 'xmc-eval')
    needed = subprocess.run(['readelf', '-d', worker], capture_output=True, text=True).stdout
    check('libpython' in needed, 'the worker xmc-eval does (the control)')
    decl = os.path.join(tmp, 'decl.cfg')
    write(decl, "name = 'd'\nmemory = 256\nbootloader = '/usr/bin/pygrub'\ndisk = ['phy:/dev/vg/d,xvda,w']\n")
    code = os.path.join(tmp, 'code.cfg')
    write(code, "import os\nname = 'c'\nbootloader = '/usr/bin/pygrub'\n")
    # A module planted where PYTHONPATH and PYTHONSTARTUP point would leave a file behind.
    planted = os.path.join(tmp, 'planted')
    os.mkdir(planted)
    marker = os.path.join(tmp, 'imported')
    for name in ('signal.py', 'sitecustomize.py', 'startup.py'):
        write(os.path.join(planted, name), "open(%r, 'w').write('x')\n" % marker)
    broken = {'PYTHONHOME': '/nonexistent-python-home', 'PYTHONPATH': planted,
              'PYTHONSTARTUP': os.path.join(planted, 'startup.py'), 'PYTHONHASHSEED': '7'}
    rc, out, err = xmc(['compile', '--emit', 'sxp', decl], env=broken)
    check(rc == 0 and '(name d)' in out, 'declarative compile works whatever PYTHON* says (rc %d: %s)' % (rc, err))
    rc, out, err = xmc(['create', '-n', decl], env=broken)
    check(rc == 0 and '(memory 256)' in out, 'declarative create -n works whatever PYTHON* says')
    rc, out, err = xmc(['compile', '--emit', 'sxp', code], env=broken, cwd=planted)
    check(rc == 0 and '(name c)' in out, 'a config with code is not affected by PYTHON* variables (rc %d: %s)'
          % (rc, err))
    check(not os.path.exists(marker), 'no module planted in PYTHONPATH or the current directory was imported')


def test_seed_config(tmp):
    seed = os.path.join(xmtest.CORPUS, 'seed', 'hvm.cfg')
    if not os.path.exists(seed):
        print('note: seed config not found; skipping its check')
        return
    lines = open(seed).read().splitlines()
    line_no = lines.index('full-screen=1') + 1
    root = xmtest.make_reference_root()
    try:
        rc, out, err = xmtest.run_create_n(root, seed, args=[])
        err = err if isinstance(err, str) else err.decode()
        check(rc == 1, 'xm rejected the seed config (exit 1), xmc too: rc %d' % rc)
        check(out == b'Using config file "./hvm.cfg".\n', 'stdout is only the Using line')
        check("./hvm.cfg:%d:1: error: 'full-screen' is not a valid variable name" % line_no in err,
              'the invalid name is reported at its line: ' + err)
        check('full-screen=1\n^~~~~~~~~~~' in err, 'with a caret under the name')
        check('SyntaxError' not in err and 'Traceback' not in err, 'no Python syntax error text')
    finally:
        shutil.rmtree(root, ignore_errors=True)


def test_examples(tmp):
    ex = os.path.join(xmtest.SOURCE_DIR, 'examples')
    rc, out, err = xmc(['--root', '../root', 'create', '-n', 'hvm.cfg'], cwd=os.path.join(ex, 'hvm'))
    check(rc == 0 and out.startswith('Using config file "./hvm.cfg".\n(vm\n'), 'examples/hvm works: ' + err)
    check('(device_model /usr/lib64/xen/bin/qemu-dm)' in out or '(device_model /usr/lib/xen/bin/qemu-dm)' in out,
          'the arch check of the HVM example ran')
    # --path is searched inside --root when absolute, so give it relative to the cwd.
    rc, out, err = xmc(['--root', 'examples/root', 'create', '-n', '-q', '--path', 'examples/pv',
                        'pv.cfg', 'vmid=3'], cwd=xmtest.SOURCE_DIR)
    check(rc == 0 and out.startswith('(vm\n    (name web03)'), 'examples/pv works with vmid=3: ' + err)
    rc, out, err = xmc(['--root', 'examples/root', 'create', '-n', '-q', '--path', 'examples/pv',
                        'pv.cfg'], cwd=xmtest.SOURCE_DIR)
    check(rc == 1 and "vmid - " in err, 'examples/pv without vmid fails like xm: ' + err)


def test_exit_statuses(tmp):
    rc, out, err = xmc(['create', '-n', 'no-such-config'], cwd=tmp)
    check(rc == 1 and out == '' and "unable to open config file 'no-such-config'" in err, 'missing config: ' + err)
    rc, out, err = xmc(['create', 'whatever.cfg'], cwd=tmp)
    check(rc == 1 and "unable to open config file 'whatever.cfg'" in err,
          'create (to start) a missing config: as xm: ' + err)
    rc, out, err = xmc(['compile'])
    check(rc == 2, 'usage error gives exit 2')
    py = os.path.join(tmp, 'raise.cfg')
    write(py, "import os\nmemory = 64\nname = os.environ['NO_SUCH_VARIABLE_XMC']\n")
    rc, out, err = xmc(['compile', py])
    check(rc == 1 and 'raise.cfg:3:' in err and 'KeyError' in err and 'Traceback' not in err,
          'a Python exception is located, without a traceback: ' + err)
    rc, out, err = xmc(['--frontend', 'native', 'compile', py])
    check(rc == 1 and 'raise.cfg:1:1: error: --frontend=native' in err, '--frontend=native refuses code: ' + err)
    # A bad --uuid is a usage error whatever the config: it once went unsaid when the config
    # failed (exit 1), and was exit 2 only for a good one.
    for cfg in (py, os.path.join(xmtest.SOURCE_DIR, 'examples', 'hvm', 'hvm.cfg')):
        rc, out, err = xmc(['--host', 'no', 'compile', cfg, '--emit', 'xenstore', '--uuid', 'nope'])
        check(rc == 2 and out == '' and "'nope' is not a UUID" in err, 'a bad --uuid: exit 2 (%d): %s' % (rc, err))
    # The config's own uuid that is not one: the config's fault (exit 1).
    bad = os.path.join(tmp, 'baduuid.cfg')
    write(bad, "name = 'u'\nkernel = '/k'\nuuid = 'zz'\n")
    rc, out, err = xmc(['--host', 'no', 'compile', bad, '--emit', 'xenstore'])
    check(rc == 1 and out == '', "a config's bad uuid: exit 1 (%d): %s" % (rc, err))


def test_xml_dry_run_failures(tmp):
    """create -x fails as xm did: a ValueError in xm's Xen-API conversion printed the create
    usage, any other exception xm's "Unexpected error" lines (both on stdout, exit 1)."""
    cfg = os.path.join(tmp, 'xml-fail.cfg')
    write(cfg, "name = 'x'\nbootloader = '/usr/bin/pygrub'\nkernel = 5\n")
    rc, out, err = xmc(['create', '-x', cfg], cwd=tmp)
    check(rc == 1 and out.endswith("Unexpected error: <type 'exceptions.TypeError'>\n\n"
                                   "Please report to xen-devel@lists.xen.org\n") and 'xenapi-invalid' in err,
          'a TypeError in the conversion: ' + out + err)
    write(cfg, "name = 'x'\nbootloader = '/usr/bin/pygrub'\nmemory = 0\n")
    rc, out, err = xmc(['create', '-x', cfg], cwd=tmp)
    check(rc == 1 and 'Unexpected error' in out and "'memory' is 0" in err, 'int(None) for memory = 0: ' + out + err)
    write(cfg, "name = 'x'\nbootloader = '/usr/bin/pygrub'\non_reboot = 'preserve'\n")
    rc, out, err = xmc(['create', '-x', cfg], cwd=tmp)
    check(rc == 1 and 'Usage: xm create' in out and 'Unexpected' not in out, 'a ValueError: ' + out + err)


def test_dry_runs_print_what_xend_refused(tmp):
    """Values xm printed and only xend refused: create -n/-x print them as xm did (exit 0),
    while check reports them."""
    cfg = os.path.join(tmp, 'xend-refused.cfg')
    write(cfg, "name = 'x'\nbootloader = '/usr/bin/pygrub'\nvusb = ['usbver=2,numports=2,port_3=1-1']\n"
               "ioports = ['3f8-2f8']\nvcpus = 'x1'\n")
    rc, out, err = xmc(['create', '-n', cfg], cwd=tmp)
    check(rc == 0 and '(num-ports 2)' in out and "(port (1 '') (2 ''))" in out,
          'create -n prints the vusb device without port 3: ' + out + err)
    rc, out, err = xmc(['create', '-x', cfg], cwd=tmp)
    check(rc == 0 and 'vcpus_max="x1"' in out, "create -x takes str(vcpus), as xm did: " + out + err)
    rc, out, err = xmc(['--host=no', 'check', cfg], cwd=tmp)
    check(rc == 1 and 'port_3 is beyond numports=2' in out and "'3f8-2f8' ends before it starts" in out,
          'check reports what xend refused: ' + out)


def test_global_options_after_subcommand(tmp):
    """--root, --frontend and --eval-timeout work before and after the subcommand alike."""
    py = os.path.join(tmp, 'opts.cfg')
    write(py, "import os\nmemory = 64\nbootloader = '/usr/bin/pygrub'\n")
    before = xmc(['--frontend', 'python', '--eval-timeout', '5', 'compile', py, '--emit', 'sxp'])
    after = xmc(['compile', py, '--emit', 'sxp', '--frontend', 'python', '--eval-timeout', '5'])
    check(before[0] == 0 and before == after, 'global options after the subcommand: ' + after[2])
    rc, out, err = xmc(['compile', py, '--frontend', 'native'])
    check(rc == 1 and '--frontend=native' in err, '--frontend after the subcommand applies: ' + err)


def test_host_files_portable(tmp):
    """--host: host files are looked up with yes (or --root, or on a Xen control domain), not
    with no; the summary says once that they were not; create -n always looks, as xm did."""
    cfg = os.path.join(tmp, 'portable.cfg')
    write(cfg, "name = 'p'\nkernel = '/boot/no-such-kernel-xmc'\nmemory = 64\n")
    rc, out, err = xmc(['check', '--host=no', cfg])
    check(rc == 0 and 'kernel-missing' not in out and 'were not checked: --host=no' in err,
          'check --host=no makes no host finding and says so once: ' + out + err)
    rc, out, err = xmc(['check', '--host=yes', cfg])
    check(rc == 1 and 'kernel-missing' in out and 'not checked' not in err, 'check --host=yes looks: ' + out)
    rc, out, err = xmc(['compile', '--host=no', cfg, '--emit', 'sxp'])
    check(rc == 0 and '(kernel /boot/no-such-kernel-xmc)' in out, 'compile --host=no keeps the path: ' + err)
    rc, out, err = xmc(['--host=no', 'create', '-n', cfg])
    check(rc == 1 and 'kernel-missing' in err, 'create -n looks as xm did, whatever --host says: ' + err)


def test_atomic_output(tmp):
    good = os.path.join(tmp, 'good.cfg')
    write(good, "name = 'g'\nbootloader = '/usr/bin/pygrub'\n")
    bad = os.path.join(tmp, 'bad.cfg')
    write(bad, "name = 'b'\nbootloader = '/usr/bin/pygrub'\ndisk = ['phy:x,xvda']\n")
    target = os.path.join(tmp, 'out', 'model.json')
    os.makedirs(os.path.dirname(target))
    rc, out, err = xmc(['compile', good, '--emit', 'json', '-o', target])
    check(rc == 0 and out == '' and os.path.exists(target), '-o writes the file')
    before = open(target).read()
    check('"name": "g"' in before, 'the file holds the model')
    rc, out, err = xmc(['compile', bad, '--emit', 'json', '-o', target])
    check(rc == 1, 'a bad config fails')
    check(open(target).read() == before, 'and leaves the old output untouched')
    check(os.listdir(os.path.dirname(target)) == ['model.json'], 'with no temporary file left over')


def test_bad_input_never_crashes(tmp):
    cases = {
        'binary.cfg': b'\x00\x01\xff\xfe name = 1\n',
        'deep.cfg': b'x = ' + b'[' * 300 + b']' * 300 + b'\n',
        'unterminated.cfg': b"name = 'abc\n",
        'huge-int.cfg': b'memory = ' + b'9' * 400 + b'\n',
        'recursion.cfg': b'def f(n):\n    return f(n + 1)\nmemory = f(0)\n',
        'exit.cfg': b'import sys\nsys.exit(3)\n',
        'selfref.cfg': b'disk = []\ndisk.append(disk)\n',
        'bytes-mix.cfg': b"name = 'caf\xc3\xa9'\nextra = '\xff'\n",
        'empty.cfg': b'',
        'deeper.cfg': b'x = ' + b'[' * 100000 + b']' * 100000 + b'\n',
        'latin1.cfg': b"# -*- coding: latin-1 -*-\nname = 'caf\xe9'\n",
    }
    for name, data in cases.items():
        path = os.path.join(tmp, name)
        with open(path, 'wb') as f:
            f.write(data)
        rc, out, err = xmc(['compile', path])
        check(rc in (0, 1), '%s: exit status %d (no crash)' % (name, rc))
        check('Traceback' not in err and 'internal error' not in err, '%s: no traceback: %s' % (name, err[:300]))
        if rc == 1:
            check('%s:' % name in err and 'error:' in err, '%s: a located error' % name)


def test_absurd_values_stay_bounded(tmp):
    # Found by fuzzing: negative or huge counts once crashed or made writers loop for ever.
    cases = {
        'neg-vcpus.cfg': "name = 'x'\nbootloader = '/usr/bin/pygrub'\nvcpus = -1\nmaxvcpus = 2\n",
        'huge-vcpus.cfg': "name = 'x'\nbuilder = 'hvm'\nvcpus = 4611686018427387904\ncpus = '0'\n",
        'huge-nics.cfg': "name = 'x'\nbootloader = '/usr/bin/pygrub'\nvif = [ '' ]\nnics = 1000000000\n",
        'huge-cpus.cfg': "name = 'x'\nbootloader = '/usr/bin/pygrub'\ncpus = '0-999999999'\n",
    }
    for name, text in cases.items():
        path = os.path.join(tmp, name)
        write(path, text)
        for args in (['create', '-n', path], ['create', '-x', path], ['compile', '--emit', 'xenstore', path]):
            try:
                rc, out, err = xmc(args)
            except subprocess.TimeoutExpired:
                check(False, '%s %s: no answer within the time limit' % (name, args[1]))
                continue
            check(rc in (0, 1) and 'runtime error' not in err, '%s %s: exit %d' % (name, args[1], rc))
            check(len(out) < 2_000_000, '%s %s: bounded output (%d bytes)' % (name, args[1], len(out)))


def test_endless_config_is_stopped(tmp):
    path = os.path.join(tmp, 'endless.cfg')
    write(path, "memory = 64\ntry:\n    while True:\n        pass\nexcept Exception:\n    pass\n")
    rc, out, err = xmc(['--eval-timeout', '1', 'compile', path])
    check(rc == 1 and 'endless.cfg:3:' in err and '[eval-timeout]' in err,
          'an endless loop is stopped and located: ' + err)


def test_backend_table_is_documented(tmp):
    """The README's back-end table and --emit's choices are xmc's own table."""
    rc, out, err = xmc(['backends'])
    rows = [line.split('\t') for line in out.splitlines()]
    check(rc == 0 and len(rows) >= 7, 'xmc backends lists the back ends')
    with open(os.path.join(xmtest.SOURCE_DIR, 'README.md'), encoding='utf-8') as f:
        readme = f.read()
    start = readme.index('| `--emit` | what | checked against |')
    table = readme[start:readme.index('\n\n', start)].splitlines()[2:]
    expected = ['| `%s` | %s | %s |' % (r[0], r[2], r[3]) for r in rows]
    check(table == expected, 'README back-end table equals `xmc backends`:\n%s' % '\n'.join(expected))
    rc, out, err = xmc(['compile', '--help'])
    for r in rows:
        check(r[0] in out, '--emit help names %s' % r[0])
    rc, out, err = xmc(['compile', '--emit', 'nonesuch', 'x.cfg'])
    check(rc == 2, 'an unknown back end is a usage error')


def test_create_off_xen(tmp):
    """Without -n, create starts a domain: off a Xen host it says why it cannot (and starts
    nothing); a setting the xl back end cannot express stops it first unless --force."""
    cfg = os.path.join(tmp, 'start.cfg')
    with open(cfg, 'w') as f:
        f.write("name = 'start'\nkernel = '/boot/k'\nmemory = 128\n")
    os.makedirs(os.path.join(tmp, 'r', 'boot'), exist_ok=True)
    open(os.path.join(tmp, 'r', 'boot', 'k'), 'w').close()
    start = ['--root', 'r', 'create', 'start.cfg']
    rc, out, err = xmc(start, cwd=tmp)
    check(rc == 1 and 'cannot start domain start' in err and 'Started' not in out,
          'create off a Xen host: a clear refusal: %r' % err)
    with open(cfg, 'a') as f:
        f.write("cpu = 1\n")
    rc, out, err = xmc(start, cwd=tmp)
    check(rc == 1 and "xl has no 'cpu'" in err and '--force starts it' in err,
          'create: a setting libxl cannot express stops it before libxl: %r' % err)
    rc, out, err = xmc(start + ['--force'], cwd=tmp)
    check(rc == 1 and 'cannot start domain start' in err and "xl has no 'cpu'" in err and '--force starts' not in err,
          'create --force goes on to libxl, still listing what is left out: %r' % err)


def main():
    tmp = tempfile.mkdtemp(prefix='xmc-cli-')
    try:
        for test in (test_native_path_never_starts_python, test_seed_config, test_examples,
                     test_exit_statuses, test_xml_dry_run_failures, test_dry_runs_print_what_xend_refused,
                     test_global_options_after_subcommand, test_host_files_portable,
                     test_atomic_output, test_bad_input_never_crashes,
                     test_endless_config_is_stopped, test_absurd_values_stay_bounded,
                     test_backend_table_is_documented, test_create_off_xen):
            test(tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return TALLY.finish('cli')


if __name__ == '__main__':
    sys.exit(main())
