"""Differential test against the real xm 4.4 (issue 8): random configs drawn from xmc's
schema go through `xm create -n` / `-x` (../shared/tools/xm44/xm, inside
../shared/tools/xmenv.sh, the environment the stored references were captured in) and
through `xmc create -n` / `-x` (with --root set to the same environment rebuilt as a
directory); stdout and the exit status must be identical.

  xm_differential.py [--seed S] [--count N] [--jobs J] [--cache DIR] [--keep DIR] [--quiet]

The generator covers PV and HVM guests, every variable of the schema with valid and
invalid values, declarative files and files with code (imports, % formatting, if,
comprehensions, xm_vars, dict and set iteration, print, float formatting, round), and
NAME=VALUE words. It prints a coverage report. xm's results are cached by the hash of
the config and its words (--cache), so a run can be resumed or repeated cheaply.
Needs Python 2.7 (for xm) and root (xmenv.sh uses a mount namespace): without them it
skips with a message.
"""

import argparse
import base64
import collections
import concurrent.futures
import difflib
import hashlib
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile

import xmtest

XM = os.path.join(xmtest.SHARED, 'tools', 'xm44', 'xm')
XMENV = os.path.join(xmtest.SHARED, 'tools', 'xmenv.sh')
MODES = ['-n', '-x']

# Files the reference environment has (xmenv.sh and xmtest.REFERENCE_FILES agree on these).
KERNELS = ['/boot/vmlinuz', '/boot/vmlinuz-2.6.10-xenU', '/tmp/vmlinuz']
RAMDISKS = ['/tmp/initrd', '/boot/initrd-2.6.13-15b-xen']
WORDS = ['web1', 'db', 'x y', "it's", 'caf\u00e9', '', 'a' * 30, 'xenbr0', '0', '1', 'yes', 'none']


# --- generation -------------------------------------------------------------------------

def mac(r):
    return '00:16:3e:%02x:%02x:%02x' % (r.randrange(256), r.randrange(4), r.randrange(256))


SPECS = {
    # kind: (valid items, invalid items)
    'disk': (['phy:/dev/vg/a,xvda,w', 'phy:sda1,xvda1,r', 'file:/srv/a.img,hda,w', 'tap:aio:/srv/t.img,xvdb,w',
              'tap:qcow2:/srv/q.qcow2,xvdc,r', 'file:/iso/cd.iso,hdc:cdrom,r', 'phy:/dev/vg/b,ioemu:hdb,w',
              'phy:/dev/vg/c,xvdd,w!', 'phy:sda2,sda,w'],
             ['phy:sda1', 'phy:sda1,xvda,x', 'nothing', 'phy:sda1,xvda,w,extra,more,toomany']),
    'vif': (['', 'bridge=xenbr0', 'mac=00:16:3e:00:00:01', 'bridge=br1,mac=00:16:3e:01:02:03', 'type=ioemu',
             'model=e1000,bridge=xenbr0', 'vifname=web0', 'ip=10.0.0.1,script=vif-route', 'rate=10Mb/s',
             'bridge=xenbr0, vifname=v1', 'backend=0'],
            ['bogus=1', 'novalue', 'mac=zz:00:00:00:00:00']),
    'vif2': (['front_mac=00:16:3e:00:00:09, bridge=xenbr0'], ['bogus=1']),
    'vfb': (['type=vnc', 'vnc=1,vncdisplay=3', 'sdl=1', 'vnc=1,vnclisten=0.0.0.0', 'type=sdl,display=:0',
             'vnc=1,keymap=de,vncpasswd=pw'], ['bogus=1']),
    'vusb': (['usbver=2, numports=4, port_1=1-1', 'usbver=1'], ['numports=x', 'port_9=1-2']),
    'pci': (['01:00.0', '0000:02:00.1', '03:00.0,msitranslate=1', '05:1f.7@8', '06:00.0,power_mgmt=1,permissive=0',
             '04:00.*', '08:00.1,2', '09:00.0-3@6', '0a:00.1=0,2=5', '0b:00.3-1'],
            ['zz:00.0', '07:00.0,bogus=1', '0c:00.1,1', '0d:00.1=1,2=2']),
    'vscsi': (['/dev/sdb,0:0:0:0'], ['bad']),
    'ioports': (['2f8-2ff', '3f8'], ['zz', '10-5']),
    'irq': ([3, 4, 7], ['x']),
    'cpuid': (['host,tm=0,sse3=0', '0x1:ecx=0x0', '1,0:edx=' + '1' * 32], ['bogus', '1:eax=xxxx']),
    'access_control': (['policy=,label=dom_x'], ['policy=pol,label=x', 'nonsense']),
}


