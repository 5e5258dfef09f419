"""Start-up and batch speed (issue 9, item 4), each measured side by side in one run on the
same files, with ratios; nothing is asserted.

(a) one declarative config, whole process: `xmc create -n` against the real xl 4.17's
    `xl -N create -n`, both run inside the private mount namespace that
    ../shared/tools/xl-dryrun sets up (its dummy /dev/xen and preloaded shim), so that
    the wrapper's own start-up is not counted.
(b) one config with code, whole process: `xmc compile` against `/usr/bin/python3 -S`
    executing the same file; with the breakdown: xmc alone (`--version`), the worker's
    bare interpreter start, the worker's start with the evaluator loaded, python3 -S
    with nothing to run.
(c) `xmc check` on a generated tree of 10,000 configs, 20 % with code: wall time, and the
    peak memory of xmc and all its workers and children together (the sum of their
    proportional set sizes, sampled every 2 ms in a separate run); and a shell loop of
    the real xl over the same tree's declarative files.

With --against XMC (another build's xmc, e.g. of the commit before a change), only (b) and
(c) are measured, this build against that one, pair by pair: whether a change cost speed.

Usage: speed.py [--repeat N] [--files N] [--json FILE] [--against XMC]. Pairs run A B A B
...; medians and the median of the pair-by-pair ratios are printed."""

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'tests'))
import xmtest  # noqa: E402

WORKER = os.path.join(os.path.dirname(xmtest.XMC), 'xmc-eval')
XL = '/usr/lib/xen-4.17/bin/xl'
DECLARATIVE = """name = 'web%(i)d'
memory = 512
maxmem = 1024
vcpus = 2
bootloader = '/usr/bin/pygrub'
disk = ['phy:/dev/vg0/web%(i)d-root,xvda,w', 'phy:/dev/vg0/web%(i)d-swap,xvdb,w']
vif = ['mac=00:16:3e:00:%(a)02x:%(b)02x,bridge=xenbr0']
on_reboot = 'restart'
on_crash = 'restart'
"""
WITH_CODE = """import os
vmid = %(i)d
name = 'db%%d' %% vmid
memory = 256 * 4
vcpus = 2
bootloader = '/usr/bin/pygrub'
disk = ['phy:/dev/vg0/%%s-%%s,xvd%%s,w' %% (name, part, letter) for part, letter in (('root', 'a'), ('data', 'b'))]
vif = ['mac=00:16:3e:01:%(a)02x:%(b)02x,bridge=xenbr0']
if os.path.exists('/etc/xen/scripts'):
    extra = 'console=hvc0'
"""


def run_once(cmd, env=None, cwd=None):
    start = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd=cwd)
    return time.perf_counter() - start


def pair(a, b, repeat, env=None):
    """A and B in turn; (median A, median B, median of A/B pair by pair) in seconds."""
    run_once(a, env)
    run_once(b, env)
    ta, tb, ratios = [], [], []
    for _ in range(repeat):
        x = run_once(a, env)
        y = run_once(b, env)
        ta.append(x)
        tb.append(y)
        ratios.append(x / y)
    return statistics.median(ta), statistics.median(tb), statistics.median(ratios)


def cpu_seconds(cmd):
    """Wall seconds and the CPU seconds (user + system) of `cmd` and everything below it."""
    before = os.times()
    wall = run_once(cmd)
    after = os.times()
    return wall, (after.children_user - before.children_user) + (after.children_system - before.children_system)


