#!/usr/bin/env python3
"""One config must not read another (issue 20, item 1). A config's code runs in a child
of xmc's evaluator worker; if that child is a copy of a process that held earlier inputs,
what they left in memory (freed or not) is there for the config to read.

Each run draws a token T and writes configs that hold it in three ways: in their source
text (`XMCLEAK-SRC-T`, in comments), in a file they read, so in a Host reply
(`XMCLEAK-HOST-T`), and in their result only, computed at run time (`XMCLEAK-RES-T`,
absent from the source); each in a short and a long form (about 50 KiB, longer than the
scanner), as what survives in freed memory, which later inputs reuse, depends on sizes.
Then tests/isolation/memory-scan.cfg, which never sees T: it reads every readable page of
its own process and reports the 40 bytes after each occurrence of the prefix XMCLEAK.

Through each entry point that evaluates configs, always with --frontend python:
  check       all of them in one `xmc check` run (it compiles on two threads, each with
              a worker of its own: the earlier configs twice over, then two scanners, so
              that both workers serve earlier configs before a scanner);
  lsp         `xmc lsp`, where two open documents' unsaved buffers (not what is on disk)
              hold `XMCLEAK-LSP-T`, then the scanner is opened;
  module      the Python module: xmc.compile of texts holding `XMCLEAK-MOD-T`, then of
              the scanner, in one process (one worker);
  xendomains  `xmc xendomains status` with the earlier configs and the scanner in its
              AUTO directory (it compiles them all, in name order, then finds no Xen).
For each scanner it asserts: (i) it ran and its self-check passed (markers it built in
each kind of memory and its own source text were found) over a plausible amount of
memory, so that the test cannot pass by scanning nothing; (ii) T appears nowhere in what
it reported. It prints which kinds of marker were found and the hits that hold T.

Run as root, the test runs again as nobody (xmtest.again_as_nobody).

Usage: isolation_test.py [--keep] [--once] (keep the temporary directory; not again as nobody)."""

import argparse
import json
import os
import re
import secrets
import select
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse

import xmtest

SCANNER = os.path.join(xmtest.SOURCE_DIR, 'tests', 'isolation', 'memory-scan.cfg')
PREFIX = 'XMCLEAK'
MIN_MIB = 8          # a worker's child maps about 25 MiB; less means the scan missed much
TIMEOUT = 120        # a safety net only: xmc's own --eval-timeout (10 s) ends a scanner
PAD_LINES = 900      # the long form: about 50 KiB
FRONTEND = ['--frontend', 'python']
HEADER = "import os\nname = '%s'\nmemory = 128\nbootloader = '/usr/bin/pygrub'\n"
EVALUATED = "print('evaluated')\n"  # xmc notes what a config printed: proof that it ran


def padding(lines):
    return ''.join('# padding %04d: this config is longer than the scanner, on purpose\n' % i
                   for i in range(lines))


def source_config(token, name, lines, kind='SRC'):
    """(a) T in the source text only: a comment at the start and one at the end."""
    marker = '# %s-%s-%s\n' % (PREFIX, kind, token)
    return marker + HEADER % name + EVALUATED + padding(lines) + marker


def host_file(token, lines):
    """The file (b) reads: T in a Host reply."""
    marker = '%s-HOST-%s\n' % (PREFIX, token)
    return marker + padding(lines) + marker


def host_config(name, path):
    """(b) reads `path` through open(); its contents reach no variable."""
    return HEADER % name + ("def size(p):\n    return len(open(p).read())\n"
                            "print('evaluated, read %%d bytes' %% size(%r))\n" % path)


def result_config(token, name, pad):
    """(c) T in its result only: computed from T reversed, which is all its source holds."""
    value = "'%s-RES-' + ''.join(reversed('%s'))" % (PREFIX, token[::-1])
    if pad:
        return HEADER % name + EVALUATED + "extra = 'pad ' * %d + %s\n" % (pad, value)
    return (HEADER % 'x').replace("name = 'x'", 'name = ' + value) + EVALUATED


def earlier_configs(token, directory, data_dir, suffix=''):
    """Writes the earlier inputs of one entry point; their paths, in order."""
    host_small = os.path.join(data_dir, 'host-small%s.txt' % suffix)
    host_long = os.path.join(data_dir, 'host-long%s.txt' % suffix)
    xmtest.write_text(host_small, host_file(token, 0))
    xmtest.write_text(host_long, host_file(token, PAD_LINES))
    texts = [
        ('src-small', source_config(token, 'iso-src-small%s' % suffix, 0)),
        ('src-long', source_config(token, 'iso-src-long%s' % suffix, PAD_LINES)),
        ('host-small', host_config('iso-host-small%s' % suffix, host_small)),
        ('host-long', host_config('iso-host-long%s' % suffix, host_long)),
        ('res-small', result_config(token, 'iso-res-small%s' % suffix, 0)),
        ('res-long', result_config(token, 'iso-res-long%s' % suffix, 12500)),
    ]
    paths = []
    for stem, text in texts:
        path = os.path.join(directory, '%s%s.cfg' % (stem, suffix))
        xmtest.write_text(path, text)
        paths.append(path)
    return paths


