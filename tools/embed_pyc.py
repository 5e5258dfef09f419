"""Compiles xmc_eval.py to a code object (marshal) and writes it as a C++ byte array, so
that the evaluator worker loads bytecode instead of compiling the source at every start.
Run by CMake with the interpreter xmc is built against: usage embed_pyc.py SRC OUT."""
import marshal
import sys

src, out = sys.argv[1], sys.argv[2]
with open(src, encoding='utf-8') as f:
    code = compile(f.read(), '<xmc_eval>', 'exec', dont_inherit=True, optimize=0)
data = marshal.dumps(code)
lines = []
for i in range(0, len(data), 24):
    lines.append(','.join(str(b) for b in data[i:i + 24]))
with open(out, 'w') as f:
    f.write('// Generated from %s by tools/embed_pyc.py; do not edit.\n' % src.rsplit('/', 1)[-1])
    f.write('#include <cstddef>\nnamespace xmc {\n')
    f.write('extern const unsigned char kXmcEvalPyc[];\nextern const size_t kXmcEvalPycSize;\n')
    f.write('const unsigned char kXmcEvalPyc[] = {\n%s\n};\n' % ',\n'.join(lines))
    f.write('const size_t kXmcEvalPycSize = sizeof(kXmcEvalPyc);\n}  // namespace xmc\n')