def value_for(r, spec, valid):
    """(value, valid) for a variable, by its schema type: a valid value or an invalid one."""
    t, name = spec['type'], spec['name']
    if not valid and r.random() < 0.3:
        return r.choice([None, True, (1, 2), {'a': 1}, 1.5, ['l']]), False
    if t == 'int':
        lo, hi = spec.get('range', [0, 100])
        if not valid:
            return r.choice([lo - 1, hi + 1, 'x1', -5]), False
        return r.choice([r.randint(lo, min(hi, lo + 64)), str(r.randint(lo, min(hi, lo + 8)))]), True
    if t == 'bool':
        return (r.choice([0, 1, True, False]), True) if valid else (r.choice([2, 'maybe']), False)
    if t == 'string':
        if spec.get('values'):
            return (r.choice(spec['values']), True) if valid else ('bogus', False)
        special = {
            'kernel': (KERNELS, ['/boot/missing-kernel']), 'ramdisk': (RAMDISKS, ['/boot/missing-initrd']),
            'uuid': (['8f0e4c1a-1b2c-4d5e-8f90-123456789abc'], ['nope']),
            'boot': (['c', 'dc', 'cdn', 'd'], ['x']),
            'loader': (['/usr/lib/xen/boot/hvmloader'], ['/no/such/loader']),
            'bootloader': (['/usr/bin/pygrub', 'pygrub'], ['/no/bootloader']),
            'device_model': (['qemu-dm', '/usr/lib/xen/bin/qemu-dm', 'stubdom-dm'], ['/no/dm']),
            'ip': (['10.0.0.2'], ['x.y']), 'netmask': (['255.255.255.0'], ['x']),
            'cpus': (['0-3', '^1', '0-3,^2'], ['x', '9000']),
        }
        if name in special:
            good, bad = special[name]
            return (r.choice(good), True) if valid else (r.choice(bad), False)
        return r.choice(WORDS), valid
    if t == 'cpus':
        return (r.choice(['0-3', '0-3,^2', ['0', '1-2'], '1']), True) if valid else (r.choice(['x', '9000']), False)
    if t in SPECS:
        good, bad = SPECS[t]
        n = r.randrange(1, 4)
        if valid:
            return [r.choice(good) for _ in range(n)], True
        return [r.choice(good + bad) for _ in range(n - 1)] + [r.choice(bad)], False
    return None, False


def literal(v):
    if isinstance(v, str):
        return repr(v) if "'" not in v else '"%s"' % v
    return repr(v)