def open_up(top):
    """Everyone may read the scratch tree: xmc's Host reads only world-readable files."""
    for d, dirs, files in os.walk(top):
        os.chmod(d, 0o755)
        for f in files:
            os.chmod(os.path.join(d, f), 0o644)


def ran(messages, path):
    """Whether a config's findings show that it was evaluated: the note of what it printed
    (and for a config that reads a file, that it read something)."""
    want = r'read [1-9][0-9]* bytes' if 'host-' in os.path.basename(path) else 'evaluated'
    return any('printed' in m and re.search(want, m) for m in messages)


def reports_in(text):
    """The scanners' reports in text output: the message of their python-error."""
    return re.findall(r'ValueError: scan: (.*?)(?: \[python-error\])?$', text, re.M)


# --- The entry points: each returns the scanners' reports, what it printed, the seconds
# it took, and how many of the earlier configs were seen evaluated (of how many; None
# where xmc does not show it) --------------------------------------------------------------

def run(cmd, cwd, timeout=TIMEOUT):
    p = subprocess.run(cmd, cwd=cwd, env=dict(xmtest.REFERENCE_ENV, HOME=cwd), stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, timeout=timeout)
    return p.returncode, p.stdout.decode('utf-8', 'replace'), p.stderr.decode('utf-8', 'replace')


def via_check(token, work):
    d = os.path.join(work, 'check')
    earlier = earlier_configs(token, d, os.path.join(work, 'check-data'))
    earlier += earlier_configs(token, d, os.path.join(work, 'check-data'), '-again')
    scanners = []
    for n in (1, 2):
        scanners.append(os.path.join(d, 'zz-memory-scan-%d.cfg' % n))
        shutil.copyfile(SCANNER, scanners[-1])
    open_up(work)
    start = time.monotonic()
    rc, out, err = run([xmtest.XMC] + FRONTEND + ['check', '--format', 'json'] + earlier + scanners, d)
    seconds = time.monotonic() - start
    try:
        diags = json.loads(out)
    except ValueError:
        return [], out + err, seconds, (0, len(earlier))
    reports = [x['message'][len('ValueError: scan: '):] for x in diags
               if x['file'] in scanners and x['message'].startswith('ValueError: scan: ')]
    seen = sum(ran([x['message'] for x in diags if x['file'] == p], p) for p in earlier)
    return reports, out + err, seconds, (seen, len(earlier))


class Lsp:
    """A minimal language-server client: framed JSON-RPC over the server's stdin/stdout."""

    def __init__(self, cwd):
        self.proc = subprocess.Popen([xmtest.XMC] + FRONTEND + ['lsp'], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=cwd,
                                     env=dict(xmtest.REFERENCE_ENV, HOME=cwd))
        self.buffer = b''
        self.next_id = 0

    def send(self, message):
        body = json.dumps(message).encode()
        self.proc.stdin.write(b'Content-Length: %d\r\n\r\n' % len(body) + body)
        self.proc.stdin.flush()

    def notify(self, method, params):
        self.send({'jsonrpc': '2.0', 'method': method, 'params': params})

    def request(self, method, params):
        self.next_id += 1
        self.send({'jsonrpc': '2.0', 'id': self.next_id, 'method': method, 'params': params})
        return self.wait(lambda m: m.get('id') == self.next_id and 'method' not in m)

    def wait(self, predicate, timeout=60):
        """The first message that satisfies `predicate` (others are dropped), or None."""
        end = time.monotonic() + timeout
        while True:
            head = self.buffer.find(b'\r\n\r\n')
            if head >= 0:
                length = int(re.search(rb'(?i)content-length: *(\d+)', self.buffer[:head]).group(1))
                if len(self.buffer) >= head + 4 + length:
                    message = json.loads(self.buffer[head + 4:head + 4 + length])
                    self.buffer = self.buffer[head + 4 + length:]
                    if predicate(message):
                        return message
                    continue
            left = end - time.monotonic()
            if left <= 0 or not select.select([self.proc.stdout], [], [], left)[0]:
                return None
            chunk = os.read(self.proc.stdout.fileno(), 65536)
            if not chunk:
                return None
            self.buffer += chunk

    def diagnostics(self, uri):
        m = self.wait(lambda m: m.get('method') == 'textDocument/publishDiagnostics' and
                      m['params']['uri'] == uri)
        return None if m is None else m['params']['diagnostics']

    def open(self, path, text):
        uri = 'file://' + urllib.parse.quote(path)
        self.notify('textDocument/didOpen', {'textDocument': {'uri': uri, 'languageId': 'xm', 'version': 1,
                                                              'text': text}})
        return self.diagnostics(uri)

    def close(self):
        try:
            if self.proc.poll() is None:
                self.request('shutdown', None)
                self.notify('exit', None)
                self.proc.wait(timeout=10)
        except (OSError, subprocess.TimeoutExpired):
            pass
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        err = self.proc.stderr.read().decode('utf-8', 'replace')
        for f in (self.proc.stdin, self.proc.stdout, self.proc.stderr):
            f.close()
        return err


