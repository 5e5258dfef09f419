"""Shared helpers of xmc's script tests: where things are, the reference environment of
shared/corpus/expected/README.txt rebuilt as a --root directory, and running xmc."""

import atexit
import ctypes
import fcntl
import os
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import threading

SKIP = 77  # ctest SKIP_RETURN_CODE

SOURCE_DIR = os.environ.get('XMC_SOURCE_DIR') or os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
XMC = os.path.abspath(os.environ.get('XMC') or os.path.join(SOURCE_DIR, 'build', 'xmc'))
SHARED = os.environ.get('XMC_SHARED') or os.path.join(SOURCE_DIR, '..', 'shared')
CORPUS = os.path.join(SHARED, 'corpus')
EXPECTED = os.path.join(CORPUS, 'expected')

# The host files the reference run had (expected/README.txt, ENVIRONMENT): the kernels xm
# looked for, hvmloader, pygrub (bin dir and the /usr/bin symlink), the device models.
REFERENCE_FILES = [
    '/boot/vmlinuz', '/boot/vmlinuz-2.6.10-xenU', '/boot/vmlinuz-2.6.13-15b-xen',
    '/boot/initrd-2.6.13-15b-xen', '/path/to/domU/kernel', '/tmp/vmlinuz', '/tmp/initrd',
    '/etc/xen/pv-grub.gz', '/etc/xen/guest_firmware.bin', '/usr/lib/xen/boot/hvmloader&test',
    '/usr/lib/xen/boot/hvmloader', '/usr/lib/xen/bin/pygrub', '/usr/bin/pygrub',
    '/usr/lib/xen/bin/qemu-dm', '/usr/lib/xen/bin/stubdom-dm',
    '/boot/vmlinuz-xen', '/boot/vmlinuz-2.6.32-xen', '/boot/initrd-2.6.32-xen.img',
]

# Command-line variables of the reference run.
REFERENCE_VARS = {'xmexample2': ['vmid=1'], 'xmexample3': ['vmid=2']}

# The reference environment: user root, no X display.
REFERENCE_ENV = {'PATH': '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
                 'HOME': '/root', 'LC_ALL': 'C'}
# A sanitizer build (-DXMC_SANITIZE=ON) is steered by these; pass them through.
for _name in ('ASAN_OPTIONS', 'UBSAN_OPTIONS', 'LSAN_OPTIONS'):
    if _name in os.environ:
        REFERENCE_ENV[_name] = os.environ[_name]


def corpus_configs():
    """(corpus path, expected prefix) for every config of the shared corpus with expected
    outputs, in a stable order."""
    out = []
    for sub in ('xen-examples', 'libvirt/xmconfigdata', 'libvirt/xlconfigdata'):
        d = os.path.join(CORPUS, sub)
        for name in sorted(os.listdir(d)):
            prefix = os.path.join(EXPECTED, sub, name)
            if os.path.exists(prefix + '.xm-n.out'):
                out.append((os.path.join(d, name), prefix))
    return out


GOLDEN = os.path.join(SOURCE_DIR, 'tests', 'golden')
GOLDEN_ROOT = os.path.join(GOLDEN, 'root')
XL_DRYRUN = os.path.join(SHARED, 'tools', 'xl-dryrun')
_xl_cache = []
_xl_cache_lock = threading.Lock()


