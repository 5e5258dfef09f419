"""Golden cases: tests/golden/<area>/<case>.cfg with one expected file per back end.

  <case>.cfg       the config; an optional first line `# ARGS: w1 w2 ...` gives NAME=VALUE
                   words (and, before them, options such as --frontend=python)
  <case><suffix>   expected `xmc compile --emit NAME` stdout, for every back end that
                   `xmc backends` lists (NAME and suffix: .sxp, .xml, .xs, ...); xenstore
                   runs with --domid 5 --uuid <fixed>; the model (.json) leaves out the
                   defaults of variables for the other guest type
  <case>.EXT.err   for a back end that must refuse the case (exit 1): its stderr
  <case>.err       expected stderr (diagnostics); absent means "no diagnostics at all"

Inputs that must fail are the bad-input corpus (tests/bad, tests/bad_inputs.py).
Every case runs from its own directory with --root tests/golden/root, HOME=/root and no
DISPLAY. XMC_UPDATE_GOLDEN=1 rewrites the expected files from the current output, for
review with `git diff`.
"""

import difflib
import glob
import json
import os
import subprocess
import sys

import xmtest

GOLDEN = xmtest.GOLDEN
ROOT = xmtest.GOLDEN_ROOT
UPDATE = os.environ.get('XMC_UPDATE_GOLDEN') == '1'

def backends():
    """(name, suffix) of every back end, from xmc's own table."""
    out = subprocess.run([xmtest.XMC, 'backends'], capture_output=True, check=True).stdout.decode()
    return [tuple(line.split('\t')[:2]) for line in out.splitlines()]

# Options a back end needs to be deterministic.
BACKEND_OPTIONS = {'xenstore': ['--domid', '5', '--uuid', '00000000-0000-4000-8000-0000000000aa']}


def scopes():
    """{variable: scope} from xmc's schema."""
    out = subprocess.run([xmtest.XMC, 'schema', '--format', 'json'], capture_output=True, check=True).stdout
    return {v['name']: v['scope'] for v in json.loads(out)['variables']}


def pinned_model(out, scope_of):
    """The model a golden pins: without the defaults of variables that do not apply to the
    case's guest type (an HVM-only variable's default in a PV case), so that adding a
    variable touches only the goldens of the guests it is for. Those defaults are pinned
    by the cases of their own guest type."""
    model = json.loads(out)
    guest = model.get('guest_type')
    for name, origin in list(model.get('origins', {}).items()):
        scope = scope_of.get(name, 'all')
        if origin == 'default' and scope != 'all' and scope != guest:
            del model['origins'][name]
            model['config'].pop(name, None)
    return (json.dumps(model, indent=2, ensure_ascii=False) + '\n').encode()


def run(cfg, emit):
    args = xmtest.golden_case_args(cfg)
    options = [a for a in args if a.startswith('--')]
    words = [a for a in args if not a.startswith('--')]
    cmd = [xmtest.XMC, '--root', ROOT] + options + ['compile', '--emit', emit] + \
        BACKEND_OPTIONS.get(emit, []) + [os.path.basename(cfg)] + words
    p = subprocess.run(cmd, cwd=os.path.dirname(cfg), env=xmtest.REFERENCE_ENV,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60)
    return p.returncode, p.stdout, p.stderr


def compare(path, actual, failures, label):
    if UPDATE:
        if actual is None:
            if os.path.exists(path):
                os.remove(path)
        else:
            with open(path, 'wb') as f:
                f.write(actual)
        return True
    expected = xmtest.read(path) if os.path.exists(path) else None
    if expected == actual:
        return True
    failures.append('%s: %s differs from %s' % (label, 'output' if actual else 'no output',
                                                 os.path.relpath(path, GOLDEN)))
    old = (expected or b'').decode('utf-8', 'replace').splitlines()
    new = (actual or b'').decode('utf-8', 'replace').splitlines()
    rel = os.path.relpath(path, GOLDEN)
    print('\n'.join(difflib.unified_diff(old, new, 'expected/' + rel, 'actual/' + rel, lineterm='')))
    return False


def main():
    cases = sorted(glob.glob(os.path.join(GOLDEN, '*', '*.cfg')))
    cases = [c for c in cases if not c.endswith('.xl.cfg')]
    cases = [c for c in cases if not c.startswith(ROOT + os.sep)]
    failures = []
    per_area = {}
    scope_of = scopes()
    for cfg in cases:
        stem = cfg[:-len('.cfg')]
        name = os.path.relpath(stem, GOLDEN)
        area = name.split(os.sep)[0]
        ok = True
        stderr_seen = None
        for emit, ext in backends():
            rc, out, err = run(cfg, emit)
            if rc != 0 and (UPDATE or os.path.exists(stem + ext + '.err')):
                # This back end refuses the case: pin its diagnostic instead.
                ok = compare(stem + ext + '.err', err, failures, name + ' ' + emit) and ok
                ok = compare(stem + ext, None, failures, name + ' ' + emit) and ok
                continue
            if rc != 0:
                failures.append('%s: --emit %s exited %d: %s' % (name, emit, rc, err.decode()))
                ok = False
                continue
            if emit == 'json':
                out = pinned_model(out, scope_of)
            ok = compare(stem + ext, out, failures, name + ' ' + emit) and ok
            if os.path.exists(stem + ext + '.err') and not UPDATE:
                failures.append('%s: --emit %s succeeded but %s.err expects a failure' % (name, emit, ext))
                ok = False
            stderr_seen = err
        if stderr_seen is not None:
            ok = compare(stem + '.err', stderr_seen or None, failures, name + ' stderr') and ok
        per_area.setdefault(area, [0, 0])
        per_area[area][0] += ok
        per_area[area][1] += 1
    for f in failures:
        print('FAIL: ' + f)
    for area, (good, total) in sorted(per_area.items()):
        print('golden %s: %d/%d cases match' % (area, good, total))
    print('golden: %d passed, %d failed' % (sum(v[0] for v in per_area.values()),
                                            sum(v[1] - v[0] for v in per_area.values())))
    if UPDATE:
        print('expectations rewritten; review them with git diff')
    elif failures:
        print('golden: where the new output is the right one, XMC_UPDATE_GOLDEN=1 ctest -R golden rewrites the '
              'expectations; review them with git diff')
    return 0 if not failures and cases else 1


if __name__ == '__main__':
    sys.exit(main())
