"""The bad-input corpus, the one place for inputs broken on purpose: tests/bad/NAME.cfg
with NAME.out, the expected rendered diagnostics of `xmc check --werror NAME.cfg`. An
optional first line `# ARGS: --option VALUE ... NAME=VALUE ...` adds options; a case with
NAME=VALUE words (which only `compile` takes) runs `xmc compile --emit sxp NAME.cfg
WORDS` instead and NAME.out is its stderr. Every case must exit 1 with at least one
located diagnostic (NAME.cfg:LINE:COL), never crash or print a traceback, print exactly
NAME.out and nothing on stdout for compile, and keep the diagnostics contract in
`check --format json`. XMC_UPDATE_GOLDEN=1 rewrites the .out files for review."""

import glob
import json
import os
import re
import subprocess
import sys

import xmtest

BAD = os.path.join(xmtest.SOURCE_DIR, 'tests', 'bad')
UPDATE = os.environ.get('XMC_UPDATE_GOLDEN') == '1'

# The diagnostics contract: a message never starts with a data path (`disk[1]: ...`); it
# goes in `path`. Every spec-string finding with a place in the file has a path.
DATA_PATH = re.compile(r'^[a-z_][a-z0-9_]*(\[\d+\])*(\.[A-Za-z_]+)?: ')
SPEC_IDS = re.compile(r'^(disk-|vif-option|vif2-option|vfb-option|vusb-spec|kv-pair|mac-syntax|pci-|ioports-|'
                      r'cpuid-|cpus-syntax|vscsi-spec|item-not-string|access-control)')


def contract_problems(cmd, cwd):
    """What `xmc check --format json` prints against the diagnostics contract."""
    at = cmd.index('check') + 1
    p = subprocess.run(cmd[:at] + ['--format', 'json'] + cmd[at:], cwd=cwd, env=xmtest.REFERENCE_ENV,
                       capture_output=True, timeout=60)
    problems = []
    for d in json.loads(p.stdout):
        if DATA_PATH.match(d['message']):
            problems.append('message starts with a data path: %r' % d['message'])
        if SPEC_IDS.match(d['id']) and d['line'] > 0 and not d['path']:
            problems.append('%s at line %d has an empty path' % (d['id'], d['line']))
    return problems


def main():
    cases = sorted(glob.glob(os.path.join(BAD, '*.cfg')))
    diagnosed = 0
    failures = []
    for cfg in cases:
        name = os.path.basename(cfg)
        # `# ARGS:` options: --host-cpus belongs to check, the others (--eval-timeout, --frontend)
        # come before it.
        args = xmtest.golden_case_args(cfg)
        words = [a for a in args if '=' in a and not a.startswith('--')]
        options = [a for a in args if a not in words]
        check_args, global_args = [], []
        for i in range(0, len(options), 2):
            (check_args if options[i] == '--host-cpus' else global_args).extend(options[i:i + 2])
        problems = []
        if words:
            cmd = [xmtest.XMC, '--root', xmtest.GOLDEN_ROOT] + global_args + ['compile', '--emit', 'sxp', name] + words
        else:
            cmd = [xmtest.XMC, '--root', xmtest.GOLDEN_ROOT] + global_args + ['check', '--werror'] + check_args + [name]
        p = subprocess.run(cmd, cwd=BAD, env=xmtest.REFERENCE_ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           timeout=60)
        out = p.stdout.decode('utf-8', 'replace')
        if words:
            if p.stdout:
                problems.append('compile printed output')
            out = p.stderr.decode('utf-8', 'replace')
        if p.returncode != 1:
            problems.append('exit status %d, expected 1' % p.returncode)
        # A value given on the command line has no place in the file: its error names xmc.
        located = re.search(r'^%s:\d+:\d+: (error|warning):' % re.escape(name), out, re.M)
        if not located and not (words and out.startswith('xmc: error:')):
            problems.append('no located diagnostic')
        if 'Traceback' in out or 'internal error' in out or p.returncode < 0:
            problems.append('crash or internal error')
        if not words:
            problems += contract_problems(cmd, BAD)
        expected_path = cfg[:-len('.cfg')] + '.out'
        if UPDATE:
            with open(expected_path, 'w') as f:
                f.write(out)
        elif not os.path.exists(expected_path) or open(expected_path).read() != out:
            problems.append('output differs from %s' % os.path.basename(expected_path))
        if problems:
            failures.append(name)
            print('FAIL %s: %s\n%s' % (name, '; '.join(problems), out))
        else:
            diagnosed += 1
    print('bad inputs: %d/%d diagnosed' % (diagnosed, len(cases)))
    return 0 if diagnosed == len(cases) and len(cases) >= 60 else 1


if __name__ == '__main__':
    sys.exit(main())
