"""Back ends keep meaning on generated configs (issue 8, item 4).

The configs of the xm differential generator (tests/xm_differential.py, same seed, same
configs and NAME=VALUE words) that xmc compiles go through:

- `--emit xl`, parsed by the real xl 4.17 (../shared/tools/xl-dryrun): xl must accept it
  without a warning, and its libxl JSON must equal `xmc --emit libxl-json` of the original
  config (c_info.uuid ignored when the config sets none: xl makes one at random);
- `--emit libvirt`, validated against libvirt's RelaxNG schema with xmllint.

  backend_differential.py [--seed S] [--count N] [--jobs J] [--keep DIR] [--quiet]

Each part skips with a message when its oracle is missing (xl-dryrun needs root and the
Debian packages xen-utils-4.17 and libxen-dev; the schema needs libvirt0 and xmllint).
"""

import argparse
import collections
import concurrent.futures
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

import xl_oracle
import xm_differential
import xmtest
from corpus_libvirt import RNG


def xmc(root, name, args, words):
    p = subprocess.run([xmtest.XMC, '--root', root, 'compile'] + args + [name] + words, cwd=os.path.join(root, 'etc/xen'),
                       env=xmtest.REFERENCE_ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60)
    return p.returncode, p.stdout.decode('utf-8', 'replace'), p.stderr.decode('utf-8', 'replace')


def check_xl(root, work, name, words):
    """None when xl agrees, else what went wrong."""
    rc, xl_cfg, err = xmc(root, name, ['--emit', 'xl'], words)
    if rc != 0:
        return 'xmc --emit xl failed where --emit json compiled: ' + err.strip()[:300]
    rc, ours, err = xmc(root, name, ['--emit', 'libxl-json'], words)
    if rc != 0:
        return 'xmc --emit libxl-json failed: ' + err.strip()[:300]
    # The uuid counts as set when xmc wrote one (xm dropped one that was not a string).
    values = {'uuid': True} if 'uuid' in json.loads(ours).get('c_info', {}) else {}
    path = os.path.join(work, name + '.xl.cfg')
    with open(path, 'w', encoding='utf-8') as f:
        f.write(xl_cfg)
    xrc, xout, xerr = xl_oracle.xl(path)
    noise = [l for l in xerr.splitlines() if not any(p.match(l) for p in xl_oracle.ALLOWED_STDERR)]
    if xrc != 0:
        return 'xl exit %d: %s' % (xrc, xerr.strip()[:300])
    if noise:
        return 'xl warned: ' + ' | '.join(noise)[:300]
    return xl_oracle.first_difference(xl_oracle.strip_uuid(json.loads(xout), values),
                                      xl_oracle.strip_uuid(json.loads(ours), values))


def check_libvirt(root, work, name, words):
    rc, xml, err = xmc(root, name, ['--emit', 'libvirt'], words)
    if rc != 0:
        return 'xmc --emit libvirt failed where --emit json compiled: ' + err.strip()[:300]
    path = os.path.join(work, name + '.xml')
    with open(path, 'w', encoding='utf-8') as f:
        f.write(xml)
    v = subprocess.run(['xmllint', '--noout', '--relaxng', RNG, path], stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, timeout=60)
    return None if v.returncode == 0 else 'not valid: ' + v.stderr.decode('utf-8', 'replace').strip()[:400]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--seed', type=int, default=1)
    ap.add_argument('--count', type=int, default=300)
    ap.add_argument('--jobs', type=int, default=2)
    ap.add_argument('--keep', help='write the configs a back end gets wrong here')
    ap.add_argument('--quiet', action='store_true')
    args = ap.parse_args()

    checks = {}
    why_xl = xmtest.xl_unavailable()
    if why_xl:
        print('backend differential: xl part skipped: ' + why_xl)
    else:
        checks['xl'] = check_xl
    if not os.path.exists(RNG) or not shutil.which('xmllint'):
        print('backend differential: libvirt part skipped: needs %s (libvirt0) and xmllint' % RNG)
    else:
        checks['libvirt'] = check_libvirt
    if not checks:
        return xmtest.SKIP

    schema = json.loads(subprocess.run([xmtest.XMC, 'schema', '--format', 'json'], check=True,
                                       capture_output=True).stdout)
    r = xm_differential.random.Random(args.seed)
    cases = [xm_differential.make_config(r, schema['variables'], i)[:2] for i in range(args.count)]

    root = xmtest.make_reference_root()
    work = tempfile.mkdtemp(prefix='xmc-backends-')
    compiled = 0
    ok = collections.Counter()
    problems = collections.defaultdict(list)

    def run(item):
        i, (text, words) = item
        name = 'g%d.cfg' % i
        xmtest.write_text(os.path.join(root, 'etc/xen', name), text)
        rc, _, _ = xmc(root, name, ['--emit', 'json'], words)
        if rc != 0:
            return i, None
        return i, {b: check(root, work, name, words) for b, check in checks.items()}

    try:
        with concurrent.futures.ThreadPoolExecutor(args.jobs) as ex:
            results = list(ex.map(run, enumerate(cases)))
        for i, res in results:
            if res is None:
                continue
            compiled += 1
            for backend, problem in res.items():
                if problem is None:
                    ok[backend] += 1
                    continue
                problems[backend].append(i)
                if not args.quiet or len(problems[backend]) <= 5:
                    print('%s: config %d (%s): %s' % (backend.upper(), i, ' '.join(cases[i][1]), problem))
                if args.keep:
                    os.makedirs(args.keep, exist_ok=True)
                    xmtest.write_text(os.path.join(args.keep, 'g%d.cfg' % i), cases[i][0])
                    xmtest.write_text(os.path.join(args.keep, 'g%d.words' % i), ' '.join(cases[i][1]) + '\n')
    finally:
        shutil.rmtree(root, ignore_errors=True)
        shutil.rmtree(work, ignore_errors=True)

    parts = ['%s %d/%d' % ({'xl': 'xl accepts and agrees', 'libvirt': 'libvirt XML valid'}[b], ok[b], compiled)
             for b in checks]
    print('backend differential: %d of %d generated configs compile; %s' % (compiled, args.count, ', '.join(parts)))
    return 0 if compiled and all(ok[b] == compiled for b in checks) else 1


if __name__ == '__main__':
    sys.exit(main())
