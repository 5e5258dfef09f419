// libFuzzer target: any bytes as a config file, through the native front end, lowering,
// host resolution (a fake host), checks and every writer. Never starts Python. A crash,
// a sanitizer report or a hang here is a bug. Build and run: tests/fuzz/run.sh.
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>

#include "compiler/check/check.h"
#include "compiler/emit/backend.h"
#include "compiler/frontend/native.h"
#include "compiler/host.h"
#include "compiler/lower/lower.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace xmc;
  SourceFile file("fuzz.cfg", std::string(reinterpret_cast<const char*>(data), size));
  NativeRejection why;
  auto eval = ParseNative(file, &why);
  if (!eval) return 0;
  const Schema& schema = Schema::Builtin();
  FakeHost host;
  host.env["HOME"] = "/root";
  host.files["/boot/k"] = "";
  Diagnostics diags;
  DomainConfig config;
  LowerInput in;
  in.file = file.path();
  in.eval = &*eval;
  in.default_name = "fuzz";
  Lower(in, schema, &config, &diags);
  ApplyDefaults(schema, host, &config);
  ResolveHost(file.path(), host, &config, &diags);
  Check(file.path(), schema, config, CheckOptions{8}, &diags);
  for (const Diagnostic& d : diags.all()) (void)Render(d, &file, RenderOptions{});
  std::ostringstream out;
  EmitOptions options;
  options.file = file.path();
  options.domid = 5;
  options.uuid = "00000000-0000-4000-8000-000000000001";
  for (const Backend& b : Backends()) b.emit(config, options, out, &diags);
  return 0;
}