# Python 2 behaviour a config may depend on (dict and set order, print, float str, round, ...).
PY2_SNIPPETS = [
    "d = {'web': 1, 'db': 2, 'cache': 3, 'x': 4}\ndescription = ' '.join(d.keys())",
    "s = set(['alpha', 'beta', 'gamma', 'delta'])\ndescription = ','.join(s)",
    "extra = ' '.join(['opt%d=%d' % (i, i * i) for i in range(4)])",
    "print 'configuring', 2, 'disks'",
    "print('a', 1)",
    "description = str(1.0 / 3)",
    "description = 'ratio %s' % (2.0 / 7)",
    "memory = int(round(255.5))",
    "description = str(round(2.5))",
    "memory = 128 * 3 / 2",
    "d = {'a': 1}\nif d.has_key('a'):\n    description = 'has'",
    "import string\ndescription = string.join(['a', 'b'], '-')",
    "import sys\ndescription = str(sys.maxint > 0)",
    "description = '%(n)s-%(m)d' % {'n': 'vm', 'm': 3}",
    "description = repr({'k': 1, 'j': 2, 'a': 3})",
    "description = str([x for x in 'abc'])",
    "vcpus = len([1, 2, 3]) - 1",
    "import os\ndescription = os.path.basename('/etc/xen/web.cfg')",
    "description = '%5.2f' % 3.14159",
    "description = str(10 ** 20)",
    "description = str(7 // 2) + str(-7 / 2)",
    "description = 'x' * 3 + str(True + 1)",
]


def head_lines(r, prefix, index, code, hvm, kernels):
    """The start of a generated config: its code preamble (vmid from xm_vars or fixed), its
    name and its kernel (hvmloader for an HVM guest). Shared with tests/gen_configs.py."""
    lines = []
    if code:
        lines.append('import os')
        if r.random() < 0.5:
            lines.append("xm_vars.var('vmid', use='Virtual machine id.', check=lambda n, v: None)")
            lines.append('xm_vars.check()')
            lines.append("vmid = int(vmid) if vmid else 1")
        else:
            lines.append('vmid = 2')
    lines.append("name = '%s%d'" % (prefix, index) if not code else "name = '%s%%d-%%d' %% (%d, vmid)" % (prefix, index))
    if hvm:
        lines.append("builder = 'hvm'")
        lines.append("kernel = '/usr/lib/xen/boot/hvmloader'")
    else:
        lines.append('kernel = %s' % literal(r.choice(kernels)))
    return lines


def make_config(r, variables, index):
    """(text, words, coverage): one config, its NAME=VALUE words and (variable, valid) pairs."""
    lines = ['# differential config %d' % index]
    hvm = r.random() < 0.4
    code = r.random() < 0.35
    coverage = []
    lines += head_lines(r, 'x', index, code, hvm, KERNELS)
    # The head's name and builder are valid; now and then one is not (a false name is no
    # name to xm, another builder makes neither a PV nor an HVM image).
    if r.random() < 0.04:
        lines.append('name = %s' % r.choice(["''", '0', "'x y'", "['a']", '5']))
        coverage.append(('name', False))
    else:
        coverage.append(('name', True))
    if not hvm and r.random() < 0.04:
        lines.append('builder = %s' % r.choice(["'bogus'", '5', "''", "'HVM'"]))
        coverage.append(('builder', False))
    elif hvm:
        coverage.append(('builder', True))
    usable = [v for v in variables if v['name'] not in ('name', 'builder')]
    chosen = r.sample(usable, r.randrange(2, 9))
    # Most configs are clean; the others have one to three invalid values (enough for every
    # variable to be drawn invalid ten times in a few thousand configs).
    bad = set() if r.random() < 0.6 else set(r.sample(range(len(chosen)), min(len(chosen), r.randrange(1, 4))))
    for i, spec in enumerate(chosen):
        value, valid = value_for(r, spec, i not in bad)
        coverage.append((spec['name'], valid))
        line = '%s = %s' % (spec['name'], literal(value))
        if code and r.random() < 0.2:
            lines.append('if vmid > 1:\n    %s\nelse:\n    pass' % line)
        else:
            lines.append(line)
    if code:
        for snippet in r.sample(PY2_SNIPPETS, r.randrange(1, 4)):
            lines.append(snippet)
    words = []
    if r.random() < 0.25:
        for spec in r.sample([v for v in usable if v['conv'] != 'none'], r.randrange(1, 3)):
            value, valid = value_for(r, spec, r.random() < 0.85)
            if isinstance(value, list):
                value = value[0] if value else ''
            if not isinstance(value, (str, int)) or isinstance(value, bool):
                continue
            coverage.append((spec['name'], valid))
            words.append('%s=%s' % (spec['name'], value))
        if code and r.random() < 0.5:
            words.append('vmid=%d' % r.randrange(1, 5))
    return '\n'.join(lines) + '\n', words, coverage


