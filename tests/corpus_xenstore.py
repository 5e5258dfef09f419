"""`xmc compile --emit xenstore` against the XenStore writes a (stubbed) xend 4.4 made.

For every corpus config whose `.xenstore` capture shows a successful creation, xmc runs with
`--domid 5 --uuid <the capture's domain UUID>` and every config-derived line of the capture
must appear in xmc's output, in the capture's order (xend wrote its dicts in CPython 2.7's
iteration order; xmc computes that order).

Run-time values (compiler/emit/xenstore.h, kRuntimeValues) are handled like this:

| in the capture                                        | treatment                          |
| ---                                                   | ---                                |
| `@introduce ...` (store mfn and port)                 | left out                           |
| `.../store/port`, `.../store/ring-ref`                | left out                           |
| `.../console/port`, `.../console/ring-ref`            | left out                           |
| console backend `.../location` (the console port)     | left out                           |
| `/vm/<uuid>/start_time`                               | left out                           |
| `.../console/tty`, `.../image/device-model-pid|fifo`  | left out                           |
| `/local/domain/5/image/<note>` of a PV guest          | left out (xmc writes one `# runtime:` line for the ELF notes) |
| image kernel/cmdline/ramdisk of a bootloader guest    | left out (what pygrub extracted)   |
| device UUIDs `deadbeef-0000-4000-a000-0000000000NN`   | compared as `{runtime:device-uuid}` |
| generated MACs `00:16:3e:7f:ff:NN`                    | compared as `{runtime:generated-mac}` |
| frontend `protocol = x86_64-abi` (the kernel's ABI)   | compared as `{runtime:native-protocol}` |
| the `(notes ...)` of a PV guest's one-line image      | compared as `(notes {runtime:elf-notes})` |
"""

import os
import re
import shutil
import subprocess
import sys

import xmtest

RUNTIME_PATHS = [r'/store/port$', r'/store/ring-ref$', r'/console/port$', r'/console/ring-ref$',
                 r'/backend/console/\d+/\d+/location$', r'/start_time$', r'/console/tty$',
                 r'/image/device-model-(pid|fifo)$']


def successful_captures():
    out = []
    for config, prefix in xmtest.corpus_configs():
        path = prefix + '.xenstore'
        if not os.path.exists(path):
            continue
        text = open(path).read()
        if '# xend.domain.create failed' in text or '# not run' in text:
            continue
        out.append((config, path, text))
    return out


def normalize(line, domain_uuid):
    line = re.sub(r'deadbeef-0000-4000-a000-0000000000\d\d',
                  lambda m: m.group(0) if m.group(0) == domain_uuid else '{runtime:device-uuid}', line)
    line = re.sub(r'00:16:3e:7f:ff:\d\d', '{runtime:generated-mac}', line)
    line = re.sub(r'(/device/\w+/\d+/protocol) = x86_64-abi$', r'\1 = {runtime:native-protocol}', line)
    return line


def expected_lines(text, uuid, ours):
    pv_notes = any(l.startswith('# runtime: ') and 'elf-notes' in l for l in ours)
    bootloader = any('{runtime:bootloader-kernel}' in l for l in ours)
    kept, left_out = [], 0
    for line in text.splitlines():
        path = line.split(' ')[0]
        runtime = line.startswith('@introduce') or any(re.search(p, path) for p in RUNTIME_PATHS)
        runtime = runtime or (pv_notes and re.match(r'/local/domain/5/image/', path) is not None
                              and 'device-model' not in path)
        runtime = runtime or (bootloader and re.search(r'/image/(kernel|cmdline|ramdisk)$', path) is not None)
        if runtime:
            left_out += 1
            continue
        line = normalize(line, uuid)
        if pv_notes and re.match(r'/vm/[^/]+/image = ', line):
            line = re.sub(r' \(notes .*\)\)$', ' (notes {runtime:elf-notes}))', line)
        kept.append(line)
    return kept, left_out


def out_of_order(want, ours):
    """The first line of `want` that does not follow the previous ones in `ours` ('' if none)."""
    it = iter(ours)
    for line in want:
        if not any(line == l for l in it):
            return line
    return ''


def in_order(want, ours):
    return out_of_order(want, ours) == ''


def main():
    xmtest.require_corpus()
    root = xmtest.make_reference_root()
    total = matching = 0
    checked_lines = left_out_lines = 0
    try:
        for config, path, text in successful_captures():
            total += 1
            m = re.search(r'^/local/domain/5/vm = /vm/(\S+)$', text, re.M)
            uuid = m.group(1)
            name = os.path.basename(config)
            shutil.copyfile(config, os.path.join(root, 'etc/xen', name))
            cmd = [xmtest.XMC, '--root', root, 'compile', '--emit', 'xenstore', '--domid', '5', '--uuid', uuid,
                   name] + xmtest.REFERENCE_VARS.get(name, [])
            p = subprocess.run(cmd, cwd=os.path.join(root, 'etc/xen'), env=xmtest.REFERENCE_ENV,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60)
            if p.returncode != 0:
                print('FAILED: %s: exit %d\n%s' % (name, p.returncode, p.stderr.decode()))
                continue
            ours = p.stdout.decode().splitlines()
            want, left_out = expected_lines(text, uuid, ours)
            checked_lines += len(want)
            left_out_lines += left_out
            have = set(ours)
            missing = [l for l in want if l not in have]
            if missing:
                print('DIFFERS: %s: %d of %d config-derived lines missing, e.g.' % (name, len(missing), len(want)))
                for l in missing[:8]:
                    print('    ' + l[:300])
            elif not in_order(want, ours):
                first = out_of_order(want, ours)
                print('DIFFERS: %s: the lines are in another order than the capture\'s, from\n    %s'
                      % (name, first[:300]))
            else:
                matching += 1
    finally:
        shutil.rmtree(root, ignore_errors=True)
    print('xenstore: %d/%d corpus configs match on config-derived keys and their order '
          '(%d lines compared, %d run-time lines left out)' % (matching, total, checked_lines, left_out_lines))
    return 0 if matching == total and total > 0 else 1


if __name__ == '__main__':
    sys.exit(main())
