"""xmc check, explain and schema, end to end: a scratch /etc/xen tree (with auto/, backups,
toolstack files, a Python config and the xendomains settings), cross-file checks, exit
statuses, the three output formats (SARIF validated against the official schema), colour
rules, and the docs generated from the schema (the man page must render without warnings)."""

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

import xmtest

TALLY = xmtest.Tally()
check = TALLY.check
write = xmtest.write_text


def xmc(args, cwd=None, env=None, stdin=None):
    return xmtest.run_xmc(args, cwd=cwd, env=env, stdin=stdin, timeout=120)


def make_tree(root):
    xen = os.path.join(root, 'etc/xen')
    write(os.path.join(root, 'boot/vmlinuz-tree'), '')
    write(os.path.join(xen, 'web1.cfg'), "name = 'web1'\nkernel = '/boot/vmlinuz-tree'\n"
          "disk = [ 'phy:/dev/vg/web1,xvda,w', 'phy:/dev/vg/shared,xvdb,w' ]\n"
          "vif = [ 'mac=00:16:3e:00:00:01, bridge=xenbr0' ]\n"
          "uuid = '11111111-2222-4333-8444-555555555555'\n")
    write(os.path.join(xen, 'web2.cfg'), "name = 'web1'\nkernel = '/boot/vmlinuz-tree'\nmemroy = 512\n"
          "disk = [ 'phy:vg/shared,xvda,w', 'phy:/dev/vg/ro,xvdb,r' ]\n"
          "vif = [ 'mac=00:16:3E:00:00:01' ]\nuuid = '11111111222243338444555555555555'\n")
    write(os.path.join(xen, 'db.cfg'), "import os\nname = 'db'\nkernel = '/boot/vmlinuz-tree'\n"
          "disk = [ 'phy:/dev/vg/ro,xvda,r', 'phy:/dev/vg/cluster,xvdb,w!' ]\n")
    write(os.path.join(xen, 'db2.cfg'), "name = 'db2'\nkernel = '/boot/vmlinuz-tree'\n"
          "disk = [ 'phy:/dev/vg/cluster,xvda,w!' ]\n")
    write(os.path.join(xen, 'web1.cfg~'), 'garbage (\n')
    write(os.path.join(xen, 'xend-config.sxp'), '(xend-relocation-server no)\n')
    write(os.path.join(xen, 'scripts/vif-bridge'), '#!/bin/sh\n')
    os.makedirs(os.path.join(xen, 'auto'))
    os.symlink('../web1.cfg', os.path.join(xen, 'auto/web1.cfg'))
    os.makedirs(os.path.join(root, 'var/lib/xen/save'))
    settings = open(os.path.join(xmtest.CORPUS, 'seed', 'xendomains.sysconfig')).read()
    write(os.path.join(root, 'etc/sysconfig/xendomains'), settings)
    return xen


def test_tree(root):
    rc, out, err = xmc(['--root', root, 'check', '/etc/xen'], cwd=root)
    check(rc == 1, 'a tree with errors exits 1 (got %d)' % rc)
    check("/etc/xen/web2.cfg:1:8: error: name: domain name 'web1' is also used by /etc/xen/web1.cfg:1 [duplicate-name]" in out,
          'duplicate names across files')
    check('[duplicate-uuid]' in out and 'web2.cfg:6:' in out, 'duplicate UUIDs (dashes ignored)')
    check('/etc/xen/web2.cfg:5:9: error: vif[0].mac: the MAC 00:16:3E:00:00:01 is also used by /etc/xen/web1.cfg:4 [duplicate-mac]' in out,
          'duplicate MACs across files, case-insensitive')
    check("web2.cfg:4:10: error: disk[0]: 'phy:vg/shared' is also writable in /etc/xen/web1.cfg:3" in out,
          'one writable disk in two configs (phy:NAME is /dev/NAME)')
    shared = [l for l in out.splitlines() if l.endswith('[shared-disk]')]
    check(len(shared) == 1 and 'vg/ro' not in shared[0] and 'cluster' not in shared[0],
          'read-only and w! disks are not reported: %s' % shared)
    check("did you mean 'memory'?" in out, 'per-file checks run in the tree')
    check("'/etc/xen/web1.cfg~' is not checked: a backup or editor file [skipped-file]" in out, 'backups get a note')
    check("'/etc/xen/xend-config.sxp' is not checked" in out and "'/etc/xen/scripts' is not checked" in out,
          'toolstack files and scripts/ get a note')
    check(out.count('web1.cfg:1:') <= 1 and 'auto/web1.cfg' not in out, 'auto/ symlinks are followed once')
    check('5 files checked' in err or '4 files checked' in err, 'summary on stderr: ' + err)
    check('\033[' not in out, 'no colour when stdout is not a terminal')


