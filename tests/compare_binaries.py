"""Runs two xmc binaries on the same configs and reports every difference in what they
print: `compare_binaries.py OLD NEW CONFIG_OR_DIR...`.

Each file goes through `create -n`, `create -x`, `compile --emit B` for every back end the new
binary lists (`xmc backends`, and `values`),
`check`, `check --format json` and `check --format sarif`, in the reference environment, as /etc/xen/NAME
inside a copy of tests/golden/root given as `--root`; stdout, stderr and the exit status must be identical.
In SARIF, the rules' short descriptions are the catalogue's row texts, which are left out of
the comparison (the rows now spell out the variants of their sentences; see json_equal).
Then one recorded language-server session per binary opens every file in turn and asks
what an editor asks (the findings published, hover on every line, completion, the code
actions for the findings); every answer must be identical.

With `--legacy` (a base from before issue 7), the old binary's known differences are
rewritten first. One
change is allowed by design (issue 7): in `check --format json`, a data path that the old
binary printed at the start of `message` is now in `path`, so `old.message` must equal
`new.path + ": " + new.message` (or the messages are equal). One fix follows from it: a
diagnostic that printed its data path twice (`cpuid[0]: cpuid[0]: ...`, and the back-end
notes `disk: disk[0]: ...`) prints it once on stderr; KNOWN_FIXES rewrites the old text so.
A second fix was found by tests/schema_effect_test.py: xl's note for `s3_integrity = 0`
(which xl cannot express) was dead code; NEW_FIXES takes that note out of the new output.
The other change is that a config's own questions (os.path.exists, open, os.listdir, glob)
now see the --root view too: a file that asks them runs without --root, from the copy's
/etc/xen, where both binaries see the same machine.
Prints `behaviour: N/N files identical` and the first differences; exit 1 on any.
"""

import difflib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

import xmtest
from lsp_client import Client, uri_of