def via_lsp(token, work):
    d = os.path.join(work, 'lsp')
    # On disk: plain declarative files. In the editor: unsaved buffers holding T, with code.
    documents = [(os.path.join(d, 'unsaved-small.cfg'), source_config(token, 'iso-lsp-small', 0, 'LSP')),
                 (os.path.join(d, 'unsaved-long.cfg'), source_config(token, 'iso-lsp-long', PAD_LINES, 'LSP'))]
    for path, _ in documents:
        xmtest.write_text(path, "name = 'on-disk'\nmemory = 128\n")
    scanner = os.path.join(d, 'zz-memory-scan.cfg')
    shutil.copyfile(SCANNER, scanner)
    open_up(work)
    start = time.monotonic()
    client = Lsp(d)
    printed, seen = [], 0
    try:
        client.request('initialize', {'processId': None, 'rootUri': 'file://' + urllib.parse.quote(d),
                                      'capabilities': {}})
        client.notify('initialized', {})
        for path, text in documents:  # each checked (published) before the next is opened
            diags = client.open(path, text) or []
            seen += ran([x['message'] for x in diags], path)
            printed.append('%s: %s' % (path, diags))
        diags = client.open(scanner, xmtest.read(scanner, 'r')) or []
        printed.append('%s: %s' % (scanner, diags))
    finally:
        printed.append(client.close())
    reports = [x['message'][len('ValueError: scan: '):] for x in diags
               if x['message'].startswith('ValueError: scan: ')]
    return reports, '\n'.join(printed), time.monotonic() - start, (seen, len(documents))


# In one process: the earlier texts, then the scanner; each one's messages as JSON.
MODULE_RUN = r"""
import json, sys
try:
    import xmc
except ImportError as e:
    print(json.dumps({'skip': str(e)}))
    sys.exit(0)
out = []
for path in sys.argv[1:]:
    r = xmc.compile(path, text=open(path).read(), frontend='python', host='no')
    out.append([d.message for d in r.diagnostics])
print(json.dumps(out))
"""


def via_module(token, work):
    d = os.path.join(work, 'module')
    texts = [os.path.join(d, 'unsaved-small.cfg'), os.path.join(d, 'unsaved-long.cfg')]
    xmtest.write_text(texts[0], source_config(token, 'iso-mod-small', 0, 'MOD'))
    xmtest.write_text(texts[1], source_config(token, 'iso-mod-long', PAD_LINES, 'MOD'))
    scanner = os.path.join(d, 'zz-memory-scan.cfg')
    shutil.copyfile(SCANNER, scanner)
    open_up(work)
    env = dict(xmtest.REFERENCE_ENV, HOME=d, PYTHONPATH=xmtest.module_path())
    start = time.monotonic()
    p = subprocess.run([sys.executable, '-c', MODULE_RUN] + texts + [scanner], cwd=d, env=env,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=TIMEOUT)
    seconds = time.monotonic() - start
    out, err = p.stdout.decode('utf-8', 'replace'), p.stderr.decode('utf-8', 'replace')
    try:
        messages = json.loads(out)
    except ValueError:
        return [], out + err, seconds, (0, len(texts))
    if isinstance(messages, dict):
        return None, 'this Python cannot import the module xmc: ' + messages['skip'], seconds, None
    seen = sum(ran(m, p) for m, p in zip(messages, texts))
    reports = [m[len('ValueError: scan: '):] for m in messages[-1] if m.startswith('ValueError: scan: ')]
    return reports, out + err, seconds, (seen, len(texts))


def via_xendomains(token, work):
    d = os.path.join(work, 'xendomains')
    auto = os.path.join(d, 'auto')
    earlier_configs(token, auto, os.path.join(d, 'data'))
    shutil.copyfile(SCANNER, os.path.join(auto, 'zz-memory-scan.cfg'))  # last in name order
    settings = os.path.join(d, 'xendomains')
    xmtest.write_text(settings, 'XENDOMAINS_AUTO=%s\n' % auto)
    open_up(work)
    start = time.monotonic()
    rc, out, err = run([xmtest.XMC] + FRONTEND + ['xendomains', 'status', '--config', settings], d)
    # What a config printed shows only with its errors here; the earlier ones have none.
    return reports_in(err), out + err, time.monotonic() - start, None


