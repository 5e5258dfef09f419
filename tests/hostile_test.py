"""The hostile corpus (issue 9): every config in tests/hostile/ tries one thing a config
must not do. Each runs through `create -n`, `compile` and `check`, and all of them in one
`check` run with a clean file after each. For each the test asserts: a diagnostic on that
file (one of the ids its `# expect:` line names), ended by xmc's own limits (this test
only has a safety timeout); and over the whole run: the clean files report what they
report alone; no file created or changed in the scratch directory or in /tmp; no process
left; no connection or datagram reached the test's listener; nothing that is not
world-readable (a secret file, /etc/shadow) and no forged output on xmc's stdout.

The test runs in mount and network namespaces of its own (xmtest.run_isolated): its /tmp
is an empty tmpfs and its loopback interface its own, so what it finds there was made or
sent by the configs, never by a compiler or a test running beside it; and it is the reaper
of its orphans, so "no process left" looks at its own process tree, where a daemon a
config started would end up, not at every process of the machine.

Usage: hostile_test.py [--times FILE] (write each run's seconds, for bench/)."""

import argparse
import glob
import json
import os
import re
import shutil
import socket
import stat
import subprocess
import sys
import tempfile
import threading
import time

import xmtest

HOSTILE = os.path.join(xmtest.SOURCE_DIR, 'tests', 'hostile')
PORT = 47391  # the configs' target: a listener of this test on the loopback address
SECRET = '/tmp/xmc-hostile-secret'
VICTIM = '/tmp/xmc-hostile-victim'
SAFETY_TIMEOUT = 30
LIMITS = ['--eval-timeout', '1']
CLEAN = """import os
name = 'clean-%d'
memory = 7 / 2 * 64
bootloader = '/usr/bin/pygrub'
if os.path.exists('/etc/xen'):
    extra = 'xen'
disk = ['phy:/dev/vg/%%s,xvda,w' %% name]
"""


class Listener:
    """A TCP and a UDP socket on 127.0.0.1:PORT that count what reaches them."""

    def __init__(self):
        self.hits = []
        self.tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.tcp.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.tcp.bind(('127.0.0.1', PORT))
        self.tcp.listen(8)
        self.tcp.settimeout(0.2)
        self.udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.udp.bind(('127.0.0.1', PORT))
        self.udp.settimeout(0.2)
        self.stop = False
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def run(self):
        while not self.stop:
            for s, kind in ((self.tcp, 'tcp'), (self.udp, 'udp')):
                try:
                    if kind == 'tcp':
                        c, addr = s.accept()
                        c.close()
                    else:
                        s.recvfrom(65536)
                    self.hits.append(kind)
                except (socket.timeout, OSError):
                    pass

    def close(self):
        self.stop = True
        self.thread.join()
        self.tcp.close()
        self.udp.close()


def snapshot(root, recursive):
    """path -> (kind, mode, size, mtime) below root (its direct entries unless recursive)."""
    out = {}
    if recursive:
        for d, dirs, files in os.walk(root):
            for n in dirs + files:
                p = os.path.join(d, n)
                st = os.lstat(p)
                out[p] = (stat.S_IFMT(st.st_mode), st.st_mode, st.st_size, st.st_mtime_ns)
    else:
        for n in os.listdir(root):
            p = os.path.join(root, n)
            try:
                st = os.lstat(p)
            except FileNotFoundError:
                continue
            out[p] = (stat.S_IFMT(st.st_mode), st.st_mode, st.st_size, st.st_mtime_ns)
    return out


def header(path, key):
    """The words of a config's `# KEY:` line ([] without one)."""
    with open(path, encoding='utf-8', errors='replace') as f:
        for line in f:
            if line.startswith('# %s:' % key):
                return line.split(':', 1)[1].split()
    return []


def expected_ids(path):
    return header(path, 'expect')