def run_xl_dryrun(path):
    """xl-dryrun on a config: (rc, stdout, stderr) as text. xl-dryrun compiles its preloaded
    shim into $XDG_CACHE_HOME when it is missing; tests running side by side compiled and
    loaded the same file at once. Here each test process has a cache of its own, filled
    once (xl-dryrun without arguments builds the shim, then stops) before any run."""
    with _xl_cache_lock:
        if not _xl_cache:
            cache = tempfile.mkdtemp(prefix='xmc-xl-cache-')
            atexit.register(shutil.rmtree, cache, True)
            subprocess.run([XL_DRYRUN], env=dict(os.environ, XDG_CACHE_HOME=cache, TMPDIR=cache),
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            _xl_cache.append(cache)
    p = subprocess.run([XL_DRYRUN, path], stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120,
                       env=dict(os.environ, XDG_CACHE_HOME=_xl_cache[0]))
    return p.returncode, p.stdout.decode('utf-8', 'replace'), p.stderr.decode('utf-8', 'replace')


def golden_case_args(cfg):
    """The words of a golden case's `# ARGS:` first line (options and NAME=VALUE)."""
    with open(cfg, 'rb') as f:
        first = f.readline().decode('utf-8', 'replace')
    return first[len('# ARGS:'):].split() if first.startswith('# ARGS:') else []


def golden_success_cases():
    """(config path, NAME=VALUE words) of every golden case expected to compile."""
    out = []
    for area in sorted(os.listdir(GOLDEN)):
        d = os.path.join(GOLDEN, area)
        if d == GOLDEN_ROOT or not os.path.isdir(d):
            continue
        for f in sorted(os.listdir(d)):
            if f.endswith('.cfg') and not f.startswith('bad-'):
                path = os.path.join(d, f)
                out.append((path, [a for a in golden_case_args(path) if not a.startswith('--')]))
    return out


def backend_cases(reference_root):
    """(config path, expected prefix or None, NAME=VALUE words, --root directory) of every
    config a back end is checked on: the corpus configs with the reference's command-line
    words, read against the reference root, then the golden success cases, read against
    tests/golden/root (they name its files)."""
    cases = [(c, p, REFERENCE_VARS.get(os.path.basename(c), []), reference_root) for c, p in corpus_configs()]
    cases += [(c, None, words, GOLDEN_ROOT) for c, words in golden_success_cases()]
    return cases


def xl_unavailable():
    """Why the real xl cannot run here ('' if it can)."""
    if not os.path.exists(XL_DRYRUN):
        return 'xl-dryrun not found at %s' % XL_DRYRUN
    if os.geteuid() != 0:
        return 'xl-dryrun needs root'
    if not os.path.exists('/usr/lib/xen-4.17/bin/xl'):
        return 'needs the Debian packages xen-utils-4.17 and libxen-dev'
    return ''


def python27():
    """A Python 2.7 interpreter, found as the xm44 oracle finds it ('' if there is none)."""
    candidates = [os.environ.get('XM44_PYTHON', '')]
    pyenv = os.path.join(os.path.expanduser('~'), '.pyenv', 'versions')
    if os.path.isdir(pyenv):
        candidates += [os.path.join(pyenv, v, 'bin', 'python2.7') for v in sorted(os.listdir(pyenv))
                       if v.startswith('2.7')]
    candidates += ['/usr/bin/python2.7', '/usr/local/bin/python2.7']
    for c in candidates:
        if c and os.access(c, os.X_OK) and subprocess.run([c, '-c', 'import sys'], stdout=subprocess.DEVNULL,
                                                          stderr=subprocess.DEVNULL).returncode == 0:
            return c
    return ''


def require_corpus():
    if not os.path.isdir(EXPECTED):
        print('SKIP: shared corpus not found at %s (set XMC_SHARED)' % CORPUS)
        sys.exit(SKIP)


def make_reference_root():
    root = tempfile.mkdtemp(prefix='xmc-root-')
    for f in REFERENCE_FILES:
        path = root + f
        os.makedirs(os.path.dirname(path), exist_ok=True)
        open(path, 'w').close()
    os.makedirs(root + '/etc/xen', exist_ok=True)
    os.makedirs(root + '/root', exist_ok=True)
    return root


def run_create_n(root, config_path, args=None, extra=None, env=None, flag='-n'):
    """Runs `xmc --root ROOT create -n NAME VARS` (or -x) from ROOT/etc/xen with the config
    copied there, as the reference run did. Returns (rc, stdout bytes, stderr text)."""
    name = os.path.basename(config_path)
    shutil.copyfile(config_path, os.path.join(root, 'etc/xen', name))
    base = name
    vars_ = REFERENCE_VARS.get(base, []) if args is None else args
    cmd = [XMC, '--root', root] + (extra or []) + ['create', flag, name] + vars_
    p = subprocess.run(cmd, cwd=os.path.join(root, 'etc/xen'), env=env or REFERENCE_ENV,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60)
    return p.returncode, p.stdout, p.stderr.decode('utf-8', 'replace')


def read(path, mode='rb'):
    with open(path, mode) as f:
        return f.read()


# --- Helpers of the assertion-style test scripts (cli_test, check_test) -----------------

class Tally:
    """Counts checks; prints each failure as it happens and a closing line at the end."""

    def __init__(self):
        self.passed = 0
        self.failures = []

    def check(self, cond, what):
        if cond:
            self.passed += 1
        else:
            self.failures.append(what)
            print('FAIL: ' + what)

    def finish(self, name):
        print('%s: %d passed, %d failed' % (name, self.passed, len(self.failures)))
        return 1 if self.failures else 0


NOBODY = 65534


def again_as_nobody(script, args, name):
    """For a test run as root that must also hold for an unprivileged user: runs `script`
    again as nobody with `args` (which must keep it from doing so once more); its exit
    status, or 0 with a message when nobody cannot run xmc here (a build tree in a
    private home)."""
    drop = ['setpriv', '--reuid=%d' % NOBODY, '--regid=%d' % NOBODY, '--clear-groups']
    probe = subprocess.run(drop + [XMC, '--version'], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if probe.returncode != 0:
        print('%s: not run again as nobody, who cannot run %s here (%s)'
              % (name, XMC, probe.stderr.decode(errors='replace').strip()[:200]))
        return 0
    env = dict(os.environ, XMC=XMC, XMC_SOURCE_DIR=SOURCE_DIR)
    env.pop('TMPDIR', None)
    p = subprocess.run(drop + ['/usr/bin/python3', os.path.abspath(script)] + args, cwd='/', env=env, timeout=900)
    if p.returncode == SKIP:
        print('%s: skipped as nobody (see above)' % name)
        return 0
    return p.returncode


def module_path():
    """Where the Python module xmc is: PYTHONPATH's, else the build tree's beside xmc ('' if none)."""
    for d in os.environ.get('PYTHONPATH', '').split(os.pathsep) + [os.path.join(os.path.dirname(XMC), 'python')]:
        if d and os.path.exists(os.path.join(d, 'xmc', '__init__.py')):
            return d
    return ''


def run_xmc(args, cwd=None, env=None, stdin=None, timeout=30):
    """Runs xmc in the reference environment (plus `env`); returns (rc, stdout, stderr) as text."""
    e = dict(REFERENCE_ENV)
    e.update(env or {})
    p = subprocess.run([XMC] + args, cwd=cwd, env=e, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       timeout=timeout, input=stdin)
    return p.returncode, p.stdout.decode('utf-8', 'replace'), p.stderr.decode('utf-8', 'replace')


def write_text(path, text):
    d = os.path.dirname(path)
    if d:
        os.makedirs(d, exist_ok=True)
    with open(path, 'w') as f:
        f.write(text)


# --- Scoping a test to what it started ------------------------------------------------
# Tests run side by side (ctest -j): a test that looks at the whole machine (every process
# named xmc-eval, every file in /tmp, a fixed port) sees its neighbours. These look only at
# the test's own process tree, or give it namespaces of its own.

PR_SET_CHILD_SUBREAPER = 36


def become_subreaper():
    """Makes this process the reaper of the orphans among its descendants (Linux's
    PR_SET_CHILD_SUBREAPER): a process a child leaves behind when it ends is re-parented
    to this one, not to init, so descendants() still finds it."""
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), 'prctl(PR_SET_CHILD_SUBREAPER)')