# Values of every Python type a config can hold, for the type matrix (--types).
TYPE_VALUES = ['5', '0', '-3', '1.5', "'x'", "''", "['a']", '[]', '(1, 2)', "{'a': 1}", 'True', 'None']


def type_matrix(variables):
    """Every variable with a value of every type, in a PV and an HVM config (and for the
    variables xm treated specially only with others set: a bootloader, ip, nfs_root, cpuid):
    the class of 'what did xm do with a value of the wrong type'. Deterministic order."""
    heads = {
        'pv': ["kernel = '/boot/vmlinuz'"],
        'hvm': ["builder = 'hvm'", "kernel = '/usr/lib/xen/boot/hvmloader'"],
        'pv-context': ["kernel = '/boot/vmlinuz'", "bootloader = '/usr/bin/pygrub'", "ip = '10.0.0.2'",
                       "nfs_server = '10.0.0.1'", "nfs_root = '/srv/nfs'", "cpuid = ['1:eax=0x1']"],
    }
    out = []
    for spec in variables:
        for guest, head in sorted(heads.items()):
            for value in TYPE_VALUES:
                lines = ['# type matrix: %s = %s (%s)' % (spec['name'], value, guest)]
                lines += [] if spec['name'] == 'name' else ["name = 'types'"]
                lines += [l for l in head if not l.startswith(spec['name'] + ' ')]
                lines.append('%s = %s' % (spec['name'], value))
                out.append(('\n'.join(lines) + '\n', [], [(spec['name'], False)]))
    return out


# --- running ----------------------------------------------------------------------------

# Runs inside xmenv.sh (cwd /etc/xen): each config as /etc/xen/KEY.cfg through xm, one
# JSON line per run on stdout.
DRIVER = r'''
import base64, json, os, shutil, subprocess, sys
for key, cfg, words in json.load(open(sys.argv[1])):
    shutil.copyfile(cfg, '/etc/xen/%s.cfg' % key)
    for mode in ('-n', '-x'):
        try:
            p = subprocess.run([sys.argv[2], 'create', mode, key + '.cfg'] + words, stdin=subprocess.DEVNULL,
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, timeout=30)
            rc, out = p.returncode, p.stdout
        except subprocess.TimeoutExpired:
            rc, out = -1, b''
        print(json.dumps([key, mode, rc, base64.b64encode(out).decode()]), flush=True)
    os.remove('/etc/xen/%s.cfg' % key)
'''


def xm_available():
    if os.geteuid() != 0:
        return 'xmenv.sh needs root (a mount namespace)'
    if not os.path.exists(XM):
        return 'the xm 4.4 oracle is not there (%s)' % XM
    p = subprocess.run([XM, '--help'], capture_output=True)
    if p.returncode == 125:
        return 'no Python 2.7 for the xm 4.4 oracle'
    return None


def run_xm_batch(items, workdir):
    """items: [(key, cfg_path, words)] -> {(key, mode): (rc, stdout)} from the real xm."""
    listing = os.path.join(workdir, 'list-%s.json' % items[0][0])
    with open(listing, 'w') as f:
        json.dump(items, f)
    driver = os.path.join(workdir, 'driver.py')
    with open(driver, 'w') as f:
        f.write(DRIVER)
    p = subprocess.run([XMENV, items[0][1], '--', sys.executable, driver, listing, XM], capture_output=True)
    out = {}
    for line in p.stdout.decode().splitlines():
        try:
            key, mode, rc, data = json.loads(line)
        except ValueError:
            continue
        out[(key, mode)] = (rc, base64.b64decode(data))
    return out