def test_tree_order(tmp):
    """Cross-file findings follow the walk's order whichever file finished first: a slow
    config with code first, then many quick declarative ones claiming its name, MAC and
    disk (the threads finish them long before it); each finding is on the later file,
    naming the earlier, and the files without findings are not kept for the report."""
    d = os.path.join(tmp, 'order')
    write(os.path.join(d, 'a00.cfg'), "import os\nx = 0\nfor i in range(300000):\n    x += i\n"
          "name = 'dup'\nbootloader = '/usr/bin/pygrub'\nvif = ['mac=00:16:3e:00:00:aa']\n"
          "disk = ['phy:/dev/vg/one,xvda,w']\n")
    for i in range(1, 40):
        write(os.path.join(d, 'b%02d.cfg' % i), "name = 'own%d'\nbootloader = '/usr/bin/pygrub'\n"
              "vif = ['mac=00:16:3e:00:01:%02x']\n" % (i, i))
    write(os.path.join(d, 'z99.cfg'), "name = 'dup'\nbootloader = '/usr/bin/pygrub'\n"
          "vif = ['mac=00:16:3E:00:00:AA']\ndisk = ['phy:vg/one,xvda,w']\n")
    rc, out, err = xmc(['check', d])
    z = os.path.join(d, 'z99.cfg')
    a = os.path.join(d, 'a00.cfg')
    check(rc == 1, 'tree order: exit 1 (got %d)' % rc)
    check("%s:1:8: error: name: domain name 'dup' is also used by %s:5 [duplicate-name]" % (z, a) in out,
          'tree order: the name finding is on the later file:\n' + out[:800])
    check('[duplicate-mac]' in out and '[shared-disk]' in out and
          not any(l.startswith(a + ':') and ' error: ' in l for l in out.splitlines()),
          'tree order: every finding on the later file, none on the earlier')
    check('41 files checked' in err, 'tree order: all counted: ' + err)


def test_exit_statuses(root):
    rc, out, _ = xmc(['--root', root, 'check', '/etc/xen/db2.cfg'], cwd=root)
    check(rc == 0 and out == '', 'a clean file exits 0 and prints nothing (%d: %s)' % (rc, out))
    write(os.path.join(root, 'etc/xen/broken.cfg'), "name = 'b'\nkernel = '/boot/vmlinuz-tree'\nmemory = 'lots'\n")
    rc, _, _ = xmc(['--root', root, 'check', '/etc/xen/broken.cfg'], cwd=root)
    check(rc == 1, 'errors exit 1')
    os.remove(os.path.join(root, 'etc/xen/broken.cfg'))
    write(os.path.join(root, 'etc/xen/warn.cfg'), "name = 'w'\nkernel = '/boot/vmlinuz-tree'\nvcpu = 2\n")
    rc, _, _ = xmc(['--root', root, 'check', '/etc/xen/warn.cfg'], cwd=root)
    check(rc == 0, 'warnings alone exit 0')
    rc, _, _ = xmc(['--root', root, 'check', '--werror', '/etc/xen/warn.cfg'], cwd=root)
    check(rc == 1, '--werror makes warnings fail')
    os.remove(os.path.join(root, 'etc/xen/warn.cfg'))
    rc, _, err = xmc(['--root', root, 'check', '/etc/xen/nope.cfg'], cwd=root)
    check(rc == 2 and 'nope.cfg' in err + _, 'a missing file exits 2')
    rc, _, _ = xmc(['check', '--format', 'yaml', 'x'])
    check(rc == 2, 'a usage error exits 2')
    rc, out, _ = xmc(['--root', root, 'check', '--host-cpus', '2', '/etc/xen/db2.cfg'], cwd=root)
    check(rc == 0, '--host-cpus accepted')