def descendants():
    """pid -> (uid, command name) of every live process below this one (zombies, which
    have ended and wait only to be reaped, are not counted)."""
    procs = {}
    for d in os.listdir('/proc'):
        if not d.isdigit():
            continue
        try:
            with open('/proc/%s/stat' % d) as f:
                stat_ = f.read()
            with open('/proc/%s/status' % d) as f:
                uid = next(int(l.split()[1]) for l in f if l.startswith('Uid:'))
        except (OSError, StopIteration, ValueError):
            continue
        name, rest = stat_[stat_.index('(') + 1:stat_.rindex(')')], stat_[stat_.rindex(')') + 2:].split()
        procs[int(d)] = (int(rest[1]), rest[0], uid, name)
    mine, seen, frontier = {}, set(), {os.getpid()}
    while frontier:
        children = {pid for pid, (ppid, _, _, _) in procs.items() if ppid in frontier and pid not in seen}
        seen |= children
        for pid in children:
            ppid, state, uid, name = procs[pid]
            if state != 'Z':
                mine[pid] = (uid, name)
        frontier = children
    return mine


ISOLATED = 'XMC_TEST_ISOLATED'


def _loopback_up():
    """Brings up `lo` in a new network namespace (it starts down)."""
    siocgifflags, siocsifflags, iff_up = 0x8913, 0x8914, 0x1
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        flags = struct.unpack('16sH14x', fcntl.ioctl(s, siocgifflags, struct.pack('16sH14x', b'lo', 0)))[1]
        fcntl.ioctl(s, siocsifflags, struct.pack('16sH14x', b'lo', flags | iff_up))