def show(cfg, words):
    """Both tools on one config: xm's stderr, and the diff of stdout for -n and -x."""
    work = tempfile.mkdtemp(prefix='xm-show-')
    root = xmtest.make_reference_root()
    try:
        key = 'k' + os.path.basename(cfg).split('.')[0].lstrip('k')
        path = os.path.join(work, key + '.cfg')
        shutil.copyfile(cfg, path)
        xm = run_xm_batch([(key, path, words)], work)
        for mode in MODES:
            want_rc, want_out = xm.get((key, mode), (None, b''))
            rc, out, err = xmtest.run_create_n(root, path, args=words, flag=mode)
            print('== create %s: xm rc %s, xmc rc %d' % (mode, want_rc, rc))
            for line in difflib.unified_diff(want_out.decode('utf-8', 'replace').splitlines(),
                                             out.decode('utf-8', 'replace').splitlines(), 'xm', 'xmc', lineterm=''):
                print(line if len(line) < 300 else line[:300] + '...')
            if err.strip():
                print('-- xmc stderr:\n' + err.strip())
    finally:
        shutil.rmtree(work, ignore_errors=True)
        shutil.rmtree(root, ignore_errors=True)
    return 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--seed', type=int, default=1)
    ap.add_argument('--count', type=int, default=300)
    ap.add_argument('--jobs', type=int, default=2)
    ap.add_argument('--cache', default=os.path.join(xmtest.SOURCE_DIR, 'build', 'xm-cache'))
    ap.add_argument('--keep', help='write the configs that disagree (and their outputs) here')
    ap.add_argument('--quiet', action='store_true')
    ap.add_argument('--types', action='store_true',
                    help='the type matrix (every variable with a value of every type) instead of random '
                         'configs; --count takes that many of it, drawn with --seed (0: all)')
    ap.add_argument('--show', nargs='+', metavar=('CONFIG', 'NAME=VALUE'),
                    help='run one config (and its words) through both and show the differences')
    args = ap.parse_args()
    why = xm_available()
    if why:
        print('xm differential: skipped: ' + why)
        return xmtest.SKIP
    if args.show:
        return show(args.show[0], args.show[1:])

    schema = json.loads(subprocess.run([xmtest.XMC, 'schema', '--format', 'json'], check=True,
                                       capture_output=True).stdout)
    variables = schema['variables']
    r = random.Random(args.seed)
    work = tempfile.mkdtemp(prefix='xm-diff-')
    os.makedirs(args.cache, exist_ok=True)
    cases = []
    coverage = collections.Counter()
    if args.types:
        generated = type_matrix(variables)
        if args.count:
            generated = r.sample(generated, min(args.count, len(generated)))
    else:
        generated = (make_config(r, variables, i) for i in range(args.count))
    for text, words, cov in generated:
        for name, valid in cov:
            coverage[(name, valid)] += 1
        key = hashlib.sha256((text + '\0' + '\0'.join(words)).encode()).hexdigest()[:20]
        path = os.path.join(work, 'k%s.cfg' % key)
        with open(path, 'w', encoding='utf-8') as f:
            f.write(text)
        cases.append(('k' + key, path, words, text))

    # The real xm, for the cases not cached yet, in --jobs batches at once.
    todo = [c for c in cases if not os.path.exists(os.path.join(args.cache, c[0] + '.json'))]
    if todo:
        batches = [todo[j::args.jobs] for j in range(args.jobs) if todo[j::args.jobs]]
        procs = []
        with concurrent.futures.ThreadPoolExecutor(len(batches)) as ex:
            for result in ex.map(lambda b: run_xm_batch([(k, p, w) for k, p, w, _ in b], work), batches):
                procs.append(result)
        for result in procs:
            by_key = collections.defaultdict(dict)
            for (key, mode), (rc, out) in result.items():
                by_key[key][mode] = [rc, base64.b64encode(out).decode()]
            for key, modes in by_key.items():
                if len(modes) == len(MODES):
                    # Whole or not at all: the two differential tests share the cache and
                    # run side by side, and a reader must never find half a file.
                    target = os.path.join(args.cache, key + '.json')
                    fd, tmp = tempfile.mkstemp(dir=args.cache, prefix='.' + key)
                    with os.fdopen(fd, 'w') as f:
                        json.dump(modes, f)
                    os.replace(tmp, target)

    root = xmtest.make_reference_root()
    same = collections.Counter()
    total = collections.Counter()
    shown = 0
    compiled = 0
    unfinished = collections.Counter()
    missing = []

    def xmc_results(case):
        key, path, words, _ = case
        return {mode: xmtest.run_create_n(root, path, args=words, flag=mode) for mode in MODES}

    try:
        with concurrent.futures.ThreadPoolExecutor(args.jobs) as ex:
            ours = list(ex.map(xmc_results, cases))
        for (key, path, words, text), mine in zip(cases, ours):
            cached = os.path.join(args.cache, key + '.json')
            if not os.path.exists(cached):
                print('xm gave no result for %s' % path)
                missing.append(key)
                continue
            with open(cached) as f:
                xm = json.load(f)
            for mode in MODES:
                want_rc, want_out = xm[mode][0], base64.b64decode(xm[mode][1])
                if want_rc == -1:
                    # xm itself did not finish in 30 s (maxmem = '8' made it build a string
                    # of millions of characters for -x): no answer to compare with.
                    unfinished[mode] += 1
                    continue
                rc, out, err = mine[mode]
                total[mode] += 1
                if mode == '-n' and want_rc == 0:
                    compiled += 1
                if rc == want_rc and out == want_out:
                    same[mode] += 1
                    continue
                if args.keep:
                    os.makedirs(args.keep, exist_ok=True)
                    shutil.copy(path, os.path.join(args.keep, key + '.cfg'))
                    with open(os.path.join(args.keep, key + '.words'), 'w') as f:
                        f.write(' '.join(words) + '\n')
                if shown < 12 and not args.quiet:
                    shown += 1
                    print('DIFFERS: create %s %s %s (rc %d, xm %d)' % (mode, key, ' '.join(words), rc, want_rc))
                    for line in difflib.unified_diff(want_out.decode('utf-8', 'replace').splitlines(),
                                                     out.decode('utf-8', 'replace').splitlines(),
                                                     'xm', 'xmc', lineterm='', n=1):
                        print('    ' + (line if len(line) < 200 else line[:200] + '...'))
                    if err.strip():
                        print('    stderr: ' + err.strip()[:400])
    finally:
        shutil.rmtree(root, ignore_errors=True)
        shutil.rmtree(work, ignore_errors=True)

    names = [v['name'] for v in variables]
    if args.types:
        print('type matrix: %d configs (%d variables, %d values each in 3 contexts), %d compile under xm'
              % (len(cases), len(names), len(TYPE_VALUES), compiled))
    else:
        low_valid = [n for n in names if coverage[(n, True)] < 50]
        low_invalid = [n for n in names if coverage[(n, False)] < 10]
        print('coverage: %d variables; %d configs, %d%% of them compile under xm; '
              'below 50 valid uses: %d variables, below 10 invalid uses: %d variables'
              % (len(names), args.count, 100 * compiled // max(1, args.count), len(low_valid), len(low_invalid)))
    if unfinished:
        print('xm did not finish within 30 s on: -n %d, -x %d configs (not compared)'
              % (unfinished['-n'], unfinished['-x']))
    print('xm differential: -n %d/%d, -x %d/%d identical' % (same['-n'], total['-n'], same['-x'], total['-x']))
    if missing:
        print('xm gave no result for %d configs: the oracle failed, nothing was compared for them' % len(missing))
    return 0 if same == total and sum(total.values()) and not missing else 1


if __name__ == '__main__':
    sys.exit(main())
