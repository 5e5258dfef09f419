"""xmc lsp, driven by a scripted JSON-RPC client as an editor drives it: initialize,
diagnostics on open, on change (after the pause the server waits for) and on save, from
the unsaved text; positions in UTF-16 code units (a line with a tab and an 'é'); hover;
completion of names and enum values; every did-you-mean as a quick fix whose edit makes
the finding go away; a config with code that loops (the sandbox ends it, the server
answers on); malformed messages, unknown methods, a 5 MB buffer and rapid edits, none of
which end the session; shutdown and exit."""

import json
import os
import select
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse

import xmtest
from lsp_client import Client as _Client, uri_of

TALLY = xmtest.Tally()
check = TALLY.check


def Client(cwd):
    return _Client(cwd, problem=check)


def main():
    tmp = tempfile.mkdtemp(prefix='xmc-lsp-')
    client = Client(tmp)
    try:
        r = client.request('initialize', {'processId': None, 'rootUri': uri_of(tmp), 'capabilities': {
            'textDocument': {'publishDiagnostics': {'codeDescriptionSupport': True}}}})
        caps = r and r.get('result', {}).get('capabilities', {})
        check(bool(caps) and caps.get('hoverProvider') and caps.get('positionEncoding') == 'utf-16',
              'initialize: capabilities (hover, UTF-16 positions): %s' % r)
        client.notify('initialized', {})

        # Diagnostics on open: a misspelt variable, a line with a tab and an 'é' before
        # the finding (UTF-16 columns), a bad enum value.
        path = os.path.join(tmp, 'web é.cfg')
        text = ("# -*- coding: utf-8 -*-\nname = 'web'\nbootloader = '/usr/bin/pygrub'\nmemroy = 512\n"
                "extra = '\té' ; on_crash = 'restrat'\n")
        with open(path, 'w') as f:
            f.write(text)
        uri = uri_of(path)
        client.notify('textDocument/didOpen', {'textDocument': {'uri': uri, 'languageId': 'xm', 'version': 1,
                                                                'text': text}})
        diags = client.diagnostics(uri, 1)
        check(diags is not None, 'didOpen: diagnostics published')
        diags = diags or []
        by_code = {d['code']: d for d in diags}
        unknown = by_code.get('unknown-variable')
        check(unknown is not None and unknown['range']['start'] == {'line': 3, 'character': 0} and
              unknown['range']['end'] == {'line': 3, 'character': 6} and unknown['severity'] == 2 and
              unknown['source'] == 'xmc', 'the misspelt variable, its range and severity: %s' % unknown)
        # The code's link: its entry in xmc(1), generated beside xmc from the catalogue.
        href = ((unknown or {}).get('codeDescription') or {}).get('href', '')
        page = os.path.join(os.path.dirname(xmtest.XMC), 'xmc.1')
        entries = open(page).read().split('.TP\n.B ') if os.path.exists(page) else []
        check(href == 'man:xmc(1)#unknown-variable' and
              any(e.replace('\\-', '-').startswith(href.split('#')[1] + '\n') for e in entries),
              'codeDescription links to the id\'s entry in xmc(1) (%s): %s' % (page, href))
        enum = by_code.get('bad-value')
        # its value 'restrat' starts 27 bytes into the line, 26 UTF-16 code units (the é
        # is two bytes, one unit; the tab one of each)
        check(enum is not None and enum['range']['start'] == {'line': 4, 'character': 26} and
              enum['range']['end'] == {'line': 4, 'character': 35}, 'UTF-16 columns after a tab and an é: %s' % enum)

        # Quick fixes: each did-you-mean is an edit; applied, the findings go away.
        actions = client.request('textDocument/codeAction', {
            'textDocument': {'uri': uri}, 'range': {'start': {'line': 0, 'character': 0},
                                                    'end': {'line': 5, 'character': 0}},
            'context': {'diagnostics': diags}})
        actions = (actions or {}).get('result') or []
        titles = sorted(a['title'] for a in actions)
        check(titles == ["Replace with 'memory'", "Replace with 'restart'"], 'quick fixes offered: %s' % titles)
        lines = text.split('\n')
        edits = [e for a in actions for e in a['edit']['changes'][uri]]
        for e in sorted(edits, key=lambda e: (e['range']['start']['line'], e['range']['start']['character']),
                        reverse=True):
            ln = e['range']['start']['line']
            units = lines[ln].encode('utf-16-le')
            s, t = e['range']['start']['character'] * 2, e['range']['end']['character'] * 2
            lines[ln] = (units[:s].decode('utf-16-le') + e['newText'] + units[t:].decode('utf-16-le'))
        fixed = '\n'.join(lines)
        check('memory = 512' in fixed and "on_crash = 'restart'" in fixed, 'the edits applied: %r' % fixed)

        # On change (the server waits for a pause in typing), from the unsaved text.
        start = time.time()
        client.notify('textDocument/didChange', {'textDocument': {'uri': uri, 'version': 2},
                                                 'contentChanges': [{'text': fixed}]})
        diags = client.diagnostics(uri, 2)
        check(diags is not None and not [d for d in diags if d['severity'] <= 2],
              'didChange: the fixed buffer is clean: %s' % diags)
        # Convert to xl.cfg: NAME.xl.cfg beside the config, with what --emit xl writes.
        actions = client.request('textDocument/codeAction', {
            'textDocument': {'uri': uri}, 'range': {'start': {'line': 0, 'character': 0},
                                                    'end': {'line': 0, 'character': 0}},
            'context': {'diagnostics': [], 'only': ['refactor']}})
        actions = (actions or {}).get('result') or []
        convert = [a for a in actions if a['title'].startswith('Convert to xl.cfg')]
        with open(path, 'w') as f:
            f.write(fixed)
        expected = subprocess.run([xmtest.XMC, 'compile', '--emit', 'xl', path], stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE).stdout.decode()
        changes = convert[0]['edit']['documentChanges'] if convert else []
        target = uri_of(os.path.join(tmp, 'web é.xl.cfg'))
        check(len(convert) == 1 and changes[0] == {'kind': 'create', 'uri': target, 'options': {'overwrite': True}}
              and changes[1]['textDocument']['uri'] == target and expected and
              changes[1]['edits'][0]['newText'] == expected,
              'convert to xl.cfg: a new file with the xl back end\'s text: %s' % json.dumps(convert)[:400])

        # Rapid edits: one check after the last of them, for the last text. The 20 edits
        # reach the server in one write, faster than any pause it waits for; the count of
        # checks it ran (xmc/statistics) says "one check" without timing the server.
        before = client.checks(uri)
        burst = b''
        for i in range(20):
            body = json.dumps({'jsonrpc': '2.0', 'method': 'textDocument/didChange', 'params': {
                'textDocument': {'uri': uri, 'version': 3 + i},
                'contentChanges': [{'text': fixed + 'vcpu%d = 1\n' % i}]}}).encode()
            burst += b'Content-Length: %d\r\n\r\n' % len(body) + body
        client.send_raw(burst)
        diags = client.diagnostics(uri, 22)
        after = client.checks(uri)
        check(diags is not None and isinstance(before, int) and after == before + 1 and
              [d['message'] for d in diags if d['code'] == 'unknown-variable'] and
              all('vcpu19' in d['message'] for d in diags if d['code'] == 'unknown-variable'),
              'rapid edits: one check (%s before, %s after), of the last text: %s' % (before, after, diags))
        client.notify('textDocument/didChange', {'textDocument': {'uri': uri, 'version': 40},
                                                 'contentChanges': [{'text': fixed}]})
        client.diagnostics(uri, 40)
        # On save: the saved file is checked again (the buffer is the file's text).
        before = client.checks(uri)
        client.notify('textDocument/didSave', {'textDocument': {'uri': uri}})
        after = client.checks(uri)
        check(client.diagnostics(uri, 40) is not None and after == before + 1,
              'didSave: checked again (%s, %s) and diagnostics published' % (before, after))

        # Hover: a variable's documentation.
        r = client.request('textDocument/hover', {'textDocument': {'uri': uri}, 'position': {'line': 3,
                                                                                              'character': 2}})
        value = ((r or {}).get('result') or {}).get('contents', {}).get('value', '')
        check('memory' in value and 'type:' in value, 'hover on memory: %r' % value[:200])
        r = client.request('textDocument/hover', {'textDocument': {'uri': uri}, 'position': {'line': 2,
                                                                                              'character': 20}})
        check(r is not None and r.get('result') is None, 'hover inside a string: nothing')

        # Completion: names at the start of a line, enum values in a string.
        client.notify('textDocument/didChange', {'textDocument': {'uri': uri, 'version': 41},
                                                 'contentChanges': [{'text': fixed + "vcp\non_reboot = '"}]})
        r = client.request('textDocument/completion', {'textDocument': {'uri': uri},
                                                       'position': {'line': 5, 'character': 3}})
        labels = [i['label'] for i in (r or {}).get('result') or []]
        check('vcpus' in labels and 'memory' not in labels, 'completion of a name: %s' % labels)
        r = client.request('textDocument/completion', {'textDocument': {'uri': uri},
                                                       'position': {'line': 6, 'character': 13}})
        labels = [i['label'] for i in (r or {}).get('result') or []]
        check('restart' in labels and 'destroy' in labels, 'completion of an enum value: %s' % labels)
        client.notify('textDocument/didChange', {'textDocument': {'uri': uri, 'version': 42},
                                                 'contentChanges': [{'text': fixed + "vif = ['mac=00:16:3e:00:00:01, b"}]})
        r = client.request('textDocument/completion', {'textDocument': {'uri': uri},
                                                       'position': {'line': 5, 'character': 32}})
        labels = [i['label'] for i in (r or {}).get('result') or []]
        check('bridge=' in labels and 'model=' in labels, 'completion of a vif spec key: %s' % labels)
        r = client.request('textDocument/hover', {'textDocument': {'uri': uri}, 'position': {'line': 5,
                                                                                              'character': 9}})
        value = ((r or {}).get('result') or {}).get('contents', {}).get('value', '')
        check(value.startswith('`mac=`: a key of a `vif` spec'), 'hover on a spec key: %r' % value[:120])
        r = client.request('textDocument/hover', {'textDocument': {'uri': uri}, 'position': {'line': 4,
                                                                                              'character': 30}})
        value = ((r or {}).get('result') or {}).get('contents', {}).get('value', '')
        check(value.startswith("`restart`: one of the values of `on_crash`"), 'hover on an enum value: %r'
              % value[:120])
        # scope-aware: this config is PV (a bootloader, no builder): no HVM-only keys
        client.notify('textDocument/didChange', {'textDocument': {'uri': uri, 'version': 43},
                                                 'contentChanges': [{'text': fixed + "ac\n"}]})
        client.diagnostics(uri, 43)
        r = client.request('textDocument/completion', {'textDocument': {'uri': uri},
                                                       'position': {'line': 5, 'character': 2}})
        labels = [i['label'] for i in (r or {}).get('result') or []]
        check('access_control' in labels and 'acpi' not in labels, 'completion in a PV config: %s' % labels)
        hvm = os.path.join(tmp, 'hvm.cfg')
        client.notify('textDocument/didOpen', {'textDocument': {
            'uri': uri_of(hvm), 'languageId': 'xm', 'version': 1, 'text': "builder = 'hvm'\nname = 'h'\nac\n"}})
        client.diagnostics(uri_of(hvm), 1)
        r = client.request('textDocument/completion', {'textDocument': {'uri': uri_of(hvm)},
                                                       'position': {'line': 2, 'character': 2}})
        labels = [i['label'] for i in (r or {}).get('result') or []]
        check('acpi' in labels, 'completion in an HVM config: %s' % labels)

        # Cross-file checks over the workspace folder, with the other file's location; the
        # server watches the folder itself: a file changed on disk updates the findings.
        a, b, c = (os.path.join(tmp, n) for n in ('a.cfg', 'b.cfg', 'c.cfg'))
        common = "bootloader = '/usr/bin/pygrub'\n"
        with open(a, 'w') as f:
            f.write("name = 'dup'\n" + common + "vif = ['mac=00:16:3e:00:00:0a']\n")
        with open(c, 'w') as f:
            f.write("name = 'cee'\n" + common + "vif = ['mac=00:16:3E:00:00:0A']\n")
        b_text = common + "name = 'dup'\n"
        with open(b, 'w') as f:
            f.write(b_text)
        client.notify('textDocument/didOpen', {'textDocument': {'uri': uri_of(b), 'languageId': 'xm', 'version': 1,
                                                                'text': b_text}})
        diags = client.diagnostics(uri_of(b), 1) or []
        dup = [d for d in diags if d['code'] == 'duplicate-name']
        related = dup[0].get('relatedInformation', [{}])[0].get('location', {}) if dup else {}
        check(dup and dup[0]['range']['start']['line'] == 1 and related.get('uri') == uri_of(a) and
              related['range']['start']['line'] == 0,
              'a name another config of the folder uses, with where: %s' % dup)
        c_diags = client.diagnostics(uri_of(c)) or []
        check([d['code'] for d in c_diags] == ['duplicate-mac'], 'a file that is not open: its cross-file '
              'finding is published too: %s' % c_diags)
        with open(a, 'w') as f:
            f.write("name = 'other'\n" + common + "vif = ['mac=00:16:3e:00:00:0b']\n")
        # The server may still publish what it found before it saw the change (the writes
        # above also woke its folder watcher); what counts is that the change is seen.
        diags = client.diagnostics_until(uri_of(b), lambda ds: not [d for d in ds if d['code'] == 'duplicate-name'])
        check(diags is not None, 'the other file changed on disk: the finding is gone without an edit here')
        c_diags = client.diagnostics_until(uri_of(c), lambda ds: ds == [])
        check(c_diags == [], 'and the file that is not open is cleared: %s' % c_diags)

        # A config whose code loops: the sandbox ends it; the server answers on.
        loop = os.path.join(tmp, 'loop.cfg')
        client.notify('textDocument/didOpen', {'textDocument': {
            'uri': uri_of(loop), 'languageId': 'xm', 'version': 1, 'text': "import os\nwhile True:\n    pass\n"}})
        diags = client.diagnostics(uri_of(loop), 1, timeout=30)
        check(diags is not None and any(d['code'] == 'eval-timeout' and d['range']['start']['line'] == 1
                                        for d in diags), 'a looping config: eval-timeout at its line: %s' % diags)

        # Robustness: garbage, a bad header, unknown methods, wrong types, a 5 MB buffer.
        client.send_raw(b'Content-Length: 5\r\n\r\n{oops')
        m = client.wait(lambda m: m.get('error', {}).get('code') == -32700)
        check(m is not None, 'malformed JSON: a parse error')
        client.send_raw(b'Content-Type: nothing\r\n\r\n')
        m = client.wait(lambda m: m.get('error', {}).get('code') == -32700)
        check(m is not None, 'a header without Content-Length: a parse error')
        r = client.request('xmc/unknown', {})
        check(r is not None and r.get('error', {}).get('code') == -32601, 'an unknown method: MethodNotFound')
        r = client.request('textDocument/hover', {'textDocument': 'not an object'})
        check(r is not None and 'error' in r, 'wrong parameter types: an error reply: %s' % r)
        # A flood of findings: one publication of at most 200 and the note with the rest.
        flood = os.path.join(tmp, 'flood.cfg')
        client.notify('textDocument/didOpen', {'textDocument': {
            'uri': uri_of(flood), 'languageId': 'xm', 'version': 1,
            'text': "name = 'flood'\nbootloader = '/usr/bin/pygrub'\nvif = ['brige=x'] * 100000\n"}})
        diags = client.diagnostics(uri_of(flood), 1, timeout=60) or []
        check(len(diags) == 201 and diags[-1]['code'] == 'diagnostics-cut' and '99800 more' in diags[-1]['message'],
              'a flood of findings: 200 and a note (%d, last %s)' % (len(diags), diags[-1:]))
        big = os.path.join(tmp, 'big.cfg')
        client.notify('textDocument/didOpen', {'textDocument': {
            'uri': uri_of(big), 'languageId': 'xm', 'version': 1, 'text': "name = 'big'\n" + '#' * (5 << 20)}})
        diags = client.diagnostics(uri_of(big), 1, timeout=60)
        check(diags is not None, 'a 5 MB buffer: diagnostics published (%s)' %
              [d['code'] for d in diags or []][:5])
        r = client.request('textDocument/hover', {'textDocument': {'uri': uri}, 'position': {'line': 0,
                                                                                              'character': 1}})
        check(r is not None and 'result' in r, 'still answering after all that')

        r = client.request('shutdown', None)
        check(r is not None and r.get('result') is None and 'error' not in r, 'shutdown answered')
        client.notify('exit', None)
        try:
            rc = client.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            rc = None
        check(rc == 0, 'exit after shutdown: status 0 (got %s)' % rc)
        err = client.proc.stderr.read().decode(errors='replace')
        check(err == '', 'nothing on stderr: %r' % err[:300])
    finally:
        if client.proc.poll() is None:
            client.proc.kill()
        shutil.rmtree(tmp, ignore_errors=True)

    # exit without shutdown: status 1, as the protocol says.
    p = subprocess.run([xmtest.XMC, 'lsp'], input=b'Content-Length: 33\r\n\r\n{"jsonrpc":"2.0","method":"exit"}',
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=20)
    check(p.returncode == 1, 'exit without shutdown: status 1 (got %d)' % p.returncode)
    return TALLY.finish('lsp')


if __name__ == '__main__':
    sys.exit(main())
