"""A scripted JSON-RPC client of `xmc lsp`, as an editor drives it (tests/lsp_test.py, and
tests/compare_binaries.py's recorded session)."""

import json
import os
import select
import subprocess
import time
import urllib.parse

import xmtest


class Client:
    def __init__(self, cwd, binary=None, problem=None):
        """`xmc lsp` of `binary` (the built xmc) in `cwd`; `problem(False, text)` is told of a
        protocol fault (a publication newer than the version asked for)."""
        self.proc = subprocess.Popen([binary or xmtest.XMC, '--eval-timeout', '1', 'lsp'], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=cwd)
        self.problem = problem or (lambda ok, text: None)
        self.next_id = 0
        self.buffer = b''
        self.notifications = []

    def send_raw(self, data):
        self.proc.stdin.write(data)
        self.proc.stdin.flush()

    def send(self, message):
        body = json.dumps(message).encode()
        self.send_raw(b'Content-Length: %d\r\n\r\n' % len(body) + body)

    def notify(self, method, params):
        self.send({'jsonrpc': '2.0', 'method': method, 'params': params})

    def request(self, method, params, timeout=20):
        self.next_id += 1
        self.send({'jsonrpc': '2.0', 'id': self.next_id, 'method': method, 'params': params})
        return self.wait(lambda m: m.get('id') == self.next_id and 'method' not in m, timeout)

    def read(self, timeout):
        """The next message, or None after `timeout` seconds."""
        end = time.time() + timeout
        while True:
            head = self.buffer.find(b'\r\n\r\n')
            if head >= 0:
                length = None
                for line in self.buffer[:head].split(b'\r\n'):
                    if line.lower().startswith(b'content-length:'):
                        length = int(line.split(b':')[1])
                if length is not None and len(self.buffer) >= head + 4 + length:
                    body = self.buffer[head + 4:head + 4 + length]
                    self.buffer = self.buffer[head + 4 + length:]
                    return json.loads(body)
            left = end - time.time()
            if left <= 0:
                return None
            ready, _, _ = select.select([self.proc.stdout], [], [], left)
            if not ready:
                return None
            chunk = os.read(self.proc.stdout.fileno(), 65536)
            if not chunk:
                return None
            self.buffer += chunk

    def wait(self, predicate, timeout=20):
        for i, m in enumerate(self.notifications):
            if predicate(m):
                return self.notifications.pop(i)
        end = time.time() + timeout
        while time.time() < end:
            m = self.read(end - time.time())
            if m is None:
                return None
            if predicate(m):
                return m
            self.notifications.append(m)
        return None

    def diagnostics(self, uri, version=None, timeout=20):
        """The next findings published for `uri`. With `version` (an open document's), those
        computed for that version of its text: a publication for an older one is dropped,
        as a client drops it (a newer one than asked for fails the wait)."""
        def wanted(m):
            if m.get('method') != 'textDocument/publishDiagnostics' or m['params']['uri'] != uri:
                return False
            if version is None:
                return True
            return m['params'].get('version') is not None and m['params']['version'] >= version

        def stale(m):
            return (version is not None and m.get('method') == 'textDocument/publishDiagnostics' and
                    m['params']['uri'] == uri and (m['params'].get('version') or 0) < version)

        self.notifications = [m for m in self.notifications if not stale(m)]
        m = self.wait(wanted, timeout)
        if m is None:
            return None
        if version is not None and m['params']['version'] != version:
            self.problem(False, 'a publication for version %s of %s, newer than the %s sent' %
                  (m['params']['version'], uri, version))
            return None
        return m['params']['diagnostics']

    def diagnostics_until(self, uri, predicate, timeout=10):
        """The first findings published for `uri` (a file that changed on disk) that satisfy
        `predicate`, or None. Earlier publications, made before the server saw the change,
        told the truth of their moment and are skipped."""
        end = time.time() + timeout
        while time.time() < end:
            diags = self.diagnostics(uri, timeout=end - time.time())
            if diags is not None and predicate(diags):
                return diags
        return None

    def checks(self, uri):
        """How often the server has checked the open document `uri` (xmc/statistics)."""
        r = self.request('xmc/statistics', {})
        return ((r or {}).get('result') or {}).get('checks', {}).get(uri)


def uri_of(path):
    return 'file://' + urllib.parse.quote(path)