class Run:
    def __init__(self, tally, scratch, secrets, times):
        self.tally = tally
        self.scratch = scratch
        self.secrets = secrets
        self.times = times
        self.bad = set()

    def xmc(self, args, label, max_rss_mib=None):
        start = time.monotonic()
        # Output to unnamed files, so that this test reaps xmc itself (wait4: its rusage).
        with tempfile.TemporaryFile() as out_file, tempfile.TemporaryFile() as err_file:
            p = subprocess.Popen([xmtest.XMC] + LIMITS + args, cwd=self.scratch, stdout=out_file, stderr=err_file,
                                 env=dict(xmtest.REFERENCE_ENV, HOME=self.scratch))
            while True:
                pid, status, usage = os.wait4(p.pid, os.WNOHANG)
                if pid:
                    break
                if time.monotonic() - start > SAFETY_TIMEOUT:
                    p.kill()
                    os.wait4(p.pid, 0)
                    p.returncode = -9
                    self.times.append((label, SAFETY_TIMEOUT))
                    return None, '', ''
                time.sleep(0.005)
            p.returncode = os.waitstatus_to_exitcode(status)
            out_file.seek(0)
            err_file.seek(0)
            stdout, stderr = out_file.read(), err_file.read()
        self.times.append((label, time.monotonic() - start))
        # The peak memory of the run (xmc's, or that of the largest process it waited for:
        # the worker or the child), from the kernel's account, not from a clock.
        if max_rss_mib is not None and usage.ru_maxrss > max_rss_mib * 1024:
            self.fail(label, 'peak memory %d MiB, more than %d' % (usage.ru_maxrss // 1024, max_rss_mib))
        out = stdout.decode('utf-8', 'replace')
        err = stderr.decode('utf-8', 'replace')
        for secret in self.secrets:
            if secret in out or secret in err:
                self.fail(label, 'a secret reached the output')
        # What a config writes to descriptor 1 never reaches xmc's stdout; what it prints
        # does only in create -n, where xm showed it too (before the SXP).
        forged = [l for l in out.splitlines() if l.startswith(('FORGED-BY-WRITE', '{"FORGED"')) or (
            not label.endswith('create -n') and l.startswith(('clean.cfg:', '{"PRINTED"')))]
        if forged:
            self.fail(label, 'forged text on stdout: %s' % forged[:3])
        return p.returncode, out, err

    def fail(self, name, what):
        self.bad.add(name.split(' ')[0])
        self.tally.check(False, '%s: %s' % (name, what))

    def one(self, path):
        name = os.path.basename(path)
        ids = expected_ids(path)
        rss = header(path, 'max-rss-mib')
        rss = int(rss[0]) if rss else None

        def diagnosed(text, label):
            lines = [l for l in text.splitlines() if l.startswith(path + ':') and ' error: ' in l]
            if not lines:
                self.fail(label, 'no error diagnostic on the file:\n' + text[:600])
            elif ids and not any('[%s]' % i in l for l in lines for i in ids):
                self.fail(label, 'none of %s among:\n%s' % (ids, '\n'.join(lines)[:600]))
            elif any('[eval-timeout]' in l and not re.match(re.escape(path) + r':[0-9]+:', l) for l in lines):
                # where the config was when its time was up: the child says so when asked
                self.fail(label, 'a time-out without the line it happened on:\n' + '\n'.join(lines)[:600])
            else:
                self.tally.check(True, label)

        rc, out, err = self.xmc(['create', '-n', '-q', path], name + ' create -n', rss)
        if rc is None:
            return self.fail(name + ' create -n', 'not ended by xmc within %d s' % SAFETY_TIMEOUT)
        if rc == 0:
            self.fail(name + ' create -n', 'exit status 0')
        diagnosed(err, name + ' create -n')
        rc, out, err = self.xmc(['compile', path], name + ' compile', rss)
        if rc is None:
            return self.fail(name + ' compile', 'not ended by xmc within %d s' % SAFETY_TIMEOUT)
        self.tally.check(rc == 1 and out == '', '%s compile: exit 1 and no output (rc %s)' % (name, rc))
        diagnosed(err, name + ' compile')
        rc, out, err = self.xmc(['check', path], name + ' check', rss)
        if rc is None:
            return self.fail(name + ' check', 'not ended by xmc within %d s' % SAFETY_TIMEOUT)
        self.tally.check(rc == 1, '%s check: exit 1 (rc %s)' % (name, rc))
        diagnosed(out, name + ' check')


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--times', help='write the seconds of each run here (bench/)')
    parser.add_argument('--once', action='store_true', help='as root: not again as nobody')
    args = parser.parse_args()
    if not os.path.exists(xmtest.XMC):
        print('SKIP: no xmc binary at %s' % xmtest.XMC)
        return xmtest.SKIP
    outside = xmtest.run_isolated(__file__, sys.argv[1:])
    if outside is not None:
        # As root a config's child takes an identity of its own; as anyone else, a user
        # namespace: both ways are run.
        if outside == 0 and os.geteuid() == 0 and not args.once and not args.times:
            return xmtest.again_as_nobody(__file__, ['--once'], 'hostile')
        return outside
    configs = sorted(glob.glob(os.path.join(HOSTILE, '*.cfg')))
    tally = xmtest.Tally()
    tally.check(len(configs) >= 40, 'the hostile corpus has at least 40 configs (%d)' % len(configs))
    scratch = tempfile.mkdtemp(prefix='xmc-hostile-run-')
    secret_text = 'XMC-SECRET-CANARY-%d' % os.getpid()
    secrets = [secret_text]
    try:
        with open('/etc/shadow') as f:
            secrets += [l.split(':')[1] for l in f if l.split(':')[1] not in ('', '*', '!', '!*', 'x')]
            secrets.append('root:')
    except OSError:
        pass
    created = []
    try:
        for path, text, mode in ((SECRET, secret_text + '\n', 0o600), (VICTIM, 'victim\n', 0o644)):
            with open(path, 'w') as f:
                f.write(text)
            os.chmod(path, mode)
            created.append(path)
        for i in range(len(configs)):
            xmtest.write_text(os.path.join(scratch, 'clean-%02d.cfg' % i), CLEAN % i)
        listener = Listener()
        before_tmp = snapshot('/tmp', False)
        before_tmp.pop(scratch, None)
        before_scratch = snapshot(scratch, True)
        before_procs = xmtest.descendants()
        times = []
        run = Run(tally, scratch, secrets, times)
        for path in configs:
            run.one(path)

        # All of them in one check run, a clean file after each.
        alone = run.xmc(['check', '--format', 'json', os.path.join(scratch, 'clean-00.cfg')], 'clean alone')
        clean_alone = [(d['id'], d['line'], d['message']) for d in json.loads(alone[1])]
        mixed = []
        for i, path in enumerate(configs):
            mixed += [path, os.path.join(scratch, 'clean-%02d.cfg' % i)]
        rc, out, err = run.xmc(['check', '--format', 'json'] + mixed, 'all in one check')
        try:
            diags = json.loads(out)
        except ValueError:
            diags = None
            run.fail('all in one check', 'stdout is not the JSON of the diagnostics: ' + out[:300])
        for i, path in enumerate(configs if diags is not None else []):
            name = os.path.basename(path)
            mine = [d for d in diags if d['file'] == path and d['severity'] == 'error']
            if not mine:
                run.fail(name + ' (all in one)', 'no error diagnostic')
            clean = os.path.join(scratch, 'clean-%02d.cfg' % i)
            got = [(d['id'], d['line'], d['message'].replace('clean-%02d' % i, 'clean-00').replace(
                "'clean-%d'" % i, "'clean-0'")) for d in diags if d['file'] == clean]
            want = [(k, l, m.replace("'clean-0'", "'clean-0'")) for (k, l, m) in clean_alone]
            tally.check(got == want, 'clean-%02d after %s reports what it reports alone: %s' % (i, name, got))

        # Nothing changed, nothing left, nothing reached.
        time.sleep(0.3)
        listener.close()
        tally.check(not listener.hits, 'no connection or datagram reached the listener: %s' % listener.hits)
        after_scratch = snapshot(scratch, True)
        changed = sorted(p for p in set(before_scratch) | set(after_scratch)
                         if before_scratch.get(p) != after_scratch.get(p))
        tally.check(not changed, 'nothing created or changed in the scratch directory: %s' % changed)
        after_tmp = snapshot('/tmp', False)
        after_tmp.pop(scratch, None)
        ours = [p for p in set(before_tmp) | set(after_tmp)
                if before_tmp.get(p) != after_tmp.get(p) and os.path.basename(p).startswith('xmc-hostile')]
        others = [p for p in set(after_tmp) - set(before_tmp) if p not in ours]
        tally.check(not ours, 'no file of the configs\' making in /tmp, none changed: %s' % ours)
        tally.check(not others, 'nothing else new in /tmp either: %s' % others)
        # Every process below this one, whatever its name or user (the sandbox's own
        # uid too): a config's daemon that outlived xmc was re-parented here.
        # One killed with its parent (PR_SET_PDEATHSIG) may take a moment to go.
        for _ in range(100):
            left = {pid: v for pid, v in xmtest.descendants().items() if pid not in before_procs}
            if not left:
                break
            time.sleep(0.1)
        tally.check(not left, 'no process left behind (pid: uid, name): %s' % left)
        with open(SECRET) as f:
            tally.check(f.read() == secret_text + '\n', 'the secret file is untouched')
        st = os.stat(VICTIM)
        tally.check(stat.S_IMODE(st.st_mode) == 0o644 and st.st_size == 7, 'the victim file is untouched')
        if args.times:
            with open(args.times, 'w') as f:
                for label, seconds in times:
                    f.write('%s\t%.3f\n' % (label, seconds))
        contained = len(configs) - len(run.bad)
        print('hostile: %d/%d contained' % (contained, len(configs)))
        return tally.finish('hostile')
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
        for p in created:
            os.unlink(p)


if __name__ == '__main__':
    sys.exit(main())