def test_xendomains(root):
    rc, out, _ = xmc(['--root', root, 'check', '/etc/sysconfig/xendomains'], cwd=root)
    findings = [l for l in out.splitlines() if 'xendomains:' in l and '[skipped-file]' not in l]
    check(not findings, 'the shipped settings are clean: ' + out)
    check("'/etc/xen/auto' is not checked" in out and 'outside the paths given' in out,
          'an AUTO directory outside the paths given is not walked: ' + out)
    rc, out, _ = xmc(['--root', root, 'check', '/etc/sysconfig/xendomains', '/etc/xen'], cwd=root)
    check('outside the paths given' not in out, 'inside them it is: ' + out)
    path = os.path.join(root, 'etc/sysconfig/xendomains')
    text = open(path).read()
    text = text.replace('XENDOMAINS_RESTORE=true', 'XENDOMAINS_RESTORE=yes')
    text = text.replace('XENDOMAINS_USLEEP=100000', 'XENDOMAINS_USLEEP=100ms')
    text = text.replace('XENDOMAINS_SHUTDOWN="--halt --wait"', 'XENDOMAINS_SHUTDOWN="--halt --wiat"')
    text = text.replace('XENDOMAINS_SAVE=/var/lib/xen/save', 'XENDOMAINS_SAVE=/var/lib/xen/saved')
    text += 'XENDOMAINS_AUTOONLY=true\n'
    write(path, text)
    rc, out, _ = xmc(['--root', root, 'check', '/etc/sysconfig/xendomains'], cwd=root)
    check(rc == 1, 'broken settings exit 1')
    for what in ["'XENDOMAINS_RESTORE' should be 'true' or 'false', found 'yes' [xendomains-type]",
                 "'XENDOMAINS_USLEEP' should be a non-negative integer, found '100ms'",
                 "'XENDOMAINS_SHUTDOWN': '--wiat' is not an option of 'xm shutdown'",
                 "'XENDOMAINS_SAVE' names '/var/lib/xen/saved', which is not a directory",
                 "did you mean 'XENDOMAINS_AUTO_ONLY'?"]:
        check(what in out, 'xendomains: ' + what)
    check(re.search(r'/etc/sysconfig/xendomains:\d+:\d+: error', out) is not None, 'located xendomains errors')
    check("/etc/xen/web1.cfg" in out or 'duplicate' not in out, 'configs of AUTO compiled with the settings')


def test_formats(root):
    rc, out, _ = xmc(['--root', root, 'check', '--format', 'json', '/etc/xen'], cwd=root)
    doc = json.loads(out)
    check(isinstance(doc, list) and doc, 'json is a list of diagnostics')
    keys = ['file', 'line', 'column', 'end_column', 'severity', 'id', 'message', 'path', 'notes']
    check(all(list(d.keys()) == keys for d in doc), 'json objects have the documented keys in order')
    check(any(d['id'] == 'duplicate-mac' and d['line'] == 5 and d['severity'] == 'error' for d in doc),
          'json carries positions and ids')
    rc, out, _ = xmc(['--root', root, 'check', '--format', 'sarif', '/etc/xen'], cwd=root)
    sarif = json.loads(out)
    try:
        import jsonschema
    except ImportError:
        check(False, 'python3-jsonschema is needed to validate SARIF (make test installs it)')
        return
    schema = json.load(open(os.path.join(xmtest.CORPUS, 'sarif', 'sarif-schema-2.1.0.json')))
    try:
        jsonschema.validate(sarif, schema)
        check(True, '')
    except jsonschema.ValidationError as e:
        check(False, 'SARIF validates against the official 2.1.0 schema: %s' % e.message)
    results = sarif['runs'][0]['results']
    check(any(r['ruleId'] == 'shared-disk' and r['locations'][0]['physicalLocation']['region']['startLine'] == 4
              for r in results), 'SARIF results carry rule ids and regions')