def _private_tmp():
    """An empty tmpfs on /tmp, seen by this process and its descendants only."""
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.mount(b'xmc-test-tmp', b'/tmp', b'tmpfs', 0, b'mode=1777') != 0:
        raise OSError(ctypes.get_errno(), 'mount tmpfs on /tmp')


def unshare(*namespaces):
    """The command-line prefix that runs a command in new namespaces (unshare's flags, as
    '--mount'), with a user namespace of its own when not root; (None, why) where they
    cannot be made here."""
    tool = shutil.which('unshare')
    if tool is None:
        return None, 'unshare (util-linux) is not installed'
    cmd = [tool] + list(namespaces)
    if '--mount' in namespaces:
        cmd += ['--propagation', 'private']
    if os.geteuid() != 0:
        # The user's own uid inside, with the namespace's capabilities kept for the set-up
        # (a mount); drop_capabilities() gives them up before anything runs under test.
        cmd += ['--user', '--map-current-user', '--keep-caps']
    probe = subprocess.run(cmd + ['true'], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    if probe.returncode != 0:
        return None, probe.stdout.decode(errors='replace').strip()
    return cmd, ''


def drop_capabilities():
    """Clears the ambient capabilities unshare --keep-caps left, so that what this process
    starts from now on runs with the user's own rights (a no-op for root)."""
    pr_cap_ambient, pr_cap_ambient_clear_all = 47, 4
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(pr_cap_ambient, pr_cap_ambient_clear_all, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), 'prctl(PR_CAP_AMBIENT_CLEAR_ALL)')


def run_isolated(script, args):
    """Runs `script` again in mount and network namespaces of its own, with a /tmp and a
    loopback interface no other process shares, as the reaper of its orphans. Returns its
    exit status, SKIP where namespaces are not available, or None when called from inside
    (then the caller goes on with its test)."""
    if os.environ.get(ISOLATED) == 'inside':
        _private_tmp()
        _loopback_up()
        drop_capabilities()
        become_subreaper()
        return None
    cmd, why = unshare('--mount', '--net')
    if cmd is None:
        print('SKIP: no mount and network namespaces here (%s); this test needs its own /tmp and loopback' % why)
        return SKIP
    env = dict(os.environ)
    env[ISOLATED] = 'inside'
    return subprocess.run(cmd + [sys.executable, os.path.abspath(script)] + args, env=env).returncode