def worker_numbers(args):
    """A worker's own figures: microseconds per line it prints."""
    p = subprocess.run([WORKER] + args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    return [int(x) for x in p.stdout.split()] if p.returncode == 0 else []


def single(cmd, repeat, env=None):
    run_once(cmd, env)
    return statistics.median(run_once(cmd, env) for _ in range(repeat))


def shim():
    path = os.path.join(os.environ.get('XDG_CACHE_HOME') or os.path.expanduser('~/.cache'), 'xl-dryrun', 'shim.so')
    if not os.path.exists(path):  # xl-dryrun builds it on first use
        subprocess.run([xmtest.XL_DRYRUN, '/dev/null'], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return path if os.path.exists(path) else None


def in_xl_namespace(args):
    """Runs this script again with `args` inside a mount namespace like xl-dryrun's."""
    script = ('mount -t tmpfs none /dev/xen 2>/dev/null || { mkdir -p /dev/xen; mount -t tmpfs none /dev/xen; }; '
              'touch /dev/xen/privcmd /dev/xen/hypercall; exec "$0" "$@"')
    p = subprocess.run(['unshare', '-m', 'sh', '-c', script, sys.executable, os.path.abspath(__file__)] + args,
                       stdout=subprocess.PIPE, text=True)
    return json.loads(p.stdout) if p.returncode == 0 and p.stdout.strip() else None


def peak_memory(cmd):
    """Wall seconds and the peak of the summed PSS (bytes) of `cmd` and its descendants."""
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peak = 0
    done = threading.Event()

    def sample():
        nonlocal peak
        while not done.is_set():
            parents = {}
            for d in os.listdir('/proc'):
                if d.isdigit():
                    try:
                        with open('/proc/%s/stat' % d) as f:
                            parents[int(d)] = int(f.read().rsplit(')', 1)[1].split()[1])
                    except (OSError, ValueError, IndexError):
                        pass
            family = {proc.pid}
            changed = True
            while changed:
                changed = False
                for pid, ppid in parents.items():
                    if ppid in family and pid not in family:
                        family.add(pid)
                        changed = True
            total = 0
            for pid in family:
                try:
                    with open('/proc/%d/smaps_rollup' % pid) as f:
                        for line in f:
                            if line.startswith('Pss:'):
                                total += int(line.split()[1]) * 1024
                except OSError:
                    pass
            peak = max(peak, total)
            time.sleep(0.002)

    t = threading.Thread(target=sample)
    start = time.perf_counter()
    t.start()
    proc.wait()
    wall = time.perf_counter() - start
    done.set()
    t.join()
    return wall, peak


def make_tree(root, files):
    coded = 0
    for i in range(files):
        sub = os.path.join(root, 'group%02d' % (i % 50))
        os.makedirs(sub, exist_ok=True)
        code = i % 5 == 0  # 20 % with code
        coded += code
        with open(os.path.join(sub, ('db%05d.cfg' if code else 'web%05d.cfg') % i), 'w') as f:
            f.write((WITH_CODE if code else DECLARATIVE) % {'i': i, 'a': i // 256 % 256, 'b': i % 256})
    return coded


def inputs(work, files):
    """The files measured, in `work`: web1.cfg (declarative), db1.cfg (with code), the tree
    of `files` configs and the list of its declarative ones (declarative.txt); returns
    (db1.cfg, the tree, how many of its configs have code)."""
    with open(os.path.join(work, 'web1.cfg'), 'w') as f:
        f.write(DECLARATIVE % {'i': 1, 'a': 0, 'b': 1})
    code = os.path.join(work, 'db1.cfg')
    with open(code, 'w') as f:
        f.write(WITH_CODE % {'i': 1, 'a': 0, 'b': 1})
    tree = os.path.join(work, 'tree')
    coded = make_tree(tree, files)
    with open(os.path.join(work, 'declarative.txt'), 'w') as f:
        for d, _dirs, names in os.walk(tree):
            f.writelines(os.path.join(d, n) + '\n' for n in sorted(names) if n.startswith('web'))
    return code, tree, coded


def against(args, work):
    """(b) and (c) of this build and of `args.against`, pair by pair."""
    other = os.path.abspath(args.against)
    code, tree, coded = inputs(work, args.files)
    print('this build: %s\nagainst:    %s' % (xmtest.XMC, other))
    t_new, t_old, ratio = pair([xmtest.XMC, 'compile', code], [other, 'compile', code], args.repeat)
    print('(b) one config with code, xmc compile: %.2f ms, against %.2f ms: %.2fx' % (t_new * 1e3, t_old * 1e3, ratio))
    runs = max(3, args.repeat // 4)
    c_new, c_old, c_ratio = pair([xmtest.XMC, 'check', tree], [other, 'check', tree], runs)
    _, peak_new = peak_memory([xmtest.XMC, 'check', tree])
    _, peak_old = peak_memory([other, 'check', tree])
    print('(c) xmc check on %d configs (%d with code), median of %d pairs: %.2f s, against %.2f s: %.2fx; '
          'peak memory together %.1f MB, against %.1f MB' % (args.files, coded, runs, c_new, c_old, c_ratio,
                                                             peak_new / 1e6, peak_old / 1e6))
    return {'b': {'this': t_new, 'against': t_old, 'ratio': ratio},
            'c': {'this': c_new, 'against': c_old, 'ratio': c_ratio, 'peak_this': peak_new, 'peak_against': peak_old}}


def inner(args):
    """Inside the namespace: (a) and the xl loop of (c); prints JSON."""
    env = dict(os.environ, LD_PRELOAD=args.shim)
    out = {}
    cfg = os.path.join(args.dir, 'web1.cfg')
    t_xmc, t_xl, ratio = pair([xmtest.XMC, 'create', '-n', cfg], [XL, '-N', 'create', '-n', cfg], args.repeat, env)
    out['a'] = {'xmc': t_xmc, 'xl': t_xl, 'ratio': ratio}
    if args.tree:
        listing = os.path.join(args.dir, 'declarative.txt')
        loop = 'while read f; do "%s" -N create -n "$f" >/dev/null 2>&1; done < "%s"' % (XL, listing)
        start = time.perf_counter()
        subprocess.run(['sh', '-c', loop], env=env)
        out['xl_loop'] = time.perf_counter() - start
    print(json.dumps(out))
    return 0


def figures(args, work):
    """(a), (b) and (c) with their breakdowns; prints them and returns them."""
    results = {'machine': '%s, %d cores, %s' % (platform.machine(), os.cpu_count(), platform.release()),
               'date': time.strftime('%Y-%m-%d')}
    code, tree, coded = inputs(work, args.files)

    why_not = xmtest.xl_unavailable()
    lib = None if why_not else shim()
    xl = in_xl_namespace(['--inner', '--dir', work, '--shim', lib, '--repeat', str(args.repeat), '--tree']) \
        if lib else None
    if xl:
        a = xl['a']
        print('(a) one declarative config, whole process: xmc create -n %.2f ms, xl -N create -n %.2f ms: '
              '%.2fx' % (a['xmc'] * 1e3, a['xl'] * 1e3, a['ratio']))
        results['a'] = a
    else:
        print('(a) skipped: the real xl is not available (%s)' % (why_not or 'no shim'))

    t_xmc, t_py, ratio = pair([xmtest.XMC, 'compile', code], ['/usr/bin/python3', '-S', code], args.repeat)
    parts = {'xmc --version': single([xmtest.XMC, '--version'], args.repeat),
             'worker: bare interpreter start': single([WORKER, '--bench-start'], args.repeat),
             'worker: start + evaluator loaded': single([WORKER, '--bench-load'], args.repeat),
             'python3 -S -c pass': single(['/usr/bin/python3', '-S', '-c', 'pass'], args.repeat)}
    print('(b) one config with code, whole process: xmc compile %.2f ms, python3 -S %.2f ms: %.2fx'
          % (t_xmc * 1e3, t_py * 1e3, ratio))
    for k, v in parts.items():
        print('    %-36s %7.2f ms' % (k, v * 1e3))
    results['b'] = {'xmc': t_xmc, 'python3': t_py, 'ratio': ratio, 'breakdown': parts}

    wall = statistics.median(run_once([xmtest.XMC, 'check', tree]) for _ in range(3))
    _, peak = peak_memory([xmtest.XMC, 'check', tree])
    line = '(c) xmc check on %d configs (%d with code): %.2f s wall, peak memory together %.1f MB' % (
        args.files, coded, wall, peak / 1e6)
    results['c'] = {'files': args.files, 'with_code': coded, 'wall': wall, 'peak_bytes': peak}
    # Where a config with code goes: its CPU time in the sandbox, against the floor.
    code_only = os.path.join(work, 'code-only')
    minimal = os.path.join(work, 'minimal')
    os.makedirs(code_only)
    os.makedirs(minimal)
    for d, _dirs, names in os.walk(tree):
        for n in names:
            if n.startswith('db'):
                shutil.copy(os.path.join(d, n), code_only)
    for i in range(coded):
        with open(os.path.join(minimal, 'm%05d.cfg' % i), 'w') as f:
            f.write("import os\nname = 'm%d'\n" % i)
    per = {}
    for label, d in (('the tree\'s configs with code', code_only), ('minimal configs with code (import os)', minimal)):
        w, cpu = cpu_seconds([xmtest.XMC, 'check', d])
        per[label] = {'wall': w, 'cpu_per_config_ms': cpu / coded * 1e3}
    sample = os.path.join(code_only, sorted(os.listdir(code_only))[0])
    floor = worker_numbers(['--bench-fork'])
    evaluator = worker_numbers(['--bench-eval', sample])
    results['c']['per_config'] = per
    results['c']['floor_us'] = floor
    results['c']['evaluator_us'] = evaluator
    if xl and 'xl_loop' in xl:
        line += '; a loop of xl over its %d declarative files: %.1f s (%.1fx xmc\'s time)' % (
            args.files - coded, xl['xl_loop'], xl['xl_loop'] / wall)
        results['c']['xl_loop'] = xl['xl_loop']
    print(line)
    for label, v in per.items():
        print('    %d %s alone: %.2f s wall, %.2f ms CPU per config (xmc, worker and child together)'
              % (coded, label, v['wall'], v['cpu_per_config_ms']))
    if len(floor) == 6:
        print('    a worker\'s child that ends at once: %.2f ms, %d page faults; that confines itself first: '
              '%.2f ms, %d; and then evaluates "import os; name = \'x\'": %.2f ms, %d'
              % (floor[0] / 1e3, floor[1], floor[2] / 1e3, floor[3], floor[4] / 1e3, floor[5]))
    if evaluator:
        print('    the evaluator alone on one of them, in process: %.2f ms' % (evaluator[0] / 1e3))
    return results


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--repeat', type=int, default=21)
    parser.add_argument('--files', type=int, default=10000)
    parser.add_argument('--json')
    parser.add_argument('--against', help='another build\'s xmc: (b) and (c) of both, pair by pair')
    parser.add_argument('--inner', action='store_true', help=argparse.SUPPRESS)
    parser.add_argument('--dir', help=argparse.SUPPRESS)
    parser.add_argument('--shim', help=argparse.SUPPRESS)
    parser.add_argument('--tree', action='store_true', help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.inner:
        return inner(args)
    if not os.path.exists(xmtest.XMC) or not os.path.exists(WORKER):
        print('speed: build xmc first (%s)' % xmtest.XMC)
        return 1
    work = tempfile.mkdtemp(prefix='xmc-speed-')
    try:
        results = (against if args.against else figures)(args, work)
        if args.json:
            with open(args.json, 'w') as f:
                json.dump(results, f, indent=2)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == '__main__':
    sys.exit(main())