def backends(binary):
    """The back ends `binary` lists (`xmc backends`), and `values` (compile's dump of the
    evaluated variables, outside the back-end table)."""
    p = subprocess.run([binary, 'backends'], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    return [line.split('\t')[0] for line in p.stdout.splitlines() if line.strip()] + ['values']


def commands(cfg, root_dir, names):
    root = ['--root', root_dir] if root_dir else []
    out = [root + ['create', '-n', cfg], root + ['create', '-x', cfg]]
    for b in names:
        extra = ['--uuid', '00000000-0000-4000-8000-000000000001', '--domid', '3'] if b == 'xenstore' else []
        out.append(root + ['compile', cfg, '--emit', b] + extra)
    out.append(root + ['check', cfg])
    out.append(root + ['check', '--format', 'json', cfg])
    out.append(root + ['check', '--format', 'sarif', cfg])
    return out


KNOWN_FIXES = [
    (re.compile(rb'((?:warning|error|note): )(\S+): \2: '), rb'\1\2: '),
    (re.compile(rb'((?:warning|error|note): )(\w+): (\2[\[.])'), rb'\1\3'),
]

# The s3_integrity note the old binary never gave: its comment line in the xl.cfg (with the
# comment block's header and blank line when it was the only note) and its diagnostic.
NEW_FIXES = [
    (re.compile(rb'\n\n# Not carried over from the xm config:\n#   s3_integrity: [^\n]*\n(?!#)'), b'\n'),
    (re.compile(rb'#   s3_integrity: has no xl equivalent and is left out\n'), b''),
    (re.compile(rb'[^\n]*: warning: s3_integrity: has no xl equivalent and is left out \[xl-translation\]\n'
                rb'(?:[^\n]*\n[ ]*\^[~]*\n)?'), b''),
]


def run(binary, args, cwd, fixes=()):
    p = subprocess.run([binary] + args, capture_output=True, env=xmtest.REFERENCE_ENV, timeout=60, cwd=cwd)
    out, err = p.stdout, p.stderr
    for pattern, repl in fixes:
        out, err = pattern.sub(repl, out), pattern.sub(repl, err)
    return p.returncode, out, err


def lsp_session(binary, cwd, files):
    """The answers `xmc lsp` of `binary` gives in one session over `files` (opened from `cwd`
    in turn): per file, the findings published on open, hover at the start of every line and
    after its first '=', completion at the end of the first line and the code actions for
    the findings; then the answer to shutdown."""
    client = Client(cwd, binary)
    answers = []

    def ask(method, params):
        r = client.request(method, params)
        answers.append((method, None if r is None else r.get('result', r.get('error'))))

    ask('initialize', {'processId': None, 'rootUri': uri_of(cwd), 'capabilities': {}})
    client.notify('initialized', {})
    for path in files:
        with open(path, encoding='utf-8', errors='replace') as f:
            text = f.read()
        uri = uri_of(os.path.join(cwd, os.path.basename(path)))
        client.notify('textDocument/didOpen', {'textDocument': {'uri': uri, 'languageId': 'xm', 'version': 1,
                                                                'text': text}})
        diags = client.diagnostics(uri, 1)
        answers.append(('publishDiagnostics', path, diags))
        doc = {'uri': uri}
        lines = text.split('\n')
        for n, line in enumerate(lines[:200]):
            for col in sorted({0, line.find('=') + 1}):
                ask('textDocument/hover', {'textDocument': doc, 'position': {'line': n, 'character': col}})
        ask('textDocument/completion', {'textDocument': doc, 'position': {'line': 0, 'character': len(lines[0])}})
        ask('textDocument/codeAction', {'textDocument': doc, 'range': {'start': {'line': 0, 'character': 0},
                                        'end': {'line': len(lines), 'character': 0}},
                                        'context': {'diagnostics': diags or []}})
        client.notify('textDocument/didClose', {'textDocument': doc})
    ask('shutdown', None)
    client.notify('exit', None)
    client.proc.communicate(timeout=30)
    return answers


def json_equal(old, new):
    try:
        a, b = json.loads(old), json.loads(new)
    except ValueError:
        return old == new
    if not isinstance(a, list) or not isinstance(b, list):  # SARIF: one document
        # The rules' texts are the catalogue's rows as written (issue 21 made the variants of a
        # sentence {select:...} alternatives, shown as [A | B]): compared without them; the
        # results, with every message, are compared whole.
        for doc in (a, b):
            for run_ in doc.get('runs', []):
                for rule in run_.get('tool', {}).get('driver', {}).get('rules', []):
                    rule.pop('shortDescription', None)
        return a == b
    if len(a) != len(b):
        return False
    for x, y in zip(a, b):
        for k in x:
            if k in ('message', 'path'):
                continue
            if x[k] != y.get(k):
                return False
        if x['message'] == y['message'] and x['path'] == y['path']:
            continue
        if x['path'] in ('', y['path']) and (x['message'] == y['message'] or x['message'] == y['path'] + ': ' + y['message']):
            continue
        return False
    return True


def files_of(paths):
    out = []
    for p in paths:
        if os.path.isdir(p):
            for d, _, names in sorted(os.walk(p)):
                out += [os.path.join(d, n) for n in sorted(names) if not n.endswith(('.out', '.err', '.json', '.xml',
                        '.sxp', '.xs', '.xl', '.md', '.txt', '.py', '.sh'))]
        else:
            out.append(p)
    return out


def main():
    args = sys.argv[1:]
    legacy = '--legacy' in args
    args = [a for a in args if a != '--legacy']
    old, new = os.path.abspath(args[0]), os.path.abspath(args[1])
    files = files_of(args[2:])
    old_fixes, new_fixes = (KNOWN_FIXES, NEW_FIXES) if legacy else ((), ())
    names = backends(new)  # one the old binary lacks shows as a difference
    same, shown = 0, 0
    # Each file is looked at as /etc/xen/NAME inside a copy of the golden root.
    scratch = tempfile.mkdtemp()
    root = os.path.join(scratch, 'root')
    shutil.copytree(xmtest.GOLDEN_ROOT, root, symlinks=True)
    etc = os.path.join(root, 'etc', 'xen')
    os.makedirs(etc, exist_ok=True)
    for cfg in files:
        ok = True
        name = os.path.basename(cfg)
        shutil.copyfile(cfg, os.path.join(etc, name))
        with open(cfg, 'rb') as f:
            asks_host = re.search(rb'\bos\.|open\(|glob|import', f.read()) is not None
        where = (os.path.join(etc, name), None) if asks_host else ('/etc/xen/' + name, root)
        for args in commands(*where, names):
            a, b = run(old, args, etc, old_fixes), run(new, args, etc, new_fixes)
            if '--format' not in args:
                equal = a == b
            else:
                equal = a[0] == b[0] and a[2] == b[2] and json_equal(a[1].decode('utf-8', 'replace'),
                                                                       b[1].decode('utf-8', 'replace'))
            if not equal:
                ok = False
                if shown < 10:
                    shown += 1
                    print('DIFF %s: xmc %s' % (cfg, ' '.join(args)))
                    for label, x, y in (('status', a[0], b[0]), ('stdout', a[1], b[1]), ('stderr', a[2], b[2])):
                        if x != y and label == 'status':
                            print('  status old %r new %r' % (x, y))
                        elif x != y:
                            diff = difflib.unified_diff(x.decode('utf-8', 'replace').splitlines(),
                                                        y.decode('utf-8', 'replace').splitlines(),
                                                        'old ' + label, 'new ' + label, lineterm='', n=1)
                            print('\n'.join('  ' + line for line in list(diff)[:30]))
                break
        same += ok
        os.unlink(os.path.join(etc, name))
    print('behaviour: %d/%d files identical (%d commands each)' % (same, len(files), len(commands('x', root, names))))
    # The language server, on files of the size an editor opens.
    session = [f for f in files if os.path.getsize(f) < 65536]
    a, b = lsp_session(old, etc, session), lsp_session(new, etc, session)
    lsp_same = sum(x == y for x, y in zip(a, b))
    print('language server: %d/%d answers identical (%d files)' % (lsp_same, max(len(a), len(b)), len(session)))
    for x, y in [(x, y) for x, y in zip(a, b) if x != y][:5]:
        print('  DIFF old %s\n       new %s' % (json.dumps(x)[:400], json.dumps(y)[:400]))
    shutil.rmtree(scratch)
    return 0 if same == len(files) and len(a) == len(b) and lsp_same == len(a) else 1


if __name__ == '__main__':
    sys.exit(main())