def test_colour(root):
    # A pseudo-terminal on stdout: colour, unless NO_COLOR is set.
    if shutil.which('script') is None:
        print('note: script(1) not found; colour on a terminal not checked')
        return
    cmd = '%s --root %s check /etc/xen/web2.cfg' % (xmtest.XMC, root)
    p = subprocess.run(['script', '-qec', cmd, '/dev/null'], stdout=subprocess.PIPE, cwd=root,
                       env=dict(xmtest.REFERENCE_ENV, TERM='xterm'), timeout=60)
    check(b'\033[1;35mwarning' in p.stdout, 'colour on a terminal')
    p = subprocess.run(['script', '-qec', cmd, '/dev/null'], stdout=subprocess.PIPE, cwd=root,
                       env=dict(xmtest.REFERENCE_ENV, TERM='xterm', NO_COLOR='1'), timeout=60)
    check(b'\033[' not in p.stdout and b'error' in p.stdout, 'NO_COLOR is honoured')


def test_docs(tmp):
    rc, out, _ = xmc(['explain', 'vif'])
    check(rc == 0 and out.startswith('vif\n') and 'bridge' in out, 'explain vif')
    rc, out, err = xmc(['explain', 'memroy'])
    check(rc == 1 and "did you mean 'memory'?" in err, 'explain suggests for a typo')
    rc, out, _ = xmc(['schema', '--format', 'yaml'])
    check(out == open(os.path.join(xmtest.SOURCE_DIR, 'schema', 'xm-vars.yaml')).read(), 'schema yaml is schema/xm-vars.yaml')
    rc, out, _ = xmc(['schema', '--format', 'json'])
    with open(os.path.join(xmtest.SOURCE_DIR, 'schema', 'xm-vars.yaml'), encoding='utf-8') as f:
        names = re.findall(r'(?m)^  - \{name: (\w+),', f.read())
    check([v['name'] for v in json.loads(out)['variables']] == names, 'schema json has every variable of the YAML')
    rc, out, _ = xmc(['schema', '--format', 'man'])
    man = os.path.join(tmp, 'xmc-config.5')
    write(man, out)
    if shutil.which('man') is None:
        check(False, 'man(1) is needed to render the man page (make test installs man-db)')
        return
    p = subprocess.run(['man', '--warnings', '-l', man], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       env=dict(xmtest.REFERENCE_ENV, MANWIDTH='80', MANPAGER='cat', PAGER='cat'), timeout=60)
    text = p.stdout.decode('utf-8', 'replace')
    check(p.returncode == 0 and p.stderr == b'', 'the man page renders without warnings: %s' % p.stderr.decode())
    check('XMC-CONFIG(5)' in text and 'on_poweroff' in text, 'the man page lists the variables')


def main():
    xmtest.require_corpus()
    tmp = tempfile.mkdtemp(prefix='xmc-check-')
    try:
        root = os.path.join(tmp, 'root')
        make_tree(root)
        for test in (test_tree, test_exit_statuses, test_xendomains, test_formats, test_colour):
            test(root)
        test_docs(tmp)
        test_tree_order(tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return TALLY.finish('check')


if __name__ == '__main__':
    sys.exit(main())