ENTRY_POINTS = [('check', via_check), ('lsp', via_lsp), ('module', via_module), ('xendomains', via_xendomains)]


def sanitized():
    """Whether xmc's worker is built with AddressSanitizer: there the scanner's reads of
    freed memory (and its probes) are ASan reports, not reads."""
    worker = os.path.join(os.path.dirname(xmtest.XMC), 'xmc-eval')
    with open(worker if os.path.exists(worker) else xmtest.XMC, 'rb') as f:
        previous = b''
        for chunk in iter(lambda: f.read(1 << 20), b''):
            if b'__asan_init' in previous[-16:] + chunk:
                return True
            previous = chunk
    return False


# --- Judging a report -------------------------------------------------------------------

def judge(tally, label, report, token):
    """Asserts (i) and (ii) on one scanner's report; True when it shows no leak."""
    parts = report.split(' | ')
    fields = dict(re.findall(r'([a-z-]+)=(\S+)', parts[0]))
    mib = float(fields.get('mib', '0'))
    tally.check(fields.get('self-check') == 'pass' and mib >= MIN_MIB and fields.get('truncated') == 'False',
                '%s: the scanner ran, its self-check passed, at least %d MiB scanned, none left out: %s' % (
                    label, MIN_MIB, parts[0]))
    leaked = [h for h in parts[1:] if token in h]
    kinds = sorted({h.split('-')[1] for h in leaked if h.startswith('-') and '-' in h[1:]})
    tally.check(not leaked, '%s: the token of the earlier inputs is nowhere in its memory; found %d '
                'occurrence(s), kinds %s:\n    %s' % (label, len(leaked), ', '.join(kinds),
                                                     '\n    '.join(leaked)))
    print('%s: %.1f MiB scanned, %s regions, stack %s, %s hits of the prefix; earlier inputs found: %s' % (
        label, mib, fields.get('regions'), fields.get('stack'), fields.get('hits'), ', '.join(kinds) or 'none'))
    return not leaked


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--keep', action='store_true', help='keep the temporary directory')
    parser.add_argument('--once', action='store_true', help='as root: not again as nobody')
    args = parser.parse_args()
    if not os.path.exists(xmtest.XMC):
        print('SKIP: no xmc binary at %s' % xmtest.XMC)
        return xmtest.SKIP
    if sanitized():
        print('SKIP: %s is built with AddressSanitizer, which reports the scanner\'s reads of freed memory' %
              xmtest.XMC)
        return xmtest.SKIP
    token = secrets.token_hex(8)
    while token == token[::-1]:
        token = secrets.token_hex(8)
    tally = xmtest.Tally()
    work = tempfile.mkdtemp(prefix='xmc-isolation-')
    isolated, tried = 0, 0
    try:
        for entry, function in ENTRY_POINTS:
            if entry == 'module' and not xmtest.module_path():
                print('module: skipped: the Python module xmc is not built (no xmc/ in PYTHONPATH or %s)' %
                      os.path.join(os.path.dirname(xmtest.XMC), 'python'))
                continue
            reports, printed, seconds, evaluated = function(token, work)
            if reports is None:
                print('%s: skipped: %s' % (entry, printed))
                continue
            if any(r.startswith('unsupported') for r in reports):
                print('SKIP: the scanner cannot read memory in this evaluator: %s' % reports[0])
                return xmtest.SKIP
            print('%s: %d scanner(s) reported in %.1f s' % (entry, len(reports), seconds))
            if evaluated is not None:
                tally.check(evaluated[0] == evaluated[1], '%s: the earlier configs were evaluated (%d of %d seen '
                            'printing, and reading their file); its output:\n%s' % (
                                entry, evaluated[0], evaluated[1], printed[-3000:]))
            want = 2 if entry == 'check' else 1
            tally.check(len(reports) == want, '%s: %d scanner report(s), %d expected; its output:\n%s' % (
                entry, len(reports), want, printed[-3000:]))
            clean = [judge(tally, '%s (scanner %d)' % (entry, i + 1) if want > 1 else entry, r, token)
                     for i, r in enumerate(reports)]
            tried += 1
            isolated += bool(reports) and all(clean)
        print('isolation: %d/%d entry points isolated' % (isolated, tried))
        status = tally.finish('isolation (as %s)' % ('root' if os.geteuid() == 0 else 'uid %d' % os.geteuid()))
        if os.geteuid() == 0 and not args.once:
            status = xmtest.again_as_nobody(__file__, ['--once'], 'isolation') or status
        return status
    finally:
        if args.keep:
            print('kept: %s (token %s)' % (work, token))
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == '__main__':
    sys.exit(main())
