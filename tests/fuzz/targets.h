// The fuzz targets: each takes any bytes and must neither crash, nor hang, nor trip a
// sanitizer. tests/fuzz/fuzz_target.cc makes one libFuzzer binary of each (make fuzz);
// the unit tests run every kept finding and seed through them (fuzz_regressions_test.cc).
#pragma once

#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>

#include "compiler/check/check.h"
#include "compiler/emit/backend.h"
#include "compiler/frontend/frontend.h"
#include "compiler/frontend/native.h"
#include "compiler/host/host.h"
#include "compiler/lower/lower.h"
#include "compiler/lower/specs.h"
#include "compiler/resolve/resolve.h"
#include "compiler/sandbox/protocol.h"
#include "tests/fake_host.h"

namespace xmc::fuzz {

/// The native front end alone.
inline int Parser(const uint8_t* data, size_t size) {
  SourceFile file("fuzz.cfg", std::string(reinterpret_cast<const char*>(data), size));
  NativeRejection why;
  auto eval = ParseNative(file, &why);
  if (!eval) {
    Diagnostics diags;
    diags.Add<DiagId::kNativeOnly>(file.path(), why.span, "", why.reason);
    (void)Render(diags.all()[0], &file, RenderOptions{});
  }
  return 0;
}

/// What a worker and a sandboxed child send: the first byte chooses the decoder, the rest
/// is the message (an evaluation result, a failure, a frame stream, a request, a reply).
inline int Decoder(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  std::string text(reinterpret_cast<const char*>(data) + 1, size - 1);
  SourceFile file("fuzz.cfg", "name = 'x'\nwhile True:\n\tfor x in y:\n  pass\n");
  EvalOptions options;
  options.known_variables = {"name", "memory", "kernel"};
  Diagnostics diags;
  switch (data[0] % 6) {
    case 0: {
      FrontendResult r = DecodeEvaluation(text, file, options, &diags);
      for (const Binding& b : r.eval.bindings) (void)b.value.Repr();
      break;
    }
    case 1:
      if (auto f = sandbox::DecodeFailure(text)) sandbox::AddFailure(*f, file, options, &diags);
      break;
    case 2: {
      std::string buffer = text;
      bool bad = false;
      while (auto frame = sandbox::TakeFrame(&buffer, &bad)) {
        if (frame->type == 'R') DecodeEvaluation(frame->payload, file, options, &diags);
        if (frame->type == 'F') (void)sandbox::DecodeFailure(frame->payload);
      }
      break;
    }
    case 3: (void)sandbox::DecodeEvalRequest(text); break;
    case 4:
      (void)DecodeReply(text);
      (void)DecodeRequest(text);
      break;
    default:
      sandbox::AddDenied({text.substr(0, 40), text.substr(text.size() / 2)}, file.path(), &diags);
      (void)sandbox::TracebackLine(text, "fuzz.cfg");
      break;
  }
  for (const Diagnostic& d : diags.all()) (void)Render(d, &file, RenderOptions{});
  return 0;
}

/// The spec grammars, one target each.
inline int SpecCpuMask(const uint8_t* data, size_t size) {
  CpuMaskError error;
  (void)ParseCpuMask(std::string_view(reinterpret_cast<const char*>(data), size), &error);
  return 0;
}
inline int SpecPci(const uint8_t* data, size_t size) {
  if (auto pci = ParsePciAddress(std::string_view(reinterpret_cast<const char*>(data), size))) {
    std::string error;
    (void)ArrangePciFunctions(pci->funcs, &error);
  }
  return 0;
}
inline int SpecCpuid(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)CpuidInputLength(text);
  (void)ParseCpuidRegister(text);
  return 0;
}
inline int SpecVdev(const uint8_t* data, size_t size) {
  bool extended = false;
  (void)VdevNumber(std::string_view(reinterpret_cast<const char*>(data), size), &extended);
  return 0;
}
inline int SpecIoport(const uint8_t* data, size_t size) {
  (void)IsHexPort(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}

/// Any bytes as a config file, through the native front end, lowering, host resolution
/// (a fake host), checks and every writer. Never starts Python.
inline int Pipeline(const uint8_t* data, size_t size) {
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

}  // namespace xmc::fuzz
