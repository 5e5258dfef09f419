#include "compiler/emit/backend.h"

#include "compiler/emit/json.h"
#include "compiler/emit/libvirt.h"
#include "compiler/emit/sxp.h"
#include "compiler/emit/xenstore.h"
#include "compiler/emit/xl.h"
#include "compiler/emit/xm_xml.h"

namespace xmc {
namespace {

constexpr Backend kBackends[] = {
    {"sxp", "xm's SXP (`xm create -n`), byte for byte", ".sxp", "the real xm 4.4's output for the whole corpus",
     EmitSxp},
    {"xml", "xm's Xen-API XML (`xm create -x`), byte for byte", ".xml", "the real xm 4.4's output for the whole corpus",
     EmitXmXml},
    {"xenstore",
     "every XenStore write xend made at creation, in xend's order; values that only exist at run time are "
     "`{runtime:NAME}` placeholders (list in `compiler/emit/xenstore.h`)",
     ".xs", "a stubbed xend 4.4's writes (all config-derived lines)", EmitXenstore},
    {"xl",
     "an xl.cfg with xm's meaning: xm defaults that differ from xl's are written out, renamed keys renamed, disks "
     "in xl syntax; what xl cannot express is listed in comments at the end and reported as warnings",
     ".xl", "the real xl 4.17 parses it without warnings", EmitXlCfg},
    {"libxl-json", "the libxl JSON `xl create -n` prints for that xl.cfg", ".libxl.json",
     "the real xl 4.17 (and xl's JSON for the original, modulo a documented table of xm-vs-xl differences in "
     "`tests/xl_oracle.py`)",
     EmitLibxlJson},
    {"libvirt", "libvirt domain XML for the Xen driver", ".libvirt.xml",
     "libvirt's RelaxNG schema, and libvirt's own converter's output (differences documented in "
     "`tests/corpus_libvirt.py`)",
     EmitLibvirtXml},
    {"json", "the typed model (key order: schema/README.md)", ".json",
     "the golden files; both front ends give the same model", EmitJson},
};

}  // namespace

std::span<const Backend> Backends() { return kBackends; }

const Backend* FindBackend(std::string_view name) {
  for (const Backend& b : kBackends) {
    if (b.name == name) return &b;
  }
  return nullptr;
}

}  // namespace xmc
